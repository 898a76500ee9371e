//! Extended statistics on the tables and materialized views gen reads.

use gen_model::{ObjectId, QualifiedName, Statistics};

use crate::Builder;
use crate::rows::StatisticsRow;

impl Builder {
    /// Every statistics object in an application schema on a relation this
    /// catalog holds, but an extension's.
    pub(crate) fn statistics(&mut self, rows: &[StatisticsRow]) {
        for r in rows {
            let Some(schema) = self.lookup.owned("pg_statistic_ext", r.oid, r.nsp) else {
                continue;
            };
            let Some(table) = self
                .tables
                .get(&r.relid)
                .or(self.views.get(&r.relid))
                .cloned()
            else {
                continue;
            };
            let s = Statistics {
                name: QualifiedName::new(schema, r.stxname.clone()),
                table,
                definition: r.definition.clone(),
                target: r.target,
                comment: self.lookup.comment("pg_statistic_ext", r.oid, 0),
            };
            self.ids.insert(("pg_statistic_ext", r.oid, 0), s.id());
            if let Some(relation) = self.ids.get(&("pg_class", r.relid, 0)) {
                self.edges.push((s.id(), relation.clone()));
            }
            self.catalog.owners.insert(s.id(), r.owner.clone());
            self.catalog.statistics.insert(s.name.clone(), s);
        }
    }

    /// Each statistics object on its schema (the edge to its relation is
    /// recorded as it is read).
    pub(crate) fn statistics_edges(&self) -> Vec<(ObjectId, ObjectId)> {
        self.catalog
            .statistics
            .values()
            .map(|s| {
                (
                    s.id(),
                    ObjectId::Schema {
                        name: s.name.schema.clone(),
                    },
                )
            })
            .collect()
    }
}
