//! Partitioning, table inheritance, replica identity and per-column storage:
//! the parts of a table that tie it to other tables or tune how it is kept.

use serde::{Deserialize, Serialize};

use crate::QualifiedName;

/// Where a table sits in a partition or inheritance tree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inheritance {
    /// `PARTITION BY RANGE (…)` as `pg_get_partkeydef()` writes it, for a
    /// partitioned table: `RANGE (logdate)`.
    pub partition_key: Option<String>,
    /// Parent tables in `INHERITS` order; the single parent of a partition.
    pub parents: Vec<QualifiedName>,
    /// `FOR VALUES …` or `DEFAULT`, as `pg_get_expr(relpartbound)` writes
    /// it, for a partition.
    pub partition_bound: Option<String>,
}

impl Inheritance {
    /// The parent of a partition.
    pub fn partition_of(&self) -> Option<&QualifiedName> {
        self.partition_bound
            .as_ref()
            .and_then(|_| self.parents.first())
    }
}

/// How many parents a column or constraint comes from, and whether it is
/// also declared on the table itself (`attislocal`/`conislocal`). Only what
/// is declared locally is written when the table is created; the rest comes
/// from the parents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inherited {
    /// Declared on the table itself.
    pub local: bool,
    /// Number of parents it is inherited from.
    pub count: i32,
}

impl Default for Inherited {
    fn default() -> Self {
        Inherited {
            local: true,
            count: 0,
        }
    }
}

impl Inherited {
    /// Whether it exists only because a parent has it.
    pub fn only_inherited(&self) -> bool {
        !self.local && self.count > 0
    }
}

/// `ALTER TABLE … REPLICA IDENTITY …`
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaIdentity {
    /// The primary key, if any.
    #[default]
    Default,
    /// Every column.
    Full,
    /// Nothing.
    Nothing,
    /// `USING INDEX name`: a unique index of the table (raw name, same schema).
    Index(String),
}

/// Per-column settings that tune how values are kept and analysed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnStorage {
    /// `SET STATISTICS n`; `None` for the system default.
    pub statistics: Option<i32>,
    /// `SET STORAGE …` in lower case (`plain`, `external`, `extended`,
    /// `main`) when it differs from the type's default.
    pub storage: Option<String>,
    /// `SET COMPRESSION …` (`pglz`, `lz4`) when one is set.
    pub compression: Option<String>,
    /// The storage of the column's type, which `storage: None` stands for.
    /// Not a setting of its own: `SET STORAGE` names it to reset.
    pub type_storage: String,
}

impl ColumnStorage {
    /// Whether the settings (not the type's default) are the same.
    pub fn same_settings(&self, other: &ColumnStorage) -> bool {
        self.statistics == other.statistics
            && self.storage == other.storage
            && self.compression == other.compression
    }
}
