//! Partitions: the SQL and the hazards of each change.

use gen_diff::PartitionChange;
use gen_model::{Catalog, QualifiedName};

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

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            PartitionChange::AttachPartition {
                table,
                parent,
                bound,
            } => [
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
            ]
            .into_iter()
            .chain(default_partition_scan(table, parent, bound, old))
            .collect(),
            PartitionChange::DetachPartition { table, parent } => vec![hazard(
                AccessExclusiveLock,
                format!("detaching {table} from {parent} locks both against reads and writes"),
            )],
            PartitionChange::AttachIndex { .. } => Vec::new(),
        }
    }
}

/// A partition made or attached beside `parent`'s default partition takes
/// the rows of its bound away from it: the server scans the default
/// partition under lock and fails if it holds any, naming it. `None`
/// where `parent` had no default partition, or `table` is it.
pub(crate) fn default_partition_scan(
    table: &QualifiedName,
    parent: &QualifiedName,
    bound: &str,
    old: &Catalog,
) -> Option<Hazard> {
    if bound.trim() == "DEFAULT" {
        return None;
    }
    let default = old.tables.values().find(|t| {
        t.name != *table
            && t.inheritance.partition_of() == Some(parent)
            && t.inheritance.partition_bound.as_deref() == Some("DEFAULT")
    })?;
    Some(
        hazard(
            HazardKind::ValidatesExistingRows,
            format!(
                "adding partition {table} to {parent} scans its default partition {} under an ACCESS EXCLUSIVE lock, and fails (naming it) if it holds rows of {table}'s bound",
                default.name
            ),
        )
        .instead(Some(format!(
            "move the rows of the new bound out of {} before the deploy; give it a CHECK constraint that excludes the bound, so the server skips the scan",
            default.name
        ))),
    )
}
