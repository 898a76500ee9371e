//! Table constraints: the SQL and the hazards of each change.

use gen_diff::ConstraintChange;
use gen_model::{Catalog, ConstraintKind, Ident};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};

impl Kind for ConstraintChange {
    fn sql(&self) -> String {
        match self {
            ConstraintChange::AddConstraint { table, constraint } => format!(
                "ALTER TABLE {table} ADD CONSTRAINT {} {};",
                Ident(&constraint.name),
                constraint.definition
            ),
            ConstraintChange::DropConstraint { table, constraint } => format!(
                "ALTER TABLE {table} DROP CONSTRAINT {};",
                Ident(&constraint.name)
            ),
            ConstraintChange::ValidateConstraint { table, name } => {
                format!("ALTER TABLE {table} VALIDATE CONSTRAINT {};", Ident(name))
            }
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            // A table created in the same plan is empty: nothing to check.
            ConstraintChange::AddConstraint { table, constraint }
                if constraint.validated
                    && constraint.kind != ConstraintKind::Exclusion
                    && old.tables.contains_key(table) =>
            {
                vec![hazard(
                    ValidatesExistingRows,
                    format!(
                        "adding constraint {} checks every row of {table} while writes are blocked",
                        Ident(&constraint.name)
                    ),
                )]
            }
            ConstraintChange::AddConstraint { .. }
            | ConstraintChange::DropConstraint { .. }
            | ConstraintChange::ValidateConstraint { .. } => Vec::new(),
        }
    }
}
