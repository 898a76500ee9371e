//! Columns: type changes and their casts, defaults, identity and
//! generated columns.

use gen_model::{CastContext, Column, SequenceOptions};
use gen_test_support::*;
use insta::assert_snapshot;

use super::{deploy, hazard_lines, planned};
use crate::HazardKind;

#[test]
fn generated_expression_change_drops_the_index_on_the_column_first() {
    let t = q("public", "line");
    let build = |expr: &str| {
        db().table(table(
            t.clone(),
            vec![
                col("qty", "integer"),
                col("total", "integer").generated(expr),
            ],
        ))
        .index(index("line_total_idx", &t, &["total"]))
        .dep(
            index_id(&q("public", "line_total_idx")),
            column_id(&t, "total"),
        )
        .build()
    };
    let p = planned(&build("(qty * 2)"), &build("(qty * 3)"));
    assert_snapshot!(p.sql(), @r"
        DROP INDEX public.line_total_idx;

        ALTER TABLE public.line DROP COLUMN total;

        ALTER TABLE public.line ADD COLUMN total integer GENERATED ALWAYS AS ((qty * 3)) STORED;

        CREATE INDEX line_total_idx ON public.line USING btree (total);
        ");
    // A generated column holds no data of its own: nothing is lost.
    assert!(
        p.hazards().all(|(_, h)| h.kind != HazardKind::DeletesData),
        "{}",
        hazard_lines(&p)
    );
}

#[test]
fn type_change_with_a_default_drops_the_default_then_changes_type_then_sets_it() {
    let t = q("public", "ticket");
    let build = |c: Column| {
        db().table(table(t.clone(), vec![col("id", "integer").not_null(), c]))
            .build()
    };
    let old = build(col("priority", "text").not_null().default("'3'::text"));
    let new = build(col("priority", "smallint").not_null().default("3"));
    assert_snapshot!(deploy(&old, &new), @r"
        ALTER TABLE public.ticket ALTER COLUMN priority DROP DEFAULT;

        ALTER TABLE public.ticket ALTER COLUMN priority TYPE smallint USING priority::smallint;

        ALTER TABLE public.ticket ALTER COLUMN priority SET DEFAULT 3;
        ");
    assert_snapshot!(deploy(&new, &old), @r"
        ALTER TABLE public.ticket ALTER COLUMN priority DROP DEFAULT;

        ALTER TABLE public.ticket ALTER COLUMN priority TYPE text;

        ALTER TABLE public.ticket ALTER COLUMN priority SET DEFAULT '3'::text;
        ");
}

#[test]
fn type_change_says_using_only_when_no_assignment_cast_exists() {
    let t = q("public", "m");
    let build = |cols: Vec<Column>| {
        db().table(table(t.clone(), cols))
            .cast("integer", "bigint", CastContext::Implicit)
            .cast("integer", "boolean", CastContext::Explicit)
            .build()
    };
    let old = build(vec![
        col("a", "integer"),
        col("Flag", "integer"),
        col("d", "integer"),
        col("s", "character varying(10)"),
        col("name", "text"),
    ]);
    let new = build(vec![
        // Assignment cast: a bare TYPE keeps the server's assignment rules.
        col("a", "bigint"),
        // Explicit cast only.
        col("Flag", "boolean"),
        // No cast at all: through the text forms.
        col("d", "interval"),
        // Same type, other modifier.
        col("s", "character varying(20)"),
        // Collation only.
        col("name", "text").collate("\"C\""),
    ]);
    assert_snapshot!(deploy(&old, &new), @r#"
        ALTER TABLE public.m ALTER COLUMN a TYPE bigint;

        ALTER TABLE public.m ALTER COLUMN "Flag" TYPE boolean USING "Flag"::boolean;

        ALTER TABLE public.m ALTER COLUMN d TYPE interval USING d::text::interval;

        ALTER TABLE public.m ALTER COLUMN s TYPE character varying(20);

        ALTER TABLE public.m ALTER COLUMN name TYPE text COLLATE "C";
        "#);
}

#[test]
fn identity_clause_names_only_options_that_differ_from_the_defaults() {
    let t = q("public", "t");
    let new = db()
        .table(table(
            t.clone(),
            vec![
                col("id", "bigint").identity(true, q("public", "t_id_seq"), ascending("bigint")),
                col("n", "integer").identity(
                    false,
                    q("public", "counter_seq"),
                    SequenceOptions {
                        start: 100,
                        cache: 10,
                        ..ascending("integer")
                    },
                ),
                col("down", "integer").identity(
                    false,
                    q("public", "t_down_seq"),
                    descending("integer"),
                ),
                col("lim", "smallint").identity(
                    true,
                    q("public", "t_lim_seq"),
                    SequenceOptions {
                        max_value: 1000,
                        cycle: true,
                        ..ascending("smallint")
                    },
                ),
            ],
        ))
        .build();
    assert_snapshot!(deploy(&db().build(), &new), @r"
        CREATE TABLE public.t (
            id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
            n integer NOT NULL GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME public.counter_seq START WITH 100 CACHE 10),
            down integer NOT NULL GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -1),
            lim smallint NOT NULL GENERATED ALWAYS AS IDENTITY (MAXVALUE 1000 CYCLE)
        );
        ");
}

#[test]
fn added_columns_come_in_the_order_the_table_declares_them() {
    let t = q("public", "t");
    let old = db()
        .table(table(t.clone(), vec![col("id", "integer")]))
        .build();
    let new = db()
        .table(table(
            t,
            vec![
                col("id", "integer"),
                col("zeta", "text"),
                col("alpha", "text"),
            ],
        ))
        .build();
    assert_eq!(
        deploy(&old, &new),
        "ALTER TABLE public.t ADD COLUMN zeta text;\n\nALTER TABLE public.t ADD COLUMN alpha text;\n"
    );
}
