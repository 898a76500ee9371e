//! Session settings, as psql applies them: a `SET` holds for the
//! statements after it in the same file, and for those only.

use std::collections::BTreeMap;

use crate::Location;
use crate::analyze::Setting;

/// The settings a statement runs with, beyond the database's defaults:
/// what `SET` statements before it in its file left.
///
/// The project's `[load]` settings are not part of it: they are the
/// database's defaults (as `PGOPTIONS` would make them), so `RESET` returns
/// to them. Only the search path they give is kept here, since the loader
/// resolves names with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    settings: BTreeMap<String, Entry>,
    search_path: Option<Vec<String>>,
}

/// One setting: the statement that makes it, and where that is written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    sql: String,
    location: Location,
}

impl Session {
    /// A file's session before its first statement: the database's
    /// defaults, with `search_path` (from the project's `[load]` settings)
    /// as the search path, `None` for the server's default.
    pub(crate) fn base(search_path: Option<Vec<String>>) -> Session {
        Session {
            settings: BTreeMap::new(),
            search_path,
        }
    }

    /// The search path names resolve through, if anything set one; `None`
    /// is the server's default (`"$user", public`).
    pub fn search_path(&self) -> Option<&[String]> {
        self.search_path.as_deref()
    }

    /// Each setting: its lowercase name, the statement that sets it, and
    /// where that statement is written.
    pub fn settings(&self) -> impl Iterator<Item = (&str, &str, &Location)> {
        self.settings
            .iter()
            .map(|(name, entry)| (name.as_str(), entry.sql.as_str(), &entry.location))
    }

    /// The session after `setting`, made by the statement `sql` at
    /// `location`; `base` is the search path `RESET` returns to.
    pub(crate) fn apply(
        &self,
        setting: &Setting,
        sql: &str,
        location: &Location,
        base: Option<&[String]>,
    ) -> Session {
        let mut next = self.clone();
        match setting {
            Setting::Set { name, search_path } => {
                next.settings.insert(
                    name.clone(),
                    Entry {
                        sql: sql.to_owned(),
                        location: location.clone(),
                    },
                );
                if let Some(path) = search_path {
                    next.search_path = Some(path.clone());
                }
            }
            Setting::Reset { name } => {
                next.settings.remove(name);
                if name == "search_path" {
                    next.search_path = base.map(<[String]>::to_vec);
                }
            }
            Setting::ResetAll => {
                next.settings.clear();
                next.search_path = base.map(<[String]>::to_vec);
            }
        }
        next
    }

    /// The statements that take a connection from this session to `to`,
    /// leaving out settings `keep` refuses (unknown to the server).
    pub fn transition(&self, to: &Session, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        // Statements of one file between two `SET`s share one session.
        if std::ptr::eq(self, to) {
            return out;
        }
        for name in self.settings.keys() {
            if !to.settings.contains_key(name) && keep(name) {
                out.push(format!("RESET {}", setting_name(name)));
            }
        }
        for (name, entry) in &to.settings {
            if self.settings.get(name) != Some(entry) && keep(name) {
                out.push(entry.sql.clone());
            }
        }
        out
    }
}

/// A setting's name as `RESET` takes it: as it is where it is a plain
/// (possibly dotted) identifier, else quoted.
fn setting_name(name: &str) -> String {
    let plain = name.split('.').all(|part| {
        part.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
    });
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn at(line: u32) -> Location {
        Location {
            file: PathBuf::from("a.sql"),
            line,
            col: 1,
        }
    }

    #[test]
    fn transitions_set_what_changed_and_reset_what_went() {
        let base = Session::base(None);
        let path = Setting::Set {
            name: "search_path".into(),
            search_path: Some(vec!["app".into()]),
        };
        let timeout = Setting::Set {
            name: "lock_timeout".into(),
            search_path: None,
        };
        let a = base
            .apply(&path, "SET search_path = app", &at(1), None)
            .apply(&timeout, "SET lock_timeout = 0", &at(2), None);
        assert_eq!(a.search_path(), Some(&["app".to_owned()][..]));
        assert_eq!(
            base.transition(&a, |_| true),
            ["SET lock_timeout = 0", "SET search_path = app"]
        );
        assert_eq!(
            a.transition(&base, |_| true),
            ["RESET lock_timeout", "RESET search_path"]
        );
        assert!(a.transition(&a, |_| true).is_empty());
        assert_eq!(
            base.transition(&a, |name| name != "lock_timeout"),
            ["SET search_path = app"]
        );
        let reset = a.apply(
            &Setting::ResetAll,
            "RESET ALL",
            &at(3),
            Some(&["x".to_owned()]),
        );
        assert_eq!(reset.search_path(), Some(&["x".to_owned()][..]));
        assert_eq!(setting_name("App.Key"), "\"App.Key\"");
        assert_eq!(setting_name("app.key"), "app.key");
    }
}
