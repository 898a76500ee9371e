//! Verify scripts: what they check, how they quote, and their edge
//! cases.

use gen_model::Catalog;
use gen_test_support::*;
use insta::assert_snapshot;

use super::checked::verify;
use super::names::quoted_catalog;
use super::planned;
use crate::Plan;

#[test]
fn verify_checks_what_was_created_altered_and_dropped() {
    let t = q("public", "t");
    let old = db()
        .table(
            table(
                t.clone(),
                vec![col("id", "integer").not_null(), col("legacy", "text")],
            )
            .pk("t_pkey", &["id"]),
        )
        .table(table(q("public", "old_t"), vec![col("x", "integer")]))
        .index(index("t_legacy_idx", &t, &["legacy"]))
        .build();
    let new = db()
        .table(
            table(
                t.clone(),
                vec![
                    col("id", "bigint").not_null(),
                    col("note", "character varying(20)"),
                ],
            )
            .pk("t_pkey", &["id"])
            .check("t_id_positive", "(id > 0)")
            .check("t_id_small", "(id < 1000)")
            .not_valid("t_id_small"),
        )
        .table(table(
            q("public", "n"),
            vec![col("id", "bigint").not_null()],
        ))
        .build();
    let p = planned(&old, &new);
    assert_snapshot!(verify::script("-- Verify x on pg", &p, &new), @r"
        -- Verify x on pg

        BEGIN;

        SET LOCAL search_path = '';

        DO $verify$
        DECLARE
            failed text[] := '{}';
        BEGIN
            IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('public.n') AND relkind IN ('r', 'p'))) THEN
                failed := failed || 'table public.n is missing'::text;
            END IF;
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('public.old_t') AND relkind IN ('r', 'p')) THEN
                failed := failed || 'table public.old_t should be gone'::text;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('public.t') AND attname = 'id' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'bigint' AND attnotnull = true) THEN
                failed := failed || 'column public.t.id is missing or not bigint NOT NULL'::text;
            END IF;
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('public.t') AND attname = 'legacy' AND NOT attisdropped) THEN
                failed := failed || 'column public.t.legacy should be gone'::text;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('public.t') AND attname = 'note' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'character varying(20)' AND attnotnull = false) THEN
                failed := failed || 'column public.t.note is missing or not character varying(20)'::text;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('public.t') AND conname = 't_id_positive' AND contype = 'c' AND convalidated = true) THEN
                failed := failed || 'constraint t_id_positive on public.t is missing or of another kind'::text;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('public.t') AND conname = 't_id_small' AND contype = 'c' AND convalidated = false) THEN
                failed := failed || 'constraint t_id_small on public.t is missing or of another kind'::text;
            END IF;
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('public.t_legacy_idx') AND relkind IN ('i', 'I')) AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conindid = to_regclass('public.t_legacy_idx')) THEN
                failed := failed || 'index public.t_legacy_idx should be gone'::text;
            END IF;
            IF cardinality(failed) > 0 THEN
                RAISE EXCEPTION USING MESSAGE = array_to_string(failed, '; ');
            END IF;
        END
        $verify$;

        ROLLBACK;
        ");
}

#[test]
fn verify_quotes_names_inside_literals() {
    let new = quoted_catalog();
    let p = planned(&Catalog::default(), &new);
    assert_snapshot!(verify::script("-- Verify y on pg", &p, &new), @r#"
        -- Verify y on pg

        BEGIN;

        SET LOCAL search_path = '';

        DO $verify$
        DECLARE
            failed text[] := '{}';
        BEGIN
            IF NOT (to_regnamespace('"Sales"') IS NOT NULL) THEN
                failed := failed || 'schema "Sales" is missing'::text;
            END IF;
            IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('"Sales"."Order"') AND relkind IN ('r', 'p'))) THEN
                failed := failed || 'table "Sales"."Order" is missing'::text;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('"Sales"."Order"') AND attname = 'données' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'text' AND attnotnull = false) THEN
                failed := failed || 'column "Sales"."Order"."données" is missing or not text'::text;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('"Sales"."Order"') AND conname = 'Order_pkey' AND contype = 'p' AND convalidated = true) THEN
                failed := failed || 'constraint "Order_pkey" on "Sales"."Order" is missing or of another kind'::text;
            END IF;
            IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('"Sales"."Order user idx"') AND relkind IN ('i', 'I'))) THEN
                failed := failed || 'index "Sales"."Order user idx" is missing'::text;
            END IF;
            IF cardinality(failed) > 0 THEN
                RAISE EXCEPTION USING MESSAGE = array_to_string(failed, '; ');
            END IF;
        END
        $verify$;

        ROLLBACK;
        "#);
}

#[test]
fn verify_of_a_plan_with_nothing_to_check_says_so() {
    let c = db().build();
    assert_snapshot!(verify::script("-- Verify z on pg", &Plan::default(), &c), @r"
        -- Verify z on pg

        BEGIN;

        -- Nothing to verify: the change alters no object gen can check.

        ROLLBACK;
        ");
}

#[test]
fn verify_checks_the_roles_a_change_creates_last() {
    let c = db().build();
    let script = verify::change_script(
        "-- Verify p:r on pg",
        &Plan::default(),
        &c,
        &["app's"],
        ("p", "r"),
    );
    assert_snapshot!(script, @r"
        -- Verify p:r on pg

        BEGIN;

        SET LOCAL search_path = '';

        DO $verify$
        DECLARE
            failed text[] := '{}';
            later boolean := false;
            registry text;
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app''s') THEN
                failed := failed || 'role app''s is missing'::text;
            END IF;
            IF cardinality(failed) > 0 THEN
                -- A change deployed after this one may have altered what it made:
                -- asked of every Sqitch registry, whatever its schema is called.
                FOR registry IN SELECT c.relnamespace::pg_catalog.regnamespace::text FROM pg_catalog.pg_class c WHERE c.relname = 'changes' AND EXISTS (SELECT FROM pg_catalog.pg_class r WHERE r.relnamespace = c.relnamespace AND r.relname = 'releases') LOOP
                    EXECUTE format('SELECT EXISTS (SELECT FROM %1$s.changes later JOIN %1$s.changes this ON this.project = later.project AND later.committed_at > this.committed_at WHERE this.project = $1 AND this.change = $2)', registry)
                        INTO later USING 'p', 'r';
                    EXIT WHEN later;
                END LOOP;
                IF later THEN
                    RAISE NOTICE USING MESSAGE = 'changed since by a later change: ' || array_to_string(failed, '; ');
                ELSE
                    RAISE EXCEPTION USING MESSAGE = array_to_string(failed, '; ');
                END IF;
            END IF;
        END
        $verify$;

        ROLLBACK;
        ");
}

#[test]
fn verify_dollar_quote_tag_avoids_the_body() {
    let t = q("public", "t");
    let old = db()
        .table(table(t.clone(), vec![col("id", "integer")]))
        .build();
    let new = db()
        .table(table(
            t.clone(),
            vec![col("id", "integer"), col("$verify$", "text")],
        ))
        .build();
    let p = planned(&old, &new);
    let script = verify::script("--", &p, &new);
    assert!(script.contains("DO $verify_$\n"), "{script}");
    assert!(script.contains("\n$verify_$;\n"), "{script}");
}
