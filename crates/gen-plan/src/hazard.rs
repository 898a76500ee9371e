//! Hazards: what a reviewer must know before a step runs in production.

use gen_diff::{
    ColumnChange, ConstraintChange, ExtensionChange, IndexChange, InheritanceChange, OwnerChange,
    PartitionChange, PolicyChange, PrivilegesChange, RoutineChange, SchemaChange, SequenceChange,
    TableChange, TriggerChange, ViewChange,
};
use std::fmt;

use gen_diff::{Change, ColumnAction, Conversion, FieldCast};
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
    /// Every kind, in the order reports list them.
    pub const ALL: [HazardKind; 8] = [
        HazardKind::DeletesData,
        HazardKind::RewritesTable,
        HazardKind::AccessExclusiveLock,
        HazardKind::BlocksWrites,
        HazardKind::ValidatesExistingRows,
        HazardKind::NotTransactional,
        HazardKind::Irreversible,
        HazardKind::AuthorizationChange,
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
            HazardKind::BlocksWrites => "writes to the table wait until the index is built",
            HazardKind::ValidatesExistingRows => {
                "every existing row is checked while writes to the table wait"
            }
            HazardKind::NotTransactional => {
                "the step runs outside a transaction: if it fails, earlier steps stay applied"
            }
            HazardKind::Irreversible => "the revert restores the structure but not the data",
            HazardKind::AuthorizationChange => "who may read, write or run something changes",
        }
    }

    /// The safer way to get the same result, where there is one.
    pub fn safer_alternative(self) -> Option<&'static str> {
        match self {
            HazardKind::DeletesData => Some(
                "if the object was renamed, write the rename by hand (ALTER … RENAME) so its data is kept; otherwise copy the data out first",
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
        Change::Table(TableChange::DropTable(t)) => vec![
            hazard(
                DeletesData,
                format!("drops table {} and every row in it", t.name),
            ),
            hazard(
                Irreversible,
                format!("the revert creates {} again, empty", t.name),
            ),
        ],
        Change::Column(ColumnChange::DropColumn { table, column })
            if column.generated.is_none() =>
        {
            vec![
                hazard(
                    DeletesData,
                    format!(
                        "drops column {} of {table} and its values",
                        Ident(&column.name)
                    ),
                ),
                hazard(
                    Irreversible,
                    format!(
                        "the revert adds {table}.{} again, with no values",
                        Ident(&column.name)
                    ),
                ),
            ]
        }
        Change::Sequence(SequenceChange::DropSequence(s)) => vec![
            hazard(
                DeletesData,
                format!("drops sequence {} and its current value", s.name),
            ),
            hazard(
                Irreversible,
                format!(
                    "the revert creates {} again at its start value, which may hand out numbers already used",
                    s.name
                ),
            ),
        ],
        Change::Schema(SchemaChange::DropSchema(s)) => {
            vec![hazard(DeletesData, format!("drops schema {}", s.name))]
        }
        Change::Extension(ExtensionChange::DropExtension(e)) => vec![hazard(
            DeletesData,
            format!("drops extension {} and the objects it provides", e.name),
        )],
        Change::Column(ColumnChange::AlterColumn {
            table,
            column,
            action:
                ColumnAction::Type {
                    from,
                    to,
                    conversion,
                    ..
                },
        }) => {
            let column = Ident(column);
            let mut out = vec![hazard(
                RewritesTable,
                format!(
                    "changing {table}.{column} from {from} to {to} may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock"
                ),
            )];
            // The same type name on both sides is a rebuilt enum or domain,
            // whose own step says what its values lose.
            if let Conversion::Rows(fields) = conversion
                && fields
                    .iter()
                    .any(|f| matches!(f.cast, FieldCast::Explicit(_) | FieldCast::ViaText(_)))
            {
                let cast: Vec<String> = fields
                    .iter()
                    .filter(|f| matches!(f.cast, FieldCast::Explicit(_) | FieldCast::ViaText(_)))
                    .filter_map(|f| f.source.as_deref().map(|a| Ident(a).to_string()))
                    .collect();
                out.push(hazard(
                    DeletesData,
                    format!("moving {table}.{column} to the rebuilt {to} casts {} of every value, which fails or loses precision on values that do not fit", cast.join(", ")),
                ));
            } else if *conversion != Conversion::Assignment && from != to {
                out.push(hazard(
                    DeletesData,
                    format!("converting {table}.{column} from {from} to {to} needs an explicit cast, which fails or loses precision on values that do not fit"),
                ));
            }
            out
        }
        Change::Column(ColumnChange::AlterColumn {
            table,
            column,
            action: ColumnAction::SetNotNull,
        }) => vec![hazard(
            ValidatesExistingRows,
            format!(
                "SET NOT NULL scans {table} to check {} under an ACCESS EXCLUSIVE lock",
                Ident(column)
            ),
        )],
        Change::Column(ColumnChange::AddColumn { table, column }) if column.generated.is_some() => {
            vec![hazard(
                RewritesTable,
                format!(
                    "adding generated column {} rewrites {table}",
                    Ident(&column.name)
                ),
            )]
        }
        // A table created in the same plan is empty: nothing to check.
        Change::Constraint(ConstraintChange::AddConstraint { table, constraint })
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
        Change::Index(IndexChange::CreateIndex(i)) if old.tables.contains_key(&i.table) => {
            vec![hazard(
                BlocksWrites,
                format!("building index {} blocks writes to {}", i.name, i.table),
            )]
        }
        Change::View(ViewChange::DropView(v)) if v.materialized => vec![hazard(
            AccessExclusiveLock,
            format!(
                "drops materialized view {}: its stored rows are not kept, and come back only by running its query again",
                v.name
            ),
        )],
        Change::View(ViewChange::CreateView(v)) if v.materialized && v.populated => vec![hazard(
            BlocksWrites,
            format!(
                "creating materialized view {} runs its query inside the deploy, holding locks on what it reads",
                v.name
            ),
        )],
        Change::View(ViewChange::RefreshMaterializedView { name, .. }) => vec![hazard(
            AccessExclusiveLock,
            format!("REFRESH MATERIALIZED VIEW {name} blocks reads of it while its query runs"),
        )],
        Change::Table(TableChange::SetUnlogged { table, .. }) => vec![hazard(
            RewritesTable,
            format!("changing the logging of {table} rewrites it"),
        )],
        Change::Policy(PolicyChange::SetRowSecurity { table, enabled }) => {
            let mut out = vec![hazard(
                AuthorizationChange,
                if *enabled {
                    format!(
                        "enabling row-level security on {table} hides every row no policy allows"
                    )
                } else {
                    format!(
                        "disabling row-level security on {table} shows every row to whoever may read it"
                    )
                },
            )];
            if old.tables.contains_key(table) {
                out.push(hazard(
                    AccessExclusiveLock,
                    format!("changing row-level security locks {table} against reads and writes"),
                ));
            }
            out
        }
        Change::Policy(PolicyChange::ForceRowSecurity { table, forced }) => vec![hazard(
            AuthorizationChange,
            format!(
                "the owner of {table} {} subject to its policies",
                if *forced { "becomes" } else { "is no longer" }
            ),
        )],
        Change::Policy(PolicyChange::CreatePolicy(p)) => vec![hazard(
            AuthorizationChange,
            format!(
                "policy {} changes which rows of {} are visible",
                Ident(&p.name),
                p.table
            ),
        )],
        Change::Policy(PolicyChange::DropPolicy(p)) => vec![hazard(
            AuthorizationChange,
            format!(
                "dropping policy {} changes which rows of {} are visible",
                Ident(&p.name),
                p.table
            ),
        )],
        Change::Policy(PolicyChange::AlterPolicy { table, name, .. }) => vec![hazard(
            AuthorizationChange,
            format!(
                "policy {} changes which rows of {table} are visible",
                Ident(name)
            ),
        )],
        Change::Privileges(PrivilegesChange::Privileges {
            target,
            grantee,
            privileges,
            action,
        }) => {
            let verb = match action {
                gen_diff::PrivilegeAction::Grant => "gains",
                gen_diff::PrivilegeAction::GrantWithOption => "gains, and may grant,",
                gen_diff::PrivilegeAction::Revoke => "loses",
                gen_diff::PrivilegeAction::RevokeGrantOption => "may no longer grant",
            };
            vec![hazard(
                AuthorizationChange,
                format!("{grantee} {verb} {} on {target}", privileges.join(", ")),
            )]
        }
        Change::Owner(OwnerChange::SetOwner { target, owner }) => vec![hazard(
            AuthorizationChange,
            format!("{target} passes to owner {}", Ident(owner)),
        )],
        Change::Partition(PartitionChange::AttachPartition { table, parent, .. }) => vec![
            hazard(
                ValidatesExistingRows,
                format!(
                    "attaching {table} to {parent} scans it to check the partition bound, unless a CHECK constraint implies the bound"
                ),
            ),
            hazard(
                AccessExclusiveLock,
                format!(
                    "attaching {table} locks it against reads and writes, and {parent} against writes"
                ),
            ),
        ],
        Change::Partition(PartitionChange::DetachPartition { table, parent }) => vec![hazard(
            AccessExclusiveLock,
            format!("detaching {table} from {parent} locks both against reads and writes"),
        )],
        Change::Inheritance(InheritanceChange::Inherit { table, parent })
        | Change::Inheritance(InheritanceChange::NoInherit { table, parent }) => vec![hazard(
            AccessExclusiveLock,
            format!(
                "changing whether {table} inherits from {parent} locks both against reads and writes"
            ),
        )],
        Change::Table(TableChange::SetReplicaIdentity { table, .. }) => vec![hazard(
            AccessExclusiveLock,
            format!(
                "changing the replica identity of {table} locks it against reads and writes, briefly"
            ),
        )],
        Change::Routine(RoutineChange::CreateFunction(_))
        | Change::Trigger(TriggerChange::CreateTrigger { .. })
        | Change::Trigger(TriggerChange::DropTrigger(_))
        | Change::Trigger(TriggerChange::SetTriggerEnabled { .. }) => {
            crate::routines::hazards(change, old)
        }
        other => crate::types::hazards(other, old),
    }
}
