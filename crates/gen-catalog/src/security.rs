//! Row-level security, policies, privileges, default privileges and owners.

use std::collections::BTreeMap;

use gen_model::{
    Acl, DefaultObjects, DefaultPrivileges, Grant, Grantee, ObjectId, Policy, PolicyCommand,
    RowSecurity,
};
use tokio_postgres::Row;

use crate::Builder;

fn grantee(name: Option<String>) -> Grantee {
    name.map_or(Grantee::Public, Grantee::Role)
}

fn grant(r: &Row) -> Grant {
    Grant {
        grantee: grantee(r.get("grantee")),
        privilege: r.get("privilege"),
        grantable: r.get("grantable"),
    }
}

/// Sorts and merges grants: one privilege granted by two grantors, once
/// with and once without grant option, is held with it.
fn normalize(grants: &mut Vec<Grant>) {
    grants.sort();
    grants.dedup_by(|later, earlier| {
        if later.grantee == earlier.grantee && later.privilege == earlier.privilege {
            earlier.grantable |= later.grantable;
            true
        } else {
            false
        }
    });
}

impl Builder {
    /// Row-level security of the tables kept, from the rows of tables.sql.
    pub(crate) fn row_security(&mut self, tables: &[Row]) {
        for r in tables {
            let (enabled, forced): (bool, bool) =
                (r.get("relrowsecurity"), r.get("relforcerowsecurity"));
            if !(enabled || forced) {
                continue;
            }
            let Some(table) = self.tables.get(&r.get::<_, u32>("oid")) else {
                continue;
            };
            self.catalog
                .row_security
                .insert(table.clone(), RowSecurity { enabled, forced });
        }
    }

    pub(crate) fn policies(&mut self, rows: &[Row]) {
        for r in rows {
            let Some(table) = self.tables.get(&r.get::<_, u32>("polrelid")).cloned() else {
                continue;
            };
            let name: String = r.get("polname");
            self.ids.insert(
                ("pg_policy", r.get("oid"), 0),
                ObjectId::Policy {
                    table: table.clone(),
                    name: name.clone(),
                },
            );
            let command = match r.get::<_, String>("command").as_str() {
                "r" => PolicyCommand::Select,
                "a" => PolicyCommand::Insert,
                "w" => PolicyCommand::Update,
                "d" => PolicyCommand::Delete,
                _ => PolicyCommand::All,
            };
            let mut roles: Vec<Grantee> = r
                .get::<_, Vec<Option<String>>>("roles")
                .into_iter()
                .map(grantee)
                .collect();
            roles.sort();
            roles.dedup();
            self.catalog.policies.insert(
                (table.clone(), name.clone()),
                Policy {
                    table,
                    name,
                    permissive: r.get("polpermissive"),
                    command,
                    roles,
                    using: r.get("using_expr"),
                    check: r.get("check_expr"),
                    comment: self.lookup.comment("pg_policy", r.get("oid"), 0),
                },
            );
        }
    }

    /// Comes after every kind has registered its oids, so that grants on
    /// objects of any kind land on their identities.
    pub(crate) fn privileges(&mut self, rows: &[Row]) {
        let mut acls: BTreeMap<ObjectId, Acl> = BTreeMap::new();
        for r in rows {
            let Some(id) = self.resolve(r.get("class"), r.get("objid"), r.get("subid")) else {
                continue;
            };
            // An extension's members stand for the extension in `ids`;
            // their privileges are the extension script's business.
            if !of_its_own(r.get("class"), &id) {
                continue;
            }
            let acl = acls.entry(id).or_default();
            if r.get("initial") {
                acl.initial.push(grant(r));
            } else {
                acl.grants.push(grant(r));
            }
        }
        for acl in acls.values_mut() {
            normalize(&mut acl.grants);
            normalize(&mut acl.initial);
        }
        self.catalog.privileges = acls;
    }

    pub(crate) fn default_privileges(&mut self, rows: &[Row]) {
        let mut found: BTreeMap<ObjectId, DefaultPrivileges> = BTreeMap::new();
        for r in rows {
            let objects = match r.get::<_, String>("objtype").as_str() {
                "r" => DefaultObjects::Tables,
                "S" => DefaultObjects::Sequences,
                "f" => DefaultObjects::Functions,
                "T" => DefaultObjects::Types,
                _ => DefaultObjects::Schemas,
            };
            let role: String = r.get("role");
            let schema: Option<String> = r.get("nspname");
            let id = ObjectId::DefaultPrivileges {
                role: role.clone(),
                schema: schema.clone(),
                objects,
            };
            self.ids
                .insert(("pg_default_acl", r.get("oid"), 0), id.clone());
            let entry = found.entry(id).or_insert_with(|| DefaultPrivileges {
                role,
                schema,
                objects,
                grants: Vec::new(),
                initial: Vec::new(),
            });
            if r.get("initial") {
                entry.initial.push(grant(r));
            } else {
                entry.grants.push(grant(r));
            }
        }
        for d in found.values_mut() {
            normalize(&mut d.grants);
            normalize(&mut d.initial);
        }
        self.catalog.default_privileges = found;
    }

    pub(crate) fn owners(&mut self, rows: &[Row]) {
        for r in rows {
            let Some(id) = self.resolve(r.get("class"), r.get("oid"), 0) else {
                continue;
            };
            if !of_its_own(r.get("class"), &id) {
                continue;
            }
            self.catalog.owners.insert(id, r.get("owner"));
        }
    }

    /// Every policy on its table.
    pub(crate) fn policy_edges(&self) -> Vec<(ObjectId, ObjectId)> {
        let mut edges = Vec::new();
        for p in self.catalog.policies.values() {
            edges.push((
                ObjectId::Policy {
                    table: p.table.clone(),
                    name: p.name.clone(),
                },
                ObjectId::Table {
                    name: p.table.clone(),
                },
            ));
        }
        for (id, d) in &self.catalog.default_privileges {
            if let Some(schema) = &d.schema {
                edges.push((
                    id.clone(),
                    ObjectId::Schema {
                        name: schema.clone(),
                    },
                ));
            }
        }
        edges
    }
}

/// Whether a row read from catalog `class` is about `id` itself. Several
/// oids stand for one object in `ids` so that dependencies land on it: an
/// extension's members, a relation's row type, an array type, a range
/// type's constructors. Their privileges and owners are not the object's,
/// and must not overwrite what the object's own row says.
fn of_its_own(class: &str, id: &ObjectId) -> bool {
    match class {
        "pg_class" => matches!(
            id,
            ObjectId::Table { .. }
                | ObjectId::View { .. }
                | ObjectId::MaterializedView { .. }
                | ObjectId::Sequence { .. }
                | ObjectId::Column { .. }
        ),
        "pg_type" => matches!(id, ObjectId::Type { .. } | ObjectId::Domain { .. }),
        "pg_proc" => matches!(id, ObjectId::Function { .. } | ObjectId::Aggregate { .. }),
        "pg_namespace" => matches!(id, ObjectId::Schema { .. }),
        _ => !matches!(id, ObjectId::Extension { .. }),
    }
}
