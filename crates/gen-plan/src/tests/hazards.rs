//! What a reviewer is told about the steps that lose data, rewrite or
//! scan tables.

use gen_model::CastContext;
use gen_test_support::*;
use insta::assert_snapshot;

use super::{hazard_lines, planned};
use crate::HazardKind;

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
            (
                "column public.t.legacy".to_owned(),
                HazardKind::AccessExclusiveLock
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
            (
                "constraint t_amount_positive on public.t".to_owned(),
                HazardKind::AccessExclusiveLock
            ),
        ]
    );
    assert_snapshot!(hazard_lines(&p), @r"
        deletes-data on column public.t.legacy: drops column legacy of public.t and its values
        irreversible on column public.t.legacy: the revert adds public.t.legacy again, with no values
        access-exclusive-lock on column public.t.legacy: takes an ACCESS EXCLUSIVE lock on public.t: reads and writes wait until the deploy commits
        deletes-data on table public.gone: drops table public.gone and every row in it
        irreversible on table public.gone: the revert creates public.gone again, empty
        rewrites-table on column public.t.amount: changing public.t.amount from integer to bigint rewrites public.t and its indexes under an ACCESS EXCLUSIVE lock
        rewrites-table on column public.t.code: changing public.t.code from text to integer rewrites public.t and its indexes under an ACCESS EXCLUSIVE lock
        deletes-data on column public.t.code: converting public.t.code from text to integer needs an explicit cast, which fails or loses precision on values that do not fit
        validates-existing-rows on constraint t_amount_positive on public.t: adding constraint t_amount_positive checks every row of public.t while reads and writes are blocked
        access-exclusive-lock on constraint t_amount_positive on public.t: takes an ACCESS EXCLUSIVE lock on public.t: reads and writes wait until the deploy commits
        ");
}
