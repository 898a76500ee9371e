//! Row-level security: policies and the table switches.

use gen_model::{Grantee, ObjectId, Policy, QualifiedName};
use serde::Serialize;

use super::{Action, table_id};

/// A change to a table's row-level security; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum PolicyChange {
    /// `ALTER TABLE t ENABLE ROW LEVEL SECURITY;` or `DISABLE`
    SetRowSecurity {
        /// Table.
        table: QualifiedName,
        /// Whether row-level security becomes enabled.
        enabled: bool,
    },
    /// `ALTER TABLE t FORCE ROW LEVEL SECURITY;` or `NO FORCE`
    ForceRowSecurity {
        /// Table.
        table: QualifiedName,
        /// Whether row-level security becomes forced on the owner too.
        forced: bool,
    },
    /// `CREATE POLICY name ON t AS … FOR … TO … USING (…) WITH CHECK (…);`
    CreatePolicy(Policy),
    /// `DROP POLICY name ON t;`
    DropPolicy(Policy),
    /// `ALTER POLICY name ON t TO … USING (…) WITH CHECK (…);` with the
    /// clauses that change (a clause can be replaced, never removed).
    AlterPolicy {
        /// Table.
        table: QualifiedName,
        /// Policy name.
        name: String,
        /// New roles, if they change.
        roles: Option<Vec<Grantee>>,
        /// New `USING` expression, if it changes.
        using: Option<String>,
        /// New `WITH CHECK` expression, if it changes.
        check: Option<String>,
    },
}

impl PolicyChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            PolicyChange::SetRowSecurity { table: t, .. }
            | PolicyChange::ForceRowSecurity { table: t, .. } => (CreateOrAlter, table_id(t)),
            PolicyChange::CreatePolicy(p) => (
                CreateOrAlter,
                ObjectId::Policy {
                    table: p.table.clone(),
                    name: p.name.clone(),
                },
            ),
            PolicyChange::DropPolicy(p) => (
                Drop,
                ObjectId::Policy {
                    table: p.table.clone(),
                    name: p.name.clone(),
                },
            ),
            PolicyChange::AlterPolicy { table: t, name, .. } => (
                CreateOrAlter,
                ObjectId::Policy {
                    table: t.clone(),
                    name: name.clone(),
                },
            ),
        }
    }

    /// The variant's name, `SetRowSecurity` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            PolicyChange::SetRowSecurity { .. } => "SetRowSecurity",
            PolicyChange::ForceRowSecurity { .. } => "ForceRowSecurity",
            PolicyChange::CreatePolicy(..) => "CreatePolicy",
            PolicyChange::DropPolicy(..) => "DropPolicy",
            PolicyChange::AlterPolicy { .. } => "AlterPolicy",
        }
    }
}
