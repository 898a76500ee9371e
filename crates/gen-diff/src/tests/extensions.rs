//! Extensions: the comment `CREATE EXTENSION` brings, and versions.

use gen_model::{Catalog, Extension};
use insta::assert_snapshot;

use super::diff_lines;

/// `CREATE EXTENSION` gives the extension its control file's comment: a
/// plan that creates one removes or replaces that comment when the new
/// catalog says otherwise, and says nothing when they agree.
#[test]
fn a_created_extension_starts_from_its_control_file_comment() {
    let with = |comment: Option<&str>| {
        let mut c = Catalog::default();
        c.extensions.insert(
            "citext".to_owned(),
            Extension {
                name: "citext".to_owned(),
                schema: "public".to_owned(),
                version: "1.6".to_owned(),
                comment: comment.map(str::to_owned),
                default_comment: Some(
                    "data type for case-insensitive character strings".to_owned(),
                ),
                fixed_schema: false,
            },
        );
        diff_lines(&Catalog::default(), &c)
    };
    assert_snapshot!(with(None), @r"
        CreateExtension extension citext
        Comment extension citext = None
    ");
    assert_snapshot!(with(Some("data type for case-insensitive character strings")), @"CreateExtension extension citext");
    assert_snapshot!(with(Some("ours")), @r#"
        CreateExtension extension citext
        Comment extension citext = Some("ours")
    "#);
}

#[test]
fn extension_versions_compare_as_numbers() {
    assert!(crate::is_downgrade("1.4", "1.3"));
    assert!(crate::is_downgrade("1.10", "1.9"));
    assert!(!crate::is_downgrade("1.9", "1.10"));
    assert!(!crate::is_downgrade("1.3", "1.3"));
    assert!(!crate::is_downgrade("2.0beta", "1.0"));
}
