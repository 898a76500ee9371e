//! Operator families and classes, with their members.

use std::collections::BTreeMap;

use gen_model::{ObjectId, OperatorClass, OperatorFamily, OperatorMember, QualifiedName};

use crate::Builder;
use crate::rows::{OperatorClassRow, OperatorFamilyRow, OperatorMemberRow};

impl Builder {
    /// Every family and class in an application schema, but an
    /// extension's, each with its members. A member stands for the class
    /// it came with, or its family, in dependencies: so a class comes
    /// after the operators and functions it is made of.
    pub(crate) fn operator_classes(
        &mut self,
        families: &[OperatorFamilyRow],
        classes: &[OperatorClassRow],
        members: &[OperatorMemberRow],
    ) {
        let mut family_ids: BTreeMap<u32, (QualifiedName, String)> = BTreeMap::new();
        for r in families {
            let Some(schema) = self.lookup.owned("pg_opfamily", r.oid, r.nsp) else {
                continue;
            };
            let f = OperatorFamily {
                name: QualifiedName::new(schema, r.opfname.clone()),
                method: r.method.clone(),
                members: Vec::new(),
                comment: self.lookup.comment("pg_opfamily", r.oid, 0),
            };
            self.ids.insert(("pg_opfamily", r.oid, 0), f.id());
            self.catalog.owners.insert(f.id(), r.owner.clone());
            let key = (f.name.clone(), f.method.clone());
            family_ids.insert(r.oid, key.clone());
            self.catalog.operator_families.insert(key, f);
        }
        let mut class_ids: BTreeMap<u32, (QualifiedName, String)> = BTreeMap::new();
        for r in classes {
            let Some(schema) = self.lookup.owned("pg_opclass", r.oid, r.nsp) else {
                continue;
            };
            let c = OperatorClass {
                name: QualifiedName::new(schema, r.opcname.clone()),
                method: r.method.clone(),
                for_type: r.for_type.clone(),
                default: r.is_default,
                family: QualifiedName::new(r.family_schema.clone(), r.family_name.clone()),
                storage: r.storage.clone(),
                members: Vec::new(),
                comment: self.lookup.comment("pg_opclass", r.oid, 0),
            };
            self.ids.insert(("pg_opclass", r.oid, 0), c.id());
            self.catalog.owners.insert(c.id(), r.owner.clone());
            let key = (c.name.clone(), c.method.clone());
            class_ids.insert(r.oid, key.clone());
            self.catalog.operator_classes.insert(key, c);
        }
        for r in members {
            let member = if r.class == "pg_amop" {
                OperatorMember::Operator {
                    strategy: r.number,
                    operator: r.member.clone(),
                    order_by: r.order_by.clone(),
                }
            } else {
                OperatorMember::Function {
                    number: r.number,
                    left: r.left_type.clone().unwrap_or_default(),
                    right: r.right_type.clone().unwrap_or_default(),
                    function: r.member.clone(),
                }
            };
            let class: &'static str = if r.class == "pg_amop" {
                "pg_amop"
            } else {
                "pg_amproc"
            };
            if let Some(key) = class_ids.get(&r.opclass) {
                let c = self
                    .catalog
                    .operator_classes
                    .get_mut(key)
                    .expect("a class read above");
                c.members.push(member);
                let id = c.id();
                self.ids.insert((class, r.oid, 0), id);
            } else if let Some(key) = family_ids.get(&r.family) {
                let f = self
                    .catalog
                    .operator_families
                    .get_mut(key)
                    .expect("a family read above");
                f.members.push(member);
                let id = f.id();
                self.ids.insert((class, r.oid, 0), id);
            }
        }
        for c in self.catalog.operator_classes.values_mut() {
            c.members.sort();
        }
        for f in self.catalog.operator_families.values_mut() {
            f.members.sort();
        }
    }

    /// Each family and class on its schema, and each class on its family.
    pub(crate) fn operator_class_edges(&self) -> Vec<(ObjectId, ObjectId)> {
        let mut edges = Vec::new();
        for f in self.catalog.operator_families.values() {
            edges.push((
                f.id(),
                ObjectId::Schema {
                    name: f.name.schema.clone(),
                },
            ));
        }
        for c in self.catalog.operator_classes.values() {
            edges.push((
                c.id(),
                ObjectId::Schema {
                    name: c.name.schema.clone(),
                },
            ));
            edges.push((
                c.id(),
                ObjectId::OperatorFamily {
                    name: c.family.clone(),
                    method: c.method.clone(),
                },
            ));
        }
        edges
    }
}
