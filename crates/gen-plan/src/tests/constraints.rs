//! Constraints: keys recreated around what uses them, and what adding
//! one validates.

use gen_model::ConstraintKind;
use gen_test_support::*;
use insta::assert_snapshot;

use super::{deploy, hazard_lines, planned};

#[test]
fn primary_key_change_recreates_the_foreign_key_that_uses_it_around_it() {
    let (parent, child) = (q("public", "parent"), q("public", "child"));
    let build = |pk: &str| {
        db().table(
            table(
                parent.clone(),
                vec![col("id", "integer").not_null(), col("code", "text")],
            )
            .constraint("parent_pkey", ConstraintKind::PrimaryKey, pk, &["id"]),
        )
        .table(table(child.clone(), vec![col("parent_id", "integer")]).fk(
            "child_parent_id_fkey",
            &["parent_id"],
            &parent,
            &["id"],
        ))
        .build()
    };
    let old = build("PRIMARY KEY (id)");
    let new = build("PRIMARY KEY (id) INCLUDE (code)");
    let edge = (
        constraint_id(&child, "child_parent_id_fkey"),
        constraint_id(&parent, "parent_pkey"),
    );
    assert!(old.depends.contains(&edge) && new.depends.contains(&edge));
    assert_snapshot!(deploy(&old, &new), @r"
        ALTER TABLE public.child DROP CONSTRAINT child_parent_id_fkey;

        ALTER TABLE public.parent DROP CONSTRAINT parent_pkey;

        ALTER TABLE public.parent ADD CONSTRAINT parent_pkey PRIMARY KEY (id) INCLUDE (code);

        ALTER TABLE public.child ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.parent(id);
        ");
}

#[test]
fn not_valid_constraints_validate_nothing_when_added() {
    // The lock stays: a check is added under ACCESS EXCLUSIVE, NOT VALID
    // or not.
    let t = q("public", "t");
    let bare = table(t.clone(), vec![col("n", "integer")]);
    let old = db().table(bare.clone()).build();
    let new = db()
        .table(bare.check("t_n_check", "(n > 0)").not_valid("t_n_check"))
        .build();
    let p = planned(&old, &new);
    assert_snapshot!(p.sql(), @"ALTER TABLE public.t ADD CONSTRAINT t_n_check CHECK ((n > 0)) NOT VALID;");
    assert_eq!(
        hazard_lines(&p),
        "access-exclusive-lock on constraint t_n_check on public.t: takes an ACCESS EXCLUSIVE lock on public.t: reads and writes wait until the deploy commits\n"
    );
}

#[test]
fn constraints_born_with_their_table_validate_no_existing_rows() {
    // A new table is empty: its foreign keys, added after CREATE TABLE,
    // have nothing to check (as an index built on a new table blocks no
    // one). The table they reference is locked against writes, though.
    let (a, b) = (q("public", "a"), q("public", "b"));
    let old = db()
        .table(table(a.clone(), vec![col("id", "integer").not_null()]).pk("a_pkey", &["id"]))
        .build();
    let new = db()
        .table(table(a.clone(), vec![col("id", "integer").not_null()]).pk("a_pkey", &["id"]))
        .table(table(b.clone(), vec![col("a_id", "integer")]).fk(
            "b_a_id_fkey",
            &["a_id"],
            &a,
            &["id"],
        ))
        .build();
    let p = planned(&old, &new);
    assert_eq!(
        hazard_lines(&p),
        "blocks-writes on constraint b_a_id_fkey on public.b: takes a SHARE ROW EXCLUSIVE lock on public.a: writes wait until the deploy commits\n"
    );
}
