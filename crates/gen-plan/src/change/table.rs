//! Tables as a whole: the SQL and the hazards of each change.

use gen_diff::TableChange;
use gen_model::{Catalog, Ident, QualifiedName};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard, rename_instead, tablespace_hazard};
use crate::lock::Lock;
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
            TableChange::SetNotOf { table } => format!("ALTER TABLE {table} NOT OF;"),
            TableChange::SetTablespace { table, tablespace } => format!(
                "ALTER TABLE {table} SET TABLESPACE {};",
                Ident(tablespace.as_deref().unwrap_or("pg_default"))
            ),
            TableChange::SetAccessMethod {
                table,
                access_method,
            } => format!(
                "ALTER TABLE {table} SET ACCESS METHOD {};",
                Ident(access_method.as_deref().unwrap_or("heap"))
            ),
        }
    }

    fn locks(&self, old: &Catalog) -> Vec<Lock> {
        match self {
            // A partition is made under a lock on its parent, and a
            // table's foreign keys lock the tables they reference.
            TableChange::CreateTable(t) => t
                .inheritance
                .partition_of()
                .into_iter()
                .chain(t.inheritance.partition_of().and_then(|parent| {
                    let bound = t.inheritance.partition_bound.as_deref()?;
                    super::partition::default_partition(&t.name, parent, bound, old)
                        .map(|d| &d.name)
                }))
                .map(Lock::exclusive)
                .chain(
                    t.constraints
                        .values()
                        .filter_map(|c| c.references.as_ref())
                        .map(Lock::share_row_exclusive),
                )
                .collect(),
            // Dropping a partition locks its parent; dropping a table drops
            // the triggers of its foreign keys on the tables they
            // reference (before 15, those of a partitioned table's keys
            // sit on its partitions), and those of the keys referencing it.
            TableChange::DropTable(t) => t
                .inheritance
                .partition_of()
                .map(Lock::exclusive)
                .into_iter()
                .chain(
                    t.constraints
                        .values()
                        .filter_map(|c| c.references.as_ref())
                        .filter(|r| **r != t.name)
                        .flat_map(|r| triggers_of_keys_to(old, r))
                        .map(Lock::exclusive),
                )
                .chain(
                    old.tables
                        .values()
                        .filter(|o| o.name != t.name)
                        .filter(|o| {
                            o.constraints
                                .values()
                                .any(|c| c.references.as_ref() == Some(&t.name))
                        })
                        .map(|o| Lock::exclusive(&o.name)),
                )
                .collect(),
            TableChange::SetUnlogged { table, .. }
            | TableChange::SetReplicaIdentity { table, .. }
            | TableChange::SetTablespace { table, .. }
            | TableChange::SetNotOf { table }
            | TableChange::SetAccessMethod { table, .. } => vec![Lock::exclusive(table)],
            // Storage parameters take SHARE UPDATE EXCLUSIVE, but for
            // user_catalog_table, which logical decoding reads.
            TableChange::SetTableOptions { table, set, reset } => set
                .iter()
                .chain(reset)
                .any(|o| o.split('=').next().map(str::trim) == Some("user_catalog_table"))
                .then(|| Lock::exclusive(table))
                .into_iter()
                .collect(),
            TableChange::ClusterOn { .. } | TableChange::SetWithoutCluster { .. } => Vec::new(),
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            TableChange::DropTable(t) => vec![
                hazard(
                    DeletesData,
                    format!("drops table {} and every row in it", t.name),
                )
                .instead(rename_instead(format!("table:{}=NEW_NAME", t.name))),
                hazard(
                    Irreversible,
                    format!("the revert creates {} again, empty", t.name),
                ),
            ],
            TableChange::SetUnlogged { table, .. } => vec![hazard(
                RewritesTable,
                format!("changing the logging of {table} rewrites it"),
            )],
            TableChange::CreateTable(t) => {
                let beside_default =
                    match (t.inheritance.partition_of(), &t.inheritance.partition_bound) {
                        (Some(parent), Some(bound)) => {
                            super::partition::default_partition_scan(&t.name, parent, bound, old)
                        }
                        _ => None,
                    };
                let key_indexes = t
                    .constraints
                    .values()
                    .filter(|c| !c.inherited.only_inherited())
                    .filter_map(|c| super::constraint::index_tablespace_hazard(&t.name, c));
                tablespace_hazard(format!("table {}", t.name), t.tablespace.as_deref())
                    .into_iter()
                    .chain(key_indexes)
                    .chain(beside_default)
                    .collect()
            }
            TableChange::SetTablespace { table, tablespace } => {
                let partitioned = old
                    .tables
                    .get(table)
                    .is_some_and(|t| t.inheritance.partition_key.is_some());
                let mut out = vec![if partitioned {
                    hazard(
                        AccessExclusiveLock,
                        format!(
                            "setting the tablespace of partitioned table {table}, where partitions made later go, locks it against reads and writes"
                        ),
                    )
                } else {
                    hazard(
                        RewritesTable,
                        format!(
                            "moving {table} to another tablespace copies all of it while it is locked against reads and writes"
                        ),
                    )
                    .instead(None)
                }];
                out.extend(tablespace_hazard(
                    format!("table {table}"),
                    tablespace.as_deref(),
                ));
                out
            }
            TableChange::SetAccessMethod { table, .. } => vec![hazard(
                RewritesTable,
                format!("changing the access method of {table} rewrites it"),
            )],
            TableChange::SetReplicaIdentity { table, .. } => vec![hazard(
                AccessExclusiveLock,
                format!(
                    "changing the replica identity of {table} locks it against reads and writes, briefly"
                ),
            )],
            // CLUSTER ON only marks the index (SHARE UPDATE EXCLUSIVE lock):
            // nothing is rewritten until someone runs CLUSTER.
            TableChange::SetTableOptions { .. }
            | TableChange::ClusterOn { .. }
            | TableChange::SetWithoutCluster { .. }
            | TableChange::SetNotOf { .. } => Vec::new(),
        }
    }
}

