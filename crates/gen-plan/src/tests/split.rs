//! Expand and contract: what the expand half keeps and what the contract
//! half drops, and the locks each step says it takes.

use gen_model::CastContext;
use gen_test_support::*;

use super::{deploy, hazard_lines, planned};
use crate::split::expanded;

#[test]
fn expand_keeps_what_holds_data_and_contract_drops_it() {
    let (t, gone) = (q("public", "t"), q("public", "gone"));
    let old = db()
        .table(
            table(
                t.clone(),
                vec![
                    col("id", "integer").not_null(),
                    col("full_name", "text").not_null(),
                ],
            )
            .pk("t_pkey", &["id"]),
        )
        .table(table(gone.clone(), vec![col("x", "integer")]))
        .build();
    let new = db()
        .table(
            table(
                t.clone(),
                vec![col("id", "integer").not_null(), col("first_name", "text")],
            )
            .pk("t_pkey", &["id"]),
        )
        .build();
    let mid = expanded(&old, &new);
    // The dropped column stays in its place, taking rows without it; the
    // new one comes after, as ADD COLUMN puts it.
    let names: Vec<&str> = mid.tables[&t]
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["id", "full_name", "first_name"]);
    assert!(!mid.tables[&t].column("full_name").expect("kept").not_null);
    assert!(mid.tables.contains_key(&gone));
    assert_eq!(
        deploy(&old, &mid),
        "ALTER TABLE public.t ALTER COLUMN full_name DROP NOT NULL;\n\n\
         ALTER TABLE public.t ADD COLUMN first_name text;\n"
    );
    assert_eq!(
        deploy(&mid, &new),
        "ALTER TABLE public.t DROP COLUMN full_name;\n\nDROP TABLE public.gone;\n"
    );
    // Nothing dropped: nothing to keep.
    assert_eq!(expanded(&new, &new), new);
}

#[test]
fn a_key_column_retyped_locks_the_tables_whose_foreign_keys_reference_it() {
    let (a, b) = (q("public", "a"), q("public", "b"));
    let with = |id_type: &str| {
        db().table(table(a.clone(), vec![col("id", id_type).not_null()]).pk("a_pkey", &["id"]))
            .table(table(b.clone(), vec![col("a_id", "integer")]).fk(
                "b_a_id_fkey",
                &["a_id"],
                &a,
                &["id"],
            ))
            .cast("integer", "bigint", CastContext::Implicit)
            .build()
    };
    let p = planned(&with("integer"), &with("bigint"));
    let locks: Vec<String> = p
        .steps
        .iter()
        .flat_map(|s| &s.locks)
        .map(|l| format!("{} {}", l.mode, l.relation))
        .collect();
    assert_eq!(
        locks,
        ["ACCESS EXCLUSIVE public.a", "ACCESS EXCLUSIVE public.b"]
    );
    // The rewrite speaks for the table itself; the other table's lock is
    // a hazard of its own, read under that table.
    let lines = hazard_lines(&p);
    assert!(
        lines.contains("rewrites-table on column public.a.id"),
        "{lines}"
    );
    assert!(
        lines.contains(
            "access-exclusive-lock on column public.a.id: takes an ACCESS EXCLUSIVE lock on public.b"
        ),
        "{lines}"
    );
    let by_object: Vec<String> = p
        .hazards_by_object()
        .iter()
        .map(|(object, h)| format!("{} {object}", h.kind))
        .collect();
    assert!(
        by_object.contains(&"access-exclusive-lock table public.b".to_owned()),
        "{by_object:?}"
    );
}
