//! Comments on every kind of object, key indexes included, and their
//! escaping.

use gen_model::{Index, Sequence, Table};
use gen_test_support::*;
use insta::assert_snapshot;

use super::deploy;

#[test]
fn comments_are_set_changed_removed_and_escaped() {
    let t = q("public", "t");
    let s = q("public", "s");
    let old = db()
        .sequence(sequence(s.clone(), ascending("bigint")))
        .table(
            table(
                t.clone(),
                vec![
                    col("a", "integer").not_null().comment("to remove"),
                    col("b", "text").comment("before"),
                ],
            )
            .pk("t_pkey", &["a"])
            .comment("old")
            .index_comment("t_pkey", "index before"),
        )
        .index(index("t_b_idx", &t, &["b"]))
        .build();
    let new = db()
        .schema_comment("public", "Application data.")
        .sequence(Sequence {
            comment: Some("Numbers.".to_owned()),
            ..sequence(s.clone(), ascending("bigint"))
        })
        .table(
            table(
                t.clone(),
                vec![
                    col("a", "integer").not_null(),
                    col("b", "text").comment("back\\slash"),
                ],
            )
            .pk("t_pkey", &["a"])
            .comment("it's new")
            .constraint_comment("t_pkey", "Surrogate key."),
        )
        .index(Index {
            comment: Some("Lookup by \"b\".".to_owned()),
            ..index("t_b_idx", &t, &["b"])
        })
        .build();
    assert_snapshot!(deploy(&old, &new), @r#"
        COMMENT ON SCHEMA public IS 'Application data.';

        COMMENT ON SEQUENCE public.s IS 'Numbers.';

        COMMENT ON TABLE public.t IS 'it''s new';

        COMMENT ON COLUMN public.t.a IS NULL;

        COMMENT ON COLUMN public.t.b IS E'back\\slash';

        COMMENT ON CONSTRAINT t_pkey ON public.t IS 'Surrogate key.';

        COMMENT ON INDEX public.t_pkey IS NULL;

        COMMENT ON INDEX public.t_b_idx IS 'Lookup by "b".';
        "#);
}

#[test]
fn new_table_keeps_the_comment_on_its_primary_key_index() {
    let t = q("Sales", "Order");
    let new = Db::default()
        .schema("Sales")
        .table(
            table(t.clone(), vec![col("Id", "integer").not_null()])
                .pk("Order_pkey", &["Id"])
                .index_comment("Order_pkey", "Backs the key."),
        )
        .build();
    let sql = deploy(&Db::default().schema("Sales").build(), &new);
    assert!(
        sql.contains("COMMENT ON INDEX \"Sales\".\"Order_pkey\" IS 'Backs the key.';"),
        "{sql}"
    );
}

#[test]
fn new_key_on_an_existing_table_keeps_the_comment_on_its_index() {
    let t = q("public", "t");
    let build = |t: Table| db().table(t).build();
    let bare = table(t.clone(), vec![col("id", "integer").not_null()]);
    let old = build(bare.clone());
    let new = build(
        bare.pk("t_pkey", &["id"])
            .index_comment("t_pkey", "Backs the key."),
    );
    let sql = deploy(&old, &new);
    assert!(
        sql.contains("COMMENT ON INDEX public.t_pkey IS 'Backs the key.';"),
        "{sql}"
    );
}
