//! Domains: the SQL and the hazards of each change.

use gen_diff::DomainChange;
use gen_model::{Catalog, Ident, QualifiedName};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;
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
            DomainChange::SetDomainNotNull {
                name,
                not_null: true,
                constraint: Some(constraint),
            } => format!(
                "ALTER DOMAIN {name} ADD CONSTRAINT {} NOT NULL;",
                Ident(constraint)
            ),
            DomainChange::SetDomainNotNull { name, not_null, .. } => format!(
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

    fn locks(&self, old: &Catalog) -> Vec<Lock> {
        // Checking a domain's values locks every table with a column of
        // it, or of a domain over it, against writes.
        match self {
            DomainChange::AddDomainConstraint { domain, constraint } if constraint.validated => {
                tables_using(old, domain).map(Lock::share).collect()
            }
            DomainChange::ValidateDomainConstraint { domain, .. }
            | DomainChange::SetDomainNotNull {
                name: domain,
                not_null: true,
                ..
            } => tables_using(old, domain).map(Lock::share).collect(),
            DomainChange::CreateDomain(..)
            | DomainChange::DropDomain(..)
            | DomainChange::SetDomainDefault { .. }
            | DomainChange::SetDomainNotNull { .. }
            | DomainChange::AddDomainConstraint { .. }
            | DomainChange::DropDomainConstraint { .. }
            | DomainChange::RenameDomainConstraint { .. } => Vec::new(),
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
                ..
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

/// The tables of `old` with a column of `domain`, or of an array of it,
/// or of a domain over it.
fn tables_using<'a>(
    old: &'a Catalog,
    domain: &QualifiedName,
) -> impl Iterator<Item = &'a QualifiedName> {
    let mut domains = vec![domain.to_string()];
    let mut i = 0;
    while i < domains.len() {
        let over: Vec<String> = old
            .domains
            .values()
            .filter(|d| d.base_type == domains[i])
            .map(|d| d.name.to_string())
            .filter(|n| !domains.contains(n))
            .collect();
        domains.extend(over);
        i += 1;
    }
    old.tables.values().filter_map(move |t| {
        t.columns
            .iter()
            .any(|c| {
                let base = c.base_type.strip_suffix("[]").unwrap_or(&c.base_type);
                domains.iter().any(|d| d == base)
            })
            .then_some(&t.name)
    })
}
