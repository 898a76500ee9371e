//! Types and their rebuilds: the SQL and the hazards of each change.

use std::fmt::Write as _;

use gen_diff::{EnumPosition, TypeChange};
use gen_model::{Catalog, Ident, Literal, ObjectId, TypeKind};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
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
            } => format!(
                "ALTER TYPE {type_name} ADD ATTRIBUTE {};",
                attribute_definition(attribute)
            ),
            TypeChange::DropAttribute {
                type_name,
                attribute,
            } => format!(
                "ALTER TYPE {type_name} DROP ATTRIBUTE {};",
                Ident(&attribute.name)
            ),
            TypeChange::AlterAttributeType {
                type_name,
                attribute,
            } => {
                let mut sql = format!(
                    "ALTER TYPE {type_name} ALTER ATTRIBUTE {} TYPE {}",
                    Ident(&attribute.name),
                    attribute.data_type
                );
                if let Some(c) = &attribute.collation {
                    write!(sql, " COLLATE {c}").expect("writing to a String");
                }
                sql.push(';');
                sql
            }
            #[expect(
                clippy::wildcard_enum_match_arm,
                reason = "a rebuild's id is always a type, domain or collation; it is to become an id of its own type"
            )]
            TypeChange::RenameTypeAway { id, temp, .. } => match id {
                ObjectId::Domain { name } => {
                    format!("ALTER DOMAIN {name} RENAME TO {};", Ident(temp))
                }
                ObjectId::Type { name } => format!("ALTER TYPE {name} RENAME TO {};", Ident(temp)),
                ObjectId::Collation { name } => {
                    format!("ALTER COLLATION {name} RENAME TO {};", Ident(temp))
                }
                other => unreachable!("a rebuild parks a type, domain or collation, not {other}"),
            },
            #[expect(
                clippy::wildcard_enum_match_arm,
                reason = "a rebuild's id is always a type, domain or collation; it is to become an id of its own type"
            )]
            TypeChange::DropRetiredType { id, .. } => match id {
                ObjectId::Domain { name } => format!("DROP DOMAIN {name};"),
                ObjectId::Type { name } => format!("DROP TYPE {name};"),
                ObjectId::Collation { name } => format!("DROP COLLATION {name};"),
                other => unreachable!("a rebuild parks a type, domain or collation, not {other}"),
            },
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
            } => vec![hazard(
                DeletesData,
                format!(
                    "drops attribute {} of type {type_name} and its values",
                    Ident(&attribute.name)
                ),
            )],
            TypeChange::CreateType(..)
            | TypeChange::DropType(..)
            | TypeChange::AddEnumValue { .. }
            | TypeChange::RenameEnumValue { .. }
            | TypeChange::AddAttribute { .. }
            | TypeChange::AlterAttributeType { .. }
            | TypeChange::DropRetiredType { .. } => Vec::new(),
        }
    }
}
