//! Privileges on objects, default privileges included.

use gen_model::{Grantee, ObjectId};
use serde::Serialize;

use super::Action;

/// A change to privileges; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum PrivilegesChange {
    /// `GRANT privileges ON kind name TO grantee [WITH GRANT OPTION];`,
    /// `REVOKE [GRANT OPTION FOR] privileges ON kind name FROM grantee;`,
    /// `GRANT SELECT (column) ON TABLE t TO …;` for a column, and
    /// `ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] GRANT … ON TABLES TO …;`
    /// for default privileges.
    Privileges {
        /// The object (or default privileges) the privileges are on.
        target: ObjectId,
        /// Who gains or loses them.
        grantee: Grantee,
        /// Privilege keywords, sorted: `SELECT`, `USAGE`, …
        privileges: Vec<String>,
        /// Granted or revoked, with or without grant option.
        action: PrivilegeAction,
    },
}

impl PrivilegesChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::CreateOrAlter;
        match self {
            PrivilegesChange::Privileges { target, .. } => (CreateOrAlter, target.clone()),
        }
    }

    /// The variant's name, `Privileges` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            PrivilegesChange::Privileges { .. } => "Privileges",
        }
    }
}

/// What a [`Change::Privileges`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivilegeAction {
    /// `REVOKE …`, grant option included.
    Revoke,
    /// `REVOKE GRANT OPTION FOR …`: the privilege stays.
    RevokeGrantOption,
    /// `GRANT …`
    Grant,
    /// `GRANT … WITH GRANT OPTION`
    GrantWithOption,
}
