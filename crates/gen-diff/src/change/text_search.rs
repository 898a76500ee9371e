//! Text search configurations, dictionaries, parsers and templates: the
//! change type, and the comparison that emits it.

use gen_model::{
    Catalog, ObjectId, QualifiedName, TextSearchConfiguration, TextSearchDictionary,
    TextSearchParser, TextSearchTemplate,
};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, keyed_pairs, pairs};

/// A change to a text search configuration or dictionary; each variant's
/// doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TextSearchChange {
    /// `CREATE TEXT SEARCH CONFIGURATION name (PARSER = p);` then
    /// `ALTER TEXT SEARCH CONFIGURATION name ADD MAPPING FOR … WITH …;`
    /// for each set of token types looked up alike.
    CreateConfiguration(TextSearchConfiguration),
    /// `DROP TEXT SEARCH CONFIGURATION name;`
    DropConfiguration(TextSearchConfiguration),
    /// `ALTER TEXT SEARCH CONFIGURATION name {ADD | ALTER} MAPPING FOR token
    /// WITH dictionaries;`
    SetMapping {
        /// Configuration name.
        name: QualifiedName,
        /// The token type's alias.
        token: String,
        /// The dictionaries, in lookup order.
        dictionaries: Vec<String>,
        /// The token type was mapped before (`ALTER MAPPING`).
        mapped: bool,
    },
    /// `ALTER TEXT SEARCH CONFIGURATION name DROP MAPPING FOR token;`
    DropMapping {
        /// Configuration name.
        name: QualifiedName,
        /// The token type's alias.
        token: String,
    },
    /// `CREATE TEXT SEARCH DICTIONARY name (TEMPLATE = t, option = value, …);`
    CreateDictionary(TextSearchDictionary),
    /// `DROP TEXT SEARCH DICTIONARY name;`
    DropDictionary(TextSearchDictionary),
    /// `CREATE TEXT SEARCH PARSER name (START = …, GETTOKEN = …, END = …, LEXTYPES = …[, HEADLINE = …]);`
    CreateParser(TextSearchParser),
    /// `DROP TEXT SEARCH PARSER name;`
    DropParser(TextSearchParser),
    /// `CREATE TEXT SEARCH TEMPLATE name ([INIT = …,] LEXIZE = …);`
    CreateTemplate(TextSearchTemplate),
    /// `DROP TEXT SEARCH TEMPLATE name;`
    DropTemplate(TextSearchTemplate),
}

impl TextSearchChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            TextSearchChange::CreateConfiguration(c) => (CreateOrAlter, c.id()),
            TextSearchChange::DropConfiguration(c) => (Drop, c.id()),
            TextSearchChange::SetMapping { name, .. }
            | TextSearchChange::DropMapping { name, .. } => (
                CreateOrAlter,
                ObjectId::TextSearchConfiguration { name: name.clone() },
            ),
            TextSearchChange::CreateDictionary(d) => (CreateOrAlter, d.id()),
            TextSearchChange::DropDictionary(d) => (Drop, d.id()),
            TextSearchChange::CreateParser(p) => (CreateOrAlter, p.id()),
            TextSearchChange::DropParser(p) => (Drop, p.id()),
            TextSearchChange::CreateTemplate(t) => (CreateOrAlter, t.id()),
            TextSearchChange::DropTemplate(t) => (Drop, t.id()),
        }
    }

    /// The variant's name, `CreateConfiguration` and so on: for messages
    /// and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            TextSearchChange::CreateConfiguration(..) => "CreateConfiguration",
            TextSearchChange::DropConfiguration(..) => "DropConfiguration",
            TextSearchChange::SetMapping { .. } => "SetMapping",
            TextSearchChange::DropMapping { .. } => "DropMapping",
            TextSearchChange::CreateDictionary(..) => "CreateDictionary",
            TextSearchChange::DropDictionary(..) => "DropDictionary",
            TextSearchChange::CreateParser(..) => "CreateParser",
            TextSearchChange::DropParser(..) => "DropParser",
            TextSearchChange::CreateTemplate(..) => "CreateTemplate",
            TextSearchChange::DropTemplate(..) => "DropTemplate",
        }
    }
}

