//! Row-level security, policies, privileges, default privileges and owners.

use std::collections::{BTreeMap, HashMap};

use crate::rows::{AclRow, DefaultPrivilegeRow, PolicyRow, TableRow};
use crate::{Builder, acl};
use gen_model::{
    Acl, DefaultObjects, DefaultPrivileges, Grant, Grantee, ObjectId, Policy, PolicyCommand,
    RowSecurity,
};

/// The grants of an `aclitem` as the server prints it. The server never
/// prints one that does not read: should it ever, it stands as one grant
/// of the unread text, so that it shows as a difference instead of
/// vanishing.
fn read_aclitem(item: &str) -> Vec<Grant> {
    acl::grants(item).unwrap_or_else(|| {
        vec![Grant {
            grantee: Grantee::Public,
            privilege: format!("unread ACL entry {item}"),
            grantable: false,
        }]
    })
}

fn grantee(name: Option<String>) -> Grantee {
    name.map_or(Grantee::Public, Grantee::Role)
}

fn grant(r: &DefaultPrivilegeRow) -> Grant {
    Grant {
        grantee: grantee(r.grantee.clone()),
        privilege: r.privilege.clone(),
        grantable: r.grantable,
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
    pub(crate) fn row_security(&mut self, tables: &[TableRow]) {
        for r in tables {
            let (enabled, forced) = (r.relrowsecurity, r.relforcerowsecurity);
            if !(enabled || forced) {
                continue;
            }
            let Some(table) = self.tables.get(&r.oid) else {
                continue;
            };
            self.catalog
                .row_security
                .insert(table.clone(), RowSecurity { enabled, forced });
        }
    }

    pub(crate) fn policies(&mut self, rows: &[PolicyRow]) {
        for r in rows {
            let Some(table) = self.tables.get(&r.polrelid).cloned() else {
                continue;
            };
            let name = r.polname.clone();
            self.ids.insert(
                ("pg_policy", r.oid, 0),
                ObjectId::Policy {
                    table: table.clone(),
                    name: name.clone(),
                },
            );
            let command = match r.command.as_str() {
                "r" => PolicyCommand::Select,
                "a" => PolicyCommand::Insert,
                "w" => PolicyCommand::Update,
                "d" => PolicyCommand::Delete,
                _ => PolicyCommand::All,
            };
            let mut roles: Vec<Grantee> = r.roles.iter().cloned().map(grantee).collect();
            roles.sort();
            roles.dedup();
            self.catalog.policies.insert(
                (table.clone(), name.clone()),
                Policy {
                    table,
                    name,
                    permissive: r.polpermissive,
                    command,
                    roles,
                    using: r.using_expr.clone(),
                    check: r.check_expr.clone(),
                    comment: self.lookup.comment("pg_policy", r.oid, 0),
                },
            );
        }
    }

    /// Comes after every kind has registered its oids, so that grants on
    /// objects of any kind land on their identities. `acls` holds each
    /// object's ACL, `defaults` the default privileges in force (the rows
    /// of default_privileges.sql), which say what an object would hold if
    /// its owner created it now.
    pub(crate) fn privileges(&mut self, acls: &[AclRow], defaults: &[DefaultPrivilegeRow]) {
        // Database-wide default privileges replace the built-in default;
        // a schema's add to it. Keyed by role and `defaclobjtype`.
        let mut database_wide: HashMap<(String, String), Vec<Grant>> = HashMap::new();
        let mut in_schema: HashMap<(String, String, String), Vec<Grant>> = HashMap::new();
        for r in defaults {
            let key = (r.role.clone(), r.objtype.clone());
            let grants = match &r.nspname {
                None => database_wide.entry(key).or_default(),
                Some(schema) => in_schema.entry((key.0, schema.clone(), key.1)).or_default(),
            };
            if !r.initial {
                grants.push(grant(r));
            }
        }
        let mut found: BTreeMap<ObjectId, Acl> = BTreeMap::new();
        for r in acls {
            let class = r.class.as_str();
            let identity_sequence = || {
                let name = self.identity_sequences.get(&r.objid)?;
                (class == "pg_class" && r.subid == 0)
                    .then(|| ObjectId::Sequence { name: name.clone() })
            };
            // A view's column has grants of its own; it comes with its view.
            let view_column = (class == "pg_class" && r.subid != 0)
                .then(|| {
                    let view = self.ids.get(&("pg_class", r.objid, 0))?;
                    let column = self.view_attnames.get(&(r.objid, r.subid))?;
                    let name = match view {
                        ObjectId::View { name } | ObjectId::MaterializedView { name } => name,
                        _ => return None,
                    };
                    Some((
                        ObjectId::Column {
                            table: name.clone(),
                            column: column.clone(),
                        },
                        view.clone(),
                    ))
                })
                .flatten();
            if let Some((column, view)) = &view_column {
                self.edges.push((column.clone(), view.clone()));
            }
            let Some(id) = view_column
                .map(|(column, _)| column)
                .or_else(|| self.resolve(class, r.objid, r.subid))
                .or_else(identity_sequence)
            else {
                continue;
            };
            // An extension's members stand for the extension in `ids`;
            // their privileges are the extension script's business.
            if !of_its_own(class, &id) {
                continue;
            }
            let owner = &r.owner;
            let objtype = r.objtype.as_str();
            let held = match &r.acl {
                Some(items) => items.iter().flat_map(|i| read_aclitem(i)).collect(),
                None => acl::public_default(objtype),
            };
            let acl = found.entry(id).or_default();
            acl.grants.extend(held);
            if r.subid == 0 {
                let kind = if objtype == "s" { "S" } else { objtype };
                let key = (owner.clone(), kind.to_owned());
                match database_wide.get(&key) {
                    Some(grants) => acl.initial.extend(grants.iter().cloned()),
                    None => acl.initial.extend(acl::public_default(objtype)),
                }
                let schema = self.lookup.any_schema(r.nsp).unwrap_or_default();
                if let Some(grants) = in_schema.get(&(key.0, schema.to_owned(), key.1)) {
                    acl.initial.extend(grants.iter().cloned());
                }
            }
            // The owner's own privileges are implicit.
            let own = |g: &Grant| g.grantee == Grantee::Role(owner.clone());
            acl.grants.retain(|g| !own(g));
            acl.initial.retain(|g| !own(g));
        }
        // An object without a grant to anyone but its owner has no entry.
        found.retain(|_, acl| !acl.grants.is_empty() || !acl.initial.is_empty());
        for acl in found.values_mut() {
            normalize(&mut acl.grants);
            normalize(&mut acl.initial);
        }
        self.catalog.privileges = found;
    }

    pub(crate) fn default_privileges(&mut self, rows: &[DefaultPrivilegeRow]) {
        let mut found: BTreeMap<ObjectId, DefaultPrivileges> = BTreeMap::new();
        for r in rows {
            let objects = match r.objtype.as_str() {
                "r" => DefaultObjects::Tables,
                "S" => DefaultObjects::Sequences,
                "f" => DefaultObjects::Functions,
                "T" => DefaultObjects::Types,
                _ => DefaultObjects::Schemas,
            };
            let role = r.role.clone();
            let schema = r.nspname.clone();
            let id = ObjectId::DefaultPrivileges {
                role: role.clone(),
                schema: schema.clone(),
                objects,
            };
            self.ids.insert(("pg_default_acl", r.oid, 0), id.clone());
            let entry = found.entry(id).or_insert_with(|| DefaultPrivileges {
                role,
                schema,
                objects,
                grants: Vec::new(),
                initial: Vec::new(),
            });
            if r.initial {
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

    /// The owner of each object kept, from the rows of acls.sql.
    pub(crate) fn owners(&mut self, acls: &[AclRow]) {
        for r in acls {
            if r.subid != 0 {
                continue;
            }
            let Some(id) = self.resolve(&r.class, r.objid, 0) else {
                continue;
            };
            if !of_its_own(&r.class, &id) {
                continue;
            }
            self.catalog.owners.insert(id, r.owner.clone());
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
                | ObjectId::ForeignTable { .. }
                | ObjectId::Statistics { .. }
                | ObjectId::Operator { .. }
        ),
        "pg_type" => matches!(id, ObjectId::Type { .. } | ObjectId::Domain { .. }),
        "pg_proc" => matches!(id, ObjectId::Function { .. } | ObjectId::Aggregate { .. }),
        "pg_namespace" => matches!(id, ObjectId::Schema { .. }),
        _ => !matches!(id, ObjectId::Extension { .. }),
    }
}
