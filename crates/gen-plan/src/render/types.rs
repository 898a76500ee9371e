//! SQL for types, domains and collations.

use gen_diff::{CollationChange, DomainChange, TypeChange};
use std::fmt::Write as _;

use gen_diff::{Change, EnumPosition};
use gen_model::{Attribute, Collation, Domain, Ident, Literal, ObjectId, TypeKind, UserType};

/// The statement for a change of this group, or `None` for other changes.
pub(crate) fn render(change: &Change) -> Option<String> {
    Some(match change {
        Change::Type(TypeChange::CreateType(t)) => create_type(t),
        Change::Type(TypeChange::DropType(t)) => format!("DROP TYPE {};", t.name),
        Change::Type(TypeChange::AddEnumValue {
            name,
            value,
            position,
        }) => {
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
        Change::Type(TypeChange::RenameEnumValue { name, from, to }) => format!(
            "ALTER TYPE {name} RENAME VALUE {} TO {};",
            Literal(from),
            Literal(to)
        ),
        Change::Type(TypeChange::AddAttribute {
            type_name,
            attribute,
        }) => format!(
            "ALTER TYPE {type_name} ADD ATTRIBUTE {};",
            attribute_definition(attribute)
        ),
        Change::Type(TypeChange::DropAttribute {
            type_name,
            attribute,
        }) => format!(
            "ALTER TYPE {type_name} DROP ATTRIBUTE {};",
            Ident(&attribute.name)
        ),
        Change::Type(TypeChange::AlterAttributeType {
            type_name,
            attribute,
        }) => {
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
        Change::Domain(DomainChange::CreateDomain(d)) => create_domain(d),
        Change::Domain(DomainChange::DropDomain(d)) => format!("DROP DOMAIN {};", d.name),
        Change::Domain(DomainChange::SetDomainDefault { name, default }) => match default {
            Some(d) => format!("ALTER DOMAIN {name} SET DEFAULT {d};"),
            None => format!("ALTER DOMAIN {name} DROP DEFAULT;"),
        },
        Change::Domain(DomainChange::SetDomainNotNull { name, not_null }) => format!(
            "ALTER DOMAIN {name} {} NOT NULL;",
            if *not_null { "SET" } else { "DROP" }
        ),
        Change::Domain(DomainChange::AddDomainConstraint { domain, constraint }) => format!(
            "ALTER DOMAIN {domain} ADD CONSTRAINT {} {};",
            Ident(&constraint.name),
            constraint.definition
        ),
        Change::Domain(DomainChange::DropDomainConstraint { domain, constraint }) => format!(
            "ALTER DOMAIN {domain} DROP CONSTRAINT {};",
            Ident(&constraint.name)
        ),
        Change::Domain(DomainChange::ValidateDomainConstraint { domain, name }) => {
            format!("ALTER DOMAIN {domain} VALIDATE CONSTRAINT {};", Ident(name))
        }
        Change::Domain(DomainChange::RenameDomainConstraint { domain, from, to }) => format!(
            "ALTER DOMAIN {domain} RENAME CONSTRAINT {} TO {};",
            Ident(from),
            Ident(to)
        ),
        Change::Collation(CollationChange::CreateCollation(c)) => create_collation(c),
        Change::Collation(CollationChange::DropCollation(c)) => {
            format!("DROP COLLATION {};", c.name)
        }
        Change::Type(TypeChange::RenameTypeAway { id, temp, .. }) => match id {
            ObjectId::Domain { name } => format!("ALTER DOMAIN {name} RENAME TO {};", Ident(temp)),
            ObjectId::Type { name } => format!("ALTER TYPE {name} RENAME TO {};", Ident(temp)),
            ObjectId::Collation { name } => {
                format!("ALTER COLLATION {name} RENAME TO {};", Ident(temp))
            }
            _ => return None,
        },
        Change::Type(TypeChange::DropRetiredType { id, .. }) => match id {
            ObjectId::Domain { name } => format!("DROP DOMAIN {name};"),
            ObjectId::Type { name } => format!("DROP TYPE {name};"),
            ObjectId::Collation { name } => format!("DROP COLLATION {name};"),
            _ => return None,
        },
        _ => return None,
    })
}

/// What `COMMENT ON` says for objects of this group.
pub(crate) fn comment_target(id: &ObjectId) -> Option<String> {
    Some(match id {
        ObjectId::Type { name } => format!("TYPE {name}"),
        ObjectId::Domain { name } => format!("DOMAIN {name}"),
        ObjectId::DomainConstraint { domain, constraint } => {
            format!("CONSTRAINT {} ON DOMAIN {domain}", Ident(constraint))
        }
        ObjectId::Collation { name } => format!("COLLATION {name}"),
        ObjectId::TypeAttribute {
            type_name,
            attribute,
        } => format!("COLUMN {type_name}.{}", Ident(attribute)),
        _ => return None,
    })
}

fn attribute_definition(a: &Attribute) -> String {
    let mut sql = format!("{} {}", Ident(&a.name), a.data_type);
    if let Some(c) = &a.collation {
        write!(sql, " COLLATE {c}").expect("writing to a String");
    }
    sql
}

fn create_type(t: &UserType) -> String {
    match &t.kind {
        TypeKind::Enum { values } => {
            let labels: Vec<String> = values.iter().map(|v| Literal(v).to_string()).collect();
            if labels.is_empty() {
                format!("CREATE TYPE {} AS ENUM ();", t.name)
            } else {
                format!(
                    "CREATE TYPE {} AS ENUM (\n    {}\n);",
                    t.name,
                    labels.join(",\n    ")
                )
            }
        }
        TypeKind::Composite { attributes } => {
            if attributes.is_empty() {
                return format!("CREATE TYPE {} AS ();", t.name);
            }
            let lines: Vec<String> = attributes.iter().map(attribute_definition).collect();
            format!(
                "CREATE TYPE {} AS (\n    {}\n);",
                t.name,
                lines.join(",\n    ")
            )
        }
        TypeKind::Range(r) => {
            let mut options = vec![format!("SUBTYPE = {}", r.subtype)];
            if let Some(o) = &r.subtype_opclass {
                options.push(format!("SUBTYPE_OPCLASS = {o}"));
            }
            if let Some(c) = &r.collation {
                options.push(format!("COLLATION = {c}"));
            }
            if let Some(f) = &r.canonical {
                options.push(format!("CANONICAL = {f}"));
            }
            if let Some(f) = &r.subtype_diff {
                options.push(format!("SUBTYPE_DIFF = {f}"));
            }
            options.push(format!("MULTIRANGE_TYPE_NAME = {}", r.multirange));
            format!(
                "CREATE TYPE {} AS RANGE (\n    {}\n);",
                t.name,
                options.join(",\n    ")
            )
        }
    }
}

fn create_domain(d: &Domain) -> String {
    let mut sql = format!("CREATE DOMAIN {} AS {}", d.name, d.base_type);
    if let Some(c) = &d.collation {
        write!(sql, " COLLATE {c}").expect("writing to a String");
    }
    if let Some(e) = &d.default {
        write!(sql, " DEFAULT {e}").expect("writing to a String");
    }
    if d.not_null {
        sql.push_str(" NOT NULL");
    }
    for c in d.constraints.values() {
        write!(sql, "\n    CONSTRAINT {} {}", Ident(&c.name), c.definition)
            .expect("writing to a String");
    }
    sql.push(';');
    sql
}

fn create_collation(c: &Collation) -> String {
    let mut options = vec![format!("provider = {}", c.provider)];
    match c.provider.as_str() {
        "icu" => {
            if let Some(l) = &c.icu_locale {
                options.push(format!("locale = {}", Literal(l)));
            }
        }
        _ => match (&c.lc_collate, &c.lc_ctype) {
            (Some(a), Some(b)) if a == b => options.push(format!("locale = {}", Literal(a))),
            (a, b) => {
                if let Some(a) = a {
                    options.push(format!("lc_collate = {}", Literal(a)));
                }
                if let Some(b) = b {
                    options.push(format!("lc_ctype = {}", Literal(b)));
                }
            }
        },
    }
    if !c.deterministic {
        options.push("deterministic = false".to_owned());
    }
    format!("CREATE COLLATION {} ({});", c.name, options.join(", "))
}
