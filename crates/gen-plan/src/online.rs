//! Online mode: statements that keep a busy table available, at the price
//! of running in several transactions instead of one.
//!
//! After ordering, each change's kind may rewrite it ([`Kind::online`]):
//! - `CREATE INDEX` / `DROP INDEX` on a table that exists on both sides run
//!   `CONCURRENTLY`, outside any transaction (`change/index.rs`);
//! - a check or foreign key added to an existing table is added `NOT VALID`
//!   (a brief lock) and validated in a step of its own, which only blocks
//!   other schema changes while it scans (`change/constraint.rs`);
//! - `SET NOT NULL` on an existing column goes through a validated check
//!   constraint, which lets the server skip its own full scan under an
//!   ACCESS EXCLUSIVE lock (`change/column.rs`).
//!
//! Every other change runs as in a plan of one transaction.
//!
//! [`Kind::online`]: crate::change::Kind::online

use gen_diff::{Action, Change};
use gen_model::{Catalog, Ident, ObjectId, QualifiedName};

use crate::hazard::{Hazard, hazard};
use crate::{HazardKind, Step, render};

/// What a kind's online form needs: the two catalogs, and the object and
/// action of the change it rewrites.
pub(crate) struct Online<'a> {
    pub(crate) old: &'a Catalog,
    pub(crate) new: &'a Catalog,
    object: ObjectId,
    action: Action,
}

impl Online<'_> {
    /// Whether `table` exists before and after: only then is it busy.
    pub(crate) fn stays(&self, table: &QualifiedName) -> bool {
        self.old.tables.contains_key(table) && self.new.tables.contains_key(table)
    }

    /// One step of the change, in or outside a transaction of its own.
    pub(crate) fn step(&self, sql: String, transactional: bool, hazards: Vec<Hazard>) -> Step {
        Step {
            sql,
            object: self.object.clone(),
            action: self.action,
            hazards,
            transactional,
            locks: Vec::new(),
        }
    }

    /// A step in a short transaction of its own that locks `locks` on
    /// `table` and the tables beside it, with their hazards where the
    /// step's own do not say them.
    pub(crate) fn locked_step(
        &self,
        sql: String,
        table: &QualifiedName,
        hazards: Vec<Hazard>,
        locks: Vec<crate::Lock>,
    ) -> Step {
        let (hazards, locks) = crate::lock::declared(
            self.old,
            locks,
            Some(table),
            hazards,
            crate::lock::Held::OnlineStep,
        );
        Step {
            locks,
            ..self.step(sql, true, hazards)
        }
    }

    /// `VALIDATE CONSTRAINT` as a step of its own, committed apart from the
    /// rest: outside the main transaction, so the brief lock of `NOT VALID`
    /// is released before the long scan starts.
    pub(crate) fn validate(&self, table: &QualifiedName, constraint: &str) -> Step {
        self.step(
            format!(
                "ALTER TABLE {table} VALIDATE CONSTRAINT {};",
                Ident(constraint)
            ),
            false,
            vec![hazard(
                HazardKind::ValidatesExistingRows,
                format!(
                    "validating {} scans {table} under a SHARE UPDATE EXCLUSIVE lock: reads and writes go on",
                    Ident(constraint)
                ),
            )],
        )
    }
}

/// The steps for one change in online mode.
pub(crate) fn steps(change: &Change, old: &Catalog, new: &Catalog) -> Vec<Step> {
    let (action, object) = change.target();
    let online = Online {
        old,
        new,
        object,
        action,
    };
    crate::change::kind(change)
        .online(&online)
        .unwrap_or_else(|| {
            let (hazards, locks) = crate::hazard::assess(change, old);
            let sql = crate::change::partition::guard_default_partition(
                change,
                old,
                render::render(change),
            );
            vec![Step {
                locks,
                ..online.step(sql, true, hazards)
            }]
        })
}

/// The temporary check behind an online `SET NOT NULL`, within the 63
/// bytes of an identifier.
pub(crate) fn not_null_check_name(column: &str) -> String {
    let mut base = column.to_owned();
    while base.len() > 63 - "_not_null".len() {
        base.pop();
    }
    format!("{base}_not_null")
}
