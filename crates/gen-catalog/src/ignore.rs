//! Objects outside the model that a project chose to leave to itself.
//!
//! gen refuses to plan around an object it does not model, since the
//! migration would silently miss it. A project that manages such objects
//! another way lists them in `gen.toml` (and objects of the kinds gen
//! refused before it planned them stay left out, see [`Ignore::forget`]);
//! each pattern is matched against
//! `kind identity` as gen names the object in its error, with `*` standing
//! for any run of characters: `"operator family public.*"`,
//! `"foreign table *"`.

use std::collections::BTreeSet;

use gen_model::{Catalog, ObjectId};

/// Patterns naming objects that are neither planned nor an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignore {
    patterns: Vec<String>,
}

/// A pattern that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("ignore pattern {pattern:?} {problem}")]
pub struct IgnoreError {
    /// The pattern as written.
    pub pattern: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

impl Ignore {
    /// Builds the list; a pattern must name a kind and an identity.
    pub fn new(patterns: impl IntoIterator<Item = String>) -> Result<Ignore, IgnoreError> {
        let patterns: Vec<String> = patterns.into_iter().collect();
        for p in &patterns {
            if !p.trim().contains(' ') {
                return Err(IgnoreError {
                    pattern: p.clone(),
                    problem: "must be `kind identity`, e.g. \"foreign table public.*\"",
                });
            }
        }
        Ok(Ignore { patterns })
    }

    /// Whether the object `kind identity` is ignored.
    pub fn matches(&self, kind: &str, identity: &str) -> bool {
        let name = format!("{kind} {identity}");
        self.patterns.iter().any(|p| glob(p.trim(), &name))
    }

    /// Whether no pattern is set.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether the object is ignored, named as gen names it (`operator
    /// family public.fam USING btree`).
    pub fn matches_id(&self, id: &ObjectId) -> bool {
        let text = id.to_string();
        let identity = text.strip_prefix(id.kind()).unwrap_or(&text).trim_start();
        self.matches(id.kind(), identity)
    }

    /// Leaves out of `catalog` the objects of the kinds gen planned only
    /// later (operator families and classes, subscriptions, typed tables,
    /// languages, access methods, conversions, text search parsers and
    /// templates) that a pattern names: a project that listed them to
    /// manage them by hand goes on doing so.
    pub fn forget(&self, catalog: &mut Catalog) {
        if self.is_empty() {
            return;
        }
        let mut gone: BTreeSet<ObjectId> = BTreeSet::new();
        let mut kept = |id: ObjectId| {
            let ignored = self.matches_id(&id);
            if ignored {
                gone.insert(id);
            }
            !ignored
        };
        catalog.operator_families.retain(|_, f| kept(f.id()));
        catalog.operator_classes.retain(|_, c| kept(c.id()));
        catalog.subscriptions.retain(|_, s| kept(s.id()));
        catalog.languages.retain(|_, l| kept(l.id()));
        catalog.access_methods.retain(|_, a| kept(a.id()));
        catalog.conversions.retain(|_, c| kept(c.id()));
        catalog.text_search_parsers.retain(|_, p| kept(p.id()));
        catalog.text_search_templates.retain(|_, t| kept(t.id()));
        // A typed table is named as the refusal named it.
        catalog.tables.retain(|name, t| {
            let ignored = t.of_type.is_some() && self.matches("typed table", &name.to_string());
            if ignored {
                gone.insert(ObjectId::Table { name: name.clone() });
            }
            !ignored
        });
        if gone.is_empty() {
            return;
        }
        // What is of a forgotten object (a typed table's columns) goes
        // with it.
        let of_gone = |id: &ObjectId| {
            gone.contains(id)
                || id
                    .table()
                    .is_some_and(|t| gone.contains(&ObjectId::Table { name: t.clone() }))
        };
        catalog.depends.retain(|(a, b)| !of_gone(a) && !of_gone(b));
        catalog.owners.retain(|id, _| !of_gone(id));
        catalog.privileges.retain(|id, _| !of_gone(id));
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(p: &[&str]) -> Ignore {
        Ignore::new(p.iter().map(|s| s.to_string())).expect("valid patterns")
    }

    #[test]
    fn patterns_match_kind_and_identity() {
        let i = ignore(&["text search configuration public.*", "rule *"]);
        assert!(i.matches("text search configuration", "public.english"));
        assert!(!i.matches("text search configuration", "app.english"));
        assert!(i.matches("rule", "r on public.t"));
        assert!(!i.matches("foreign table", "public.t"));
    }

    #[test]
    fn star_in_the_middle_and_exact_names() {
        let i = ignore(&["operator public.*(integer,integer)", "publication pub"]);
        assert!(i.matches("operator", "public.===(integer,integer)"));
        assert!(!i.matches("operator", "public.===(text,text)"));
        assert!(i.matches("publication", "pub"));
        assert!(!i.matches("publication", "pub2"));
        assert!(glob("a*b*c", "abc"));
        assert!(!glob("a*bc", "abc2"));
    }

    #[test]
    fn a_pattern_without_identity_is_refused() {
        let e = Ignore::new(["views".to_owned()]).expect_err("no identity");
        assert!(e.to_string().contains("kind identity"), "{e}");
    }
}
