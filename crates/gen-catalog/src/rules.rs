//! Rewrite rules on the tables and views gen reads.

use gen_model::{ObjectId, Rule, TriggerEnabled};

use crate::Builder;
use crate::rows::RuleRow;

impl Builder {
    /// Every rule on a relation this catalog holds: a rule on an
    /// extension's view (PostGIS's `geometry_columns`) is the extension's.
    pub(crate) fn rules(&mut self, rows: &[RuleRow]) {
        for r in rows {
            let Some(table) = self
                .tables
                .get(&r.relid)
                .or(self.views.get(&r.relid))
                .cloned()
            else {
                continue;
            };
            let rule = Rule {
                table,
                name: r.rulename.clone(),
                definition: r.definition.clone(),
                enabled: TriggerEnabled::from_code(&r.enabled),
                comment: self.lookup.comment("pg_rewrite", r.oid, 0),
            };
            self.ids.insert(("pg_rewrite", r.oid, 0), rule.id());
            self.catalog
                .rules
                .insert((rule.table.clone(), rule.name.clone()), rule);
        }
    }

    /// Every rule on its relation: a view's rule on the view.
    pub(crate) fn rule_edges(&self) -> Vec<(ObjectId, ObjectId)> {
        self.catalog
            .rules
            .values()
            .map(|r| {
                let on = if self
                    .catalog
                    .views
                    .get(&r.table)
                    .is_some_and(|v| v.materialized)
                {
                    ObjectId::MaterializedView {
                        name: r.table.clone(),
                    }
                } else if self.catalog.views.contains_key(&r.table) {
                    ObjectId::View {
                        name: r.table.clone(),
                    }
                } else {
                    ObjectId::Table {
                        name: r.table.clone(),
                    }
                };
                (r.id(), on)
            })
            .collect()
    }
}
