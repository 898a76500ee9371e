//! Verify checks and definitions for types, domains and collations.

use gen_diff::{Change, CollationChange, CommentChange, DomainChange, TypeChange};
use gen_model::{Catalog, Literal, ObjectId, QualifiedName, TypeKind, TypeObject};

fn regtype(name: &QualifiedName) -> String {
    format!("to_regtype({})", Literal(&name.to_string()))
}

/// A condition true when an object of this group exists at all.
pub(crate) fn exists_condition(id: TypeObject<'_>) -> String {
    match id {
        TypeObject::Type(name) => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE oid = {} AND typtype <> 'd')",
            regtype(name)
        ),
        TypeObject::Domain(name) => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE oid = {} AND typtype = 'd')",
            regtype(name)
        ),
        TypeObject::DomainConstraint { domain, constraint } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE contypid = {} AND conname = {})",
            regtype(domain),
            Literal(constraint)
        ),
        TypeObject::Collation(name) => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace WHERE n.nspname = {} AND c.collname = {})",
            Literal(&name.schema),
            Literal(&name.name)
        ),
        TypeObject::Attribute {
            type_name,
            attribute,
        } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.typrelid = a.attrelid WHERE t.oid = {} AND a.attname = {} AND NOT a.attisdropped)",
            regtype(type_name),
            Literal(attribute)
        ),
    }
}

/// For enums, a condition true unless the labels are exactly those of
/// `target`, in order; for composite attributes, unless the type matches.
pub(crate) fn shape_mismatch(id: TypeObject<'_>, target: &Catalog) -> Option<(String, String)> {
    match id {
        TypeObject::Type(name) => {
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
                format!("not labelled exactly {} in this order", labels.join(", ")),
            ))
        }
        TypeObject::Attribute {
            type_name,
            attribute,
        } => {
            let TypeKind::Composite { attributes } = &target.types.get(type_name)?.kind else {
                return None;
            };
            let a = attributes.iter().find(|a| a.name == attribute)?;
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
        // Only enum labels and attribute types are compared; other kinds
        // are checked by existing alone.
        TypeObject::Domain(_) | TypeObject::DomainConstraint { .. } | TypeObject::Collation(_) => {
            None
        }
    }
}

