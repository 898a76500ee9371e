//! Text search: a configuration's mappings grouped on creation and changed
//! one token type at a time; configurations and dictionaries created early
//! and rebuilt together.

use gen_model::Catalog;
use gen_test_support::*;

use super::deploy;

fn with(
    dictionary: Option<gen_model::TextSearchDictionary>,
    configuration: Option<gen_model::TextSearchConfiguration>,
) -> Catalog {
    let mut c = db().build();
    if let (Some(d), Some(cfg)) = (&dictionary, &configuration) {
        c.depends.insert((cfg.id(), d.id()));
    }
    if let Some(d) = dictionary {
        c.text_search_dictionaries.insert(d.name.clone(), d);
    }
    if let Some(cfg) = configuration {
        c.text_search_configurations.insert(cfg.name.clone(), cfg);
    }
    c
}

#[test]
fn token_types_looked_up_alike_share_one_mapping_statement() {
    let cfg = text_search_configuration(
        q("public", "plain"),
        &[
            ("asciiword", &["public.stems", "simple"]),
            ("email", &["simple"]),
            ("word", &["public.stems", "simple"]),
        ],
    );
    let dict = text_search_dictionary(
        q("public", "stems"),
        "pg_catalog.snowball",
        Some("language = 'english'"),
    );
    assert_eq!(
        deploy(&with(None, None), &with(Some(dict), Some(cfg))),
        "CREATE TEXT SEARCH DICTIONARY public.stems (TEMPLATE = pg_catalog.snowball, language = 'english');\n\n\
         CREATE TEXT SEARCH CONFIGURATION public.plain (PARSER = pg_catalog.\"default\");\n\
         ALTER TEXT SEARCH CONFIGURATION public.plain ADD MAPPING FOR asciiword, word WITH public.stems, simple;\n\
         ALTER TEXT SEARCH CONFIGURATION public.plain ADD MAPPING FOR email WITH simple;\n"
    );
}

#[test]
fn mappings_are_added_altered_and_dropped_in_place() {
    let old = text_search_configuration(
        q("public", "plain"),
        &[("asciiword", &["simple"]), ("email", &["simple"])],
    );
    let new = text_search_configuration(
        q("public", "plain"),
        &[("asciiword", &["english_stem"]), ("int", &["simple"])],
    );
    assert_eq!(
        deploy(&with(None, Some(old)), &with(None, Some(new))),
        "ALTER TEXT SEARCH CONFIGURATION public.plain ALTER MAPPING FOR asciiword WITH english_stem;\n\n\
         ALTER TEXT SEARCH CONFIGURATION public.plain DROP MAPPING FOR email;\n\n\
         ALTER TEXT SEARCH CONFIGURATION public.plain ADD MAPPING FOR int WITH simple;\n"
    );
}

#[test]
fn a_dictionary_made_anew_takes_its_configurations_along() {
    let cfg = text_search_configuration(q("public", "plain"), &[("asciiword", &["public.stems"])]);
    let old = text_search_dictionary(
        q("public", "stems"),
        "pg_catalog.snowball",
        Some("language = 'english'"),
    );
    let mut new = old.clone();
    new.options = Some("language = 'english', stopwords = 'english'".to_owned());
    let sql = deploy(
        &with(Some(old), Some(cfg.clone())),
        &with(Some(new), Some(cfg)),
    );
    let order: Vec<usize> = [
        "DROP TEXT SEARCH CONFIGURATION public.plain;",
        "DROP TEXT SEARCH DICTIONARY public.stems;",
        "CREATE TEXT SEARCH DICTIONARY public.stems",
        "CREATE TEXT SEARCH CONFIGURATION public.plain",
    ]
    .iter()
    .map(|s| {
        sql.find(s)
            .unwrap_or_else(|| panic!("{s} missing from\n{sql}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{sql}");
}
