//! Collations.

use gen_model::{Collation, ObjectId};
use serde::Serialize;

use super::Action;

/// A change to a collation; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum CollationChange {
    /// `CREATE COLLATION name (provider = …, locale = …);`
    CreateCollation(Collation),
    /// `DROP COLLATION name;`
    DropCollation(Collation),
}

impl CollationChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            CollationChange::CreateCollation(c) => (
                CreateOrAlter,
                ObjectId::Collation {
                    name: c.name.clone(),
                },
            ),
            CollationChange::DropCollation(c) => (
                Drop,
                ObjectId::Collation {
                    name: c.name.clone(),
                },
            ),
        }
    }

    /// The variant's name, `CreateCollation` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            CollationChange::CreateCollation(..) => "CreateCollation",
            CollationChange::DropCollation(..) => "DropCollation",
        }
    }
}
