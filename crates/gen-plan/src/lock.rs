//! The locks a step takes on tables that already exist: what keeps their
//! readers or writers waiting until the deploy commits.
//!
//! Each kind says which of its changes lock which relations in which mode
//! ([`crate::change::Kind::locks`]), as the server's `ALTER TABLE` and
//! other commands decide it; every lock on a table or materialized view
//! of the old catalog becomes an `access-exclusive-lock` or
//! `blocks-writes` hazard, unless the kind's own hazards already say so.
//! The oracle holds these to `pg_locks` inside every fixture's deploy and
//! revert.

use std::fmt;

use gen_model::{Catalog, ObjectId, QualifiedName};
use serde::{Serialize, Serializer};

use crate::hazard::{Hazard, HazardKind, hazard};

/// The modes that keep a table's users out; weaker ones (`SHARE UPDATE
/// EXCLUSIVE` of `VALIDATE CONSTRAINT`, `CREATE STATISTICS` or `ATTACH
/// PARTITION` on the parent) only keep out other schema changes and
/// vacuum, and are not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LockMode {
    /// `SHARE`: `CREATE INDEX`, or a domain's new constraint checked
    /// against the tables that use it. Writes wait.
    Share,
    /// `SHARE ROW EXCLUSIVE`: triggers, foreign keys. Writes wait.
    ShareRowExclusive,
    /// `ACCESS EXCLUSIVE`: almost every `ALTER TABLE`. Reads and writes
    /// wait.
    AccessExclusive,
}

impl LockMode {
    /// The mode as the server's documentation spells it.
    pub fn name(self) -> &'static str {
        match self {
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// The hazard a lock in this mode is.
    pub fn hazard_kind(self) -> HazardKind {
        match self {
            LockMode::Share | LockMode::ShareRowExclusive => HazardKind::BlocksWrites,
            LockMode::AccessExclusive => HazardKind::AccessExclusiveLock,
        }
    }
}

impl fmt::Display for LockMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A lock one step takes on one relation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Lock {
    /// The table, partitioned table or materialized view.
    pub relation: QualifiedName,
    /// The mode.
    pub mode: LockMode,
}

impl Lock {
    pub(crate) fn exclusive(relation: &QualifiedName) -> Lock {
        Lock {
            relation: relation.clone(),
            mode: LockMode::AccessExclusive,
        }
    }

    pub(crate) fn share(relation: &QualifiedName) -> Lock {
        Lock {
            relation: relation.clone(),
            mode: LockMode::Share,
        }
    }

    pub(crate) fn share_row_exclusive(relation: &QualifiedName) -> Lock {
        Lock {
            relation: relation.clone(),
            mode: LockMode::ShareRowExclusive,
        }
    }
}

impl Serialize for Lock {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Lock", 2)?;
        s.serialize_field("relation", &self.relation.to_string())?;
        s.serialize_field("mode", self.mode.name())?;
        s.end()
    }
}

/// Whether `name` is a table or materialized view of `old`: one whose
/// users a lock keeps waiting (a relation the plan creates has none yet).
fn existed(old: &Catalog, name: &QualifiedName) -> bool {
    old.tables.contains_key(name) || old.views.get(name).is_some_and(|v| v.materialized)
}

/// The locks among `locks` on relations of `old`, strongest first and one
/// per relation.
fn on_existing(old: &Catalog, mut locks: Vec<Lock>) -> Vec<Lock> {
    locks.retain(|l| existed(old, &l.relation));
    locks.sort_by(|a, b| {
        b.mode
            .cmp(&a.mode)
            .then_with(|| a.relation.cmp(&b.relation))
    });
    let mut seen = std::collections::BTreeSet::new();
    locks.retain(|l| seen.insert(l.relation.clone()));
    locks
}

/// A step's locks on relations of `old`, strongest first, and its hazards:
/// `hazards` (its kind's own) with those its locks add (see [`hazards`]).
pub(crate) fn declared(
    old: &Catalog,
    locks: Vec<Lock>,
    own: Option<&QualifiedName>,
    mut hazards: Vec<Hazard>,
    held: Held,
) -> (Vec<Hazard>, Vec<Lock>) {
    let locks = on_existing(old, locks);
    let more = self::hazards(old, &locks, own, &hazards, held);
    hazards.extend(more);
    (hazards, locks)
}

/// How long a step's locks are held.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// Until the deploy, one transaction, commits.
    Deploy,
    /// Until the online step's own short transaction commits, under the
    /// `lock_timeout` the online script sets.
    OnlineStep,
}

/// The hazards `locks` are that `hazards` (the kind's own) do not say yet:
/// one per hazard kind, naming each relation and mode. A kind's own
/// `access-exclusive-lock` or `rewrites-table` hazard speaks for its
/// exclusive lock on `own`, the step's own table (on every relation where
/// that is not known), and any of those or `blocks-writes` for its other
/// locks there.
fn hazards(
    old: &Catalog,
    locks: &[Lock],
    own: Option<&QualifiedName>,
    hazards: &[Hazard],
    held: Held,
) -> Vec<Hazard> {
    let said = |kinds: &[HazardKind]| hazards.iter().any(|h| kinds.contains(&h.kind));
    let locks: Vec<&Lock> = locks
        .iter()
        .filter(|l| {
            let covered = if l.mode == LockMode::AccessExclusive {
                said(&[HazardKind::AccessExclusiveLock, HazardKind::RewritesTable])
            } else {
                said(&[
                    HazardKind::BlocksWrites,
                    HazardKind::AccessExclusiveLock,
                    HazardKind::RewritesTable,
                ])
            };
            !(covered && own.is_none_or(|t| *t == l.relation))
        })
        .collect();
    let mut out = Vec::new();
    for kind in [HazardKind::AccessExclusiveLock, HazardKind::BlocksWrites] {
        let of_kind: Vec<&Lock> = locks
            .iter()
            .copied()
            .filter(|l| l.mode.hazard_kind() == kind)
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let mut modes: Vec<LockMode> = of_kind.iter().map(|l| l.mode).collect();
        modes.dedup();
        let what = modes
            .iter()
            .map(|&mode| {
                let on: Vec<String> = of_kind
                    .iter()
                    .filter(|l| l.mode == mode)
                    .map(|l| l.relation.to_string())
                    .collect();
                let article = if mode == LockMode::AccessExclusive {
                    "an"
                } else {
                    "a"
                };
                format!("{article} {mode} lock on {}", and_list(&on))
            })
            .collect::<Vec<_>>()
            .join(" and ");
        let waits = if kind == HazardKind::AccessExclusiveLock {
            "reads and writes"
        } else {
            "writes"
        };
        let mut h = match held {
            Held::Deploy => {
                let h = hazard(
                    kind,
                    format!("takes {what}: {waits} wait until the deploy commits"),
                );
                if kind == HazardKind::BlocksWrites {
                    // Not an index build: no concurrent form exists.
                    h.instead(Some(crate::hazard::BRIEF_LOCK.to_owned()))
                } else {
                    h
                }
            }
            // Already the short form, under a lock timeout: nothing safer
            // to suggest.
            Held::OnlineStep => hazard(
                kind,
                format!(
                    "takes {what} for a moment: {waits} wait until the step's short transaction commits, or the step gives up after lock_timeout"
                ),
            )
            .instead(None),
        };
        if let [one] = of_kind.as_slice() {
            h.about = Some(if old.tables.contains_key(&one.relation) {
                ObjectId::Table {
                    name: one.relation.clone(),
                }
            } else {
                ObjectId::MaterializedView {
                    name: one.relation.clone(),
                }
            });
        }
        out.push(h);
    }
    out
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