/// Dictionaries and configurations created and dropped; a configuration's
/// mappings added, altered and dropped in place; a configuration whose
/// parser changes, or a dictionary whose template or options change, made
/// anew (options cannot be taken away in place).
pub(crate) fn text_search(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    // Parsers and templates have no ALTER but to rename and move: any
    // other change makes them anew, with the configurations and
    // dictionaries over them (by the closure).
    for (o, n) in pairs(&old.text_search_parsers, &new.text_search_parsers) {
        match (o, n) {
            (Some(o), None) => out.push(TextSearchChange::DropParser(o.clone()).into()),
            (None, Some(n)) => create_parser(n, out),
            (Some(o), Some(n)) if !same_parser(o, n) => recreate_parser(o, n, out),
            (Some(o), Some(n)) => comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out),
            (None, None) => {}
        }
    }
    for (o, n) in pairs(&old.text_search_templates, &new.text_search_templates) {
        match (o, n) {
            (Some(o), None) => out.push(TextSearchChange::DropTemplate(o.clone()).into()),
            (None, Some(n)) => create_template(n, out),
            (Some(o), Some(n)) if o.init != n.init || o.lexize != n.lexize => {
                recreate_template(o, n, out);
            }
            (Some(o), Some(n)) => comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out),
            (None, None) => {}
        }
    }
    for (o, n) in pairs(&old.text_search_dictionaries, &new.text_search_dictionaries) {
        match (o, n) {
            (Some(o), None) => out.push(TextSearchChange::DropDictionary(o.clone()).into()),
            (None, Some(n)) => create_dictionary(n, out),
            (Some(o), Some(n)) if o.template != n.template || o.options != n.options => {
                recreate_dictionary(o, n, out)
            }
            (Some(o), Some(n)) => comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out),
            (None, None) => {}
        }
    }
    for (o, n) in pairs(
        &old.text_search_configurations,
        &new.text_search_configurations,
    ) {
        match (o, n) {
            (Some(o), None) => out.push(TextSearchChange::DropConfiguration(o.clone()).into()),
            (None, Some(n)) => create_configuration(n, out),
            (Some(o), Some(n)) if o.parser != n.parser => recreate_configuration(o, n, out),
            (Some(o), Some(n)) => {
                for (token, was, is) in keyed_pairs(&o.mappings, &n.mappings) {
                    match (was, is) {
                        (Some(_), None) => out.push(
                            TextSearchChange::DropMapping {
                                name: n.name.clone(),
                                token: token.clone(),
                            }
                            .into(),
                        ),
                        (was, Some(is)) if was != Some(is) => out.push(
                            TextSearchChange::SetMapping {
                                name: n.name.clone(),
                                token: token.clone(),
                                dictionaries: is.clone(),
                                mapped: was.is_some(),
                            }
                            .into(),
                        ),
                        (_, _) => {}
                    }
                }
                comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
}

/// The configuration dropped as it is in `old` and created as in `new`.
pub(crate) fn recreate_configuration(
    o: &TextSearchConfiguration,
    n: &TextSearchConfiguration,
    out: &mut Vec<Change>,
) {
    out.push(TextSearchChange::DropConfiguration(o.clone()).into());
    create_configuration(n, out);
}

/// The dictionary dropped as it is in `old` and created as in `new`.
pub(crate) fn recreate_dictionary(
    o: &TextSearchDictionary,
    n: &TextSearchDictionary,
    out: &mut Vec<Change>,
) {
    out.push(TextSearchChange::DropDictionary(o.clone()).into());
    create_dictionary(n, out);
}

pub(crate) fn create_configuration(n: &TextSearchConfiguration, out: &mut Vec<Change>) {
    out.push(TextSearchChange::CreateConfiguration(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}

pub(crate) fn create_dictionary(n: &TextSearchDictionary, out: &mut Vec<Change>) {
    out.push(TextSearchChange::CreateDictionary(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}

/// Whether two parsers call the same functions.
fn same_parser(o: &TextSearchParser, n: &TextSearchParser) -> bool {
    TextSearchParser {
        comment: None,
        ..o.clone()
    } == TextSearchParser {
        comment: None,
        ..n.clone()
    }
}

/// The parser dropped as it is in `old` and created as in `new`.
pub(crate) fn recreate_parser(o: &TextSearchParser, n: &TextSearchParser, out: &mut Vec<Change>) {
    out.push(TextSearchChange::DropParser(o.clone()).into());
    create_parser(n, out);
}

/// The template dropped as it is in `old` and created as in `new`.
pub(crate) fn recreate_template(
    o: &TextSearchTemplate,
    n: &TextSearchTemplate,
    out: &mut Vec<Change>,
) {
    out.push(TextSearchChange::DropTemplate(o.clone()).into());
    create_template(n, out);
}

pub(crate) fn create_parser(n: &TextSearchParser, out: &mut Vec<Change>) {
    out.push(TextSearchChange::CreateParser(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}

pub(crate) fn create_template(n: &TextSearchTemplate, out: &mut Vec<Change>) {
    out.push(TextSearchChange::CreateTemplate(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}
