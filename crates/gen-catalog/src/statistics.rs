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
            self.catalog.owners.insert(s.id(), r.owner.clone());
            self.catalog.statistics.insert(s.name.clone(), s);
        }
    }

    /// Each statistics object on its schema and its relation.
    pub(crate) fn statistics_edges(&self) -> Vec<(ObjectId, ObjectId)> {
        let mut edges = Vec::new();
        for s in self.catalog.statistics.values() {
            edges.push((
                s.id(),
                ObjectId::Schema {
                    name: s.name.schema.clone(),
                },
            ));
            let on = match self.catalog.views.get(&s.table) {
                Some(_) => ObjectId::MaterializedView {
                    name: s.table.clone(),
                },
                None => ObjectId::Table {
                    name: s.table.clone(),
                },
            };
            edges.push((s.id(), on));
        }
        edges
    }
}
