//! Comments on the index behind a key.

use gen_test_support::*;

use super::lines;
use crate::{Change, CommentChange, diff};

#[test]
fn new_table_keeps_the_comment_on_its_key_index() {
    let t = q("public", "t");
    let new = db()
        .table(
            table(t.clone(), vec![col("id", "integer").not_null()])
                .pk("t_pkey", &["id"])
                .index_comment("t_pkey", "Backs the key."),
        )
        .build();
    let changes = diff(&db().build(), &new);
    assert!(
        changes.contains(&Change::Comment(CommentChange::ConstraintIndexComment {
            table: t.clone(),
            constraint: "t_pkey".to_owned(),
            comment: Some("Backs the key.".to_owned()),
        })),
        "{}",
        lines(&changes)
    );
}

#[test]
fn new_key_on_an_existing_table_keeps_the_comment_on_its_index() {
    let t = q("public", "t");
    let bare = table(t.clone(), vec![col("id", "integer").not_null()]);
    let old = db().table(bare.clone()).build();
    let new = db()
        .table(
            bare.pk("t_pkey", &["id"])
                .index_comment("t_pkey", "Backs the key."),
        )
        .build();
    let changes = diff(&old, &new);
    assert!(
        changes.contains(&Change::Comment(CommentChange::ConstraintIndexComment {
            table: t.clone(),
            constraint: "t_pkey".to_owned(),
            comment: Some("Backs the key.".to_owned()),
        })),
        "{}",
        lines(&changes)
    );
}
