//! Columns: generated expressions, the order of a column's actions, and
//! how a type change converts.

use gen_model::{CastContext, Catalog, Column};
use gen_test_support::*;
use insta::assert_snapshot;

use super::diff_lines;
use crate::{Change, ColumnAction, ColumnChange, Conversion, diff};

fn one_column(c: Column) -> Catalog {
    db().table(table(q("public", "t"), vec![col("a", "integer"), c]))
        .build()
}

#[test]
fn generated_expression_change_is_drop_and_add() {
    let old = one_column(col("g", "integer").generated("(a * 2)"));
    let new = one_column(col("g", "integer").generated("(a * 3)"));
    assert_snapshot!(diff_lines(&old, &new), @r"
        DropColumn column public.t.g
        AddColumn column public.t.g
        ");
}

#[test]
fn generated_to_plain_drops_the_expression_and_keeps_the_values() {
    let old = one_column(col("g", "integer").generated("(a * 2)"));
    let new = one_column(col("g", "integer"));
    assert_snapshot!(diff_lines(&old, &new), @"AlterColumn DropExpression column public.t.g");
}

#[test]
fn plain_to_generated_is_drop_and_add() {
    let old = one_column(col("g", "integer"));
    let new = one_column(col("g", "integer").generated("(a * 2)"));
    assert_snapshot!(diff_lines(&old, &new), @r"
        DropColumn column public.t.g
        AddColumn column public.t.g
        ");
}

#[test]
fn column_actions_come_in_the_order_postgres_accepts() {
    let old = one_column(col("c", "text").default("'1'::text").comment("old"));
    let new = one_column(col("c", "bigint").not_null().default("2").comment("new"));
    assert_snapshot!(diff_lines(&old, &new), @r#"
        AlterColumn DropDefault column public.t.c
        AlterColumn Type text -> bigint (Explicit) column public.t.c
        AlterColumn SetDefault column public.t.c
        AlterColumn SetNotNull column public.t.c
        Comment column public.t.c = Some("new")
        "#);
}

#[test]
fn conversion_follows_the_casts_of_either_catalog() {
    let conversion = |from: &str,
                      to: &str,
                      casts: &[(&str, &str, CastContext)],
                      new_casts: &[(&str, &str, CastContext)]| {
        let mut old = db();
        for (f, t, c) in casts {
            old = old.cast(f, t, *c);
        }
        let mut new = db();
        for (f, t, c) in new_casts {
            new = new.cast(f, t, *c);
        }
        let old = old
            .table(table(q("public", "t"), vec![col("c", from)]))
            .build();
        let new = new
            .table(table(q("public", "t"), vec![col("c", to)]))
            .build();
        match diff(&old, &new).as_slice() {
            [
                Change::Column(ColumnChange::AlterColumn {
                    action: ColumnAction::Type { conversion, .. },
                    ..
                }),
            ] => conversion.clone(),
            other => panic!("{other:?}"),
        }
    };
    use CastContext::{Assignment as A, Explicit as E, Implicit as I};
    use Conversion::{Assignment, Explicit, ViaText};
    assert_eq!(
        conversion("integer", "bigint", &[("integer", "bigint", I)], &[]),
        Assignment
    );
    assert_eq!(
        conversion("bigint", "integer", &[("bigint", "integer", A)], &[]),
        Assignment
    );
    assert_eq!(
        conversion("integer", "boolean", &[("integer", "boolean", E)], &[]),
        Explicit
    );
    // A cast only the new catalog knows (an extension arriving) counts.
    assert_eq!(
        conversion("text", "citext", &[], &[("text", "citext", A)]),
        Assignment
    );
    assert_eq!(conversion("integer", "interval", &[], &[]), ViaText);
    // Any type goes to a string type by assignment; from one, by input.
    assert_eq!(conversion("interval", "text", &[], &[]), Assignment);
    assert_eq!(
        conversion("uuid", "character varying(36)", &[], &[]),
        Assignment
    );
    assert_eq!(conversion("text", "uuid", &[], &[]), Explicit);
    // Arrays convert element by element.
    assert_eq!(
        conversion("integer[]", "bigint[]", &[("integer", "bigint", I)], &[]),
        Assignment
    );
    assert_eq!(conversion("integer[]", "interval[]", &[], &[]), ViaText);
    // Same type, other modifiers.
    assert_eq!(
        conversion("numeric(5,2)", "numeric(10,2)", &[], &[]),
        Assignment
    );
}

/// Whether a type change rewrites the table, as the server decides it:
/// the oracle measures each case against the server's relfilenodes; this
/// pins the rules down without one.
#[test]
fn a_type_change_rewrites_unless_the_server_only_relabels() {
    let mut casts = Catalog::default();
    casts
        .binary_casts
        .insert(("character varying".into(), "text".into()));
    casts
        .binary_casts
        .insert(("text".into(), "character varying".into()));
    // As format_type prints the type without its modifier.
    let column = |data_type: &str| {
        let mut c = col("c", data_type);
        c.base_type = match data_type.split_once('(') {
            Some((base, rest)) => format!(
                "{base}{}",
                rest.split_once(')').map_or("", |(_, after)| after)
            ),
            None => data_type.to_owned(),
        };
        c
    };
    let rewrites =
        |from: &str, to: &str| crate::table::rewrites(&column(from), &column(to), [&casts, &casts]);
    for (from, to) in [
        ("character varying(20)", "character varying(40)"),
        ("character varying(20)", "character varying"),
        ("character varying(20)", "text"),
        ("text", "character varying"),
        ("numeric(10,2)", "numeric(12,2)"),
        ("numeric(10,2)", "numeric"),
        (
            "timestamp(3) without time zone",
            "timestamp without time zone",
        ),
        ("time(2) with time zone", "time(4) with time zone"),
    ] {
        assert!(!rewrites(from, to), "{from} to {to} keeps the rows");
    }
    for (from, to) in [
        ("character varying(40)", "character varying(20)"),
        ("character varying", "character varying(20)"),
        ("text", "character varying(20)"),
        ("numeric(10,2)", "numeric(12,3)"),
        ("numeric", "numeric(12,2)"),
        ("character(4)", "character(8)"),
        ("integer", "bigint"),
        ("integer[]", "bigint[]"),
        ("timestamp without time zone", "timestamp with time zone"),
        (
            "timestamp without time zone",
            "timestamp(3) without time zone",
        ),
    ] {
        assert!(rewrites(from, to), "{from} to {to} writes every row");
    }
}
