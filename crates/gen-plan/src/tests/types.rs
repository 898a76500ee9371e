//! Composite types under stored values.

use gen_model::{CastContext, ObjectId};
use gen_test_support::*;
use insta::assert_snapshot;

use super::{hazard_lines, planned};

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
    rewrites-table on column public.t.p: moving public.t.p to the rebuilt public.pair rewrites public.t and its indexes under an ACCESS EXCLUSIVE lock
    deletes-data on column public.t.p: moving public.t.p to the rebuilt public.pair casts b of every value, which fails or loses precision on values that do not fit
    rewrites-table on column public.t.ps: moving public.t.ps to the rebuilt public.pair[] rewrites public.t and its indexes under an ACCESS EXCLUSIVE lock
    ");
}
