//! SQL for types, domains and collations.

use std::fmt::Write as _;

use gen_model::{Attribute, Collation, Domain, Ident, Literal, TypeKind, TypeObject, UserType};

/// What `COMMENT ON` says for objects of this group.
pub(crate) fn comment_target(id: TypeObject<'_>) -> String {
    match id {
        TypeObject::Type(name) => format!("TYPE {name}"),
        TypeObject::Domain(name) => format!("DOMAIN {name}"),
        TypeObject::DomainConstraint { domain, constraint } => {
            format!("CONSTRAINT {} ON DOMAIN {domain}", Ident(constraint))
        }
        TypeObject::Collation(name) => format!("COLLATION {name}"),
        TypeObject::Attribute {
            type_name,
            attribute,
        } => format!("COLUMN {type_name}.{}", Ident(attribute)),
    }
}

pub(crate) fn attribute_definition(a: &Attribute) -> String {
    let mut sql = format!("{} {}", Ident(&a.name), a.data_type);
    if let Some(c) = &a.collation {
        write!(sql, " COLLATE {c}").expect("writing to a String");
    }
    sql
}

pub(crate) fn create_type(t: &UserType) -> String {
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

pub(crate) fn create_domain(d: &Domain) -> String {
    let mut sql = format!("CREATE DOMAIN {} AS {}", d.name, d.base_type);
    if let Some(c) = &d.collation {
        write!(sql, " COLLATE {c}").expect("writing to a String");
    }
    if let Some(e) = &d.default {
        write!(sql, " DEFAULT {e}").expect("writing to a String");
    }
    if d.not_null {
        if let Some(name) = &d.not_null_name {
            write!(sql, " CONSTRAINT {}", Ident(name)).expect("writing to a String");
        }
        sql.push_str(" NOT NULL");
    }
    for c in d.constraints.values() {
        write!(sql, "\n    CONSTRAINT {} {}", Ident(&c.name), c.definition)
            .expect("writing to a String");
    }
    sql.push(';');
    sql
}

pub(crate) fn create_collation(c: &Collation) -> String {
    let mut options = vec![format!("provider = {}", c.provider)];
    match c.provider.as_str() {
        "icu" | "builtin" => {
            if let Some(l) = &c.locale {
                options.push(format!("locale = {}", Literal(l)));
            }
            if let Some(r) = &c.icu_rules {
                options.push(format!("rules = {}", Literal(r)));
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
