//! Sequences: `serial` around its table, and `CREATE SEQUENCE` options.

use gen_model::{Sequence, SequenceOptions};
use gen_test_support::*;
use insta::assert_snapshot;

use super::deploy;

#[test]
fn serial_on_a_new_table_creates_the_sequence_then_the_table_then_ownership() {
    let t = q("public", "ticket");
    let seq = q("public", "ticket_id_seq");
    let new = db()
        .sequence(Sequence {
            owned_by: Some((t.clone(), "id".to_owned())),
            ..sequence(seq.clone(), ascending("integer"))
        })
        .table(
            table(
                t.clone(),
                vec![
                    col("id", "integer")
                        .not_null()
                        .default("nextval('public.ticket_id_seq'::regclass)"),
                ],
            )
            .pk("ticket_pkey", &["id"]),
        )
        .build();
    let old = db().build();
    assert_snapshot!(deploy(&old, &new), @r"
        CREATE SEQUENCE public.ticket_id_seq
            AS integer;

        CREATE TABLE public.ticket (
            id integer DEFAULT nextval('public.ticket_id_seq'::regclass) NOT NULL,
            CONSTRAINT ticket_pkey PRIMARY KEY (id)
        );

        ALTER SEQUENCE public.ticket_id_seq OWNED BY public.ticket.id;
        ");
    // The way back drops the table; the owned sequence goes with its column.
    assert_snapshot!(deploy(&new, &old), @"DROP TABLE public.ticket;");
}

#[test]
fn serial_to_plain_drops_the_default_before_the_sequence() {
    let t = q("public", "t");
    let seq = q("public", "t_n_seq");
    let old = db()
        .sequence(Sequence {
            owned_by: Some((t.clone(), "n".to_owned())),
            ..sequence(seq.clone(), ascending("integer"))
        })
        .table(table(
            t.clone(),
            vec![
                col("n", "integer")
                    .not_null()
                    .default("nextval('public.t_n_seq'::regclass)"),
            ],
        ))
        .build();
    let new = db()
        .table(table(t.clone(), vec![col("n", "integer").not_null()]))
        .build();
    assert_snapshot!(deploy(&old, &new), @r"
        ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT;

        DROP SEQUENCE public.t_n_seq;
        ");
    assert_snapshot!(deploy(&new, &old), @r"
        CREATE SEQUENCE public.t_n_seq
            AS integer;

        ALTER TABLE public.t ALTER COLUMN n SET DEFAULT nextval('public.t_n_seq'::regclass);

        ALTER SEQUENCE public.t_n_seq OWNED BY public.t.n;
        ");
}

#[test]
fn create_sequence_says_as_unless_bigint_and_only_options_off_their_defaults() {
    let new = db()
        .sequence(sequence(q("public", "plain"), ascending("bigint")))
        .sequence(sequence(q("public", "small"), ascending("smallint")))
        .sequence(sequence(q("public", "down"), descending("bigint")))
        .sequence(sequence(
            q("public", "down_int"),
            SequenceOptions {
                start: -100,
                cache: 20,
                ..descending("integer")
            },
        ))
        .sequence(sequence(
            q("public", "every"),
            SequenceOptions {
                data_type: "integer".to_owned(),
                start: 20,
                increment: 5,
                min_value: 10,
                max_value: 1000,
                cache: 3,
                cycle: true,
            },
        ))
        .sequence(Sequence {
            unlogged: true,
            ..sequence(q("public", "u"), ascending("bigint"))
        })
        .build();
    assert_snapshot!(deploy(&db().build(), &new), @r"
        CREATE SEQUENCE public.down
            INCREMENT BY -1;

        CREATE SEQUENCE public.down_int
            AS integer
            INCREMENT BY -1
            START WITH -100
            CACHE 20;

        CREATE SEQUENCE public.every
            AS integer
            INCREMENT BY 5
            MINVALUE 10
            MAXVALUE 1000
            START WITH 20
            CACHE 3
            CYCLE;

        CREATE SEQUENCE public.plain;

        CREATE SEQUENCE public.small
            AS smallint;

        CREATE UNLOGGED SEQUENCE public.u;
        ");
}
