//! Text search configurations and dictionaries.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// `CREATE TEXT SEARCH CONFIGURATION name (PARSER = p)` with its mappings
/// (`ALTER TEXT SEARCH CONFIGURATION name ADD MAPPING FOR … WITH …`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSearchConfiguration {
    /// Configuration name.
    pub name: QualifiedName,
    /// The parser, schema-qualified: `pg_catalog."default"`.
    pub parser: String,
    /// The dictionaries each token type is looked up in, in order, by the
    /// token type's alias (`asciiword`); token types not mapped are left
    /// out.
    pub mappings: BTreeMap<String, Vec<String>>,
    /// `COMMENT ON TEXT SEARCH CONFIGURATION`.
    pub comment: Option<String>,
}

impl TextSearchConfiguration {
    /// This configuration's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::TextSearchConfiguration {
            name: self.name.clone(),
        }
    }
}

/// `CREATE TEXT SEARCH DICTIONARY name (TEMPLATE = t, option = value, …)`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSearchDictionary {
    /// Dictionary name.
    pub name: QualifiedName,
    /// The template, schema-qualified: `pg_catalog.snowball`.
    pub template: String,
    /// The options as the server keeps them (`language = 'english',
    /// stopwords = 'english'`), if any.
    pub options: Option<String>,
    /// `COMMENT ON TEXT SEARCH DICTIONARY`.
    pub comment: Option<String>,
}

impl TextSearchDictionary {
    /// This dictionary's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::TextSearchDictionary {
            name: self.name.clone(),
        }
    }
}
