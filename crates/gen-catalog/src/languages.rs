//! Procedural languages a schema makes with `CREATE LANGUAGE`.

use gen_model::Language;

use crate::Builder;
use crate::rows::LanguageRow;

impl Builder {
    /// Every language but an extension's (plpgsql's is).
    pub(crate) fn languages(&mut self, rows: &[LanguageRow]) {
        for r in rows {
            if self.lookup.member("pg_language", r.oid) {
                continue;
            }
            let l = Language {
                name: r.lanname.clone(),
                trusted: r.trusted,
                handler: r.handler.clone(),
                inline: r.inline.clone(),
                validator: r.validator.clone(),
                comment: self.lookup.comment("pg_language", r.oid, 0),
            };
            self.ids.insert(("pg_language", r.oid, 0), l.id());
            self.catalog.languages.insert(l.name.clone(), l);
        }
    }
}
