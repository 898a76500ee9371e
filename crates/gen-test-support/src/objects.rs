//! Casts, rules and text search objects.

use std::collections::BTreeMap;

use gen_model::{
    Cast, CastContext, CastMethod, QualifiedName, Rule, TextSearchConfiguration,
    TextSearchDictionary, TriggerEnabled,
};

/// An explicit cast from `source` to `target` through `function`
/// (`public.f(text)`).
pub fn cast(source: &str, target: &str, function: &str) -> Cast {
    Cast {
        source: source.to_owned(),
        target: target.to_owned(),
        method: CastMethod::Function(function.to_owned()),
        context: CastContext::Explicit,
        comment: None,
    }
}

/// An enabled rule on `table`, `definition` as `pg_get_ruledef` prints it.
pub fn rule(table: QualifiedName, name: &str, definition: &str) -> Rule {
    Rule {
        table,
        name: name.to_owned(),
        definition: definition.to_owned(),
        enabled: TriggerEnabled::Origin,
        comment: None,
    }
}

/// A configuration on the default parser mapping each token type of
/// `mappings` to its dictionaries.
pub fn text_search_configuration(
    name: QualifiedName,
    mappings: &[(&str, &[&str])],
) -> TextSearchConfiguration {
    TextSearchConfiguration {
        name,
        parser: "pg_catalog.\"default\"".to_owned(),
        mappings: mappings
            .iter()
            .map(|(token, dictionaries)| {
                let dictionaries = dictionaries.iter().map(|d| (*d).to_owned()).collect();
                ((*token).to_owned(), dictionaries)
            })
            .collect::<BTreeMap<_, _>>(),
        comment: None,
    }
}

/// A dictionary on `template` with `options` as the server keeps them.
pub fn text_search_dictionary(
    name: QualifiedName,
    template: &str,
    options: Option<&str>,
) -> TextSearchDictionary {
    TextSearchDictionary {
        name,
        template: template.to_owned(),
        options: options.map(str::to_owned),
        comment: None,
    }
}
