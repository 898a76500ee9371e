//! Indexes.

use gen_model::{Index, ObjectId, QualifiedName};
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
    /// `ALTER INDEX name ALTER COLUMN n SET STATISTICS v;`
    SetColumnStatistics {
        /// The index.
        name: QualifiedName,
        /// The index column's number.
        column: i16,
        /// The sampling target from now on; none for the default.
        target: Option<i32>,
    },
    /// `ALTER INDEX name SET TABLESPACE t;`: the index's files move.
    SetIndexTablespace {
        /// The index.
        name: QualifiedName,
        /// The tablespace; `None` is the database's default.
        tablespace: Option<String>,
    },
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
            IndexChange::SetColumnStatistics { name, .. }
            | IndexChange::SetIndexTablespace { name, .. } => {
                (CreateOrAlter, ObjectId::Index { name: name.clone() })
            }
        }
    }

    /// The variant's name, `CreateIndex` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            IndexChange::CreateIndex(..) => "CreateIndex",
            IndexChange::DropIndex(..) => "DropIndex",
            IndexChange::SetColumnStatistics { .. } => "SetColumnStatistics",
            IndexChange::SetIndexTablespace { .. } => "SetIndexTablespace",
        }
    }
}
