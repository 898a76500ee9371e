//! Row-level security, policies, privileges, default privileges and owners.

use serde::{Deserialize, Serialize};

use crate::QualifiedName;

/// `ALTER TABLE t ENABLE ROW LEVEL SECURITY` and `FORCE ROW LEVEL SECURITY`.
/// A table with neither is left out of [`crate::Catalog::row_security`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSecurity {
    /// `ENABLE ROW LEVEL SECURITY`.
    pub enabled: bool,
    /// `FORCE ROW LEVEL SECURITY`: the owner is subject to policies too.
    pub forced: bool,
}

/// The command a policy applies to, from `pg_policy.polcmd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyCommand {
    /// `FOR ALL`
    All,
    /// `FOR SELECT`
    Select,
    /// `FOR INSERT`
    Insert,
    /// `FOR UPDATE`
    Update,
    /// `FOR DELETE`
    Delete,
}

impl PolicyCommand {
    /// The keyword after `FOR`.
    pub fn keyword(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }
}

/// `CREATE POLICY name ON table AS {PERMISSIVE|RESTRICTIVE} FOR cmd TO roles
/// USING (…) WITH CHECK (…)`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The table the policy is on.
    pub table: QualifiedName,
    /// Raw policy name.
    pub name: String,
    /// `AS PERMISSIVE` rather than `AS RESTRICTIVE`.
    pub permissive: bool,
    /// `FOR …`.
    pub command: PolicyCommand,
    /// `TO …`: role names, sorted; [`Grantee::Public`] for `PUBLIC`.
    pub roles: Vec<Grantee>,
    /// `USING (…)` as `pg_get_expr()` writes it.
    pub using: Option<String>,
    /// `WITH CHECK (…)` as `pg_get_expr()` writes it.
    pub check: Option<String>,
    /// `COMMENT ON POLICY`.
    pub comment: Option<String>,
}

/// Who a privilege is granted to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grantee {
    /// `PUBLIC`: every role.
    Public,
    /// A role, by raw name.
    Role(String),
}

/// One privilege held by one grantee: `GRANT SELECT ON … TO r [WITH GRANT OPTION]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Grant {
    /// Who holds it.
    pub grantee: Grantee,
    /// The privilege keyword as `aclexplode()` names it: `SELECT`, `USAGE`, …
    pub privilege: String,
    /// `WITH GRANT OPTION`.
    pub grantable: bool,
}

/// The privileges of one object held by roles other than its owner (whose
/// own privileges are implicit). Both lists are sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acl {
    /// What the object grants now.
    pub grants: Vec<Grant>,
    /// What the object would hold if its owner created it now: the kind's
    /// built-in default (`EXECUTE` to `PUBLIC` for functions, `USAGE` to
    /// `PUBLIC` for types) with the default privileges in force. A created
    /// object starts from this, not from nothing.
    pub initial: Vec<Grant>,
}

/// The kind of object `ALTER DEFAULT PRIVILEGES … ON …` is about, from
/// `pg_default_acl.defaclobjtype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultObjects {
    /// `ON TABLES` (views and materialized views too).
    Tables,
    /// `ON SEQUENCES`
    Sequences,
    /// `ON FUNCTIONS` (procedures too).
    Functions,
    /// `ON TYPES` (domains too).
    Types,
    /// `ON SCHEMAS`
    Schemas,
}

impl DefaultObjects {
    /// The keyword after `ON`.
    pub fn keyword(self) -> &'static str {
        match self {
            DefaultObjects::Tables => "TABLES",
            DefaultObjects::Sequences => "SEQUENCES",
            DefaultObjects::Functions => "FUNCTIONS",
            DefaultObjects::Types => "TYPES",
            DefaultObjects::Schemas => "SCHEMAS",
        }
    }
}

/// `ALTER DEFAULT PRIVILEGES FOR ROLE role [IN SCHEMA schema] GRANT … ON kind TO …`:
/// the privileges objects of one kind get when `role` creates them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultPrivileges {
    /// The role whose new objects are meant.
    pub role: String,
    /// The schema, or `None` for the whole database.
    pub schema: Option<String>,
    /// Which kind of object.
    pub objects: DefaultObjects,
    /// The privileges, sorted, the role's own included.
    pub grants: Vec<Grant>,
    /// What holds without any `ALTER DEFAULT PRIVILEGES` (the kind's
    /// built-in default database-wide, nothing in a schema).
    pub initial: Vec<Grant>,
}

/// `PUBLIC` or the quoted role name, as GRANT and CREATE POLICY write it.
impl std::fmt::Display for Grantee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Grantee::Public => f.write_str("PUBLIC"),
            Grantee::Role(name) => write!(f, "{}", crate::Ident(name)),
        }
    }
}
