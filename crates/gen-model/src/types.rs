//! User-defined types: enums, composite types, range types, domains, and
//! collations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// `CREATE TYPE name AS ENUM (…)`, `AS (…)` or `AS RANGE (…)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserType {
    /// Qualified type name.
    pub name: QualifiedName,
    /// What kind of type, with its definition.
    pub kind: TypeKind,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// The definition of a user type, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type_kind", rename_all = "snake_case")]
pub enum TypeKind {
    /// `AS ENUM ('a', 'b')`: labels in sort order.
    Enum {
        /// Labels in their sort order.
        values: Vec<String>,
    },
    /// `AS (attr type, …)`: attributes in their physical order.
    Composite {
        /// Attributes in order (dropped ones left out).
        attributes: Vec<Attribute>,
    },
    /// `AS RANGE (SUBTYPE = …)`.
    Range(RangeType),
}

/// One attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// Raw attribute name.
    pub name: String,
    /// Type with modifiers, as `format_type()` writes it.
    pub data_type: String,
    /// Collation, when it differs from the type's default; qualified and quoted.
    pub collation: Option<String>,
    /// `COMMENT ON COLUMN type.attr`.
    pub comment: Option<String>,
}

/// The options of a range type, as the server prints them (qualified).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeType {
    /// `SUBTYPE`, as `format_type()` writes it.
    pub subtype: String,
    /// `SUBTYPE_OPCLASS`, when not the subtype's default.
    pub subtype_opclass: Option<String>,
    /// `COLLATION`, when not the subtype's default.
    pub collation: Option<String>,
    /// `CANONICAL` function.
    pub canonical: Option<String>,
    /// `SUBTYPE_DIFF` function.
    pub subtype_diff: Option<String>,
    /// `MULTIRANGE_TYPE_NAME`.
    pub multirange: QualifiedName,
}

/// `CREATE DOMAIN name AS type [COLLATE c] [DEFAULT e] [NOT NULL] [CONSTRAINT c CHECK (…)]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// Qualified domain name.
    pub name: QualifiedName,
    /// Base type with modifiers, as `format_type()` writes it.
    pub base_type: String,
    /// Collation, when it differs from the base type's default.
    pub collation: Option<String>,
    /// Default expression as `pg_get_expr()` writes it.
    pub default: Option<String>,
    /// `NOT NULL`.
    pub not_null: bool,
    /// The name of that NOT NULL constraint (PostgreSQL 17 on), when it is
    /// not the one the server picks (see [`default_domain_not_null_name`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null_name: Option<String>,
    /// Check constraints by name.
    pub constraints: BTreeMap<String, DomainConstraint>,
    /// `COMMENT ON DOMAIN`.
    pub comment: Option<String>,
}

/// The name PostgreSQL 17 and later give a domain's `NOT NULL` when it is
/// not named: `<domain>_not_null`, the domain's name clipped to fit.
pub fn default_domain_not_null_name(domain: &str) -> String {
    const LABEL: &str = "_not_null";
    let mut n = domain.len().min(63 - LABEL.len());
    while !domain.is_char_boundary(n) {
        n -= 1;
    }
    format!("{}{LABEL}", &domain[..n])
}

/// `ALTER DOMAIN d ADD CONSTRAINT name CHECK (…) [NOT VALID]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainConstraint {
    /// Raw constraint name.
    pub name: String,
    /// Definition as `pg_get_constraintdef()` writes it, `NOT VALID` included.
    pub definition: String,
    /// Whether existing values were checked (`false` for `NOT VALID`).
    pub validated: bool,
    /// `COMMENT ON CONSTRAINT name ON DOMAIN d`.
    pub comment: Option<String>,
}

impl DomainConstraint {
    /// The definition without a trailing `NOT VALID`.
    pub fn definition_without_validity(&self) -> &str {
        self.definition
            .strip_suffix(" NOT VALID")
            .unwrap_or(&self.definition)
    }
}

