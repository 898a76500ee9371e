//! Table constraints: the SQL and the hazards of each change.

use gen_diff::ConstraintChange;
use gen_model::{Catalog, ConstraintKind, Ident};

use super::Kind;
use crate::Step;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::online::Online;

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

    fn online(&self, online: &Online<'_>) -> Option<Vec<Step>> {
        match self {
            ConstraintChange::AddConstraint { table, constraint }
                if constraint.validated
                    && matches!(
                        constraint.kind,
                        ConstraintKind::Check | ConstraintKind::ForeignKey
                    )
                    && online.stays(table) =>
            {
                let name = Ident(&constraint.name);
                Some(vec![
                    online.step(
                        format!(
                            "ALTER TABLE {table} ADD CONSTRAINT {name} {} NOT VALID;",
                            constraint.definition
                        ),
                        true,
                        Vec::new(),
                    ),
                    online.validate(table, &constraint.name),
                ])
            }
            ConstraintChange::AddConstraint { .. }
            | ConstraintChange::DropConstraint { .. }
            | ConstraintChange::ValidateConstraint { .. } => None,
        }
    }
}
