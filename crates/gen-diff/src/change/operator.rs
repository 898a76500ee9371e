//! Operators: the change type, and the comparison that emits it.

use gen_model::{Catalog, ObjectId, Operator};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs};

/// A change to an operator; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum OperatorChange {
    /// `CREATE OPERATOR schema.op (LEFTARG = …, RIGHTARG = …, FUNCTION = …, …);`
    CreateOperator(Operator),
    /// `DROP OPERATOR schema.op (left, right);`
    DropOperator(Operator),
}

impl OperatorChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        match self {
            OperatorChange::CreateOperator(o) => (Action::CreateOrAlter, o.id()),
            OperatorChange::DropOperator(o) => (Action::Drop, o.id()),
        }
    }

    /// The variant's name, `CreateOperator` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            OperatorChange::CreateOperator(..) => "CreateOperator",
            OperatorChange::DropOperator(..) => "DropOperator",
        }
    }
}

/// Operators created, dropped, and made anew (with what uses them, by the
/// closure) when anything but their comment changes: `ALTER OPERATOR`
/// reaches only some settings, and not on every supported major.
pub(crate) fn operators(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.operators, &new.operators) {
        match (o, n) {
            (Some(o), None) => out.push(OperatorChange::DropOperator(o.clone()).into()),
            (None, Some(n)) => create(n, out),
            (Some(o), Some(n)) => {
                let bare = |op: &Operator| Operator {
                    comment: None,
                    ..op.clone()
                };
                if bare(o) == bare(n) {
                    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
                } else {
                    recreate(o, n, out);
                }
            }
            (None, None) => {}
        }
    }
}

/// The operator dropped as in `old` and created as in `new`.
pub(crate) fn recreate(o: &Operator, n: &Operator, out: &mut Vec<Change>) {
    out.push(OperatorChange::DropOperator(o.clone()).into());
    create(n, out);
}

/// The operator created, with its comment.
pub(crate) fn create(n: &Operator, out: &mut Vec<Change>) {
    out.push(OperatorChange::CreateOperator(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}
