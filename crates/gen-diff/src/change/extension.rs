//! Extensions: created, dropped, updated, moved.

use gen_model::{Extension, ObjectId};
use serde::Serialize;

use super::Action;

/// A change to an extension; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ExtensionChange {
    /// `CREATE EXTENSION name WITH SCHEMA schema;`
    CreateExtension(Extension),
    /// `DROP EXTENSION name;`
    DropExtension(Extension),
    /// `ALTER EXTENSION name UPDATE TO 'version';`
    UpdateExtension {
        /// Extension name.
        name: String,
        /// Target version.
        version: String,
    },
    /// `ALTER EXTENSION name SET SCHEMA schema;`
    MoveExtension {
        /// Extension name.
        name: String,
        /// Target schema.
        schema: String,
    },
}

impl ExtensionChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            ExtensionChange::CreateExtension(e) => (
                CreateOrAlter,
                ObjectId::Extension {
                    name: e.name.clone(),
                },
            ),
            ExtensionChange::DropExtension(e) => (
                Drop,
                ObjectId::Extension {
                    name: e.name.clone(),
                },
            ),
            ExtensionChange::UpdateExtension { name, .. }
            | ExtensionChange::MoveExtension { name, .. } => {
                (CreateOrAlter, ObjectId::Extension { name: name.clone() })
            }
        }
    }

    /// The variant's name, `CreateExtension` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            ExtensionChange::CreateExtension(..) => "CreateExtension",
            ExtensionChange::DropExtension(..) => "DropExtension",
            ExtensionChange::UpdateExtension { .. } => "UpdateExtension",
            ExtensionChange::MoveExtension { .. } => "MoveExtension",
        }
    }
}
