//! Text search configurations, dictionaries, parsers and templates.

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

/// `CREATE TEXT SEARCH PARSER name (START = f, GETTOKEN = f, END = f,
/// LEXTYPES = f [, HEADLINE = f])`: each function as the server prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSearchParser {
    /// Parser name.
    pub name: QualifiedName,
    /// `START`.
    pub start: String,
    /// `GETTOKEN`.
    pub gettoken: String,
    /// `END`.
    pub end: String,
    /// `LEXTYPES`.
    pub lextypes: String,
    /// `HEADLINE`.
    pub headline: Option<String>,
    /// `COMMENT ON TEXT SEARCH PARSER`.
    pub comment: Option<String>,
}

impl TextSearchParser {
    /// This parser's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::TextSearchParser {
            name: self.name.clone(),
        }
    }
}

/// `CREATE TEXT SEARCH TEMPLATE name ([INIT = f,] LEXIZE = f)`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSearchTemplate {
    /// Template name.
    pub name: QualifiedName,
    /// `INIT`.
    pub init: Option<String>,
    /// `LEXIZE`.
    pub lexize: String,
    /// `COMMENT ON TEXT SEARCH TEMPLATE`.
    pub comment: Option<String>,
}

impl TextSearchTemplate {
    /// This template's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::TextSearchTemplate {
            name: self.name.clone(),
        }
    }
}
