//! Collations: the SQL and the hazards of each change.

use gen_diff::CollationChange;
use gen_model::Catalog;

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;
use crate::render::types::create_collation;

impl Kind for CollationChange {
    fn sql(&self) -> String {
        match self {
            CollationChange::CreateCollation(c) => create_collation(c),
            CollationChange::DropCollation(c) => {
                format!("DROP COLLATION {};", c.name)
            }
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            CollationChange::CreateCollation(..) | CollationChange::DropCollation(..) => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}
