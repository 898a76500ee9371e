//! Hazards: what a reviewer must know before a step runs in production.

use std::fmt;

use gen_diff::Change;
use gen_model::{Catalog, ObjectId};
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
    /// Writes to the table wait: an index builds, a trigger or foreign key
    /// is added (`SHARE` or `SHARE ROW EXCLUSIVE` lock).
    BlocksWrites,
    /// Every existing row is checked while the table is locked.
    ValidatesExistingRows,
    /// The step cannot run inside a transaction.
    NotTransactional,
    /// The revert restores the structure but not the data.
    Irreversible,
    /// Who may do what changes.
    AuthorizationChange,
    /// What logical replication sends to subscribers changes.
    ReplicationChange,
    /// The step reads a secret that the deploy must be given.
    NeedsSecret,
    /// The step stores an object in a tablespace, which must exist on the
    /// target.
    NeedsTablespace,
}

impl HazardKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [HazardKind; 11] = [
        HazardKind::DeletesData,
        HazardKind::RewritesTable,
        HazardKind::AccessExclusiveLock,
        HazardKind::BlocksWrites,
        HazardKind::ValidatesExistingRows,
        HazardKind::NotTransactional,
        HazardKind::Irreversible,
        HazardKind::AuthorizationChange,
        HazardKind::ReplicationChange,
        HazardKind::NeedsSecret,
        HazardKind::NeedsTablespace,
    ];

    /// The kind with this name (`deletes-data`), if there is one.
    pub fn from_name(name: &str) -> Option<HazardKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether a plan with this hazard is refused unless it is allowed.
    pub fn refused_by_default(self) -> bool {
        self == HazardKind::DeletesData
    }

    /// What the kind means, in a sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            HazardKind::DeletesData => {
                "rows, values or objects holding data are removed; the revert cannot bring them back"
            }
            HazardKind::RewritesTable => {
                "the table and its indexes are rewritten while an ACCESS EXCLUSIVE lock blocks all access"
            }
            HazardKind::AccessExclusiveLock => {
                "the object is locked against reads and writes until the transaction ends"
            }
            HazardKind::BlocksWrites => {
                "writes to the table wait until the transaction ends: an index builds, a trigger or foreign key is added, or a domain's values are checked"
            }
            HazardKind::ValidatesExistingRows => {
                "every existing row is checked while writes to the table wait"
            }
            HazardKind::NotTransactional => {
                "the step runs outside a transaction: if it fails, earlier steps stay applied"
            }
            HazardKind::Irreversible => "the revert restores the structure but not the data",
            HazardKind::AuthorizationChange => "who may read, write or run something changes",
            HazardKind::ReplicationChange => {
                "what logical replication sends or receives changes: a publication's tables, columns, rows or operations, or a subscription's connection, slot or publications"
            }
            HazardKind::NeedsSecret => {
                "the migration holds no secret: it reads one from a psql variable that the deploy must be given"
            }
            HazardKind::NeedsTablespace => {
                "the object is stored in a tablespace, a directory of the server that no migration makes: it must exist on the target"
            }
        }
    }

    /// The safer way to get the same result, where there is one.
    pub fn safer_alternative(self) -> Option<&'static str> {
        match self {
            HazardKind::DeletesData => Some(
                "copy the data out first; if the object was renamed, pass --rename KIND:OLD=NEW to gen add so its data is kept",
            ),
            HazardKind::RewritesTable => {
                Some("add a new column, backfill it in batches, then swap it in with a rename")
            }
            HazardKind::AccessExclusiveLock => Some(
                "set lock_timeout so the deploy gives up instead of queueing every query behind it",
            ),
            HazardKind::BlocksWrites => {
                Some("build the index with CREATE INDEX CONCURRENTLY (gen add --online)")
            }
            HazardKind::ValidatesExistingRows => Some(
                "add the constraint NOT VALID and VALIDATE it in a later step, which only blocks schema changes (gen add --online)",
            ),
            HazardKind::ReplicationChange => Some(
                "run ALTER SUBSCRIPTION … REFRESH PUBLICATION on each subscriber afterwards, so it copies the tables it newly receives",
            ),
            HazardKind::NeedsSecret => Some(
                "set GEN_SECRET_<NAME> for gen deploy, or pass --set gen_secret_<name>=… to sqitch deploy",
            ),
            HazardKind::NeedsTablespace => Some(
                "create the tablespace on every server the migration runs on (CREATE TABLESPACE … LOCATION …) before deploying",
            ),
            HazardKind::NotTransactional
            | HazardKind::Irreversible
            | HazardKind::AuthorizationChange => None,
        }
    }

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
            HazardKind::ReplicationChange => "replication-change",
            HazardKind::NeedsSecret => "needs-secret",
            HazardKind::NeedsTablespace => "needs-tablespace",
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
    /// The safer way to the same result that applies to this step, if
    /// there is one: the kind's own unless the step says otherwise.
    #[serde(skip)]
    pub alternative: Option<String>,
    /// The object a reviewer reads it under, where that is not the step's
    /// own: a lock on a table, whichever of its columns or policies the
    /// step changes, so that one table's locks are one line.
    #[serde(skip)]
    pub about: Option<ObjectId>,
}

