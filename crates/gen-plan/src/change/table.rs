//! Tables as a whole: the SQL and the hazards of each change.

use gen_diff::TableChange;
use gen_model::{Catalog, Ident};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::partitions::replica_identity;
use crate::render::create_table;

impl Kind for TableChange {
    fn sql(&self) -> String {
        match self {
            TableChange::CreateTable(t) => create_table(t),
            TableChange::DropTable(t) => format!("DROP TABLE {};", t.name),
            TableChange::SetUnlogged { table, unlogged } => format!(
                "ALTER TABLE {table} SET {};",
                if *unlogged { "UNLOGGED" } else { "LOGGED" }
            ),
            TableChange::SetTableOptions { table, set, reset } => {
                let mut parts = Vec::new();
                if !set.is_empty() {
                    parts.push(format!("SET ({})", set.join(", ")));
                }
                if !reset.is_empty() {
                    parts.push(format!("RESET ({})", reset.join(", ")));
                }
                format!("ALTER TABLE {table} {};", parts.join(", "))
            }
            TableChange::SetReplicaIdentity { table, identity } => {
                format!(
                    "ALTER TABLE {table} REPLICA IDENTITY {};",
                    replica_identity(identity)
                )
            }
            TableChange::ClusterOn { table, index, .. } => {
                format!("ALTER TABLE {table} CLUSTER ON {};", Ident(index))
            }
            TableChange::SetWithoutCluster { table } => {
                format!("ALTER TABLE {table} SET WITHOUT CLUSTER;")
            }
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            TableChange::DropTable(t) => vec![
                hazard(
                    DeletesData,
                    format!("drops table {} and every row in it", t.name),
                ),
                hazard(
                    Irreversible,
                    format!("the revert creates {} again, empty", t.name),
                ),
            ],
            TableChange::SetUnlogged { table, .. } => vec![hazard(
                RewritesTable,
                format!("changing the logging of {table} rewrites it"),
            )],
            TableChange::SetReplicaIdentity { table, .. } => vec![hazard(
                AccessExclusiveLock,
                format!(
                    "changing the replica identity of {table} locks it against reads and writes, briefly"
                ),
            )],
            // CLUSTER ON only marks the index (SHARE UPDATE EXCLUSIVE lock):
            // nothing is rewritten until someone runs CLUSTER.
            TableChange::CreateTable(..)
            | TableChange::SetTableOptions { .. }
            | TableChange::ClusterOn { .. }
            | TableChange::SetWithoutCluster { .. } => Vec::new(),
        }
    }
}
