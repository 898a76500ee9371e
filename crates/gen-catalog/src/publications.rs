//! Publications and the tables and schemas they name.

use std::collections::{BTreeMap, BTreeSet};

use gen_model::{ObjectId, Publication, Publish, PublishedTable};

use crate::Builder;
use crate::rows::{PublicationMemberRow, PublicationRow};

impl Builder {
    /// Every publication, its members resolved to the tables and schemas
    /// read before; a member in a schema gen leaves out (a deploy tool's
    /// registry) is left out with it.
    pub(crate) fn publications(
        &mut self,
        rows: &[PublicationRow],
        members: &[PublicationMemberRow],
    ) {
        for r in rows {
            let mut tables = BTreeMap::new();
            let mut schemas = BTreeSet::new();
            for m in members.iter().filter(|m| m.pubid == r.oid) {
                if let Some(relid) = m.relid
                    && let Some(name) = self.tables.get(&relid)
                {
                    tables.insert(
                        name.clone(),
                        PublishedTable {
                            columns: m.columns.clone(),
                            row_filter: m.row_filter.clone(),
                        },
                    );
                }
                if let Some(nspid) = m.nspid
                    && let Some(schema) = self.lookup.schema(nspid)
                {
                    schemas.insert(schema.to_owned());
                }
            }
            let p = Publication {
                name: r.pubname.clone(),
                all_tables: r.all_tables,
                publish: Publish {
                    insert: r.pubinsert,
                    update: r.pubupdate,
                    delete: r.pubdelete,
                    truncate: r.pubtruncate,
                },
                via_root: r.via_root,
                tables,
                schemas,
                comment: self.lookup.comment("pg_publication", r.oid, 0),
            };
            self.ids.insert(("pg_publication", r.oid, 0), p.id());
            self.catalog.owners.insert(p.id(), r.owner.clone());
            self.catalog.publications.insert(p.name.clone(), p);
        }
    }

    /// A publication needs the tables, columns and schemas it names.
    pub(crate) fn publication_edges(&self) -> Vec<(ObjectId, ObjectId)> {
        let mut edges = Vec::new();
        for p in self.catalog.publications.values() {
            for (table, member) in &p.tables {
                edges.push((
                    p.id(),
                    ObjectId::Table {
                        name: table.clone(),
                    },
                ));
                for column in member.columns.iter().flatten() {
                    edges.push((
                        p.id(),
                        ObjectId::Column {
                            table: table.clone(),
                            column: column.clone(),
                        },
                    ));
                }
            }
            for schema in &p.schemas {
                edges.push((
                    p.id(),
                    ObjectId::Schema {
                        name: schema.clone(),
                    },
                ));
            }
        }
        edges
    }
}
