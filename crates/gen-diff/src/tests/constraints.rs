//! Constraints: validation, `NOT VALID`, and what stays out of
//! `CREATE TABLE`.

use gen_model::Catalog;
use gen_test_support::*;
use insta::assert_snapshot;

use super::{diff_lines, lines};
use crate::{Change, ConstraintChange, TableChange, diff};

fn with_check(valid: bool, expr: &str) -> Catalog {
    let t = table(q("public", "t"), vec![col("n", "integer")]).check("t_n_check", expr);
    let t = if valid { t } else { t.not_valid("t_n_check") };
    db().table(t).build()
}

#[test]
fn not_valid_to_valid_is_validated_in_place() {
    let old = with_check(false, "(n > 0)");
    let new = with_check(true, "(n > 0)");
    assert_eq!(
        diff(&old, &new),
        [Change::Constraint(ConstraintChange::ValidateConstraint {
            table: q("public", "t"),
            name: "t_n_check".to_owned(),
        })]
    );
}

#[test]
fn valid_to_not_valid_is_dropped_and_added() {
    let old = with_check(true, "(n > 0)");
    let new = with_check(false, "(n > 0)");
    assert_snapshot!(diff_lines(&old, &new), @r"
        DropConstraint constraint t_n_check on public.t
        AddConstraint constraint t_n_check on public.t
        ");
    let Change::Constraint(ConstraintChange::AddConstraint { constraint, .. }) =
        &diff(&old, &new)[1]
    else {
        panic!("expected the constraint to be added again");
    };
    assert_eq!(constraint.definition, "CHECK ((n > 0)) NOT VALID");
}

#[test]
fn not_valid_constraint_with_a_new_meaning_is_dropped_and_added() {
    let old = with_check(false, "(n > 0)");
    let new = with_check(true, "(n > 1)");
    assert_snapshot!(diff_lines(&old, &new), @r"
        DropConstraint constraint t_n_check on public.t
        AddConstraint constraint t_n_check on public.t
        ");
}

#[test]
fn new_table_keeps_foreign_keys_and_not_valid_constraints_out_of_create_table() {
    let (a, b) = (q("public", "a"), q("public", "b"));
    let new = db()
        .table(table(a.clone(), vec![col("id", "integer").not_null()]).pk("a_pkey", &["id"]))
        .table(
            table(b.clone(), vec![col("a_id", "integer")])
                .fk("b_a_id_fkey", &["a_id"], &a, &["id"])
                .check("b_a_id_check", "(a_id > 0)")
                .not_valid("b_a_id_check"),
        )
        .build();
    let changes = diff(&db().build(), &new);
    assert_snapshot!(lines(&changes), @r"
        CreateTable table public.a
        CreateTable table public.b
        AddConstraint constraint b_a_id_check on public.b
        AddConstraint constraint b_a_id_fkey on public.b
        ");
    let Change::Table(TableChange::CreateTable(created)) = &changes[1] else {
        panic!("expected CREATE TABLE b");
    };
    assert!(created.constraints.is_empty(), "{created:?}");
}
