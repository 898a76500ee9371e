//! Operator families and classes: the SQL and the hazards of each change,
//! and how a verify script checks one.

use gen_diff::OperatorClassChange;
use gen_model::{Catalog, Ident, Literal, OperatorClass, OperatorMember, QualifiedName};

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;

/// `OPERATOR 1 public.<(integer,integer)` or `FUNCTION 1 (integer,
/// integer) public.cmp(integer,integer)`, as `CREATE OPERATOR CLASS` and
/// `ALTER OPERATOR FAMILY … ADD` take a member.
fn member(m: &OperatorMember) -> String {
    match m {
        OperatorMember::Operator {
            strategy,
            operator,
            order_by,
        } => {
            let mut sql = format!("OPERATOR {strategy} {operator}");
            if let Some(family) = order_by {
                sql.push_str(&format!(" FOR ORDER BY {family}"));
            }
            sql
        }
        OperatorMember::Function {
            number,
            left,
            right,
            function,
        } => format!("FUNCTION {number} ({left}, {right}) {function}"),
    }
}

/// `OPERATOR 1 (integer, integer)`, as `ALTER OPERATOR FAMILY … DROP`
/// takes a member: by its number and operand types.
fn dropped_member(m: &OperatorMember) -> String {
    match m {
        OperatorMember::Operator {
            strategy, operator, ..
        } => {
            // `regoperator` ends in the operand types: `<(integer,integer)`.
            let types = operator.rfind('(').map_or("", |at| &operator[at..]);
            format!("OPERATOR {strategy} {types}")
        }
        OperatorMember::Function {
            number,
            left,
            right,
            ..
        } => format!("FUNCTION {number} ({left}, {right})"),
    }
}

/// `schema.name USING method`, as every statement names a family or class.
pub(crate) fn signature(name: &QualifiedName, method: &str) -> String {
    format!("{name} USING {}", Ident(method))
}

fn members(list: &[OperatorMember], each: fn(&OperatorMember) -> String) -> String {
    list.iter().map(each).collect::<Vec<_>>().join(",\n    ")
}

fn create_class(c: &OperatorClass) -> String {
    let mut items: Vec<String> = c.members.iter().map(member).collect();
    if let Some(storage) = &c.storage {
        items.push(format!("STORAGE {storage}"));
    }
    format!(
        "CREATE OPERATOR CLASS {} {}FOR TYPE {} USING {} FAMILY {} AS\n    {};",
        c.name,
        if c.default { "DEFAULT " } else { "" },
        c.for_type,
        Ident(&c.method),
        c.family,
        items.join(",\n    ")
    )
}

impl Kind for OperatorClassChange {
    fn sql(&self) -> String {
        match self {
            OperatorClassChange::CreateFamily(f) => {
                let mut sql = format!("CREATE OPERATOR FAMILY {};", signature(&f.name, &f.method));
                if !f.members.is_empty() {
                    sql.push_str(&format!(
                        "\nALTER OPERATOR FAMILY {} ADD\n    {};",
                        signature(&f.name, &f.method),
                        members(&f.members, member)
                    ));
                }
                sql
            }
            OperatorClassChange::DropFamily(f) => {
                format!("DROP OPERATOR FAMILY {};", signature(&f.name, &f.method))
            }
            OperatorClassChange::AddMembers {
                name,
                method,
                members: list,
            } => format!(
                "ALTER OPERATOR FAMILY {} ADD\n    {};",
                signature(name, method),
                members(list, member)
            ),
            OperatorClassChange::DropMembers {
                name,
                method,
                members: list,
            } => format!(
                "ALTER OPERATOR FAMILY {} DROP\n    {};",
                signature(name, method),
                members(list, dropped_member)
            ),
            OperatorClassChange::CreateClass(c) => create_class(c),
            OperatorClassChange::DropClass(c) => {
                format!("DROP OPERATOR CLASS {};", signature(&c.name, &c.method))
            }
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            // The indexes over a class are rebuilt around it by the
            // closure, with their own hazards.
            OperatorClassChange::CreateFamily(..)
            | OperatorClassChange::DropFamily(..)
            | OperatorClassChange::AddMembers { .. }
            | OperatorClassChange::DropMembers { .. }
            | OperatorClassChange::CreateClass(..)
            | OperatorClassChange::DropClass(..) => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// Verify: a condition true when the family (`pg_opfamily`, `opf`) or
/// class (`pg_opclass`, `opc`) exists.
pub(crate) fn exists_condition(
    catalog: &str,
    prefix: &str,
    name: &QualifiedName,
    method: &str,
) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.{catalog} o JOIN pg_catalog.pg_namespace n ON n.oid = o.{prefix}namespace JOIN pg_catalog.pg_am a ON a.oid = o.{prefix}method WHERE n.nspname = {} AND o.{prefix}name = {} AND a.amname = {})",
        Literal(&name.schema),
        Literal(&name.name),
        Literal(method)
    )
}
