//! Table constraints: the SQL and the hazards of each change.

use gen_diff::ConstraintChange;
use gen_model::{Catalog, ConstraintKind, Ident};

use super::Kind;
use crate::Step;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;
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

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        match self {
            // A foreign key's triggers go on both tables.
            ConstraintChange::AddConstraint { table, constraint } => match &constraint.references {
                Some(referenced) => vec![
                    Lock::share_row_exclusive(table),
                    Lock::share_row_exclusive(referenced),
                ],
                None => vec![Lock::exclusive(table)],
            },
            ConstraintChange::DropConstraint { table, constraint } => std::iter::once(table)
                .chain(&constraint.references)
                .map(Lock::exclusive)
                .collect(),
            ConstraintChange::ValidateConstraint { .. } => Vec::new(),
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            // A table created in the same plan is empty: nothing to check.
            ConstraintChange::AddConstraint { table, constraint }
                if constraint.validated && old.tables.contains_key(table) =>
            {
                // A foreign key locks SHARE ROW EXCLUSIVE, the rest ACCESS
                // EXCLUSIVE.
                let blocked = match constraint.kind {
                    ConstraintKind::ForeignKey => "writes are blocked",
                    ConstraintKind::Check
                    | ConstraintKind::PrimaryKey
                    | ConstraintKind::Unique
                    | ConstraintKind::Exclusion => "reads and writes are blocked",
                };
                let h = hazard(
                    ValidatesExistingRows,
                    format!(
                        "adding constraint {} checks every row of {table} while {blocked}",
                        Ident(&constraint.name)
                    ),
                );
                // Keys and exclusion constraints have no NOT VALID form.
                match constraint.kind {
                    ConstraintKind::Exclusion => vec![h.instead(None)],
                    ConstraintKind::PrimaryKey | ConstraintKind::Unique => vec![h.instead(Some(
                        "build its unique index with CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … USING INDEX, which only takes a brief lock".to_owned(),
                    ))],
                    ConstraintKind::Check | ConstraintKind::ForeignKey => vec![h],
                }
            }
            ConstraintChange::ValidateConstraint { table, name } => vec![
                hazard(
                    ValidatesExistingRows,
                    format!(
                        "validating {} scans {table} under a SHARE UPDATE EXCLUSIVE lock: reads and writes go on",
                        Ident(name)
                    ),
                )
                .instead(None),
            ],
            ConstraintChange::AddConstraint { .. } | ConstraintChange::DropConstraint { .. } => {
                Vec::new()
            }
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
                // The same locks as a validated add, but only while the
                // catalog changes: the scan comes later, under a lock
                // that lets reads and writes go on.
                Some(vec![
                    online.locked_step(
                        format!(
                            "ALTER TABLE {table} ADD CONSTRAINT {name} {} NOT VALID;",
                            constraint.definition
                        ),
                        table,
                        Vec::new(),
                        self.locks(online.old),
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
