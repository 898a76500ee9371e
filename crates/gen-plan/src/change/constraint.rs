//! Table constraints: the SQL and the hazards of each change.

use gen_diff::ConstraintChange;
use gen_model::{Catalog, ConstraintKind, Ident, QualifiedName};

use super::Kind;
use crate::Step;
use crate::hazard::{Hazard, HazardKind, hazard, tablespace_hazard};
use crate::lock::Lock;
use crate::online::Online;

impl Kind for ConstraintChange {
    fn sql(&self) -> String {
        match self {
            ConstraintChange::AddConstraint { table, constraint } => format!(
                "ALTER TABLE {table} ADD CONSTRAINT {} {};",
                Ident(&constraint.name),
                constraint.sql()
            ),
            ConstraintChange::DropConstraint { table, constraint } => format!(
                "ALTER TABLE {table} DROP CONSTRAINT {};",
                Ident(&constraint.name)
            ),
            ConstraintChange::ValidateConstraint { table, name } => {
                format!("ALTER TABLE {table} VALIDATE CONSTRAINT {};", Ident(name))
            }
            ConstraintChange::SetIndexOptions {
                table,
                name,
                set,
                reset,
            } => {
                let mut parts = Vec::new();
                if !set.is_empty() {
                    parts.push(format!("SET ({})", set.join(", ")));
                }
                if !reset.is_empty() {
                    parts.push(format!("RESET ({})", reset.join(", ")));
                }
                format!(
                    "ALTER INDEX {} {};",
                    index_name(table, name),
                    parts.join(", ")
                )
            }
            ConstraintChange::SetIndexTablespace {
                table,
                name,
                tablespace,
            } => format!(
                "ALTER INDEX {} SET TABLESPACE {};",
                index_name(table, name),
                Ident(tablespace.as_deref().unwrap_or("pg_default"))
            ),
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
            // Both lock the index alone (SHARE UPDATE EXCLUSIVE, ACCESS
            // EXCLUSIVE): the table's readers go on.
            ConstraintChange::ValidateConstraint { .. }
            | ConstraintChange::SetIndexOptions { .. }
            | ConstraintChange::SetIndexTablespace { .. } => Vec::new(),
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
                let mut out = match constraint.kind {
                    ConstraintKind::Exclusion => vec![h.instead(None)],
                    ConstraintKind::PrimaryKey | ConstraintKind::Unique => vec![h.instead(Some(
                        "build its unique index with CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … USING INDEX, which only takes a brief lock".to_owned(),
                    ))],
                    ConstraintKind::Check | ConstraintKind::ForeignKey => vec![h],
                };
                out.extend(index_tablespace_hazard(table, constraint));
                out
            }
            ConstraintChange::AddConstraint { table, constraint } => {
                index_tablespace_hazard(table, constraint)
                    .into_iter()
                    .collect()
            }
            ConstraintChange::ValidateConstraint { table, name } => {
                vec![validate_hazard(table, name)]
            }
            ConstraintChange::SetIndexTablespace {
                table,
                name,
                tablespace,
            } => {
                let index = format!("the index of constraint {} on {table}", Ident(name));
                let mut out = vec![hazard(
                    AccessExclusiveLock,
                    format!(
                        "moving {index} to another tablespace copies its files under an ACCESS EXCLUSIVE lock on it: writes to {table}, and reads through the index, wait until the deploy commits"
                    ),
                )];
                out.extend(tablespace_hazard(index, tablespace.as_deref()));
                out
            }
            ConstraintChange::DropConstraint { .. } | ConstraintChange::SetIndexOptions { .. } => {
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
            | ConstraintChange::ValidateConstraint { .. }
            | ConstraintChange::SetIndexOptions { .. }
            | ConstraintChange::SetIndexTablespace { .. } => None,
        }
    }
}

/// The hazard of `VALIDATE CONSTRAINT name` on `table`: a scan under a lock
/// that lets reads and writes go on.
pub(crate) fn validate_hazard(table: &QualifiedName, name: &str) -> Hazard {
    hazard(
        HazardKind::ValidatesExistingRows,
        format!(
            "validating {} scans {table} under a SHARE UPDATE EXCLUSIVE lock: reads and writes go on",
            Ident(name)
        ),
    )
    .instead(None)
}

/// The index behind a key or exclusion constraint: the constraint's name,
/// in its table's schema.
fn index_name(table: &QualifiedName, constraint: &str) -> QualifiedName {
    QualifiedName::new(table.schema.clone(), constraint)
}

/// The `needs-tablespace` hazard of a constraint whose index is stored in
/// a tablespace.
pub(crate) fn index_tablespace_hazard(
    table: &QualifiedName,
    constraint: &gen_model::Constraint,
) -> Option<Hazard> {
    tablespace_hazard(
        format!(
            "the index of constraint {} on {table}",
            Ident(&constraint.name)
        ),
        constraint.index_tablespace.as_deref(),
    )
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
