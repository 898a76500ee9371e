//! Schemas.

use gen_model::{ObjectId, Schema};
use serde::Serialize;

use super::Action;

/// A change to a schema; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum SchemaChange {
    /// `CREATE SCHEMA name;`
    CreateSchema(Schema),
    /// `DROP SCHEMA name;`
    DropSchema(Schema),
}

impl SchemaChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            SchemaChange::CreateSchema(s) => (
                CreateOrAlter,
                ObjectId::Schema {
                    name: s.name.clone(),
                },
            ),
            SchemaChange::DropSchema(s) => (
                Drop,
                ObjectId::Schema {
                    name: s.name.clone(),
                },
            ),
        }
    }

    /// The variant's name, `CreateSchema` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            SchemaChange::CreateSchema(..) => "CreateSchema",
            SchemaChange::DropSchema(..) => "DropSchema",
        }
    }
}
