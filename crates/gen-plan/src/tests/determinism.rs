//! Same inputs, same bytes: neither repeated runs nor the order objects
//! were added change a plan.

use gen_model::{Catalog, Sequence};
use gen_test_support::*;
use insta::assert_snapshot;

use super::{deploy, planned};

/// A pair of catalogs touching most kinds, built with tables, sequences,
/// indexes and hand-given edges added in the order given (or reversed).
fn busy_pair(reversed: bool) -> (Catalog, Catalog) {
    let (a, b, c) = (q("public", "a"), q("public", "b"), q("app", "c"));
    let mut tables = vec![
        table(
            a.clone(),
            vec![col("id", "integer").not_null(), col("b_id", "integer")],
        )
        .pk("a_pkey", &["id"])
        .fk("a_b_id_fkey", &["b_id"], &b, &["id"]),
        table(
            b.clone(),
            vec![col("id", "integer").not_null(), col("a_id", "integer")],
        )
        .pk("b_pkey", &["id"])
        .fk("b_a_id_fkey", &["a_id"], &a, &["id"]),
        table(
            c.clone(),
            vec![
                col("n", "integer")
                    .not_null()
                    .default("nextval('app.c_n_seq'::regclass)"),
                col("label", "text"),
            ],
        )
        .check("c_label_check", "(label <> ''::text)"),
    ];
    let mut indexes = vec![
        index("a_b_id_idx", &a, &["b_id"]),
        index("c_label_idx", &c, &["label"]),
    ];
    let mut sequences = vec![
        Sequence {
            owned_by: Some((c.clone(), "n".to_owned())),
            ..sequence(q("app", "c_n_seq"), ascending("integer"))
        },
        sequence(q("app", "free_seq"), descending("bigint")),
    ];
    let mut extra = vec![
        (index_id(&q("app", "c_label_idx")), column_id(&c, "label")),
        (index_id(&q("public", "a_b_id_idx")), column_id(&a, "b_id")),
    ];
    if reversed {
        tables.reverse();
        indexes.reverse();
        sequences.reverse();
        extra.reverse();
    }
    let mut new = Db::default().schema("app").schema("public");
    for t in tables {
        new = new.table(t);
    }
    for i in indexes {
        new = new.index(i);
    }
    for s in sequences {
        new = new.sequence(s);
    }
    for (x, y) in extra {
        new = new.dep(x, y);
    }
    let old = db()
        .table(table(q("public", "gone"), vec![col("x", "integer")]))
        .build();
    (old, new.build())
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let (old, new) = busy_pair(false);
    let first = planned(&old, &new);
    let second = planned(&old, &new);
    assert_eq!(first, second);
    assert_eq!(first.sql(), second.sql());
    assert_eq!(deploy(&new, &old), deploy(&new, &old));
}

#[test]
fn insertion_order_does_not_change_the_plan() {
    let (old_a, new_a) = busy_pair(false);
    let (old_b, new_b) = busy_pair(true);
    assert_eq!(planned(&old_a, &new_a), planned(&old_b, &new_b));
    assert_eq!(planned(&new_a, &old_a), planned(&new_b, &old_b));
    assert_snapshot!(deploy(&old_a, &new_a), @r"
        DROP TABLE public.gone;

        CREATE SCHEMA app;

        CREATE SEQUENCE app.c_n_seq
            AS integer;

        CREATE SEQUENCE app.free_seq
            INCREMENT BY -1;

        CREATE TABLE app.c (
            n integer DEFAULT nextval('app.c_n_seq'::regclass) NOT NULL,
            label text,
            CONSTRAINT c_label_check CHECK ((label <> ''::text))
        );

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

        CREATE INDEX c_label_idx ON app.c USING btree (label);

        CREATE INDEX a_b_id_idx ON public.a USING btree (b_id);

        ALTER SEQUENCE app.c_n_seq OWNED BY app.c.n;
        ");
}
