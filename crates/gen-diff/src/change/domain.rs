//! Domains.

use gen_model::{Domain, DomainConstraint, ObjectId, QualifiedName};
use serde::Serialize;

use super::Action;

/// A change to a domain; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum DomainChange {
    /// `CREATE DOMAIN name AS type … CONSTRAINT c CHECK (…);`
    CreateDomain(Domain),
    /// `DROP DOMAIN name;`
    DropDomain(Domain),
    /// `ALTER DOMAIN name SET DEFAULT expr;` or `DROP DEFAULT`
    SetDomainDefault {
        /// Domain.
        name: QualifiedName,
        /// The new default; `None` drops it.
        default: Option<String>,
    },
    /// `ALTER DOMAIN name SET NOT NULL;` (`ADD CONSTRAINT c NOT NULL` with
    /// a name of its own) or `DROP NOT NULL`
    SetDomainNotNull {
        /// Domain.
        name: QualifiedName,
        /// Whether the domain becomes NOT NULL.
        not_null: bool,
        /// The NOT NULL constraint's name, when not the server's pick.
        constraint: Option<String>,
    },
    /// `ALTER DOMAIN d ADD CONSTRAINT name CHECK (…) [NOT VALID];`
    AddDomainConstraint {
        /// Domain.
        domain: QualifiedName,
        /// The constraint.
        constraint: DomainConstraint,
    },
    /// `ALTER DOMAIN d DROP CONSTRAINT name;`
    DropDomainConstraint {
        /// Domain.
        domain: QualifiedName,
        /// The constraint.
        constraint: DomainConstraint,
    },
    /// `ALTER DOMAIN d VALIDATE CONSTRAINT name;`
    ValidateDomainConstraint {
        /// Domain.
        domain: QualifiedName,
        /// Constraint name.
        name: String,
    },
    /// `ALTER DOMAIN d RENAME CONSTRAINT from TO to;` — for a constraint
    /// whose definition is unchanged and only its name differs.
    RenameDomainConstraint {
        /// Domain.
        domain: QualifiedName,
        /// Name before.
        from: String,
        /// Name after.
        to: String,
    },
}

impl DomainChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            DomainChange::CreateDomain(d) => (
                CreateOrAlter,
                ObjectId::Domain {
                    name: d.name.clone(),
                },
            ),
            DomainChange::DropDomain(d) => (
                Drop,
                ObjectId::Domain {
                    name: d.name.clone(),
                },
            ),
            DomainChange::SetDomainDefault { name, .. }
            | DomainChange::SetDomainNotNull { name, .. } => {
                (CreateOrAlter, ObjectId::Domain { name: name.clone() })
            }
            DomainChange::AddDomainConstraint { domain, constraint } => (
                CreateOrAlter,
                ObjectId::DomainConstraint {
                    domain: domain.clone(),
                    constraint: constraint.name.clone(),
                },
            ),
            DomainChange::DropDomainConstraint { domain, constraint } => (
                Drop,
                ObjectId::DomainConstraint {
                    domain: domain.clone(),
                    constraint: constraint.name.clone(),
                },
            ),
            DomainChange::ValidateDomainConstraint { domain, name } => (
                CreateOrAlter,
                ObjectId::DomainConstraint {
                    domain: domain.clone(),
                    constraint: name.clone(),
                },
            ),
            // A rename is the new name's creation: it must wait for the old
            // name to be gone, and whatever uses the constraint follows it.
            DomainChange::RenameDomainConstraint { domain, to, .. } => (
                CreateOrAlter,
                ObjectId::DomainConstraint {
                    domain: domain.clone(),
                    constraint: to.clone(),
                },
            ),
        }
    }

    /// The variant's name, `CreateDomain` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            DomainChange::CreateDomain(..) => "CreateDomain",
            DomainChange::DropDomain(..) => "DropDomain",
            DomainChange::SetDomainDefault { .. } => "SetDomainDefault",
            DomainChange::SetDomainNotNull { .. } => "SetDomainNotNull",
            DomainChange::AddDomainConstraint { .. } => "AddDomainConstraint",
            DomainChange::DropDomainConstraint { .. } => "DropDomainConstraint",
            DomainChange::ValidateDomainConstraint { .. } => "ValidateDomainConstraint",
            DomainChange::RenameDomainConstraint { .. } => "RenameDomainConstraint",
        }
    }
}
