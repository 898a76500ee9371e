//! A catalog with something of every kind gen models: nothing to do
//! against itself, everything to create from nothing and back.

use gen_model::{CastContext, Catalog, Column, Extension, Identity, Index, Schema, Table};
use gen_test_support::*;
use insta::assert_snapshot;

use super::diff_lines;
use crate::diff;

/// A catalog with something of every kind gen models.
fn everything() -> Catalog {
    let (parent, child) = (q("app", "Parent"), q("app", "child"));
    let mut c = db()
        .table(
            Table {
                unlogged: true,
                options: vec!["fillfactor=70".to_owned()],
                comment: Some("Parents.".to_owned()),
                ..table(
                    parent.clone(),
                    vec![
                        Column {
                            identity: Some(Identity {
                                always: true,
                                sequence: q("app", "Parent_id_seq"),
                                options: ascending("bigint"),
                            }),
                            ..col("id", "bigint").not_null()
                        },
                        col("name", "text").comment("Shown to users."),
                        Column {
                            collation: Some("\"C\"".to_owned()),
                            ..col("code", "character varying(20)")
                        },
                        col("n", "integer")
                            .not_null()
                            .default("nextval('app.parent_n_seq'::regclass)"),
                        col("twice", "integer").generated("(n * 2)"),
                    ],
                )
            }
            .pk("Parent_pkey", &["id"])
            .check("name_present", "(name <> ''::text)")
            .not_valid("name_present")
            .constraint_comment("Parent_pkey", "Key.")
            .index_comment("Parent_pkey", "Key index."),
        )
        .table(table(child.clone(), vec![col("parent_id", "bigint")]).fk(
            "child_parent_id_fkey",
            &["parent_id"],
            &parent,
            &["id"],
        ))
        .sequence(sequence(q("app", "parent_n_seq"), ascending("integer")).owned_by(&parent, "n"))
        .index(Index {
            comment: Some("Lookup.".to_owned()),
            ..index("child_parent_idx", &child, &["parent_id"])
        })
        .cast("integer", "bigint", CastContext::Implicit)
        .dep(
            index_id(&q("app", "child_parent_idx")),
            column_id(&child, "parent_id"),
        )
        .build();
    c.schemas.insert(
        "app".to_owned(),
        Schema {
            name: "app".to_owned(),
            comment: Some("The application.".to_owned()),
        },
    );
    c.extensions.insert(
        "citext".to_owned(),
        Extension {
            name: "citext".to_owned(),
            schema: "public".to_owned(),
            version: "1.6".to_owned(),
            comment: None,
            default_comment: None,
            fixed_schema: false,
        },
    );
    c
}

#[test]
fn identical_catalogs_have_no_changes() {
    let c = everything();
    assert_eq!(diff(&c, &c), []);
    assert_eq!(diff(&Catalog::default(), &Catalog::default()), []);
}

#[test]
fn everything_from_nothing_and_back() {
    let c = everything();
    assert_snapshot!(diff_lines(&Catalog::default(), &c), @r#"
        CreateSchema schema app
        Comment schema app = Some("The application.")
        CreateSchema schema public
        CreateExtension extension citext
        CreateSequence sequence app.parent_n_seq
        SetSequenceOwner sequence ownership app.parent_n_seq
        CreateTable table app."Parent"
        Comment table app."Parent" = Some("Parents.")
        Comment column app."Parent".name = Some("Shown to users.")
        Comment constraint "Parent_pkey" on app."Parent" = Some("Key.")
        ConstraintIndexComment constraint "Parent_pkey" on app."Parent" = Some("Key index.")
        AddConstraint constraint name_present on app."Parent"
        CreateTable table app.child
        AddConstraint constraint child_parent_id_fkey on app.child
        CreateIndex index app.child_parent_idx
        Comment index app.child_parent_idx = Some("Lookup.")
        "#);
    // Columns, constraints, indexes and owned sequences go with their table.
    assert_snapshot!(diff_lines(&c, &Catalog::default()), @r#"
        DropSchema schema app
        DropSchema schema public
        DropExtension extension citext
        DropTable table app."Parent"
        DropTable table app.child
        "#);
}
