//! Access methods: the change type, and the comparison that emits it.

use gen_model::{AccessMethod, Catalog, ObjectId};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs};

/// A change to an access method; each variant's doc is the statement it
/// becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum AccessMethodChange {
    /// `CREATE ACCESS METHOD name TYPE { TABLE | INDEX } HANDLER function;`
    CreateAccessMethod(AccessMethod),
    /// `DROP ACCESS METHOD name;`
    DropAccessMethod(AccessMethod),
}

impl AccessMethodChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        match self {
            AccessMethodChange::CreateAccessMethod(a) => (Action::CreateOrAlter, a.id()),
            AccessMethodChange::DropAccessMethod(a) => (Action::Drop, a.id()),
        }
    }

    /// The variant's name, `CreateAccessMethod` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            AccessMethodChange::CreateAccessMethod(..) => "CreateAccessMethod",
            AccessMethodChange::DropAccessMethod(..) => "DropAccessMethod",
        }
    }
}

/// Access methods created, dropped, and made anew (with the tables stored
/// by them, by the closure) when their type or handler changes: there is
/// no `ALTER ACCESS METHOD`.
pub(crate) fn access_methods(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.access_methods, &new.access_methods) {
        match (o, n) {
            (Some(o), None) => out.push(AccessMethodChange::DropAccessMethod(o.clone()).into()),
            (None, Some(n)) => create(n, out),
            (Some(o), Some(n)) => {
                if o.kind == n.kind && o.handler == n.handler {
                    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
                } else {
                    recreate(o, n, out);
                }
            }
            (None, None) => {}
        }
    }
}

/// The access method dropped as in `old` and created as in `new`.
pub(crate) fn recreate(o: &AccessMethod, n: &AccessMethod, out: &mut Vec<Change>) {
    out.push(AccessMethodChange::DropAccessMethod(o.clone()).into());
    create(n, out);
}

/// The access method created, with its comment.
pub(crate) fn create(n: &AccessMethod, out: &mut Vec<Change>) {
    out.push(AccessMethodChange::CreateAccessMethod(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}
