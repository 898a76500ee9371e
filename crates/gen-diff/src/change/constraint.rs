//! Table constraints.

use gen_model::{Constraint, ObjectId, QualifiedName};
use serde::Serialize;

use super::{Action, constraint_id};

/// A change to a table constraint; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ConstraintChange {
    /// `ALTER TABLE t ADD CONSTRAINT name definition;`
    AddConstraint {
        /// Table.
        table: QualifiedName,
        /// The constraint.
        constraint: Constraint,
    },
    /// `ALTER TABLE t DROP CONSTRAINT name;`
    DropConstraint {
        /// Table.
        table: QualifiedName,
        /// The constraint.
        constraint: Constraint,
    },
    /// `ALTER TABLE t VALIDATE CONSTRAINT name;`
    ValidateConstraint {
        /// Table.
        table: QualifiedName,
        /// Constraint name.
        name: String,
    },
    /// `ALTER INDEX name SET (k=v, …), RESET (k, …);` on the index behind
    /// a key or exclusion constraint, which has the constraint's name.
    SetIndexOptions {
        /// Table.
        table: QualifiedName,
        /// Constraint name.
        name: String,
        /// `key=value` pairs to set.
        set: Vec<String>,
        /// Keys to reset.
        reset: Vec<String>,
    },
    /// `ALTER INDEX name SET TABLESPACE t;` of the index behind a key or
    /// exclusion constraint: its files move.
    SetIndexTablespace {
        /// Table.
        table: QualifiedName,
        /// Constraint name.
        name: String,
        /// The tablespace; `None` is the database's default.
        tablespace: Option<String>,
    },
}

impl ConstraintChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            ConstraintChange::AddConstraint {
                table: t,
                constraint: c,
            } => (CreateOrAlter, constraint_id(t, &c.name)),
            ConstraintChange::DropConstraint {
                table: t,
                constraint: c,
            } => (Drop, constraint_id(t, &c.name)),
            ConstraintChange::ValidateConstraint { table: t, name }
            | ConstraintChange::SetIndexOptions { table: t, name, .. }
            | ConstraintChange::SetIndexTablespace { table: t, name, .. } => {
                (CreateOrAlter, constraint_id(t, name))
            }
        }
    }

    /// The variant's name, `AddConstraint` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            ConstraintChange::AddConstraint { .. } => "AddConstraint",
            ConstraintChange::DropConstraint { .. } => "DropConstraint",
            ConstraintChange::ValidateConstraint { .. } => "ValidateConstraint",
            ConstraintChange::SetIndexOptions { .. } => "SetIndexOptions",
            ConstraintChange::SetIndexTablespace { .. } => "SetIndexTablespace",
        }
    }
}
