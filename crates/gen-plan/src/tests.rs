//! Plans built from catalogs written in code: ordering, rendering, hazards
//! and verify scripts, without a database. The end-to-end oracle proves the
//! same SQL against a real server; these pin the details down in
//! milliseconds and say which rule a regression broke.

use gen_diff::Action;
use gen_model::{
    CastContext, Catalog, Column, ConstraintKind, Index, ObjectId, Sequence, SequenceOptions, Table,
};
use gen_test_support::*;
use insta::assert_snapshot;

use crate::{HazardKind, Plan};
use checked::{describe, plan, verify};

pub(crate) mod checked;

fn planned(old: &Catalog, new: &Catalog) -> Plan {
    plan(old, new).unwrap_or_else(|e| panic!("{e}"))
}

fn deploy(old: &Catalog, new: &Catalog) -> String {
    planned(old, new).sql()
}

/// One line per hazard: kind, object, message.
fn hazard_lines(plan: &Plan) -> String {
    plan.hazards()
        .map(|(step, h)| format!("{} on {}: {}\n", h.kind, step.object, h.message))
        .collect()
}

// ---------------------------------------------------------------------------
// Ordering
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------

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
        ALTER TABLE public.m ALTER COLUMN "Flag" TYPE boolean USING "Flag"::boolean;

        ALTER TABLE public.m ALTER COLUMN a TYPE bigint;

        ALTER TABLE public.m ALTER COLUMN d TYPE interval USING d::text::interval;

        ALTER TABLE public.m ALTER COLUMN name TYPE text COLLATE "C";

        ALTER TABLE public.m ALTER COLUMN s TYPE character varying(20);
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

// ---------------------------------------------------------------------------
// Names and comments
// ---------------------------------------------------------------------------

/// A mixed-case schema and table, reserved and non-ASCII column names, and
/// constraint and index names with capitals and spaces.
fn quoted_table() -> Table {
    table(
        q("Sales", "Order"),
        vec![
            col("Id", "integer").identity(false, q("Sales", "Order_Id_seq"), ascending("integer")),
            col("user", "text"),
            col("données", "text").comment("Données brutes"),
            col("select", "integer"),
        ],
    )
    .pk("Order_pkey", &["Id"])
    .check("positive id", "(\"Id\" > 0)")
    .comment("Orders.")
    .constraint_comment("Order_pkey", "Surrogate key.")
}

fn quoted_catalog_with(t: Table) -> Catalog {
    let index = Index {
        comment: Some("By user.".to_owned()),
        ..index("Order user idx", &t.name, &["user"])
    };
    Db::default().schema("Sales").table(t).index(index).build()
}

fn quoted_catalog() -> Catalog {
    quoted_catalog_with(quoted_table())
}

