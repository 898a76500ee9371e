//! Sequences that go with the column that owns them.

use gen_test_support::*;
use insta::assert_snapshot;

use super::diff_lines;

#[test]
fn owned_sequence_whose_column_is_dropped_is_not_dropped_separately() {
    let t = q("public", "t");
    let seq = q("public", "t_n_seq");
    let old = db()
        .table(table(
            t.clone(),
            vec![
                col("id", "integer"),
                col("n", "integer")
                    .not_null()
                    .default("nextval('public.t_n_seq'::regclass)"),
            ],
        ))
        .sequence(sequence(seq.clone(), ascending("integer")).owned_by(&t, "n"))
        .build();
    let without_column = db()
        .table(table(t.clone(), vec![col("id", "integer")]))
        .build();
    assert_snapshot!(diff_lines(&old, &without_column), @"DropColumn column public.t.n");
    // With the table, too.
    assert_snapshot!(diff_lines(&old, &db().build()), @"DropTable table public.t");
    // The column stays and only the sequence goes: that one is dropped.
    let column_kept = db()
        .table(table(
            t.clone(),
            vec![col("id", "integer"), col("n", "integer").not_null()],
        ))
        .build();
    assert_snapshot!(diff_lines(&old, &column_kept), @r"
        DropSequence sequence public.t_n_seq
        AlterColumn DropDefault column public.t.n
        ");
}
