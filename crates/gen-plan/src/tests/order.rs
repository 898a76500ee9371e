//! Steps in the order Postgres accepts them: creates after what they
//! need, drops before it, foreign key cycles broken; and what each step acts on.

use gen_diff::Action;
use gen_model::ObjectId;
use gen_test_support::*;
use insta::assert_snapshot;

use super::{deploy, planned};

#[test]
fn nothing_to_do_is_an_empty_plan() {
    let c = db()
        .table(table(q("public", "t"), vec![col("id", "integer").not_null()]).pk("t_pkey", &["id"]))
        .build();
    let p = planned(&c, &c);
    assert!(p.is_empty());
    assert_eq!(p.sql(), "");
}

#[test]
fn mutually_referencing_tables_are_created_before_their_foreign_keys() {
    let (a, b) = (q("public", "a"), q("public", "b"));
    let new = db()
        .table(
            table(
                a.clone(),
                vec![col("id", "integer").not_null(), col("b_id", "integer")],
            )
            .pk("a_pkey", &["id"])
            .fk("a_b_id_fkey", &["b_id"], &b, &["id"]),
        )
        .table(
            table(
                b.clone(),
                vec![col("id", "integer").not_null(), col("a_id", "integer")],
            )
            .pk("b_pkey", &["id"])
            .fk("b_a_id_fkey", &["a_id"], &a, &["id"]),
        )
        .build();
    assert_snapshot!(deploy(&db().build(), &new), @r"
        CREATE TABLE public.a (
            id integer NOT NULL,
            b_id integer,
            CONSTRAINT a_pkey PRIMARY KEY (id)
        );

        CREATE TABLE public.b (
            id integer NOT NULL,
            a_id integer,
            CONSTRAINT b_pkey PRIMARY KEY (id)
        );

        ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES public.b(id);

        ALTER TABLE public.b ADD CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES public.a(id);
        ");
}

#[test]
fn tables_in_a_foreign_key_cycle_drop_only_the_keys_inside_the_cycle_first() {
    let (a, b, c) = (q("public", "a"), q("public", "b"), q("public", "c"));
    // a and b reference each other; a also references itself and c
    // references a, neither of which is part of the cycle.
    let old = db()
        .table(
            table(
                a.clone(),
                vec![
                    col("id", "integer").not_null(),
                    col("b_id", "integer"),
                    col("parent_id", "integer"),
                ],
            )
            .pk("a_pkey", &["id"])
            .fk("a_b_id_fkey", &["b_id"], &b, &["id"])
            .fk("a_parent_id_fkey", &["parent_id"], &a, &["id"]),
        )
        .table(
            table(
                b.clone(),
                vec![col("id", "integer").not_null(), col("a_id", "integer")],
            )
            .pk("b_pkey", &["id"])
            .fk("b_a_id_fkey", &["a_id"], &a, &["id"]),
        )
        .table(table(c.clone(), vec![col("a_id", "integer")]).fk(
            "c_a_id_fkey",
            &["a_id"],
            &a,
            &["id"],
        ))
        .build();
    assert_snapshot!(deploy(&old, &db().build()), @r"
        ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;

        ALTER TABLE public.b DROP CONSTRAINT b_a_id_fkey;

        DROP TABLE public.b;

        DROP TABLE public.c;

        DROP TABLE public.a;
        ");
}

#[test]
fn steps_know_their_object_and_action() {
    let t = q("public", "t");
    let old = db()
        .table(table(t.clone(), vec![col("a", "integer")]))
        .build();
    let new = db()
        .table(table(t.clone(), vec![col("b", "integer")]))
        .build();
    let p = planned(&old, &new);
    let steps: Vec<(Action, ObjectId, bool)> = p
        .steps
        .iter()
        .map(|s| (s.action, s.object.clone(), s.transactional))
        .collect();
    assert_eq!(
        steps,
        [
            (Action::Drop, column_id(&t, "a"), true),
            (Action::CreateOrAlter, column_id(&t, "b"), true),
        ]
    );
}
