//! Indexes: the SQL and the hazards of each change.

use gen_diff::IndexChange;
use gen_model::Catalog;

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};

impl Kind for IndexChange {
    fn sql(&self) -> String {
        match self {
            IndexChange::CreateIndex(i) => format!("{};", i.definition),
            IndexChange::DropIndex(i) => format!("DROP INDEX {};", i.name),
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            IndexChange::CreateIndex(i) if old.tables.contains_key(&i.table) => {
                vec![hazard(
                    BlocksWrites,
                    format!("building index {} blocks writes to {}", i.name, i.table),
                )]
            }
            IndexChange::CreateIndex(..) | IndexChange::DropIndex(..) => Vec::new(),
        }
    }
}
