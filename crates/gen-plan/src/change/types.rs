//! Types and their rebuilds: the SQL and the hazards of each change.

use std::fmt::Write as _;

use gen_diff::{EnumPosition, TypeChange};
use gen_model::{Catalog, Ident, Literal, ObjectId, QualifiedName, TypeKind, TypeObject};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;
use crate::render::types::{attribute_definition, create_type};

impl Kind for TypeChange {
    fn sql(&self) -> String {
        match self {
            TypeChange::CreateType(t) => create_type(t),
            TypeChange::DropType(t) => format!("DROP TYPE {};", t.name),
            TypeChange::AddEnumValue {
                name,
                value,
                position,
            } => {
                let mut sql = format!("ALTER TYPE {name} ADD VALUE {}", Literal(value));
                match position {
                    Some(EnumPosition::Before(w)) => write!(sql, " BEFORE {}", Literal(w)),
                    Some(EnumPosition::After(w)) => write!(sql, " AFTER {}", Literal(w)),
                    None => Ok(()),
                }
                .expect("writing to a String");
                sql.push(';');
                sql
            }
            TypeChange::RenameEnumValue { name, from, to } => format!(
                "ALTER TYPE {name} RENAME VALUE {} TO {};",
                Literal(from),
                Literal(to)
            ),
            TypeChange::AddAttribute {
                type_name,
                attribute,
                cascade,
            } => format!(
                "ALTER TYPE {type_name} ADD ATTRIBUTE {}{};",
                attribute_definition(attribute),
                cascade_clause(*cascade)
            ),
            TypeChange::DropAttribute {
                type_name,
                attribute,
                cascade,
            } => format!(
                "ALTER TYPE {type_name} DROP ATTRIBUTE {}{};",
                Ident(&attribute.name),
                cascade_clause(*cascade)
            ),
            TypeChange::AlterAttributeType {
                type_name,
                attribute,
                cascade,
            } => {
                let mut sql = format!(
                    "ALTER TYPE {type_name} ALTER ATTRIBUTE {} TYPE {}",
                    Ident(&attribute.name),
                    attribute.data_type
                );
                if let Some(c) = &attribute.collation {
                    write!(sql, " COLLATE {c}").expect("writing to a String");
                }
                sql.push_str(cascade_clause(*cascade));
                sql.push(';');
                sql
            }
            TypeChange::RenameTypeAway { id, temp, .. } => {
                let (kind, name) = parked(id);
                format!("ALTER {kind} {name} RENAME TO {};", Ident(temp))
            }
            TypeChange::DropRetiredType { id, .. } => {
                let (kind, name) = parked(id);
                format!("DROP {kind} {name};")
            }
        }
    }

    fn locks(&self, old: &Catalog) -> Vec<Lock> {
        // Changing a composite type's attributes CASCADE alters the tables
        // made of it.
        match self {
            TypeChange::AddAttribute {
                type_name, cascade, ..
            }
            | TypeChange::DropAttribute {
                type_name, cascade, ..
            }
            | TypeChange::AlterAttributeType {
                type_name, cascade, ..
            } if *cascade => {
                let of = type_name.to_string();
                old.tables
                    .values()
                    .filter(|t| t.of_type.as_deref() == Some(of.as_str()))
                    .map(|t| Lock::exclusive(&t.name))
                    .collect()
            }
            TypeChange::CreateType(_)
            | TypeChange::DropType(_)
            | TypeChange::AddEnumValue { .. }
            | TypeChange::RenameEnumValue { .. }
            | TypeChange::AddAttribute { .. }
            | TypeChange::DropAttribute { .. }
            | TypeChange::AlterAttributeType { .. }
            | TypeChange::RenameTypeAway { .. }
            | TypeChange::DropRetiredType { .. } => Vec::new(),
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            TypeChange::RenameTypeAway {
                id: id @ ObjectId::Type { name },
                removed_values,
                through_text,
                ..
            } if matches!(
                old.types.get(name).map(|t| &t.kind),
                Some(TypeKind::Composite { .. })
            ) =>
            {
                let mut out = vec![hazard(
                    AccessExclusiveLock,
                    format!(
                        "{id} is rebuilt: every column storing it is altered to the new one under an ACCESS EXCLUSIVE lock"
                    ),
                )];
                if !removed_values.is_empty() {
                    let names: Vec<String> = removed_values
                        .iter()
                        .map(|a| Ident(a).to_string())
                        .collect();
                    out.push(hazard(
                    DeletesData,
                    format!(
                        "{id} loses attribute {}: its values in stored rows are not moved to the new type",
                        names.join(", ")
                    ),
                ));
                }
                if !through_text.is_empty() {
                    let users: Vec<String> = through_text.iter().map(ToString::to_string).collect();
                    out.push(hazard(
                    DeletesData,
                    format!(
                        "{id} changes the names, order or types of its attributes, and its values in {} move through their text form attribute by position: values that do not fit fail to convert or land in another attribute",
                        users.join(", ")
                    ),
                ));
                }
                out
            }
            TypeChange::RenameTypeAway {
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
            TypeChange::RenameTypeAway { id, .. } => vec![hazard(
                AccessExclusiveLock,
                format!(
                    "{id} is rebuilt: every column using it is altered to the new one under an ACCESS EXCLUSIVE lock"
                ),
            )],
            TypeChange::DropAttribute {
                type_name,
                attribute,
                cascade,
            } => {
                let mut out = vec![hazard(
                    DeletesData,
                    format!(
                        "drops attribute {} of type {type_name} and its values",
                        Ident(&attribute.name)
                    ),
                )];
                if *cascade {
                    out.push(hazard(
                        DeletesData,
                        format!(
                            "drops column {} of every table of type {type_name}, and its values",
                            Ident(&attribute.name)
                        ),
                    ));
                }
                out
            }
            TypeChange::AlterAttributeType {
                type_name,
                cascade: true,
                ..
            } => vec![hazard(
                RewritesTable,
                format!(
                    "every table of type {type_name} is rewritten with the attribute's new type"
                ),
            )],
            TypeChange::CreateType(..)
            | TypeChange::DropType(..)
            | TypeChange::AddEnumValue { .. }
            | TypeChange::RenameEnumValue { .. }
            | TypeChange::AddAttribute { .. }
            | TypeChange::AlterAttributeType { cascade: false, .. }
            | TypeChange::DropRetiredType { .. } => Vec::new(),
        }
    }
}

/// The keyword and name of what a rebuild parks: `TYPE`, `DOMAIN` or
/// `COLLATION`, the only kinds gen-diff rebuilds under their own name.
fn parked(id: &ObjectId) -> (&'static str, &QualifiedName) {
    match id.as_type_object() {
        Some(TypeObject::Type(name)) => ("TYPE", name),
        Some(TypeObject::Domain(name)) => ("DOMAIN", name),
        Some(TypeObject::Collation(name)) => ("COLLATION", name),
        Some(TypeObject::DomainConstraint { .. } | TypeObject::Attribute { .. }) | None => {
            unreachable!("a rebuild parks a type, domain or collation, not {id}")
        }
    }
}

/// ` CASCADE` when typed tables take an attribute change.
fn cascade_clause(cascade: bool) -> &'static str {
    if cascade { " CASCADE" } else { "" }
}
