//! Indexes that go with their table, or change in place.

use gen_test_support::*;
use insta::assert_snapshot;

use super::diff_lines;

#[test]
fn index_on_a_dropped_table_is_not_dropped_separately() {
    let t = q("public", "t");
    let with_index = |def: Option<&str>| {
        let mut i = index("t_x_idx", &t, &["x"]);
        if let Some(def) = def {
            i.definition = def.to_owned();
        }
        db().table(table(t.clone(), vec![col("x", "integer")]))
            .index(i)
            .build()
    };
    let old = with_index(None);
    assert_snapshot!(diff_lines(&old, &db().build()), @"DropTable table public.t");
    // On a table that stays, the index is dropped, or dropped and created
    // again when its definition changes.
    let bare = db()
        .table(table(t.clone(), vec![col("x", "integer")]))
        .build();
    assert_snapshot!(diff_lines(&old, &bare), @"DropIndex index public.t_x_idx");
    let changed = with_index(Some(
        "CREATE INDEX t_x_idx ON public.t USING btree (x DESC)",
    ));
    assert_snapshot!(diff_lines(&old, &changed), @r"
        DropIndex index public.t_x_idx
        CreateIndex index public.t_x_idx
        ");
}
