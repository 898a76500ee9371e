//! Tables as a whole.

use gen_model::Catalog;
use gen_test_support::{col, db, q, table};
use insta::assert_snapshot;

use super::diff_lines;

/// A catalog of one table stored by `method`, read from a server of
/// `major`.
fn stored_by(method: Option<&str>, major: u32) -> Catalog {
    let mut t = table(q("public", "notes"), vec![col("id", "integer")]);
    t.access_method = method.map(str::to_owned);
    let mut c = db().schema("public").table(t).build();
    c.major = major;
    c
}

/// `SET ACCESS METHOD` comes with PostgreSQL 15: before it, the table is
/// made anew (which the plan says deletes its rows).
#[test]
fn a_table_changes_access_method_in_place_from_15_on() {
    assert_snapshot!(
        diff_lines(&stored_by(None, 15), &stored_by(Some("heap2"), 15)),
        @"SetAccessMethod table public.notes"
    );
    assert_snapshot!(
        diff_lines(&stored_by(Some("heap2"), 14), &stored_by(None, 14)),
        @r"
        DropTable table public.notes
        CreateTable table public.notes
        "
    );
}
