//! Table inheritance.

use gen_model::{ObjectId, QualifiedName};
use serde::Serialize;

use super::Action;

/// A change to table inheritance; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum InheritanceChange {
    /// `ALTER TABLE table INHERIT parent;`
    Inherit {
        /// The child table.
        table: QualifiedName,
        /// The parent table.
        parent: QualifiedName,
    },
    /// `ALTER TABLE table NO INHERIT parent;`
    NoInherit {
        /// The child table.
        table: QualifiedName,
        /// The parent table.
        parent: QualifiedName,
    },
}

impl InheritanceChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            InheritanceChange::Inherit { table, parent } => (
                CreateOrAlter,
                ObjectId::Inheritance {
                    table: table.clone(),
                    parent: parent.clone(),
                },
            ),
            InheritanceChange::NoInherit { table, parent } => (
                Drop,
                ObjectId::Inheritance {
                    table: table.clone(),
                    parent: parent.clone(),
                },
            ),
        }
    }

    /// The variant's name, `Inherit` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            InheritanceChange::Inherit { .. } => "Inherit",
            InheritanceChange::NoInherit { .. } => "NoInherit",
        }
    }
}
