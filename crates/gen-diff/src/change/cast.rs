//! Casts: the change type, and the comparison that emits it.

use gen_model::{Cast, Catalog, ObjectId};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs};

/// A change to a cast; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum CastChange {
    /// `CREATE CAST (source AS target) WITH FUNCTION f(…) [AS IMPLICIT];`
    CreateCast(Cast),
    /// `DROP CAST (source AS target);`
    DropCast(Cast),
}

impl CastChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        match self {
            CastChange::CreateCast(c) => (Action::CreateOrAlter, c.id()),
            CastChange::DropCast(c) => (Action::Drop, c.id()),
        }
    }

    /// The variant's name, `CreateCast` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            CastChange::CreateCast(..) => "CreateCast",
            CastChange::DropCast(..) => "DropCast",
        }
    }
}

/// Casts created, dropped, and those whose method or context changed
/// (nothing of a cast but its comment can be altered) dropped and created.
pub(crate) fn casts(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.casts, &new.casts) {
        match (o, n) {
            (Some(o), None) => out.push(CastChange::DropCast(o.clone()).into()),
            (None, Some(n)) => create(n, out),
            (Some(o), Some(n)) if o.method != n.method || o.context != n.context => {
                recreate(o, n, out)
            }
            (Some(o), Some(n)) => comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out),
            (None, None) => {}
        }
    }
}

/// The cast dropped as it is in `old` and created as it is in `new`.
pub(crate) fn recreate(o: &Cast, n: &Cast, out: &mut Vec<Change>) {
    out.push(CastChange::DropCast(o.clone()).into());
    create(n, out);
}

pub(crate) fn create(n: &Cast, out: &mut Vec<Change>) {
    out.push(CastChange::CreateCast(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}
