//! Procedural languages: the SQL and the hazards of each change, and how a
//! verify script checks one.

use gen_diff::LanguageChange;
use gen_model::{Catalog, Ident, Language, Literal};

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;

/// `[OR REPLACE ][TRUSTED ]LANGUAGE name HANDLER … [INLINE …] [VALIDATOR …];`
fn create(l: &Language, or_replace: bool) -> String {
    let mut sql = String::from("CREATE ");
    if or_replace {
        sql.push_str("OR REPLACE ");
    }
    if l.trusted {
        sql.push_str("TRUSTED ");
    }
    sql.push_str(&format!(
        "LANGUAGE {} HANDLER {}",
        Ident(&l.name),
        l.handler
    ));
    if let Some(inline) = &l.inline {
        sql.push_str(&format!(" INLINE {inline}"));
    }
    if let Some(validator) = &l.validator {
        sql.push_str(&format!(" VALIDATOR {validator}"));
    }
    sql.push(';');
    sql
}

impl Kind for LanguageChange {
    fn sql(&self) -> String {
        match self {
            LanguageChange::CreateLanguage(l) => create(l, false),
            LanguageChange::ReplaceLanguage { new, .. } => create(new, true),
            LanguageChange::DropLanguage(l) => format!("DROP LANGUAGE {};", Ident(&l.name)),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            // The functions written in a dropped language are dropped by
            // their own changes, with their hazards; a language locks no
            // table.
            LanguageChange::CreateLanguage(..)
            | LanguageChange::DropLanguage(..)
            | LanguageChange::ReplaceLanguage { .. } => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// `LANGUAGE name`, as `COMMENT ON`, `ALTER … OWNER TO` and `GRANT` take it.
pub(crate) fn target(name: &str) -> String {
    format!("LANGUAGE {}", Ident(name))
}

/// Verify: a condition true when the language exists.
pub(crate) fn exists_condition(name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_language WHERE lanname = {})",
        Literal(name)
    )
}

/// Verify: a condition true when the language is not trusted as planned or
/// calls other handlers.
pub(crate) fn mismatch_condition(l: &Language) -> String {
    let handler = |f: &Option<String>| {
        f.as_ref().map_or_else(
            || "0".to_owned(),
            |f| format!("pg_catalog.to_regproc({})", Literal(f)),
        )
    };
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_language WHERE lanname = {} AND lanpltrusted = {} AND lanplcallfoid = pg_catalog.to_regproc({}) AND laninline = {} AND lanvalidator = {})",
        Literal(&l.name),
        l.trusted,
        Literal(&l.handler),
        handler(&l.inline),
        handler(&l.validator),
    )
}
