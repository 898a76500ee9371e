//! Partitions: the SQL and the hazards of each change.

use gen_diff::{Change, PartitionChange, TableChange};
use gen_model::{Catalog, Literal, QualifiedName};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;

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

    fn locks(&self, old: &Catalog) -> Vec<Lock> {
        match self {
            // The parent only takes SHARE UPDATE EXCLUSIVE; the partition,
            // and a default partition whose rows are checked, are locked.
            PartitionChange::AttachPartition {
                table,
                parent,
                bound,
            } => std::iter::once(table)
                .chain(default_partition(table, parent, bound, old).map(|d| &d.name))
                .map(Lock::exclusive)
                .collect(),
            PartitionChange::DetachPartition { table, parent } => {
                vec![Lock::exclusive(parent), Lock::exclusive(table)]
            }
            PartitionChange::AttachIndex { .. } => Vec::new(),
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
    let default = default_partition(table, parent, bound, old)?;
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

/// `parent`'s default partition in `old`, which a partition of `bound`
/// made or attached beside it takes rows from; `None` where there is none
/// or `table` is it.
pub(crate) fn default_partition<'a>(
    table: &QualifiedName,
    parent: &QualifiedName,
    bound: &str,
    old: &'a Catalog,
) -> Option<&'a gen_model::Table> {
    if bound.trim() == "DEFAULT" {
        return None;
    }
    old.tables.values().find(|t| {
        t.name != *table
            && t.inheritance.partition_of() == Some(parent)
            && t.inheritance.partition_bound.as_deref() == Some("DEFAULT")
    })
}

/// `sql`, the statement of `change`, guarded where it makes or attaches a
/// partition beside a default partition: the server checks the default
/// partition's rows and fails if some belong to the new bound, with a
/// message that names the constraint, not what to do. The guard turns
/// that failure into one that names both partitions and says how to
/// move on; everything else passes through as it was.
pub(crate) fn guard_default_partition(change: &Change, old: &Catalog, sql: String) -> String {
    let beside = if let Change::Table(TableChange::CreateTable(t)) = change {
        t.inheritance.partition_of().and_then(|parent| {
            let bound = t.inheritance.partition_bound.as_deref()?;
            default_partition(&t.name, parent, bound, old).map(|d| (&t.name, d, false))
        })
    } else if let Change::Partition(PartitionChange::AttachPartition {
        table,
        parent,
        bound,
    }) = change
    {
        default_partition(table, parent, bound, old).map(|d| (table, d, true))
    } else {
        None
    };
    let Some((table, default, attached)) = beside else {
        return sql;
    };
    let default = Literal(&default.name.to_string()).to_string();
    let table = Literal(&table.to_string()).to_string();
    let own_rows = if attached {
        ", or rows of % lie outside its bound"
    } else {
        ""
    };
    let own_args = if attached {
        format!(", {table}")
    } else {
        String::new()
    };
    let body = sql.trim_end().replace('\n', "\n    ");
    format!(
        "DO $gen_partition$\nBEGIN\n    {body}\nEXCEPTION WHEN check_violation THEN\n    RAISE EXCEPTION 'default partition % holds rows that belong to new partition %{own_rows}', {default}, {table}{own_args}\n        USING DETAIL = SQLERRM,\n              HINT = 'move those rows out before deploying, for example into a table of their own, and back after';\nEND\n$gen_partition$;"
    )
}
