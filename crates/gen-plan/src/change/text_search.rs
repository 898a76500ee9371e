//! Text search configurations and dictionaries: the SQL, the hazards and
//! the verify checks of each change.

use std::collections::BTreeMap;

use gen_diff::TextSearchChange;
use gen_model::{Catalog, Literal, QualifiedName, TextSearchConfiguration};

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;

impl Kind for TextSearchChange {
    fn sql(&self) -> String {
        match self {
            TextSearchChange::CreateConfiguration(c) => {
                let mut sql = format!(
                    "CREATE TEXT SEARCH CONFIGURATION {} (PARSER = {});",
                    c.name, c.parser
                );
                // Token types looked up in the same dictionaries share one
                // statement, in the order of their first token type.
                let mut groups: BTreeMap<&Vec<String>, Vec<&str>> = BTreeMap::new();
                for (token, dictionaries) in &c.mappings {
                    groups.entry(dictionaries).or_default().push(token);
                }
                let mut groups: Vec<(&Vec<String>, Vec<&str>)> = groups.into_iter().collect();
                groups.sort_by(|a, b| a.1.cmp(&b.1));
                for (dictionaries, tokens) in groups {
                    sql.push_str(&format!(
                        "\nALTER TEXT SEARCH CONFIGURATION {} ADD MAPPING FOR {} WITH {};",
                        c.name,
                        tokens.join(", "),
                        dictionaries.join(", ")
                    ));
                }
                sql
            }
            TextSearchChange::DropConfiguration(c) => {
                format!("DROP TEXT SEARCH CONFIGURATION {};", c.name)
            }
            TextSearchChange::SetMapping {
                name,
                token,
                dictionaries,
                mapped,
            } => format!(
                "ALTER TEXT SEARCH CONFIGURATION {name} {} MAPPING FOR {token} WITH {};",
                if *mapped { "ALTER" } else { "ADD" },
                dictionaries.join(", ")
            ),
            TextSearchChange::DropMapping { name, token } => {
                format!("ALTER TEXT SEARCH CONFIGURATION {name} DROP MAPPING FOR {token};")
            }
            TextSearchChange::CreateDictionary(d) => {
                let mut options = format!("TEMPLATE = {}", d.template);
                if let Some(more) = &d.options {
                    options.push_str(", ");
                    options.push_str(more);
                }
                format!("CREATE TEXT SEARCH DICTIONARY {} ({options});", d.name)
            }
            TextSearchChange::DropDictionary(d) => {
                format!("DROP TEXT SEARCH DICTIONARY {};", d.name)
            }
            TextSearchChange::CreateParser(p) => {
                let mut functions = format!(
                    "START = {}, GETTOKEN = {}, END = {}, LEXTYPES = {}",
                    p.start, p.gettoken, p.end, p.lextypes
                );
                if let Some(headline) = &p.headline {
                    functions.push_str(&format!(", HEADLINE = {headline}"));
                }
                format!("CREATE TEXT SEARCH PARSER {} ({functions});", p.name)
            }
            TextSearchChange::DropParser(p) => format!("DROP TEXT SEARCH PARSER {};", p.name),
            TextSearchChange::CreateTemplate(t) => {
                let init = t
                    .init
                    .as_ref()
                    .map(|i| format!("INIT = {i}, "))
                    .unwrap_or_default();
                format!(
                    "CREATE TEXT SEARCH TEMPLATE {} ({init}LEXIZE = {});",
                    t.name, t.lexize
                )
            }
            TextSearchChange::DropTemplate(t) => format!("DROP TEXT SEARCH TEMPLATE {};", t.name),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            // No table is locked or rewritten.
            TextSearchChange::CreateConfiguration(..)
            | TextSearchChange::DropConfiguration(..)
            | TextSearchChange::SetMapping { .. }
            | TextSearchChange::DropMapping { .. }
            | TextSearchChange::CreateDictionary(..)
            | TextSearchChange::DropDictionary(..)
            | TextSearchChange::CreateParser(..)
            | TextSearchChange::DropParser(..)
            | TextSearchChange::CreateTemplate(..)
            | TextSearchChange::DropTemplate(..) => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// A condition true when an object of `catalog` (`pg_ts_config` or
/// `pg_ts_dict`, with its name and schema columns) has this name.
pub(crate) fn exists_condition(catalog: &str, prefix: &str, name: &QualifiedName) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.{catalog} o JOIN pg_catalog.pg_namespace n ON n.oid = o.{prefix}namespace WHERE n.nspname = {} AND o.{prefix}name = {})",
        Literal(&name.schema),
        Literal(&name.name)
    )
}

/// A condition true unless the configuration maps exactly as many token
/// types to as many dictionaries as `c` does.
pub(crate) fn mismatch_condition(c: &TextSearchConfiguration) -> String {
    let entries: usize = c.mappings.values().map(Vec::len).sum();
    format!(
        "(SELECT count(*) FROM pg_catalog.pg_ts_config_map m JOIN pg_catalog.pg_ts_config o ON o.oid = m.mapcfg JOIN pg_catalog.pg_namespace n ON n.oid = o.cfgnamespace WHERE n.nspname = {} AND o.cfgname = {}) <> {entries}",
        Literal(&c.name.schema),
        Literal(&c.name.name)
    )
}
