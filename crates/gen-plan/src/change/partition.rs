//! Partitions: the SQL and the hazards of each change.

use gen_diff::PartitionChange;
use gen_model::Catalog;

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};

impl Kind for PartitionChange {
    fn sql(&self) -> String {
        match self {
            PartitionChange::AttachPartition {
                table,
                parent,
                bound,
            } => format!("ALTER TABLE {parent} ATTACH PARTITION {table} {bound};"),
            PartitionChange::DetachPartition { table, parent } => {
                format!("ALTER TABLE {parent} DETACH PARTITION {table};")
            }
            PartitionChange::AttachIndex { parent, index } => {
                format!("ALTER INDEX {parent} ATTACH PARTITION {index};")
            }
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            PartitionChange::AttachPartition { table, parent, .. } => vec![
                hazard(
                    ValidatesExistingRows,
                    format!(
                        "attaching {table} to {parent} scans it to check the partition bound, unless a CHECK constraint implies the bound"
                    ),
                ),
                hazard(
                    AccessExclusiveLock,
                    format!(
                        "attaching {table} locks it against reads and writes, and {parent} against writes"
                    ),
                ),
            ],
            PartitionChange::DetachPartition { table, parent } => vec![hazard(
                AccessExclusiveLock,
                format!("detaching {table} from {parent} locks both against reads and writes"),
            )],
            PartitionChange::AttachIndex { .. } => Vec::new(),
        }
    }
}
