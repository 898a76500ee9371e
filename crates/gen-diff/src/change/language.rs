//! Procedural languages: the change type, and the comparison that emits it.

use gen_model::{Catalog, Language, ObjectId};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs, privilege_changes};

/// A change to a procedural language; each variant's doc is the statement
/// it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum LanguageChange {
    /// `CREATE [TRUSTED] LANGUAGE name HANDLER … [INLINE …] [VALIDATOR …];`
    CreateLanguage(Language),
    /// `DROP LANGUAGE name;`
    DropLanguage(Language),
    /// `CREATE OR REPLACE [TRUSTED] LANGUAGE name HANDLER …;`: the server
    /// keeps the language's owner, grants and functions.
    ReplaceLanguage {
        /// As it was.
        old: Language,
        /// As it becomes.
        new: Language,
    },
}

impl LanguageChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        match self {
            LanguageChange::CreateLanguage(l) | LanguageChange::ReplaceLanguage { new: l, .. } => {
                (Action::CreateOrAlter, l.id())
            }
            LanguageChange::DropLanguage(l) => (Action::Drop, l.id()),
        }
    }

    /// The variant's name, `CreateLanguage` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            LanguageChange::CreateLanguage(..) => "CreateLanguage",
            LanguageChange::DropLanguage(..) => "DropLanguage",
            LanguageChange::ReplaceLanguage { .. } => "ReplaceLanguage",
        }
    }
}

/// Languages created, dropped, and replaced in place when their trust or
/// handlers change.
pub(crate) fn languages(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.languages, &new.languages) {
        match (o, n) {
            (Some(o), None) => out.push(LanguageChange::DropLanguage(o.clone()).into()),
            (None, Some(n)) => create(n, out),
            (Some(o), Some(n)) => {
                let bare = |l: &Language| Language {
                    comment: None,
                    ..l.clone()
                };
                if bare(o) != bare(n) {
                    if o.trusted && !n.trusted {
                        // The server refuses GRANT and REVOKE on an
                        // untrusted language: what the new side no longer
                        // grants goes while the language is still trusted.
                        let id = n.id();
                        let grants = |c: &Catalog| {
                            c.privileges
                                .get(&id)
                                .map_or_else(Vec::new, |a| a.grants.clone())
                        };
                        privilege_changes(&id, &grants(old), &grants(new), out);
                    }
                    out.push(
                        LanguageChange::ReplaceLanguage {
                            old: o.clone(),
                            new: n.clone(),
                        }
                        .into(),
                    );
                }
                comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
}

/// The language created, with its comment.
pub(crate) fn create(n: &Language, out: &mut Vec<Change>) {
    out.push(LanguageChange::CreateLanguage(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}
