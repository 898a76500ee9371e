//! Reading partitioning, inheritance, replica identity and column storage
//! settings out of catalog rows.

use std::collections::HashMap;

use gen_model::{Catalog, ColumnStorage, Inheritance, ObjectId, QualifiedName, ReplicaIdentity};

use crate::rows::{ColumnRow, TableRow};

/// Partition key, parents and bound of a row of tables.sql; `tables`
/// names the `parents`.
pub(crate) fn inheritance(
    r: &TableRow,
    parents: &[u32],
    tables: &HashMap<u32, QualifiedName>,
) -> Inheritance {
    Inheritance {
        partition_key: r.partition_key.clone().filter(|k| !k.is_empty()),
        parents: parents
            .iter()
            .filter_map(|oid| tables.get(oid).cloned())
            .collect(),
        partition_bound: r.partition_bound.clone(),
    }
}

/// Replica identity of a row of tables.sql; `index` is the index marked
/// as the table's replica identity, if any is.
pub(crate) fn replica_identity(r: &TableRow, index: Option<&String>) -> ReplicaIdentity {
    match r.replica_identity.as_str() {
        "f" => ReplicaIdentity::Full,
        "n" => ReplicaIdentity::Nothing,
        "i" => match index {
            Some(index) => ReplicaIdentity::Index(index.clone()),
            // The index was dropped: the server then logs no old row at all.
            None => ReplicaIdentity::Nothing,
        },
        _ => ReplicaIdentity::Default,
    }
}

/// Statistics target, storage and compression of a row of columns.sql.
pub(crate) fn column_storage(r: &ColumnRow) -> ColumnStorage {
    ColumnStorage {
        statistics: r.statistics,
        storage: r.storage.clone(),
        compression: r.compression.clone(),
        type_storage: r.type_storage.clone(),
    }
}

/// The edges these kinds add to the structural ones: a link between tables
/// needs both tables, a replica identity the index it names, a partition's
/// index the index it is attached to.
pub(crate) fn structural_depends(catalog: &Catalog, edges: &mut Vec<(ObjectId, ObjectId)>) {
    for t in catalog.tables.values() {
        let table = ObjectId::Table {
            name: t.name.clone(),
        };
        for parent in &t.inheritance.parents {
            let link = ObjectId::Inheritance {
                table: t.name.clone(),
                parent: parent.clone(),
            };
            edges.push((link.clone(), table.clone()));
            edges.push((
                link,
                ObjectId::Table {
                    name: parent.clone(),
                },
            ));
        }
        if t.replica_identity != ReplicaIdentity::Default {
            let identity = ObjectId::ReplicaIdentity {
                table: t.name.clone(),
            };
            edges.push((identity.clone(), table.clone()));
            if let ReplicaIdentity::Index(index) = &t.replica_identity {
                let target = if t.constraints.contains_key(index) {
                    ObjectId::Constraint {
                        table: t.name.clone(),
                        constraint: index.clone(),
                    }
                } else {
                    ObjectId::Index {
                        name: QualifiedName::new(t.name.schema.clone(), index.clone()),
                    }
                };
                edges.push((identity, target));
            }
        }
    }
    for i in catalog.indexes.values() {
        if let Some(parent) = &i.parent {
            let index = ObjectId::Index {
                name: i.name.clone(),
            };
            edges.push((
                index.clone(),
                ObjectId::Index {
                    name: parent.clone(),
                },
            ));
            // Attached only once its table is.
            if let Some(p) = catalog.indexes.get(parent) {
                edges.push((
                    index,
                    ObjectId::Inheritance {
                        table: i.table.clone(),
                        parent: p.table.clone(),
                    },
                ));
            }
        }
    }
}
