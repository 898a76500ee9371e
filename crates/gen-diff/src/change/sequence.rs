//! Sequences, with their options and ownership.

use gen_model::{ObjectId, QualifiedName, Sequence, SequenceOptions};
use serde::Serialize;

use super::Action;

/// A change to a sequence; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum SequenceChange {
    /// `CREATE SEQUENCE name AS type START WITH … ;`
    CreateSequence(Sequence),
    /// `DROP SEQUENCE name;`
    DropSequence(Sequence),
    /// `ALTER SEQUENCE name INCREMENT BY … ;` with the options that differ.
    AlterSequence {
        /// Sequence.
        name: QualifiedName,
        /// Options before.
        from: SequenceOptions,
        /// Options after.
        to: SequenceOptions,
    },
    /// `ALTER SEQUENCE name SET UNLOGGED;` or `SET LOGGED`
    SetSequenceUnlogged {
        /// Sequence.
        name: QualifiedName,
        /// Whether the sequence becomes unlogged.
        unlogged: bool,
    },
    /// `ALTER SEQUENCE name OWNED BY NONE;` before the column that owns the
    /// sequence is dropped, when another column takes it over: the drop
    /// would take the sequence with it.
    ReleaseSequenceOwner {
        /// Sequence.
        name: QualifiedName,
    },
    /// `ALTER SEQUENCE name OWNED BY t.c;` or `OWNED BY NONE`
    SetSequenceOwner {
        /// Sequence.
        name: QualifiedName,
        /// The owning column, or none.
        owned_by: Option<(QualifiedName, String)>,
    },
}

impl SequenceChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            SequenceChange::CreateSequence(s) => (
                CreateOrAlter,
                ObjectId::Sequence {
                    name: s.name.clone(),
                },
            ),
            SequenceChange::DropSequence(s) => (
                Drop,
                ObjectId::Sequence {
                    name: s.name.clone(),
                },
            ),
            SequenceChange::AlterSequence { name, .. }
            | SequenceChange::SetSequenceUnlogged { name, .. } => {
                (CreateOrAlter, ObjectId::Sequence { name: name.clone() })
            }
            SequenceChange::ReleaseSequenceOwner { name } => (
                Drop,
                ObjectId::SequenceOwnership {
                    sequence: name.clone(),
                },
            ),
            SequenceChange::SetSequenceOwner { name, .. } => (
                CreateOrAlter,
                ObjectId::SequenceOwnership {
                    sequence: name.clone(),
                },
            ),
        }
    }

    /// The variant's name, `CreateSequence` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            SequenceChange::CreateSequence(..) => "CreateSequence",
            SequenceChange::DropSequence(..) => "DropSequence",
            SequenceChange::AlterSequence { .. } => "AlterSequence",
            SequenceChange::SetSequenceUnlogged { .. } => "SetSequenceUnlogged",
            SequenceChange::ReleaseSequenceOwner { .. } => "ReleaseSequenceOwner",
            SequenceChange::SetSequenceOwner { .. } => "SetSequenceOwner",
        }
    }
}
