//! Online mode: statements that keep a busy table available, at the price
//! of running in several transactions instead of one.
//!
//! After ordering, some steps are rewritten in place:
//! - `CREATE INDEX` / `DROP INDEX` on a table that exists on both sides run
//!   `CONCURRENTLY`, outside any transaction;
//! - a check or foreign key added to an existing table is added `NOT VALID`
//!   (a brief lock) and validated in a step of its own, which only blocks
//!   other schema changes while it scans;
//! - `SET NOT NULL` on an existing column goes through a validated check
//!   constraint, which lets the server skip its own full scan under an
//!   ACCESS EXCLUSIVE lock.

use gen_diff::{Action, Change, ColumnAction, ColumnChange, ConstraintChange, IndexChange};
use gen_model::{Catalog, ConstraintKind, Ident, ObjectId, QualifiedName};

use crate::change::index::{self, Build};
use crate::hazard::{hazard, hazards};
use crate::{HazardKind, Step, render};

/// The steps for one change in online mode.
pub(crate) fn steps(change: &Change, old: &Catalog, new: &Catalog) -> Vec<Step> {
    let (action, object) = change.target();
    let step = |sql: String, transactional: bool, hazards| Step {
        sql,
        object: object.clone(),
        action,
        hazards,
        transactional,
    };
    let stays =
        |table: &QualifiedName| old.tables.contains_key(table) && new.tables.contains_key(table);
    match change {
        Change::Index(IndexChange::CreateIndex(i)) if stays(&i.table) => {
            vec![step(
                index::create(i, Build::Concurrently),
                false,
                vec![hazard(
                    HazardKind::NotTransactional,
                    format!(
                        "{} is built concurrently, outside a transaction: if the build fails, an INVALID index is left behind to drop by hand",
                        i.name
                    ),
                )],
            )]
        }
        Change::Index(IndexChange::DropIndex(i)) if stays(&i.table) => vec![step(
            index::drop(i, Build::Concurrently),
            false,
            vec![hazard(
                HazardKind::NotTransactional,
                format!("{} is dropped concurrently, outside a transaction", i.name),
            )],
        )],
        Change::Constraint(ConstraintChange::AddConstraint { table, constraint })
            if constraint.validated
                && matches!(
                    constraint.kind,
                    ConstraintKind::Check | ConstraintKind::ForeignKey
                )
                && stays(table) =>
        {
            let name = Ident(&constraint.name);
            vec![
                step(
                    format!(
                        "ALTER TABLE {table} ADD CONSTRAINT {name} {} NOT VALID;",
                        constraint.definition
                    ),
                    true,
                    Vec::new(),
                ),
                validate(table, &constraint.name, object.clone(), action),
            ]
        }
        Change::Column(ColumnChange::AlterColumn {
            table,
            column,
            action: ColumnAction::SetNotNull,
        }) if stays(table) && old.tables[table].column(column).is_some() => {
            let check = not_null_check_name(column);
            let col = Ident(column);
            vec![
                step(
                    format!(
                        "ALTER TABLE {table} ADD CONSTRAINT {} CHECK ({col} IS NOT NULL) NOT VALID;",
                        Ident(&check)
                    ),
                    true,
                    Vec::new(),
                ),
                validate(table, &check, object.clone(), action),
                step(
                    format!(
                        "ALTER TABLE {table} ALTER COLUMN {col} SET NOT NULL;\nALTER TABLE {table} DROP CONSTRAINT {};",
                        Ident(&check)
                    ),
                    true,
                    vec![hazard(
                        HazardKind::AccessExclusiveLock,
                        format!(
                            "SET NOT NULL on {table}.{col} takes a brief ACCESS EXCLUSIVE lock; the validated check spares it the scan"
                        ),
                    )],
                ),
            ]
        }
        // Everything else runs as in a plan of one transaction.
        Change::Schema(_)
        | Change::Extension(_)
        | Change::Table(_)
        | Change::Column(_)
        | Change::Constraint(_)
        | Change::Index(_)
        | Change::Sequence(_)
        | Change::Comment(_)
        | Change::Routine(_)
        | Change::Trigger(_)
        | Change::EventTrigger(_)
        | Change::View(_)
        | Change::Policy(_)
        | Change::Privileges(_)
        | Change::Owner(_)
        | Change::Partition(_)
        | Change::Inheritance(_)
        | Change::Type(_)
        | Change::Domain(_)
        | Change::Collation(_)
        | Change::Publication(_)
        | Change::Cast(_)
        | Change::Rule(_)
        | Change::TextSearch(_)
        | Change::Foreign(_)
        | Change::Statistics(_)
        | Change::Operator(_) => vec![step(render::render(change), true, hazards(change, old))],
    }
}

/// `VALIDATE CONSTRAINT` as a step of its own, committed apart from the rest.
fn validate(table: &QualifiedName, constraint: &str, object: ObjectId, action: Action) -> Step {
    Step {
        sql: format!(
            "ALTER TABLE {table} VALIDATE CONSTRAINT {};",
            Ident(constraint)
        ),
        object,
        action,
        hazards: vec![hazard(
            HazardKind::ValidatesExistingRows,
            format!(
                "validating {} scans {table} under a SHARE UPDATE EXCLUSIVE lock: reads and writes go on",
                Ident(constraint)
            ),
        )],
        // Outside the main transaction, so the brief lock of NOT VALID is
        // released before the long scan starts.
        transactional: false,
    }
}

/// The temporary check behind an online `SET NOT NULL`, within the 63
/// bytes of an identifier.
fn not_null_check_name(column: &str) -> String {
    let mut base = column.to_owned();
    while base.len() > 63 - "_not_null".len() {
        base.pop();
    }
    format!("{base}_not_null")
}