/// `CREATE COLLATION name (provider = …, locale = …, deterministic = …)`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collation {
    /// Qualified collation name.
    pub name: QualifiedName,
    /// `libc`, `icu` or `builtin` (PostgreSQL 17 on).
    pub provider: String,
    /// `LC_COLLATE` (libc).
    pub lc_collate: Option<String>,
    /// `LC_CTYPE` (libc).
    pub lc_ctype: Option<String>,
    /// `LOCALE` (icu, builtin).
    pub locale: Option<String>,
    /// `RULES` (icu, PostgreSQL 16 on).
    #[serde(default)]
    pub icu_rules: Option<String>,
    /// `DETERMINISTIC`.
    pub deterministic: bool,
    /// `COMMENT ON COLLATION`.
    pub comment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    /// Catalog snapshots are cached as JSON: every kind of type must come
    /// back as it went in.
    #[test]
    fn types_round_trip_through_json() {
        let q = |n: &str| QualifiedName::new("app", n);
        let mut c = Catalog::default();
        let kinds = [
            TypeKind::Enum {
                values: vec!["a".to_owned()],
            },
            TypeKind::Composite {
                attributes: vec![Attribute {
                    name: "x".to_owned(),
                    data_type: "integer".to_owned(),
                    collation: None,
                    comment: Some("across".to_owned()),
                }],
            },
            TypeKind::Range(RangeType {
                subtype: "double precision".to_owned(),
                subtype_opclass: None,
                collation: None,
                canonical: None,
                subtype_diff: Some("float8mi".to_owned()),
                multirange: q("r_multi"),
            }),
        ];
        for (i, kind) in kinds.into_iter().enumerate() {
            let name = q(&format!("t{i}"));
            c.types.insert(
                name.clone(),
                UserType {
                    name,
                    kind,
                    comment: None,
                },
            );
        }
        c.domains.insert(
            q("d"),
            Domain {
                name: q("d"),
                base_type: "text".to_owned(),
                collation: Some("pg_catalog.\"C\"".to_owned()),
                default: None,
                not_null: true,
                not_null_name: None,
                constraints: BTreeMap::from([(
                    "c".to_owned(),
                    DomainConstraint {
                        name: "c".to_owned(),
                        definition: "CHECK ((VALUE <> ''::text))".to_owned(),
                        validated: false,
                        comment: None,
                    },
                )]),
                comment: None,
            },
        );
        c.collations.insert(
            q("ci"),
            Collation {
                name: q("ci"),
                provider: "icu".to_owned(),
                lc_collate: None,
                lc_ctype: None,
                locale: Some("und".to_owned()),
                icu_rules: None,
                deterministic: false,
                comment: None,
            },
        );
        let json = serde_json::to_string(&c).expect("serializes");
        let back: Catalog = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, c);
    }
}

/// An identity of the types family, seen on its own: what code about
/// types, domains and collations matches over, without the other kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeObject<'a> {
    /// An enum, composite, range or base type.
    Type(&'a QualifiedName),
    /// A domain.
    Domain(&'a QualifiedName),
    /// A named check constraint of a domain.
    DomainConstraint {
        /// The domain.
        domain: &'a QualifiedName,
        /// Constraint name.
        constraint: &'a str,
    },
    /// A collation.
    Collation(&'a QualifiedName),
    /// An attribute of a composite type.
    Attribute {
        /// The composite type.
        type_name: &'a QualifiedName,
        /// Attribute name.
        attribute: &'a str,
    },
}

impl ObjectId {
    /// The identity as one of the types family, if it is one.
    pub fn as_type_object(&self) -> Option<TypeObject<'_>> {
        Some(match self {
            ObjectId::Type { name } => TypeObject::Type(name),
            ObjectId::Domain { name } => TypeObject::Domain(name),
            ObjectId::DomainConstraint { domain, constraint } => {
                TypeObject::DomainConstraint { domain, constraint }
            }
            ObjectId::Collation { name } => TypeObject::Collation(name),
            ObjectId::TypeAttribute {
                type_name,
                attribute,
            } => TypeObject::Attribute {
                type_name,
                attribute,
            },
            _ => return None,
        })
    }
}
