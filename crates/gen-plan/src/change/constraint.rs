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

/// Verify: a condition true when `table` has constraint `constraint`.
pub(crate) fn exists_condition(table: &gen_model::QualifiedName, constraint: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = {} AND conname = {})",
        crate::verify::regclass(table),
        gen_model::Literal(constraint)
    )
}

/// Verify: a check that raises unless the constraint is of the kind, and
/// as validated, as `target` says. Definitions are not compared: the
/// server may print a definition it read back differently from the one it
/// was given.
pub(crate) fn present(
    table: &gen_model::QualifiedName,
    constraint: &str,
    target: &Catalog,
    message: &str,
) -> Option<String> {
    use gen_model::Literal;
    let c = target.tables.get(table)?.constraints.get(constraint)?;
    let contype = match c.kind {
        ConstraintKind::PrimaryKey => "p",
        ConstraintKind::Unique => "u",
        ConstraintKind::Check => "c",
        ConstraintKind::ForeignKey => "f",
        ConstraintKind::Exclusion => "x",
    };
    let condition = format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = {} AND conname = {} AND contype = {} AND convalidated = {})",
        crate::verify::regclass(table),
        Literal(constraint),
        Literal(contype),
        c.validated
    );
    Some(crate::verify::raise_if(&condition, message))
}
