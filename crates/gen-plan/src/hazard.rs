//! Hazards: what a reviewer must know before a step runs in production.

use std::fmt;

use gen_diff::{Change, ColumnAction, Conversion};
use gen_model::{Catalog, ConstraintKind, Ident};
use serde::Serialize;

/// The kinds of danger a step can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HazardKind {
    /// Rows or values are deleted and cannot come back from the revert.
    DeletesData,
    /// The table is rewritten in full while locked.
    RewritesTable,
    /// The step holds an ACCESS EXCLUSIVE lock: no reads or writes meanwhile.
    AccessExclusiveLock,
    /// Writes to the table wait while an index builds.
    BlocksWrites,
    /// Every existing row is checked while the table is locked.
    ValidatesExistingRows,
    /// The step cannot run inside a transaction.
    NotTransactional,
    /// The revert restores the structure but not the data.
    Irreversible,
    /// Who may do what changes.
    AuthorizationChange,
}

impl HazardKind {
    /// The name used on the command line and in JSON: `deletes-data`.
    pub fn name(self) -> &'static str {
        match self {
            HazardKind::DeletesData => "deletes-data",
            HazardKind::RewritesTable => "rewrites-table",
            HazardKind::AccessExclusiveLock => "access-exclusive-lock",
            HazardKind::BlocksWrites => "blocks-writes",
            HazardKind::ValidatesExistingRows => "validates-existing-rows",
            HazardKind::NotTransactional => "not-transactional",
            HazardKind::Irreversible => "irreversible",
            HazardKind::AuthorizationChange => "authorization-change",
        }
    }
}

impl fmt::Display for HazardKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One hazard of one step, with a sentence for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hazard {
    /// What kind of danger.
    pub kind: HazardKind,
    /// Why, in a sentence.
    pub message: String,
}

pub(crate) fn hazard(kind: HazardKind, message: impl Into<String>) -> Hazard {
    Hazard {
        kind,
        message: message.into(),
    }
}

/// The hazards of one change, judged against the catalog it starts from.
pub(crate) fn hazards(change: &Change, old: &Catalog) -> Vec<Hazard> {
    use HazardKind::*;
    match change {
        Change::DropTable(t) => vec![hazard(
            DeletesData,
            format!("drops table {} and every row in it", t.name),
        )],
        Change::DropColumn { table, column } if column.generated.is_none() => vec![hazard(
            DeletesData,
            format!(
                "drops column {} of {table} and its values",
                Ident(&column.name)
            ),
        )],
        Change::DropSequence(s) => vec![hazard(
            DeletesData,
            format!("drops sequence {} and its current value", s.name),
        )],
        Change::DropSchema(s) => vec![hazard(DeletesData, format!("drops schema {}", s.name))],
        Change::DropExtension(e) => vec![hazard(
            DeletesData,
            format!("drops extension {} and the objects it provides", e.name),
        )],
        Change::AlterColumn {
            table,
            column,
            action:
                ColumnAction::Type {
                    from,
                    to,
                    conversion,
                    ..
                },
        } => {
            let column = Ident(column);
            let mut out = vec![hazard(
                RewritesTable,
                format!(
                    "changing {table}.{column} from {from} to {to} may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock"
                ),
            )];
            if *conversion != Conversion::Assignment {
                out.push(hazard(
                    DeletesData,
                    format!("converting {table}.{column} from {from} to {to} needs an explicit cast, which fails or loses precision on values that do not fit"),
                ));
            }
            out
        }
        Change::AlterColumn {
            table,
            column,
            action: ColumnAction::SetNotNull,
        } => vec![hazard(
            ValidatesExistingRows,
            format!(
                "SET NOT NULL scans {table} to check {} under an ACCESS EXCLUSIVE lock",
                Ident(column)
            ),
        )],
        Change::AddColumn { table, column } if column.generated.is_some() => vec![hazard(
            RewritesTable,
            format!(
                "adding generated column {} rewrites {table}",
                Ident(&column.name)
            ),
        )],
        // A table created in the same plan is empty: nothing to check.
        Change::AddConstraint { table, constraint }
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
        Change::CreateIndex(i) if old.tables.contains_key(&i.table) => vec![hazard(
            BlocksWrites,
            format!("building index {} blocks writes to {}", i.name, i.table),
        )],
        Change::SetUnlogged { table, .. } => vec![hazard(
            RewritesTable,
            format!("changing the logging of {table} rewrites it"),
        )],
        Change::CreateFunction(_)
        | Change::CreateTrigger { .. }
        | Change::DropTrigger(_)
        | Change::SetTriggerEnabled { .. } => crate::routines::hazards(change, old),
        _ => Vec::new(),
    }
}
