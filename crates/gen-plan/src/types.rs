//! Hazards, verify checks and definitions for types, domains and
//! collations.

use gen_diff::Change;
use gen_model::{Catalog, Ident, Literal, ObjectId, QualifiedName, TypeKind};

use crate::hazard::{Hazard, HazardKind};

fn hazard(kind: HazardKind, message: String) -> Hazard {
    Hazard { kind, message }
}

/// The hazards of a change of this group, judged against `old`.
pub(crate) fn hazards(change: &Change, old: &Catalog) -> Vec<Hazard> {
    use HazardKind::*;
    match change {
        Change::RenameTypeAway {
            id, removed_values, ..
        } if !removed_values.is_empty() => {
            let labels: Vec<String> = removed_values
                .iter()
                .map(|v| Literal(v).to_string())
                .collect();
            vec![hazard(
                DeletesData,
                format!(
                    "{id} loses {}: moving a column that holds one to the new type fails, and the label cannot come back with its rows' meaning",
                    labels.join(", ")
                ),
            )]
        }
        Change::RenameTypeAway { id, .. } => vec![hazard(
            AccessExclusiveLock,
            format!("{id} is rebuilt: every column using it is rewritten with the new type"),
        )],
        Change::AddDomainConstraint { domain, constraint }
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
        Change::ValidateDomainConstraint { domain, name } => vec![hazard(
            ValidatesExistingRows,
            format!(
                "validating constraint {} checks every value of domain {domain}",
                Ident(name)
            ),
        )],
        Change::SetDomainNotNull {
            name,
            not_null: true,
        } => vec![hazard(
            ValidatesExistingRows,
            format!("SET NOT NULL checks every value of domain {name}"),
        )],
        Change::DropAttribute {
            type_name,
            attribute,
        } => vec![hazard(
            DeletesData,
            format!(
                "drops attribute {} of type {type_name} and its values",
                Ident(&attribute.name)
            ),
        )],
        _ => Vec::new(),
    }
}

fn regtype(name: &QualifiedName) -> String {
    format!("to_regtype({})", Literal(&name.to_string()))
}

/// A condition true when an object of this group exists at all.
pub(crate) fn exists_condition(id: &ObjectId) -> Option<String> {
    Some(match id {
        ObjectId::Type { name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE oid = {} AND typtype <> 'd')",
            regtype(name)
        ),
        ObjectId::Domain { name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE oid = {} AND typtype = 'd')",
            regtype(name)
        ),
        ObjectId::DomainConstraint { domain, constraint } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE contypid = {} AND conname = {})",
            regtype(domain),
            Literal(constraint)
        ),
        ObjectId::Collation { name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace WHERE n.nspname = {} AND c.collname = {})",
            Literal(&name.schema),
            Literal(&name.name)
        ),
        ObjectId::TypeAttribute {
            type_name,
            attribute,
        } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.typrelid = a.attrelid WHERE t.oid = {} AND a.attname = {} AND NOT a.attisdropped)",
            regtype(type_name),
            Literal(attribute)
        ),
        _ => return None,
    })
}

/// For enums, a condition true unless the labels are exactly those of
/// `target`, in order; for composite attributes, unless the type matches.
pub(crate) fn shape_mismatch(id: &ObjectId, target: &Catalog) -> Option<(String, String)> {
    match id {
        ObjectId::Type { name } => {
            let TypeKind::Enum { values } = &target.types.get(name)?.kind else {
                return None;
            };
            let labels: Vec<String> = values.iter().map(|v| Literal(v).to_string()).collect();
            Some((
                format!(
                    "(SELECT coalesce(array_agg(enumlabel::text ORDER BY enumsortorder), '{{}}') FROM pg_catalog.pg_enum WHERE enumtypid = {}) IS DISTINCT FROM ARRAY[{}]::text[]",
                    regtype(name),
                    labels.join(", ")
                ),
                format!("without the labels {}", labels.join(", ")),
            ))
        }
        ObjectId::TypeAttribute {
            type_name,
            attribute,
        } => {
            let TypeKind::Composite { attributes } = &target.types.get(type_name)?.kind else {
                return None;
            };
            let a = attributes.iter().find(|a| &a.name == attribute)?;
            Some((
                format!(
                    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.typrelid = a.attrelid WHERE t.oid = {} AND a.attname = {} AND NOT a.attisdropped AND pg_catalog.format_type(a.atttypid, a.atttypmod) = {})",
                    regtype(type_name),
                    Literal(attribute),
                    Literal(&a.data_type)
                ),
                format!("not {}", a.data_type),
            ))
        }
        _ => None,
    }
}

/// The changes that create a top-level object of this group, comments
/// included, or `None` for other kinds.
pub(crate) fn definition(catalog: &Catalog, id: &ObjectId) -> Option<Vec<Change>> {
    let mut out = Vec::new();
    let comment = |target: ObjectId, comment: &Option<String>, out: &mut Vec<Change>| {
        if comment.is_some() {
            out.push(Change::Comment {
                target,
                comment: comment.clone(),
            });
        }
    };
    match id {
        ObjectId::Type { name } => {
            if let Some(t) = catalog.types.get(name) {
                out.push(Change::CreateType(t.clone()));
                comment(id.clone(), &t.comment, &mut out);
                if let TypeKind::Composite { attributes } = &t.kind {
                    for a in attributes {
                        let target = ObjectId::TypeAttribute {
                            type_name: name.clone(),
                            attribute: a.name.clone(),
                        };
                        comment(target, &a.comment, &mut out);
                    }
                }
            }
        }
        ObjectId::Domain { name } => {
            if let Some(d) = catalog.domains.get(name) {
                out.push(Change::CreateDomain(d.clone()));
                comment(id.clone(), &d.comment, &mut out);
                for c in d.constraints.values() {
                    let target = ObjectId::DomainConstraint {
                        domain: name.clone(),
                        constraint: c.name.clone(),
                    };
                    comment(target, &c.comment, &mut out);
                }
            }
        }
        ObjectId::Collation { name } => {
            if let Some(c) = catalog.collations.get(name) {
                out.push(Change::CreateCollation(c.clone()));
                comment(id.clone(), &c.comment, &mut out);
            }
        }
        _ => return None,
    }
    Some(out)
}

/// The object a reader thinks of for a part: a domain constraint's
/// domain, an attribute's type.
pub(crate) fn top_level(id: &ObjectId) -> Option<ObjectId> {
    match id {
        ObjectId::DomainConstraint { domain, .. } => Some(ObjectId::Domain {
            name: domain.clone(),
        }),
        ObjectId::TypeAttribute { type_name, .. } => Some(ObjectId::Type {
            name: type_name.clone(),
        }),
        _ => None,
    }
}
