//! Dependents dropped and created again with what they depend on
//! (`recreate_dependents`).

use gen_model::{ConstraintKind, Index};
use gen_test_support::*;
use insta::assert_snapshot;

use super::diff_lines;

#[test]
fn recreated_key_takes_its_dependents_along_transitively_and_nothing_else() {
    let parent = q("public", "parent");
    let child = q("public", "child");
    let gone_child = q("public", "gone_child");
    let other = q("public", "other");
    let build = |pk: &str, gone: bool, child2_fk: bool| {
        let mut d = db()
            .table(
                table(
                    parent.clone(),
                    vec![col("id", "integer").not_null(), col("code", "text")],
                )
                .constraint("parent_pkey", ConstraintKind::PrimaryKey, pk, &["id"]),
            )
            .table(
                table(child.clone(), vec![col("parent_id", "integer")])
                    .fk("child_parent_id_fkey", &["parent_id"], &parent, &["id"])
                    .constraint_comment("child_parent_id_fkey", "Owner."),
            )
            .table(
                table(other.clone(), vec![col("x", "integer").not_null()]).pk("other_pkey", &["x"]),
            )
            .index(index("child_parent_idx", &child, &["parent_id"]))
            // Not what the server records for such an index; it stands for
            // anything that hangs off the foreign key, to show the closure
            // is transitive.
            .dep(
                index_id(&q("public", "child_parent_idx")),
                constraint_id(&child, "child_parent_id_fkey"),
            );
        let mut child2 = table(q("public", "child2"), vec![col("parent_id", "integer")]);
        if child2_fk {
            child2 = child2.fk("child2_parent_id_fkey", &["parent_id"], &parent, &["id"]);
        }
        d = d.table(child2);
        if !gone {
            d = d.table(
                table(gone_child.clone(), vec![col("parent_id", "integer")]).fk(
                    "gone_child_parent_id_fkey",
                    &["parent_id"],
                    &parent,
                    &["id"],
                ),
            );
        }
        d.build()
    };
    let old = build("PRIMARY KEY (id)", false, true);
    let new = build("PRIMARY KEY (id) INCLUDE (code)", true, false);
    assert_snapshot!(diff_lines(&old, &new), @r#"
        DropConstraint constraint child2_parent_id_fkey on public.child2
        DropTable table public.gone_child
        DropConstraint constraint parent_pkey on public.parent
        AddConstraint constraint parent_pkey on public.parent
        DropConstraint constraint child_parent_id_fkey on public.child
        AddConstraint constraint child_parent_id_fkey on public.child
        Comment constraint child_parent_id_fkey on public.child = Some("Owner.")
        DropIndex index public.child_parent_idx
        CreateIndex index public.child_parent_idx
        "#);
}

#[test]
fn dependent_changed_in_its_own_right_is_recreated_once() {
    let (parent, child) = (q("public", "parent"), q("public", "child"));
    let build = |pk: &str, fk_suffix: &str| {
        let mut child_table = table(child.clone(), vec![col("parent_id", "integer")]).fk(
            "child_parent_id_fkey",
            &["parent_id"],
            &parent,
            &["id"],
        );
        child_table
            .constraints
            .get_mut("child_parent_id_fkey")
            .unwrap()
            .definition
            .push_str(fk_suffix);
        db().table(
            table(
                parent.clone(),
                vec![col("id", "integer").not_null(), col("code", "text")],
            )
            .constraint("parent_pkey", ConstraintKind::PrimaryKey, pk, &["id"]),
        )
        .table(child_table)
        .build()
    };
    let old = build("PRIMARY KEY (id)", "");
    let new = build("PRIMARY KEY (id) INCLUDE (code)", " ON DELETE CASCADE");
    assert_snapshot!(diff_lines(&old, &new), @r"
        DropConstraint constraint child_parent_id_fkey on public.child
        AddConstraint constraint child_parent_id_fkey on public.child
        DropConstraint constraint parent_pkey on public.parent
        AddConstraint constraint parent_pkey on public.parent
        ");
}

#[test]
fn index_on_a_column_dropped_and_added_again_is_recreated() {
    let t = q("public", "t");
    let build = |expr: &str| {
        db().table(table(
            t.clone(),
            vec![col("a", "integer"), col("g", "integer").generated(expr)],
        ))
        .index(Index {
            comment: Some("Find by g.".to_owned()),
            ..index("t_g_idx", &t, &["g"])
        })
        .dep(index_id(&q("public", "t_g_idx")), column_id(&t, "g"))
        .build()
    };
    assert_snapshot!(diff_lines(&build("(a * 2)"), &build("(a * 3)")), @r#"
        DropColumn column public.t.g
        AddColumn column public.t.g
        DropIndex index public.t_g_idx
        CreateIndex index public.t_g_idx
        Comment index public.t_g_idx = Some("Find by g.")
        "#);
}