/// Verify: a condition true when table `name` exists (kinds share one
/// namespace: a view may take a dropped table's name).
pub(crate) fn exists_condition(name: &gen_model::QualifiedName) -> String {
    crate::verify::relation_of_kind(name, "'r', 'p'")
}

/// Verify: a condition true when `table` has a replica identity other than
/// the default.
pub(crate) fn replica_identity_exists(table: &gen_model::QualifiedName) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = {} AND relreplident <> 'd')",
        crate::verify::regclass(table)
    )
}

/// Verify: a check that raises unless `table`'s replica identity is the
/// one `target` gives it.
pub(crate) fn replica_identity_present(
    table: &gen_model::QualifiedName,
    target: &Catalog,
    message: &str,
) -> Option<String> {
    use std::fmt::Write as _;
    let t = target.tables.get(table)?;
    let (code, index) = match &t.replica_identity {
        gen_model::ReplicaIdentity::Default => ("d", None),
        gen_model::ReplicaIdentity::Full => ("f", None),
        gen_model::ReplicaIdentity::Nothing => ("n", None),
        gen_model::ReplicaIdentity::Index(i) => ("i", Some(i)),
    };
    let mut condition = format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = {} AND relreplident = {})",
        crate::verify::regclass(table),
        gen_model::Literal(code)
    );
    if let Some(i) = index {
        write!(
            condition,
            " OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indrelid = {} AND indexrelid = {} AND indisreplident)",
            crate::verify::regclass(table),
            crate::verify::regclass(&gen_model::QualifiedName::new(table.schema.clone(), i.clone()))
        )
        .expect("writing to a String");
    }
    Some(crate::verify::raise_if(&condition, message))
}

/// The tables that hold the triggers of foreign keys referencing
/// `referenced`: the table itself, or before 15, where it is partitioned,
/// its partitions.
fn triggers_of_keys_to<'a>(
    old: &'a Catalog,
    referenced: &'a QualifiedName,
) -> Vec<&'a QualifiedName> {
    let partitioned = old
        .tables
        .get(referenced)
        .is_some_and(|r| r.inheritance.partition_key.is_some());
    if !partitioned || old.major == 0 || old.major >= 15 {
        return vec![referenced];
    }
    let mut out = Vec::new();
    let mut parents = vec![referenced];
    while let Some(parent) = parents.pop() {
        for t in old.tables.values() {
            if t.inheritance.partition_of() == Some(parent) {
                if t.inheritance.partition_key.is_some() {
                    parents.push(&t.name);
                } else {
                    out.push(&t.name);
                }
            }
        }
    }
    out
}
