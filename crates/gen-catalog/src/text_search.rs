//! Text search configurations, dictionaries, parsers and templates.

use std::collections::BTreeMap;

use gen_model::{
    ObjectId, QualifiedName, TextSearchConfiguration, TextSearchDictionary, TextSearchParser,
    TextSearchTemplate,
};

use crate::Builder;
use crate::rows::{
    TextSearchConfigurationRow, TextSearchDictionaryRow, TextSearchMappingRow, TextSearchParserRow,
    TextSearchTemplateRow,
};

impl Builder {
    /// Every parser in an application schema, but an extension's.
    pub(crate) fn text_search_parsers(&mut self, rows: &[TextSearchParserRow]) {
        for r in rows {
            let Some(schema) = self.lookup.owned("pg_ts_parser", r.oid, r.nsp) else {
                continue;
            };
            let p = TextSearchParser {
                name: QualifiedName::new(schema, &r.prsname),
                start: r.start.clone(),
                gettoken: r.gettoken.clone(),
                end: r.end_function.clone(),
                lextypes: r.lextypes.clone(),
                headline: r.headline.clone(),
                comment: self.lookup.comment("pg_ts_parser", r.oid, 0),
            };
            self.ids.insert(("pg_ts_parser", r.oid, 0), p.id());
            self.catalog.text_search_parsers.insert(p.name.clone(), p);
        }
    }

    /// Every template in an application schema, but an extension's.
    pub(crate) fn text_search_templates(&mut self, rows: &[TextSearchTemplateRow]) {
        for r in rows {
            let Some(schema) = self.lookup.owned("pg_ts_template", r.oid, r.nsp) else {
                continue;
            };
            let t = TextSearchTemplate {
                name: QualifiedName::new(schema, &r.tmplname),
                init: r.init.clone(),
                lexize: r.lexize.clone(),
                comment: self.lookup.comment("pg_ts_template", r.oid, 0),
            };
            self.ids.insert(("pg_ts_template", r.oid, 0), t.id());
            self.catalog.text_search_templates.insert(t.name.clone(), t);
        }
    }

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
        let parsers = self
            .catalog
            .text_search_parsers
            .values()
            .map(|p| (p.id(), &p.name));
        let templates = self
            .catalog
            .text_search_templates
            .values()
            .map(|t| (t.id(), &t.name));
        for (id, name) in parsers.chain(templates) {
            edges.push((
                id,
                ObjectId::Schema {
                    name: name.schema.clone(),
                },
            ));
        }
        edges
    }
}
