//! Inheritance: the SQL and the hazards of each change.

use gen_diff::InheritanceChange;
use gen_model::Catalog;

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;

impl Kind for InheritanceChange {
    fn sql(&self) -> String {
        match self {
            InheritanceChange::Inherit { table, parent } => {
                format!("ALTER TABLE {table} INHERIT {parent};")
            }
            InheritanceChange::NoInherit { table, parent } => {
                format!("ALTER TABLE {table} NO INHERIT {parent};")
            }
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        match self {
            InheritanceChange::Inherit { table, .. }
            | InheritanceChange::NoInherit { table, .. } => {
                vec![Lock::exclusive(table)]
            }
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            InheritanceChange::Inherit { table, parent }
            | InheritanceChange::NoInherit { table, parent } => vec![hazard(
                AccessExclusiveLock,
                format!(
                    "changing whether {table} inherits from {parent} locks both against reads and writes"
                ),
            )],
        }
    }
}

/// Verify: a condition true when `table` inherits from `parent`.
pub(crate) fn exists_condition(
    table: &gen_model::QualifiedName,
    parent: &gen_model::QualifiedName,
) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhrelid = {} AND inhparent = {})",
        crate::verify::regclass(table),
        crate::verify::regclass(parent)
    )
}