impl Hazard {
    /// The same hazard with an alternative of its own (`None`: there is
    /// no safer way to this step).
    pub(crate) fn instead(mut self, alternative: Option<String>) -> Hazard {
        self.alternative = alternative;
        self
    }
}

pub(crate) fn hazard(kind: HazardKind, message: impl Into<String>) -> Hazard {
    Hazard {
        kind,
        message: message.into(),
        alternative: kind.safer_alternative().map(str::to_owned),
        about: None,
    }
}

/// The alternative for a step whose lock is brief but queues behind the
/// table's running writes: no concurrent form exists.
pub(crate) const BRIEF_LOCK: &str = "the statement is quick, but its lock waits behind the table's running transactions and every query after it waits behind the lock until the deploy commits: set lock_timeout so the deploy gives up instead, and keep the migration short";

/// The alternative to converting a column's values by a cast the plan
/// picks.
pub(crate) const CONVERT_APART: &str = "add a new column, fill it with a conversion of your own in batches and check it, then swap it in with a rename";

/// The alternative to dropping an object that holds data: `--rename`, if
/// it was renamed (`example` is the flag's value with the old name).
pub(crate) fn rename_instead(example: String) -> Option<String> {
    Some(format!(
        "if it was renamed, pass --rename {example} to gen add so its data is kept; otherwise copy the data out first"
    ))
}

/// One step's hazards with those of one kind made one: their messages
/// joined, in order, and their distinct alternatives too.
pub(crate) fn merged(hazards: Vec<Hazard>) -> Vec<Hazard> {
    let mut out: Vec<Hazard> = Vec::with_capacity(hazards.len());
    for h in hazards {
        match out.iter_mut().find(|o| o.kind == h.kind) {
            Some(o) => merge_into(o, h),
            None => out.push(h),
        }
    }
    out
}

/// Adds `h`'s message and alternative to `into`, a hazard of its kind,
/// unless it says them already.
pub(crate) fn merge_into(into: &mut Hazard, h: Hazard) {
    if !into.message.contains(&h.message) {
        into.message = format!("{}; {}", into.message, h.message);
    }
    match (&mut into.alternative, h.alternative) {
        (Some(a), Some(b)) if !a.contains(&b) => *a = format!("{a}; {b}"),
        (a @ None, b) => *a = b,
        _ => {}
    }
}

/// The hazards of one change, one per kind, and the locks it takes on
/// relations of the catalog it starts from (each a hazard too).
pub(crate) fn assess(change: &Change, old: &Catalog) -> (Vec<Hazard>, Vec<crate::Lock>) {
    let kind = crate::change::kind(change);
    let object = change.target().1;
    let own = if let ObjectId::Table { name } | ObjectId::MaterializedView { name } = &object {
        Some(name.clone())
    } else if let ObjectId::Index { name } = &object {
        old.indexes.get(name).map(|i| i.table.clone())
    } else {
        object.table().cloned()
    };
    crate::lock::declared(
        old,
        kind.locks(old),
        own.as_ref(),
        merged(kind.hazards(old)),
        crate::lock::Held::Deploy,
    )
}

/// The `needs-tablespace` hazard of storing `what` in `tablespace`, if it
/// names one (`None` is the database's default, which always exists).
pub(crate) fn tablespace_hazard(
    what: impl std::fmt::Display,
    tablespace: Option<&str>,
) -> Option<Hazard> {
    tablespace.map(|tablespace| {
        hazard(
            HazardKind::NeedsTablespace,
            format!(
                "{what} is stored in tablespace {}, which must exist on the target",
                gen_model::Ident(tablespace)
            ),
        )
    })
}
