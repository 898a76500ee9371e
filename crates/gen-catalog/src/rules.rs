//! Rewrite rules on the tables and views gen reads.

use gen_model::{Rule, TriggerEnabled};

use crate::Builder;
use crate::rows::RuleRow;

impl Builder {
    /// Every rule on a relation this catalog holds, on that relation: a
    /// rule on an extension's view (PostGIS's `geometry_columns`) is the
    /// extension's.
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
            if let Some(relation) = self.ids.get(&("pg_class", r.relid, 0)) {
                self.edges.push((rule.id(), relation.clone()));
            }
            self.catalog
                .rules
                .insert((rule.table.clone(), rule.name.clone()), rule);
        }
    }
}
