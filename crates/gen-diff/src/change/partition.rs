//! Partitions attached and detached, partition indexes attached.

use gen_model::{ObjectId, QualifiedName};
use serde::Serialize;

use super::Action;

/// A change to partitioning; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum PartitionChange {
    /// `ALTER TABLE parent ATTACH PARTITION table FOR VALUES …;`
    AttachPartition {
        /// The partition.
        table: QualifiedName,
        /// The partitioned table.
        parent: QualifiedName,
        /// `FOR VALUES …` or `DEFAULT`.
        bound: String,
    },
    /// `ALTER TABLE parent DETACH PARTITION table;`
    DetachPartition {
        /// The partition.
        table: QualifiedName,
        /// The partitioned table.
        parent: QualifiedName,
    },
    /// `ALTER INDEX parent ATTACH PARTITION index;` (does nothing when the
    /// index is attached already, as attaching its table may have done).
    AttachIndex {
        /// The index of the partitioned table.
        parent: QualifiedName,
        /// The index of the partition.
        index: QualifiedName,
    },
}

impl PartitionChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            PartitionChange::AttachPartition { table, parent, .. } => (
                CreateOrAlter,
                ObjectId::Inheritance {
                    table: table.clone(),
                    parent: parent.clone(),
                },
            ),
            PartitionChange::DetachPartition { table, parent } => (
                Drop,
                ObjectId::Inheritance {
                    table: table.clone(),
                    parent: parent.clone(),
                },
            ),
            PartitionChange::AttachIndex { index, .. } => (
                CreateOrAlter,
                ObjectId::Index {
                    name: index.clone(),
                },
            ),
        }
    }

    /// The variant's name, `AttachPartition` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            PartitionChange::AttachPartition { .. } => "AttachPartition",
            PartitionChange::DetachPartition { .. } => "DetachPartition",
            PartitionChange::AttachIndex { .. } => "AttachIndex",
        }
    }
}
