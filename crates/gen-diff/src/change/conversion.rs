//! Encoding conversions: the change type, and the comparison that emits it.

use gen_model::{Catalog, Conversion, ObjectId};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs};

/// A change to a conversion; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ConversionChange {
    /// `CREATE [DEFAULT] CONVERSION schema.name FOR 'source' TO 'destination' FROM function;`
    CreateConversion(Conversion),
    /// `DROP CONVERSION schema.name;`
    DropConversion(Conversion),
}

impl ConversionChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        match self {
            ConversionChange::CreateConversion(c) => (Action::CreateOrAlter, c.id()),
            ConversionChange::DropConversion(c) => (Action::Drop, c.id()),
        }
    }

    /// The variant's name, `CreateConversion` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            ConversionChange::CreateConversion(..) => "CreateConversion",
            ConversionChange::DropConversion(..) => "DropConversion",
        }
    }
}

/// Conversions created, dropped, and made anew when anything but their
/// comment changes: `ALTER CONVERSION` only renames, moves and gives away.
pub(crate) fn conversions(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.conversions, &new.conversions) {
        match (o, n) {
            (Some(o), None) => out.push(ConversionChange::DropConversion(o.clone()).into()),
            (None, Some(n)) => create(n, out),
            (Some(o), Some(n)) => {
                let bare = |c: &Conversion| Conversion {
                    comment: None,
                    ..c.clone()
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

/// The conversion dropped as in `old` and created as in `new`.
pub(crate) fn recreate(o: &Conversion, n: &Conversion, out: &mut Vec<Change>) {
    out.push(ConversionChange::DropConversion(o.clone()).into());
    create(n, out);
}

/// The conversion created, with its comment.
pub(crate) fn create(n: &Conversion, out: &mut Vec<Change>) {
    out.push(ConversionChange::CreateConversion(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}
