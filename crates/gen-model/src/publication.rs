//! Publications: which tables' changes logical replication sends out.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// `CREATE PUBLICATION name [FOR ALL TABLES | FOR TABLE … , TABLES IN
/// SCHEMA …] WITH (publish = '…', publish_via_partition_root = …)`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// Raw publication name (publications are not in a schema).
    pub name: String,
    /// `FOR ALL TABLES`: every table, now and later; no member list.
    pub all_tables: bool,
    /// Which operations are published.
    pub publish: Publish,
    /// `publish_via_partition_root`: a partition's changes are published as
    /// its root partitioned table's.
    pub via_root: bool,
    /// Tables published one by one (`FOR TABLE`), with their column lists and
    /// row filters.
    #[serde(with = "crate::pairs")]
    pub tables: BTreeMap<QualifiedName, PublishedTable>,
    /// Schemas whose every table is published (`FOR TABLES IN SCHEMA`).
    pub schemas: BTreeSet<String>,
    /// `COMMENT ON PUBLICATION`.
    pub comment: Option<String>,
}

/// The operations a publication sends (`WITH (publish = '…')`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publish {
    /// `insert`.
    pub insert: bool,
    /// `update`.
    pub update: bool,
    /// `delete`.
    pub delete: bool,
    /// `truncate`.
    pub truncate: bool,
}

impl Publish {
    /// The option's value as `CREATE PUBLICATION` takes it:
    /// `insert, update, delete, truncate`.
    pub fn option(&self) -> String {
        [
            (self.insert, "insert"),
            (self.update, "update"),
            (self.delete, "delete"),
            (self.truncate, "truncate"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, word)| *word)
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// One table of a publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedTable {
    /// The column list, in the table's column order; `None` for every column.
    pub columns: Option<Vec<String>>,
    /// The row filter (`WHERE (…)`) as the server prints it.
    pub row_filter: Option<String>,
}

impl Publication {
    /// This publication's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Publication {
            name: self.name.clone(),
        }
    }
}
