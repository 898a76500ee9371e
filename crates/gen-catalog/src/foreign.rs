//! Foreign data wrappers, servers, user mappings and foreign tables.
//!
//! Option values whose names say they are secrets are forgotten as they
//! are read ([`FdwOption::from_stored`]): a catalog, and so a cache, a
//! plan, a report or an error, never holds one.

use std::collections::HashMap;

use gen_model::{
    FdwOption, ForeignColumn, ForeignDataWrapper, ForeignServer, ForeignTable, ObjectId,
    QualifiedName, UserMapping,
};

use crate::Builder;
use crate::lookup::collation;
use crate::rows::{
    ForeignColumnRow, ForeignDataWrapperRow, ForeignServerRow, ForeignTableRow, UserMappingRow,
};

fn options(stored: &[String]) -> Vec<FdwOption> {
    stored.iter().map(|o| FdwOption::from_stored(o)).collect()
}

impl Builder {
    /// Every wrapper but an extension's (`file_fdw`, `postgres_fdw` make
    /// their own), every server and every user mapping.
    pub(crate) fn foreign_data(
        &mut self,
        wrappers: &[ForeignDataWrapperRow],
        servers: &[ForeignServerRow],
        mappings: &[UserMappingRow],
    ) {
        for r in wrappers {
            if self.lookup.member("pg_foreign_data_wrapper", r.oid) {
                continue;
            }
            let w = ForeignDataWrapper {
                name: r.fdwname.clone(),
                handler: r.handler.clone(),
                validator: r.validator.clone(),
                options: options(&r.options),
                comment: self.lookup.comment("pg_foreign_data_wrapper", r.oid, 0),
            };
            self.ids
                .insert(("pg_foreign_data_wrapper", r.oid, 0), w.id());
            self.catalog.owners.insert(w.id(), r.owner.clone());
            self.catalog.foreign_data_wrappers.insert(w.name.clone(), w);
        }
        for r in servers {
            if self.lookup.member("pg_foreign_server", r.oid) {
                continue;
            }
            let s = ForeignServer {
                name: r.srvname.clone(),
                wrapper: r.wrapper.clone(),
                server_type: r.server_type.clone(),
                version: r.version.clone(),
                options: options(&r.options),
                comment: self.lookup.comment("pg_foreign_server", r.oid, 0),
            };
            self.ids.insert(("pg_foreign_server", r.oid, 0), s.id());
            self.catalog.owners.insert(s.id(), r.owner.clone());
            self.catalog.foreign_servers.insert(s.name.clone(), s);
        }
        for r in mappings {
            if !self.catalog.foreign_servers.contains_key(&r.server) {
                continue;
            }
            let m = UserMapping {
                server: r.server.clone(),
                user: r.username.clone(),
                options: options(&r.options),
            };
            self.ids.insert(("pg_user_mapping", r.oid, 0), m.id());
            self.catalog
                .user_mappings
                .insert((m.server.clone(), m.user.clone()), m);
        }
    }

    /// Every foreign table in an application schema, with the columns it
    /// declares and its checks.
    pub(crate) fn foreign_tables(
        &mut self,
        rows: &[ForeignTableRow],
        columns: &[ForeignColumnRow],
    ) {
        let mut by_table: HashMap<u32, Vec<&ForeignColumnRow>> = HashMap::new();
        for c in columns {
            by_table.entry(c.attrelid).or_default().push(c);
        }
        for r in rows {
            let Some(schema) = self.lookup.owned("pg_class", r.oid, r.relnamespace) else {
                continue;
            };
            let name = QualifiedName::new(schema, r.relname.clone());
            let partition_of = match (r.parent.and_then(|p| self.tables.get(&p)), &r.bound) {
                (Some(parent), Some(bound)) => Some((parent.clone(), bound.clone())),
                _ => None,
            };
            let columns = by_table
                .remove(&r.oid)
                .unwrap_or_default()
                .into_iter()
                .map(|c| ForeignColumn {
                    name: c.attname.clone(),
                    data_type: c.data_type.clone(),
                    collation: collation(&c.collation),
                    not_null: c.attnotnull,
                    default: c.default_expr.clone(),
                    options: options(&c.options),
                    comment: self.lookup.comment("pg_class", r.oid, i32::from(c.attnum)),
                })
                .collect();
            let t = ForeignTable {
                name,
                server: r.server.clone(),
                options: options(&r.options),
                columns,
                checks: r
                    .check_names
                    .iter()
                    .cloned()
                    .zip(r.check_definitions.iter().cloned())
                    .collect(),
                partition_of,
                comment: self.lookup.comment("pg_class", r.oid, 0),
            };
            self.ids.insert(("pg_class", r.oid, 0), t.id());
            self.catalog.foreign_tables.insert(t.name.clone(), t);
        }
    }

    /// A server on its wrapper, a mapping on its server, a foreign table on
    /// its schema, its server and its parent.
    pub(crate) fn foreign_edges(&self) -> Vec<(ObjectId, ObjectId)> {
        let mut edges = Vec::new();
        for s in self.catalog.foreign_servers.values() {
            edges.push((
                s.id(),
                ObjectId::ForeignDataWrapper {
                    name: s.wrapper.clone(),
                },
            ));
        }
        for m in self.catalog.user_mappings.values() {
            edges.push((
                m.id(),
                ObjectId::ForeignServer {
                    name: m.server.clone(),
                },
            ));
        }
        for t in self.catalog.foreign_tables.values() {
            edges.push((
                t.id(),
                ObjectId::Schema {
                    name: t.name.schema.clone(),
                },
            ));
            edges.push((
                t.id(),
                ObjectId::ForeignServer {
                    name: t.server.clone(),
                },
            ));
            for c in &t.columns {
                let column = ObjectId::Column {
                    table: t.name.clone(),
                    column: c.name.clone(),
                };
                edges.push((column, t.id()));
            }
            if let Some((parent, _)) = &t.partition_of {
                edges.push((
                    t.id(),
                    ObjectId::Table {
                        name: parent.clone(),
                    },
                ));
            }
        }
        edges
    }
}
