//! Operators: the SQL and the hazards of each change.

use std::fmt::Write as _;

use gen_diff::OperatorChange;
use gen_model::{Catalog, Ident, Operator, QualifiedName};

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;

/// `schema.op`: an operator's symbol is written as it is, never quoted.
fn symbol(name: &QualifiedName) -> String {
    format!("{}.{}", Ident(&name.schema), name.name)
}

/// `schema.op (left, right)`, as `DROP OPERATOR` and `COMMENT ON OPERATOR`
/// take it.
pub(crate) fn signature(name: &QualifiedName, left: &str, right: &str) -> String {
    format!("{} ({left}, {right})", symbol(name))
}

fn create(o: &Operator) -> String {
    let mut parts = Vec::new();
    if let Some(left) = &o.left {
        parts.push(format!("LEFTARG = {left}"));
    }
    parts.push(format!("RIGHTARG = {}", o.right));
    parts.push(format!("FUNCTION = {}", o.function));
    for (key, value) in [
        ("COMMUTATOR", &o.commutator),
        ("NEGATOR", &o.negator),
        ("RESTRICT", &o.restrict),
        ("JOIN", &o.join),
    ] {
        if let Some(value) = value {
            parts.push(format!("{key} = {value}"));
        }
    }
    if o.hashes {
        parts.push("HASHES".to_owned());
    }
    if o.merges {
        parts.push("MERGES".to_owned());
    }
    let mut sql = format!("CREATE OPERATOR {} (", symbol(&o.name));
    write!(sql, "\n    {}\n);", parts.join(",\n    ")).expect("writing to a String");
    sql
}

impl Kind for OperatorChange {
    fn sql(&self) -> String {
        match self {
            OperatorChange::CreateOperator(o) => create(o),
            OperatorChange::DropOperator(o) => format!(
                "DROP OPERATOR {};",
                signature(&o.name, o.left.as_deref().unwrap_or("NONE"), &o.right)
            ),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            // What uses an operator is rebuilt around it by the closure,
            // with that object's own hazards.
            OperatorChange::CreateOperator(..) | OperatorChange::DropOperator(..) => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// Verify: a condition true when the operator exists with these operand
/// types (`left` is `NONE` for a prefix operator).
pub(crate) fn exists_condition(name: &QualifiedName, left: &str, right: &str) -> String {
    use gen_model::Literal;
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace WHERE n.nspname = {} AND o.oprname = {} AND o.oprleft = {} AND o.oprright = to_regtype({}))",
        Literal(&name.schema),
        Literal(&name.name),
        if left == "NONE" {
            "0".to_owned()
        } else {
            format!("to_regtype({})", Literal(left))
        },
        Literal(right)
    )
}
