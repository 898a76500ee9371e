//! Indexes.

use gen_model::{Index, ObjectId};
use serde::Serialize;

use super::Action;

/// A change to an index; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum IndexChange {
    /// `CREATE INDEX …;` as `pg_get_indexdef()` wrote it.
    CreateIndex(Index),
    /// `DROP INDEX name;`
    DropIndex(Index),
}

impl IndexChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            IndexChange::CreateIndex(i) => (
                CreateOrAlter,
                ObjectId::Index {
                    name: i.name.clone(),
                },
            ),
            IndexChange::DropIndex(i) => (
                Drop,
                ObjectId::Index {
                    name: i.name.clone(),
                },
            ),
        }
    }

    /// The variant's name, `CreateIndex` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            IndexChange::CreateIndex(..) => "CreateIndex",
            IndexChange::DropIndex(..) => "DropIndex",
        }
    }
}
