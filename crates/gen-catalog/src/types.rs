//! Reading enums, composite types, range types, domains and collations.
//!
//! Every type oid is registered under `pg_type`, and so is its array
//! type's: a column of type `mood[]` depends on `mood[]`'s oid in
//! `pg_depend`, and for planning that is a dependency on `mood`. A
//! composite type's relation is registered under `pg_class`, so that its
//! attributes' dependencies (recorded on the relation) are the type's.

use std::collections::HashMap;

use crate::Builder;
use crate::rows::{
    CollationRow, ColumnRow, DomainConstraintRow, DomainRow, EnumRow, RangeRow, TypeRow,
};
use gen_model::{
    Collation, Domain, DomainConstraint, ObjectId, QualifiedName, RangeType, TypeKind, UserType,
};

impl Builder {
    /// Enum, composite and range types, with the labels of `enums`, the
    /// settings of `ranges` and the composite types' attributes among
    /// `columns`.
    pub(crate) fn types(
        &mut self,
        rows: &[TypeRow],
        enums: &[EnumRow],
        ranges: &[RangeRow],
        columns: &[ColumnRow],
    ) {
        let mut by_relid = self.attributes(columns, &["c"], |a| a);
        let mut labels: HashMap<u32, Vec<String>> = HashMap::new();
        for r in enums {
            labels
                .entry(r.enumtypid)
                .or_default()
                .push(r.enumlabel.clone());
        }
        let ranges: HashMap<u32, &RangeRow> = ranges.iter().map(|r| (r.rngtypid, r)).collect();
        // Multiranges are named from these rows whether or not they are kept.
        let multiranges: HashMap<u32, (QualifiedName, u32)> = rows
            .iter()
            .filter(|r| r.kind == "m")
            .filter_map(|r| {
                let schema = self.lookup.any_schema(r.typnamespace)?;
                let name = QualifiedName::new(schema, r.typname.clone());
                Some((r.oid, (name, r.typarray)))
            })
            .collect();
        for r in rows {
            let oid = r.oid;
            let kind = r.kind.as_str();
            if kind == "m" {
                continue;
            }
            let Some(schema) = self.lookup.owned("pg_type", oid, r.typnamespace) else {
                continue;
            };
            let name = QualifiedName::new(schema, r.typname.clone());
            let id = ObjectId::Type { name: name.clone() };
            self.ids.insert(("pg_type", oid, 0), id.clone());
            self.ids.insert(("pg_type", r.typarray, 0), id.clone());
            let kind = match kind {
                "e" => TypeKind::Enum {
                    values: labels.remove(&oid).unwrap_or_default(),
                },
                "c" => {
                    let relid = r.typrelid;
                    self.ids.insert(("pg_class", relid, 0), id.clone());
                    TypeKind::Composite {
                        attributes: by_relid.remove(&relid).unwrap_or_default(),
                    }
                }
                _ => {
                    let Some(range) = ranges.get(&oid) else {
                        continue;
                    };
                    let multirange_oid = range.multirange_oid;
                    let (multirange, array) = multiranges
                        .get(&multirange_oid)
                        .expect("a range type's multirange is read with it");
                    self.ids.insert(("pg_type", multirange_oid, 0), id.clone());
                    self.ids.insert(("pg_type", *array, 0), id.clone());
                    TypeKind::Range(RangeType {
                        subtype: range.subtype.clone(),
                        subtype_opclass: range.subtype_opclass.clone(),
                        collation: crate::lookup::collation(&range.range_collation),
                        canonical: range.canonical.clone(),
                        subtype_diff: range.subtype_diff.clone(),
                        multirange: multirange.clone(),
                    })
                }
            };
            self.catalog.types.insert(
                name.clone(),
                UserType {
                    name,
                    kind,
                    comment: self.lookup.comment("pg_type", oid, 0),
                },
            );
        }
    }

    /// Domains and their check constraints.
    pub(crate) fn domains(&mut self, rows: &[DomainRow], constraints: &[DomainConstraintRow]) {
        let mut by_oid: HashMap<u32, QualifiedName> = HashMap::new();
        for r in rows {
            let oid = r.oid;
            let Some(schema) = self.lookup.owned("pg_type", oid, r.typnamespace) else {
                continue;
            };
            let name = QualifiedName::new(schema, r.typname.clone());
            let id = ObjectId::Domain { name: name.clone() };
            self.ids.insert(("pg_type", oid, 0), id.clone());
            self.ids.insert(("pg_type", r.typarray, 0), id);
            by_oid.insert(oid, name.clone());
            self.catalog.domains.insert(
                name.clone(),
                Domain {
                    name,
                    base_type: r.base_type.clone(),
                    collation: crate::lookup::collation(&r.collation),
                    default: r.default_expr.clone(),
                    not_null: r.typnotnull,
                    not_null_name: r.not_null_name.clone(),
                    constraints: Default::default(),
                    comment: self.lookup.comment("pg_type", oid, 0),
                },
            );
        }
        for r in constraints {
            let Some(domain) = by_oid.get(&r.contypid) else {
                continue;
            };
            let name = r.conname.clone();
            let oid = r.oid;
            self.ids.insert(
                ("pg_constraint", oid, 0),
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
                        definition: r.definition.clone(),
                        validated: r.convalidated,
                        comment: self.lookup.comment("pg_constraint", oid, 0),
                    },
                );
            }
        }
    }

    /// Collations.
    pub(crate) fn collations(&mut self, rows: &[CollationRow]) {
        for r in rows {
            let oid = r.oid;
            let Some(schema) = self.lookup.owned("pg_collation", oid, r.collnamespace) else {
                continue;
            };
            let name = QualifiedName::new(schema, r.collname.clone());
            self.ids.insert(
                ("pg_collation", oid, 0),
                ObjectId::Collation { name: name.clone() },
            );
            let provider = match r.provider.as_str() {
                "i" => "icu",
                "c" => "libc",
                "b" => "builtin",
                _ => "default",
            };
            self.catalog.collations.insert(
                name.clone(),
                Collation {
                    name,
                    provider: provider.to_owned(),
                    lc_collate: r.collcollate.clone(),
                    lc_ctype: r.collctype.clone(),
                    locale: r.locale.clone(),
                    icu_rules: r.icu_rules.clone(),
                    deterministic: r.collisdeterministic,
                    comment: self.lookup.comment("pg_collation", oid, 0),
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