#[test]
fn names_are_quoted_in_creates() {
    assert_snapshot!(deploy(&Catalog::default(), &quoted_catalog()), @r#"
        CREATE SCHEMA "Sales";

        CREATE TABLE "Sales"."Order" (
            "Id" integer NOT NULL GENERATED BY DEFAULT AS IDENTITY,
            "user" text,
            "données" text,
            "select" integer,
            CONSTRAINT "Order_pkey" PRIMARY KEY ("Id"),
            CONSTRAINT "positive id" CHECK (("Id" > 0))
        );

        COMMENT ON TABLE "Sales"."Order" IS 'Orders.';

        COMMENT ON COLUMN "Sales"."Order"."données" IS 'Données brutes';

        COMMENT ON CONSTRAINT "Order_pkey" ON "Sales"."Order" IS 'Surrogate key.';

        CREATE INDEX "Order user idx" ON "Sales"."Order" USING btree ("user");

        COMMENT ON INDEX "Sales"."Order user idx" IS 'By user.';
        "#);
}

#[test]
fn names_are_quoted_in_drops() {
    // The index and the comments go with the table.
    assert_snapshot!(deploy(&quoted_catalog(), &Catalog::default()), @r#"
        DROP TABLE "Sales"."Order";

        DROP SCHEMA "Sales";
        "#);
}

#[test]
fn names_are_quoted_in_alters() {
    let mut t = quoted_table();
    t.columns.retain(|c| c.name != "select");
    for c in &mut t.columns {
        if c.name == "user" {
            c.not_null = true;
            c.default = Some("CURRENT_USER".to_owned());
        }
        if c.name == "données" {
            c.data_type = "character varying(100)".to_owned();
            c.base_type = "character varying".to_owned();
        }
    }
    t.constraints.remove("positive id");
    let t = t.check("Id large", "(\"Id\" > 1000)").not_valid("Id large");
    assert_snapshot!(deploy(&quoted_catalog(), &quoted_catalog_with(t)), @r#"
        ALTER TABLE "Sales"."Order" DROP CONSTRAINT "positive id";

        ALTER TABLE "Sales"."Order" DROP COLUMN "select";

        ALTER TABLE "Sales"."Order" ALTER COLUMN "données" TYPE character varying(100);

        ALTER TABLE "Sales"."Order" ALTER COLUMN "user" SET DEFAULT CURRENT_USER;

        ALTER TABLE "Sales"."Order" ALTER COLUMN "user" SET NOT NULL;

        ALTER TABLE "Sales"."Order" ADD CONSTRAINT "Id large" CHECK (("Id" > 1000)) NOT VALID;
        "#);
}

#[test]
fn comments_are_set_changed_removed_and_escaped() {
    let t = q("public", "t");
    let s = q("public", "s");
    let old = db()
        .sequence(sequence(s.clone(), ascending("bigint")))
        .table(
            table(
                t.clone(),
                vec![
                    col("a", "integer").not_null().comment("to remove"),
                    col("b", "text").comment("before"),
                ],
            )
            .pk("t_pkey", &["a"])
            .comment("old")
            .index_comment("t_pkey", "index before"),
        )
        .index(index("t_b_idx", &t, &["b"]))
        .build();
    let new = db()
        .schema_comment("public", "Application data.")
        .sequence(Sequence {
            comment: Some("Numbers.".to_owned()),
            ..sequence(s.clone(), ascending("bigint"))
        })
        .table(
            table(
                t.clone(),
                vec![
                    col("a", "integer").not_null(),
                    col("b", "text").comment("back\\slash"),
                ],
            )
            .pk("t_pkey", &["a"])
            .comment("it's new")
            .constraint_comment("t_pkey", "Surrogate key."),
        )
        .index(Index {
            comment: Some("Lookup by \"b\".".to_owned()),
            ..index("t_b_idx", &t, &["b"])
        })
        .build();
    assert_snapshot!(deploy(&old, &new), @r#"
        COMMENT ON SCHEMA public IS 'Application data.';

        COMMENT ON SEQUENCE public.s IS 'Numbers.';

        COMMENT ON TABLE public.t IS 'it''s new';

        COMMENT ON COLUMN public.t.a IS NULL;

        COMMENT ON COLUMN public.t.b IS E'back\\slash';

        COMMENT ON CONSTRAINT t_pkey ON public.t IS 'Surrogate key.';

        COMMENT ON INDEX public.t_pkey IS NULL;

        COMMENT ON INDEX public.t_b_idx IS 'Lookup by "b".';
        "#);
}

// ---------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Hazards
// ---------------------------------------------------------------------------

#[test]
fn hazards_name_lost_data_rewrites_and_validation() {
    let t = q("public", "t");
    let old = db()
        .table(
            table(
                t.clone(),
                vec![
                    col("id", "integer").not_null(),
                    col("legacy", "text"),
                    col("amount", "integer"),
                    col("code", "text"),
                ],
            )
            .pk("t_pkey", &["id"]),
        )
        .table(table(q("public", "gone"), vec![col("x", "integer")]))
        .cast("integer", "bigint", CastContext::Implicit)
        .build();
    let new = db()
        .table(
            table(
                t.clone(),
                vec![
                    col("id", "integer").not_null(),
                    col("amount", "bigint"),
                    col("code", "integer"),
                ],
            )
            .pk("t_pkey", &["id"])
            .check("t_amount_positive", "(amount > 0)"),
        )
        .cast("integer", "bigint", CastContext::Implicit)
        .build();
    let p = planned(&old, &new);
    let kinds: Vec<(String, HazardKind)> = p
        .hazards()
        .map(|(s, h)| (s.object.to_string(), h.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("column public.t.legacy".to_owned(), HazardKind::DeletesData),
            (
                "column public.t.legacy".to_owned(),
                HazardKind::Irreversible
            ),
            ("table public.gone".to_owned(), HazardKind::DeletesData),
            ("table public.gone".to_owned(), HazardKind::Irreversible),
            (
                "column public.t.amount".to_owned(),
                HazardKind::RewritesTable
            ),
            ("column public.t.code".to_owned(), HazardKind::RewritesTable),
            ("column public.t.code".to_owned(), HazardKind::DeletesData),
            (
                "constraint t_amount_positive on public.t".to_owned(),
                HazardKind::ValidatesExistingRows
            ),
        ]
    );
    assert_snapshot!(hazard_lines(&p), @r"
        deletes-data on column public.t.legacy: drops column legacy of public.t and its values
        irreversible on column public.t.legacy: the revert adds public.t.legacy again, with no values
        deletes-data on table public.gone: drops table public.gone and every row in it
        irreversible on table public.gone: the revert creates public.gone again, empty
        rewrites-table on column public.t.amount: changing public.t.amount from integer to bigint may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
        rewrites-table on column public.t.code: changing public.t.code from text to integer may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
        deletes-data on column public.t.code: converting public.t.code from text to integer needs an explicit cast, which fails or loses precision on values that do not fit
        validates-existing-rows on constraint t_amount_positive on public.t: adding constraint t_amount_positive checks every row of public.t while writes are blocked
        ");
}

#[test]
fn not_valid_constraints_validate_nothing_when_added() {
    let t = q("public", "t");
    let bare = table(t.clone(), vec![col("n", "integer")]);
    let old = db().table(bare.clone()).build();
    let new = db()
        .table(bare.check("t_n_check", "(n > 0)").not_valid("t_n_check"))
        .build();
    let p = planned(&old, &new);
    assert_snapshot!(p.sql(), @"ALTER TABLE public.t ADD CONSTRAINT t_n_check CHECK ((n > 0)) NOT VALID;");
    assert_eq!(hazard_lines(&p), "");
}

// ---------------------------------------------------------------------------
// Verify scripts
// ---------------------------------------------------------------------------

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
        BEGIN
            IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('public.n') AND relkind IN ('r', 'p'))) THEN
                RAISE EXCEPTION USING MESSAGE = 'table public.n is missing';
            END IF;
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('public.old_t') AND relkind IN ('r', 'p')) THEN
                RAISE EXCEPTION USING MESSAGE = 'table public.old_t should be gone';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('public.t') AND attname = 'id' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'bigint' AND attnotnull = true) THEN
                RAISE EXCEPTION USING MESSAGE = 'column public.t.id is missing or not bigint NOT NULL';
            END IF;
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('public.t') AND attname = 'legacy' AND NOT attisdropped) THEN
                RAISE EXCEPTION USING MESSAGE = 'column public.t.legacy should be gone';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('public.t') AND attname = 'note' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'character varying(20)' AND attnotnull = false) THEN
                RAISE EXCEPTION USING MESSAGE = 'column public.t.note is missing or not character varying(20)';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('public.t') AND conname = 't_id_positive' AND contype = 'c' AND convalidated = true) THEN
                RAISE EXCEPTION USING MESSAGE = 'constraint t_id_positive on public.t is missing or of another kind';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('public.t') AND conname = 't_id_small' AND contype = 'c' AND convalidated = false) THEN
                RAISE EXCEPTION USING MESSAGE = 'constraint t_id_small on public.t is missing or of another kind';
            END IF;
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('public.t_legacy_idx') AND relkind IN ('i', 'I')) AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conindid = to_regclass('public.t_legacy_idx')) THEN
                RAISE EXCEPTION USING MESSAGE = 'index public.t_legacy_idx should be gone';
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
        BEGIN
            IF NOT (to_regnamespace('"Sales"') IS NOT NULL) THEN
                RAISE EXCEPTION USING MESSAGE = 'schema "Sales" is missing';
            END IF;
            IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('"Sales"."Order"') AND relkind IN ('r', 'p'))) THEN
                RAISE EXCEPTION USING MESSAGE = 'table "Sales"."Order" is missing';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('"Sales"."Order"') AND attname = 'données' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'text' AND attnotnull = false) THEN
                RAISE EXCEPTION USING MESSAGE = 'column "Sales"."Order"."données" is missing or not text';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('"Sales"."Order"') AND conname = 'Order_pkey' AND contype = 'p' AND convalidated = true) THEN
                RAISE EXCEPTION USING MESSAGE = 'constraint "Order_pkey" on "Sales"."Order" is missing or of another kind';
            END IF;
            IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('"Sales"."Order user idx"') AND relkind IN ('i', 'I'))) THEN
                RAISE EXCEPTION USING MESSAGE = 'index "Sales"."Order user idx" is missing';
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
    let script = verify::script_with_roles("-- Verify r on pg", &Plan::default(), &c, &["app's"]);
    assert_snapshot!(script, @r"
        -- Verify r on pg

        BEGIN;

        -- Nothing to verify: the change alters no object gen can check.

        DO $verify_roles$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app''s') THEN
                RAISE EXCEPTION USING MESSAGE = 'role app''s is missing';
            END IF;
        END
        $verify_roles$;

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

#[test]
fn new_table_keeps_the_comment_on_its_primary_key_index() {
    let t = q("Sales", "Order");
    let new = Db::default()
        .schema("Sales")
        .table(
            table(t.clone(), vec![col("Id", "integer").not_null()])
                .pk("Order_pkey", &["Id"])
                .index_comment("Order_pkey", "Backs the key."),
        )
        .build();
    let sql = deploy(&Db::default().schema("Sales").build(), &new);
    assert!(
        sql.contains("COMMENT ON INDEX \"Sales\".\"Order_pkey\" IS 'Backs the key.';"),
        "{sql}"
    );
}

#[test]
fn new_key_on_an_existing_table_keeps_the_comment_on_its_index() {
    let t = q("public", "t");
    let build = |t: Table| db().table(t).build();
    let bare = table(t.clone(), vec![col("id", "integer").not_null()]);
    let old = build(bare.clone());
    let new = build(
        bare.pk("t_pkey", &["id"])
            .index_comment("t_pkey", "Backs the key."),
    );
    let sql = deploy(&old, &new);
    assert!(
        sql.contains("COMMENT ON INDEX public.t_pkey IS 'Backs the key.';"),
        "{sql}"
    );
}

#[test]
fn constraints_born_with_their_table_validate_no_existing_rows() {
    // A new table is empty: its foreign keys, added after CREATE TABLE,
    // have nothing to check (as an index built on a new table blocks no one).
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
    assert_eq!(hazard_lines(&p), "");
}

#[test]
fn definitions_gather_a_table_with_its_parts_and_comments() {
    let t = q("app", "Item");
    let old = db()
        .schema("app")
        .table(table(t.clone(), vec![col("id", "integer").not_null()]).pk("Item_pkey", &["id"]))
        .build();
    let mut new = old.clone();
    let item = new.tables.get_mut(&t).unwrap();
    item.columns.push(gen_model::Column {
        comment: Some("Shown to users.".to_owned()),
        ..col("label", "text")
    });
    item.comment = Some("Things.".to_owned());
    let column = ObjectId::Column {
        table: t.clone(),
        column: "label".to_owned(),
    };
    let top = describe::top_level(&column, [&old, &new]);
    assert_eq!(top, ObjectId::Table { name: t.clone() });
    assert_snapshot!(describe::definition(&new, &top), @r#"
    CREATE TABLE app."Item" (
        id integer NOT NULL,
        label text,
        CONSTRAINT "Item_pkey" PRIMARY KEY (id)
    );
    COMMENT ON TABLE app."Item" IS 'Things.';
    COMMENT ON COLUMN app."Item".label IS 'Shown to users.';
    "#);
    assert_eq!(
        describe::definition(
            &old,
            &ObjectId::Table {
                name: q("app", "gone")
            }
        ),
        ""
    );
}

mod online;

// ---------------------------------------------------------------------------
// Composite types under stored values
// ---------------------------------------------------------------------------

#[test]
fn a_composite_type_under_a_column_is_rebuilt_and_its_values_moved_by_name() {
    use gen_model::{Attribute, TypeKind, UserType};
    let t = q("public", "t");
    let pair = q("public", "pair");
    let build = |attributes: &[(&str, &str)]| {
        let mut d = db()
            .table(table(
                t.clone(),
                vec![
                    col("id", "integer").not_null(),
                    col("p", "public.pair"),
                    col("ps", "public.pair[]"),
                ],
            ))
            .cast("integer", "bigint", CastContext::Implicit);
        d.catalog.types.insert(
            pair.clone(),
            UserType {
                name: pair.clone(),
                kind: TypeKind::Composite {
                    attributes: attributes
                        .iter()
                        .map(|(name, data_type)| Attribute {
                            name: (*name).to_owned(),
                            data_type: (*data_type).to_owned(),
                            collation: None,
                            comment: None,
                        })
                        .collect(),
                },
                comment: None,
            },
        );
        // The server records a column of the type, or of an array of it,
        // as depending on the type.
        ["p", "ps"]
            .into_iter()
            .fold(d, |d, column| {
                d.dep(
                    ObjectId::Column {
                        table: t.clone(),
                        column: column.to_owned(),
                    },
                    ObjectId::Type { name: pair.clone() },
                )
            })
            .build()
    };
    let old = build(&[("a", "integer"), ("b", "character varying(10)")]);
    let new = build(&[("b", "character varying(5)"), ("a", "bigint")]);
    let plan = planned(&old, &new);
    assert_snapshot!(plan.sql(), @r#"
    ALTER TYPE public.pair RENAME TO pair_old;

    CREATE TYPE public.pair AS (
        b character varying(5),
        a bigint
    );

    ALTER TABLE public.t ALTER COLUMN p TYPE public.pair USING CASE WHEN p IS NOT DISTINCT FROM NULL THEN NULL ELSE ROW((p).b::character varying(5), (p).a::bigint)::public.pair END;

    ALTER TABLE public.t ALTER COLUMN ps TYPE public.pair[] USING ps::text::public.pair[];

    DROP TYPE public.pair_old;
    "#);
    // The varchar shrinks: cut inside the row, so said; the array's values
    // go by position into a new order.
    assert_snapshot!(hazard_lines(&plan), @r"
    access-exclusive-lock on type public.pair: type public.pair is rebuilt: every column storing it is altered to the new one under an ACCESS EXCLUSIVE lock
    deletes-data on type public.pair: type public.pair changes the names, order or types of its attributes, and its values in column public.t.ps move through their text form attribute by position: values that do not fit fail to convert or land in another attribute
    rewrites-table on column public.t.p: changing public.t.p from public.pair to public.pair may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
    deletes-data on column public.t.p: moving public.t.p to the rebuilt public.pair casts b of every value, which fails or loses precision on values that do not fit
    rewrites-table on column public.t.ps: changing public.t.ps from public.pair[] to public.pair[] may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
    ");
}
