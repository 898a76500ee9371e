//! Extended statistics (`CREATE STATISTICS`).

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// `CREATE STATISTICS name [(kinds)] ON columns_or_expressions FROM table`,
/// with `ALTER STATISTICS name SET STATISTICS n`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    /// Statistics object name.
    pub name: QualifiedName,
    /// The table it is on.
    pub table: QualifiedName,
    /// The statement as `pg_get_statisticsobjdef()` writes it.
    pub definition: String,
    /// `SET STATISTICS`: the sampling target, when not the default.
    pub target: Option<i32>,
    /// `COMMENT ON STATISTICS`.
    pub comment: Option<String>,
}

impl Statistics {
    /// This statistics object's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Statistics {
            name: self.name.clone(),
        }
    }
}