/// The changes that create a top-level object of this group, comments
/// included; none for a part.
pub(crate) fn definition(catalog: &Catalog, id: TypeObject<'_>) -> Vec<Change> {
    let mut out = Vec::new();
    let comment = |target: ObjectId, comment: &Option<String>, out: &mut Vec<Change>| {
        if comment.is_some() {
            out.push(Change::Comment(CommentChange::Comment {
                target,
                comment: comment.clone(),
            }));
        }
    };
    match id {
        TypeObject::Type(name) => {
            if let Some(t) = catalog.types.get(name) {
                out.push(Change::Type(TypeChange::CreateType(t.clone())));
                comment(ObjectId::Type { name: name.clone() }, &t.comment, &mut out);
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
        TypeObject::Domain(name) => {
            if let Some(d) = catalog.domains.get(name) {
                out.push(Change::Domain(DomainChange::CreateDomain(d.clone())));
                comment(
                    ObjectId::Domain { name: name.clone() },
                    &d.comment,
                    &mut out,
                );
                for c in d.constraints.values() {
                    let target = ObjectId::DomainConstraint {
                        domain: name.clone(),
                        constraint: c.name.clone(),
                    };
                    comment(target, &c.comment, &mut out);
                }
            }
        }
        TypeObject::Collation(name) => {
            if let Some(c) = catalog.collations.get(name) {
                out.push(Change::Collation(CollationChange::CreateCollation(
                    c.clone(),
                )));
                comment(
                    ObjectId::Collation { name: name.clone() },
                    &c.comment,
                    &mut out,
                );
            }
        }
        // Parts: their type or domain is defined whole.
        TypeObject::DomainConstraint { .. } | TypeObject::Attribute { .. } => {}
    }
    out
}

/// The object a reader thinks of for a part: a domain constraint's
/// domain, an attribute's type.
pub(crate) fn top_level(id: TypeObject<'_>) -> Option<ObjectId> {
    match id {
        TypeObject::DomainConstraint { domain, .. } => Some(ObjectId::Domain {
            name: domain.clone(),
        }),
        TypeObject::Attribute { type_name, .. } => Some(ObjectId::Type {
            name: type_name.clone(),
        }),
        // Top-level already.
        TypeObject::Type(_) | TypeObject::Domain(_) | TypeObject::Collation(_) => None,
    }
}

#[cfg(test)]
mod tests {
    //! Order, SQL, hazards and verify checks of types, domains and
    //! collations, from catalogs written in code.

    use gen_model::Collation;
    use gen_test_support::{col, domain, enum_type, table};

    use super::*;
    use crate::hazard::HazardKind;
    use crate::tests::checked::{plan, verify};

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    /// Enum `mood`, a domain `happy` over it, and table `t` with a column
    /// of each, with the edges the server records.
    fn catalog(values: &[&str]) -> Catalog {
        let mut c = Catalog::default();
        c.types.insert(q("mood"), enum_type(q("mood"), values));
        c.domains
            .insert(q("happy"), domain(q("happy"), "public.mood"));
        c.tables.insert(
            q("t"),
            table(
                q("t"),
                vec![col("m", "public.mood"), col("h", "public.happy")],
            ),
        );
        let mood_id = ObjectId::Type { name: q("mood") };
        let happy_id = ObjectId::Domain { name: q("happy") };
        let column = |c: &str| ObjectId::Column {
            table: q("t"),
            column: c.to_owned(),
        };
        c.depends.insert((column("m"), mood_id.clone()));
        c.depends.insert((column("h"), happy_id.clone()));
        c.depends.insert((happy_id, mood_id));
        for name in ["m", "h"] {
            c.depends
                .insert((column(name), ObjectId::Table { name: q("t") }));
        }
        c
    }

    #[test]
    fn a_removed_label_rebuilds_enum_and_domain_and_drops_the_old_ones_last() {
        let old = catalog(&["a", "b"]);
        let new = catalog(&["a"]);
        let p = plan(&old, &new).expect("orderable");
        insta::assert_snapshot!(p.sql(), @r"
        ALTER DOMAIN public.happy RENAME TO happy_old;

        ALTER TYPE public.mood RENAME TO mood_old;

        CREATE TYPE public.mood AS ENUM (
            'a'
        );

        ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood;

        CREATE DOMAIN public.happy AS public.mood;

        ALTER TABLE public.t ALTER COLUMN h TYPE public.happy USING h::text::public.happy;

        DROP DOMAIN public.happy_old;

        DROP TYPE public.mood_old;
        ");
        let deletes: Vec<&str> = p
            .hazards()
            .filter(|(_, h)| h.kind == HazardKind::DeletesData)
            .map(|(_, h)| h.message.as_str())
            .collect();
        assert_eq!(
            deletes,
            [
                "type public.mood loses 'b': moving a column that holds one to the new type fails, and the label cannot come back with its rows' meaning"
            ]
        );
    }

    #[test]
    fn verify_checks_enum_labels_in_order_and_parked_types_gone() {
        let old = catalog(&["a", "b"]);
        let new = catalog(&["a"]);
        let p = plan(&old, &new).expect("orderable");
        let checks = verify::checks(&p, &new).join("\n");
        assert!(checks.contains("IS DISTINCT FROM ARRAY['a']::text[]"));
        assert!(checks.contains("to_regtype('public.mood_old')"));
        assert!(checks.contains("type public.mood_old should be gone"));
    }

    #[test]
    fn collations_render_by_provider() {
        let mut new = Catalog::default();
        let collation = |name: &str, provider: &str, libc: Option<(&str, &str)>| Collation {
            name: q(name),
            provider: provider.to_owned(),
            lc_collate: libc.map(|l| l.0.to_owned()),
            lc_ctype: libc.map(|l| l.1.to_owned()),
            locale: (provider == "icu").then(|| "und-u-ks-level2".to_owned()),
            icu_rules: None,
            deterministic: provider != "icu",
            comment: None,
        };
        // PostgreSQL 16's ICU rules and 17's builtin provider.
        let ruled = Collation {
            icu_rules: Some("&a < b".to_owned()),
            ..collation("ruled", "icu", None)
        };
        let fast = Collation {
            locale: Some("C.UTF-8".to_owned()),
            ..collation("fast", "builtin", None)
        };
        for c in [
            collation("ci", "icu", None),
            collation("same", "libc", Some(("C", "C"))),
            collation("split", "libc", Some(("C", "POSIX"))),
            ruled,
            fast,
        ] {
            new.collations.insert(c.name.clone(), c);
        }
        let p = plan(&Catalog::default(), &new).expect("orderable");
        insta::assert_snapshot!(p.sql(), @r"
        CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

        CREATE COLLATION public.fast (provider = builtin, locale = 'C.UTF-8');

        CREATE COLLATION public.ruled (provider = icu, locale = 'und-u-ks-level2', rules = '&a < b', deterministic = false);

        CREATE COLLATION public.same (provider = libc, locale = 'C');

        CREATE COLLATION public.split (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
        ");
    }
}
