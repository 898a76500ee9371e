//! Text search configurations and dictionaries.

use std::collections::BTreeMap;

use gen_model::{ObjectId, QualifiedName, TextSearchConfiguration, TextSearchDictionary};

use crate::Builder;
use crate::rows::{TextSearchConfigurationRow, TextSearchDictionaryRow, TextSearchMappingRow};

impl Builder {
    /// Every dictionary in an application schema, but an extension's.
    pub(crate) fn text_search_dictionaries(&mut self, rows: &[TextSearchDictionaryRow]) {
        for r in rows {
            let Some(schema) = self.lookup.owned("pg_ts_dict", r.oid, r.nsp) else {
                continue;
            };
            let d = TextSearchDictionary {
                name: QualifiedName::new(schema, &r.dictname),
                template: r.template.clone(),
                options: r.options.clone(),
                comment: self.lookup.comment("pg_ts_dict", r.oid, 0),
            };
            self.ids.insert(("pg_ts_dict", r.oid, 0), d.id());
            self.catalog.owners.insert(d.id(), r.owner.clone());
            self.catalog
                .text_search_dictionaries
                .insert(d.name.clone(), d);
        }
    }

    /// Every configuration in an application schema, but an extension's,
    /// with its mappings.
    pub(crate) fn text_search_configurations(
        &mut self,
        rows: &[TextSearchConfigurationRow],
        mappings: &[TextSearchMappingRow],
    ) {
        let mut by_config: BTreeMap<u32, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        // The rows come ordered by configuration, token and lookup order.
        for m in mappings {
            by_config
                .entry(m.cfg)
                .or_default()
                .entry(m.token.clone())
                .or_default()
                .push(m.dictionary.clone());
        }
        for r in rows {
            let Some(schema) = self.lookup.owned("pg_ts_config", r.oid, r.nsp) else {
                continue;
            };
            let c = TextSearchConfiguration {
                name: QualifiedName::new(schema, &r.cfgname),
                parser: r.parser.clone(),
                mappings: by_config.remove(&r.oid).unwrap_or_default(),
                comment: self.lookup.comment("pg_ts_config", r.oid, 0),
            };
            self.ids.insert(("pg_ts_config", r.oid, 0), c.id());
            self.catalog.owners.insert(c.id(), r.owner.clone());
            self.catalog
                .text_search_configurations
                .insert(c.name.clone(), c);
        }
    }

    /// Each configuration and dictionary on its schema (a configuration's
    /// dictionaries the server records).
    pub(crate) fn text_search_edges(&self) -> Vec<(ObjectId, ObjectId)> {
        let mut edges = Vec::new();
        for d in self.catalog.text_search_dictionaries.values() {
            edges.push((
                d.id(),
                ObjectId::Schema {
                    name: d.name.schema.clone(),
                },
            ));
        }
        for c in self.catalog.text_search_configurations.values() {
            edges.push((
                c.id(),
                ObjectId::Schema {
                    name: c.name.schema.clone(),
                },
            ));
        }
        edges
    }
}
