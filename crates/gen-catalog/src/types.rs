//! Reading enums, composite types, range types, domains and collations.
//!
//! Every type oid is registered under `pg_type`, and so is its array
//! type's: a column of type `mood[]` depends on `mood[]`'s oid in
//! `pg_depend`, and for planning that is a dependency on `mood`. A
//! composite type's relation is registered under `pg_class`, so that its
//! attributes' dependencies (recorded on the relation) are the type's.

use std::collections::HashMap;

use gen_model::{
    Attribute, Collation, Domain, DomainConstraint, ObjectId, QualifiedName, RangeType, TypeKind,
    UserType,
};
use tokio_postgres::Row;

use crate::Builder;

fn qualified(r: &Row, schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(r.get::<_, String>(schema), r.get::<_, String>(name))
}

impl Builder {
    /// Enum, composite and range types; `columns` holds the composite
    /// types' attributes, ordered by relation.
    pub(crate) fn types(&mut self, rows: &[Row], columns: &[Row]) {
        let mut by_relid: HashMap<u32, Vec<Attribute>> = HashMap::new();
        for r in columns {
            if r.get::<_, &str>("relkind") != "c" {
                continue;
            }
            let relid: u32 = r.get("attrelid");
            by_relid.entry(relid).or_default().push(Attribute {
                name: r.get("attname"),
                data_type: r.get("data_type"),
                collation: r
                    .get::<_, Option<String>>("collation")
                    .map(crate::lookup::qualified_collation),
                comment: self.lookup.comment(
                    "pg_class",
                    relid,
                    i32::from(r.get::<_, i16>("attnum")),
                ),
            });
        }
        for r in rows {
            let name = qualified(r, "nspname", "typname");
            let id = ObjectId::Type { name: name.clone() };
            self.ids.insert(("pg_type", r.get("oid"), 0), id.clone());
            self.ids
                .insert(("pg_type", r.get("typarray"), 0), id.clone());
            let kind = match r.get::<_, String>("kind").as_str() {
                "e" => TypeKind::Enum {
                    values: r.get("enum_values"),
                },
                "c" => {
                    let relid: u32 = r.get("typrelid");
                    self.ids.insert(("pg_class", relid, 0), id.clone());
                    TypeKind::Composite {
                        attributes: by_relid.remove(&relid).unwrap_or_default(),
                    }
                }
                _ => {
                    for oid in ["multirange_oid", "multirange_array"] {
                        if let Some(oid) = r.get::<_, Option<u32>>(oid) {
                            self.ids.insert(("pg_type", oid, 0), id.clone());
                        }
                    }
                    TypeKind::Range(RangeType {
                        subtype: r.get("subtype"),
                        subtype_opclass: r.get("subtype_opclass"),
                        collation: r.get("range_collation"),
                        canonical: r.get("canonical"),
                        subtype_diff: r.get("subtype_diff"),
                        multirange: qualified(r, "multirange_schema", "multirange_name"),
                    })
                }
            };
            self.catalog.types.insert(
                name.clone(),
                UserType {
                    name,
                    kind,
                    comment: r.get("comment"),
                },
            );
        }
    }

    /// Domains and their check constraints.
    pub(crate) fn domains(&mut self, rows: &[Row], constraints: &[Row]) {
        let mut by_oid: HashMap<u32, QualifiedName> = HashMap::new();
        for r in rows {
            let name = qualified(r, "nspname", "typname");
            let id = ObjectId::Domain { name: name.clone() };
            let oid: u32 = r.get("oid");
            self.ids.insert(("pg_type", oid, 0), id.clone());
            self.ids.insert(("pg_type", r.get("typarray"), 0), id);
            by_oid.insert(oid, name.clone());
            self.catalog.domains.insert(
                name.clone(),
                Domain {
                    name,
                    base_type: r.get("base_type"),
                    collation: r.get("collation"),
                    default: r.get("default_expr"),
                    not_null: r.get("typnotnull"),
                    constraints: Default::default(),
                    comment: r.get("comment"),
                },
            );
        }
        for r in constraints {
            let Some(domain) = by_oid.get(&r.get::<_, u32>("contypid")) else {
                continue;
            };
            let name: String = r.get("conname");
            self.ids.insert(
                ("pg_constraint", r.get("oid"), 0),
                ObjectId::DomainConstraint {
                    domain: domain.clone(),
                    constraint: name.clone(),
                },
            );
            if let Some(d) = self.catalog.domains.get_mut(domain) {
                d.constraints.insert(
                    name.clone(),
                    DomainConstraint {
                        name,
                        definition: r.get("definition"),
                        validated: r.get("convalidated"),
                        comment: r.get("comment"),
                    },
                );
            }
        }
    }

    /// Collations.
    pub(crate) fn collations(&mut self, rows: &[Row]) {
        for r in rows {
            let name = qualified(r, "nspname", "collname");
            self.ids.insert(
                ("pg_collation", r.get("oid"), 0),
                ObjectId::Collation { name: name.clone() },
            );
            let provider = match r.get::<_, String>("provider").as_str() {
                "i" => "icu",
                "c" => "libc",
                _ => "default",
            };
            self.catalog.collations.insert(
                name.clone(),
                Collation {
                    name,
                    provider: provider.to_owned(),
                    lc_collate: r.get("collcollate"),
                    lc_ctype: r.get("collctype"),
                    icu_locale: r.get("colliculocale"),
                    deterministic: r.get("collisdeterministic"),
                    comment: r.get("comment"),
                },
            );
        }
    }

    /// Every type, domain, constraint and collation on its schema; each
    /// domain constraint and attribute on its owner.
    pub(crate) fn type_structural_edges(&self, edges: &mut Vec<(ObjectId, ObjectId)>) {
        let schema = |name: &QualifiedName| ObjectId::Schema {
            name: name.schema.clone(),
        };
        for t in self.catalog.types.values() {
            let id = ObjectId::Type {
                name: t.name.clone(),
            };
            edges.push((id.clone(), schema(&t.name)));
            if let TypeKind::Composite { attributes } = &t.kind {
                for a in attributes {
                    edges.push((
                        ObjectId::TypeAttribute {
                            type_name: t.name.clone(),
                            attribute: a.name.clone(),
                        },
                        id.clone(),
                    ));
                }
            }
        }
        for d in self.catalog.domains.values() {
            let id = ObjectId::Domain {
                name: d.name.clone(),
            };
            edges.push((id.clone(), schema(&d.name)));
            for c in d.constraints.keys() {
                edges.push((
                    ObjectId::DomainConstraint {
                        domain: d.name.clone(),
                        constraint: c.clone(),
                    },
                    id.clone(),
                ));
            }
        }
        for c in self.catalog.collations.values() {
            edges.push((
                ObjectId::Collation {
                    name: c.name.clone(),
                },
                schema(&c.name),
            ));
        }
    }
}
