//! Domains: the SQL and the hazards of each change.

use gen_diff::DomainChange;
use gen_model::{Catalog, Ident};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::render::types::create_domain;

impl Kind for DomainChange {
    fn sql(&self) -> String {
        match self {
            DomainChange::CreateDomain(d) => create_domain(d),
            DomainChange::DropDomain(d) => format!("DROP DOMAIN {};", d.name),
            DomainChange::SetDomainDefault { name, default } => match default {
                Some(d) => format!("ALTER DOMAIN {name} SET DEFAULT {d};"),
                None => format!("ALTER DOMAIN {name} DROP DEFAULT;"),
            },
            DomainChange::SetDomainNotNull { name, not_null } => format!(
                "ALTER DOMAIN {name} {} NOT NULL;",
                if *not_null { "SET" } else { "DROP" }
            ),
            DomainChange::AddDomainConstraint { domain, constraint } => format!(
                "ALTER DOMAIN {domain} ADD CONSTRAINT {} {};",
                Ident(&constraint.name),
                constraint.definition
            ),
            DomainChange::DropDomainConstraint { domain, constraint } => format!(
                "ALTER DOMAIN {domain} DROP CONSTRAINT {};",
                Ident(&constraint.name)
            ),
            DomainChange::ValidateDomainConstraint { domain, name } => {
                format!("ALTER DOMAIN {domain} VALIDATE CONSTRAINT {};", Ident(name))
            }
            DomainChange::RenameDomainConstraint { domain, from, to } => format!(
                "ALTER DOMAIN {domain} RENAME CONSTRAINT {} TO {};",
                Ident(from),
                Ident(to)
            ),
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            DomainChange::AddDomainConstraint { domain, constraint }
                if constraint.validated && old.domains.contains_key(domain) =>
            {
                vec![hazard(
                    ValidatesExistingRows,
                    format!(
                        "adding constraint {} checks every value of domain {domain} in every table using it",
                        Ident(&constraint.name)
                    ),
                )]
            }
            DomainChange::ValidateDomainConstraint { domain, name } => vec![hazard(
                ValidatesExistingRows,
                format!(
                    "validating constraint {} checks every value of domain {domain}",
                    Ident(name)
                ),
            )],
            DomainChange::SetDomainNotNull {
                name,
                not_null: true,
            } => vec![hazard(
                ValidatesExistingRows,
                format!("SET NOT NULL checks every value of domain {name}"),
            )],
            DomainChange::CreateDomain(..)
            | DomainChange::DropDomain(..)
            | DomainChange::SetDomainDefault { .. }
            | DomainChange::SetDomainNotNull { .. }
            | DomainChange::AddDomainConstraint { .. }
            | DomainChange::DropDomainConstraint { .. }
            | DomainChange::RenameDomainConstraint { .. } => Vec::new(),
        }
    }
}
