//! What `diff` finds between catalogs written in code: which changes, in
//! which order, and what it leaves to the server (objects that go with
//! their owner). Ordering and SQL are gen-plan's business and tested there.
use gen_model::{
    CastContext, Catalog, Column, ConstraintKind, Extension, Identity, Index, Schema, Table,
};
use gen_test_support::*;
use insta::assert_snapshot;

use crate::{
    Change, ColumnAction, ColumnChange, CommentChange, ConstraintChange, Conversion, TableChange,
    diff,
};

/// One line per change: what it is and what it acts on.
fn lines(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let variant = c.variant();
        let (_, id) = c.target();
        let line = match c {
            Change::Column(ColumnChange::AlterColumn {
                table,
                column,
                action,
            }) => {
                // Any other action by its name alone.
                let what = if let ColumnAction::Type {
                    from,
                    to,
                    conversion,
                    ..
                } = action
                {
                    format!("Type {from} -> {to} ({conversion:?})")
                } else {
                    let debug = format!("{action:?}");
                    debug
                        .split([' ', '('])
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                };
                format!("AlterColumn {what} {}", column_id(table, column))
            }
            Change::Comment(CommentChange::Comment { target, comment }) => {
                format!("Comment {target} = {comment:?}")
            }
            Change::Comment(CommentChange::ConstraintIndexComment {
                table,
                constraint,
                comment,
            }) => format!(
                "ConstraintIndexComment {} = {comment:?}",
                constraint_id(table, constraint)
            ),
            Change::Column(
                ColumnChange::AddColumn { .. }
                | ColumnChange::DropColumn { .. }
                | ColumnChange::ReleaseDefault { .. },
            )
            | Change::Comment(CommentChange::ViewColumnComment { .. })
            | Change::Schema(_)
            | Change::Extension(_)
            | Change::Table(_)
            | Change::Constraint(_)
            | Change::Index(_)
            | Change::Sequence(_)
            | Change::Routine(_)
            | Change::Trigger(_)
            | Change::EventTrigger(_)
            | Change::View(_)
            | Change::Policy(_)
            | Change::Privileges(_)
            | Change::Owner(_)
            | Change::Partition(_)
            | Change::Inheritance(_)
            | Change::Type(_)
            | Change::Domain(_)
            | Change::Collation(_) => format!("{variant} {id}"),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn diff_lines(old: &Catalog, new: &Catalog) -> String {
    lines(&diff(old, new))
}

// ---------------------------------------------------------------------------
// Nothing to do
// ---------------------------------------------------------------------------

/// A catalog with something of every kind gen models.
fn everything() -> Catalog {
    let (parent, child) = (q("app", "Parent"), q("app", "child"));
    let mut c = db()
        .table(
            Table {
                unlogged: true,
                options: vec!["fillfactor=70".to_owned()],
                comment: Some("Parents.".to_owned()),
                ..table(
                    parent.clone(),
                    vec![
                        Column {
                            identity: Some(Identity {
                                always: true,
                                sequence: q("app", "Parent_id_seq"),
                                options: ascending("bigint"),
                            }),
                            ..col("id", "bigint").not_null()
                        },
                        col("name", "text").comment("Shown to users."),
                        Column {
                            collation: Some("\"C\"".to_owned()),
                            ..col("code", "character varying(20)")
                        },
                        col("n", "integer")
                            .not_null()
                            .default("nextval('app.parent_n_seq'::regclass)"),
                        col("twice", "integer").generated("(n * 2)"),
                    ],
                )
            }
            .pk("Parent_pkey", &["id"])
            .check("name_present", "(name <> ''::text)")
            .not_valid("name_present")
            .constraint_comment("Parent_pkey", "Key.")
            .index_comment("Parent_pkey", "Key index."),
        )
        .table(table(child.clone(), vec![col("parent_id", "bigint")]).fk(
            "child_parent_id_fkey",
            &["parent_id"],
            &parent,
            &["id"],
        ))
        .sequence(sequence(q("app", "parent_n_seq"), ascending("integer")).owned_by(&parent, "n"))
        .index(Index {
            comment: Some("Lookup.".to_owned()),
            ..index("child_parent_idx", &child, &["parent_id"])
        })
        .cast("integer", "bigint", CastContext::Implicit)
        .dep(
            index_id(&q("app", "child_parent_idx")),
            column_id(&child, "parent_id"),
        )
        .build();
    c.schemas.insert(
        "app".to_owned(),
        Schema {
            name: "app".to_owned(),
            comment: Some("The application.".to_owned()),
        },
    );
    c.extensions.insert(
        "citext".to_owned(),
        Extension {
            name: "citext".to_owned(),
            schema: "public".to_owned(),
            version: "1.6".to_owned(),
            comment: None,
            default_comment: None,
        },
    );
    c
}

#[test]
fn identical_catalogs_have_no_changes() {
    let c = everything();
    assert_eq!(diff(&c, &c), []);
    assert_eq!(diff(&Catalog::default(), &Catalog::default()), []);
}

/// `CREATE EXTENSION` gives the extension its control file's comment: a
/// plan that creates one removes or replaces that comment when the new
/// catalog says otherwise, and says nothing when they agree.
#[test]
fn a_created_extension_starts_from_its_control_file_comment() {
    let with = |comment: Option<&str>| {
        let mut c = Catalog::default();
        c.extensions.insert(
            "citext".to_owned(),
            Extension {
                name: "citext".to_owned(),
                schema: "public".to_owned(),
                version: "1.6".to_owned(),
                comment: comment.map(str::to_owned),
                default_comment: Some(
                    "data type for case-insensitive character strings".to_owned(),
                ),
            },
        );
        diff_lines(&Catalog::default(), &c)
    };
    assert_snapshot!(with(None), @r"
        CreateExtension extension citext
        Comment extension citext = None
    ");
    assert_snapshot!(with(Some("data type for case-insensitive character strings")), @"CreateExtension extension citext");
    assert_snapshot!(with(Some("ours")), @r#"
        CreateExtension extension citext
        Comment extension citext = Some("ours")
    "#);
}

#[test]
fn everything_from_nothing_and_back() {
    let c = everything();
    assert_snapshot!(diff_lines(&Catalog::default(), &c), @r#"
        CreateSchema schema app
        Comment schema app = Some("The application.")
        CreateSchema schema public
        CreateExtension extension citext
        CreateSequence sequence app.parent_n_seq
        SetSequenceOwner sequence ownership app.parent_n_seq
        CreateTable table app."Parent"
        Comment table app."Parent" = Some("Parents.")
        Comment column app."Parent".name = Some("Shown to users.")
        Comment constraint "Parent_pkey" on app."Parent" = Some("Key.")
        ConstraintIndexComment constraint "Parent_pkey" on app."Parent" = Some("Key index.")
        AddConstraint constraint name_present on app."Parent"
        CreateTable table app.child
        AddConstraint constraint child_parent_id_fkey on app.child
        CreateIndex index app.child_parent_idx
        Comment index app.child_parent_idx = Some("Lookup.")
        "#);
    // Columns, constraints, indexes and owned sequences go with their table.
    assert_snapshot!(diff_lines(&c, &Catalog::default()), @r#"
        DropSchema schema app
        DropSchema schema public
        DropExtension extension citext
        DropTable table app."Parent"
        DropTable table app.child
        "#);
}

// ---------------------------------------------------------------------------
// Objects that go with their owner
// ---------------------------------------------------------------------------

#[test]
fn owned_sequence_whose_column_is_dropped_is_not_dropped_separately() {
    let t = q("public", "t");
    let seq = q("public", "t_n_seq");
    let old = db()
        .table(table(
            t.clone(),
            vec![
                col("id", "integer"),
                col("n", "integer")
                    .not_null()
                    .default("nextval('public.t_n_seq'::regclass)"),
            ],
        ))
        .sequence(sequence(seq.clone(), ascending("integer")).owned_by(&t, "n"))
        .build();
    let without_column = db()
        .table(table(t.clone(), vec![col("id", "integer")]))
        .build();
    assert_snapshot!(diff_lines(&old, &without_column), @"DropColumn column public.t.n");
    // With the table, too.
    assert_snapshot!(diff_lines(&old, &db().build()), @"DropTable table public.t");
    // The column stays and only the sequence goes: that one is dropped.
    let column_kept = db()
        .table(table(
            t.clone(),
            vec![col("id", "integer"), col("n", "integer").not_null()],
        ))
        .build();
    assert_snapshot!(diff_lines(&old, &column_kept), @r"
        DropSequence sequence public.t_n_seq
        AlterColumn DropDefault column public.t.n
        ");
}

#[test]
fn index_on_a_dropped_table_is_not_dropped_separately() {
    let t = q("public", "t");
    let with_index = |def: Option<&str>| {
        let mut i = index("t_x_idx", &t, &["x"]);
        if let Some(def) = def {
            i.definition = def.to_owned();
        }
        db().table(table(t.clone(), vec![col("x", "integer")]))
            .index(i)
            .build()
    };
    let old = with_index(None);
    assert_snapshot!(diff_lines(&old, &db().build()), @"DropTable table public.t");
    // On a table that stays, the index is dropped, or dropped and created
    // again when its definition changes.
    let bare = db()
        .table(table(t.clone(), vec![col("x", "integer")]))
        .build();
    assert_snapshot!(diff_lines(&old, &bare), @"DropIndex index public.t_x_idx");
    let changed = with_index(Some(
        "CREATE INDEX t_x_idx ON public.t USING btree (x DESC)",
    ));
    assert_snapshot!(diff_lines(&old, &changed), @r"
        DropIndex index public.t_x_idx
        CreateIndex index public.t_x_idx
        ");
}

// ---------------------------------------------------------------------------
// Constraints
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------

fn one_column(c: Column) -> Catalog {
    db().table(table(q("public", "t"), vec![col("a", "integer"), c]))
        .build()
}

#[test]
fn generated_expression_change_is_drop_and_add() {
    let old = one_column(col("g", "integer").generated("(a * 2)"));
    let new = one_column(col("g", "integer").generated("(a * 3)"));
    assert_snapshot!(diff_lines(&old, &new), @r"
        DropColumn column public.t.g
        AddColumn column public.t.g
        ");
}

#[test]
fn generated_to_plain_drops_the_expression_and_keeps_the_values() {
    let old = one_column(col("g", "integer").generated("(a * 2)"));
    let new = one_column(col("g", "integer"));
    assert_snapshot!(diff_lines(&old, &new), @"AlterColumn DropExpression column public.t.g");
}

#[test]
fn plain_to_generated_is_drop_and_add() {
    let old = one_column(col("g", "integer"));
    let new = one_column(col("g", "integer").generated("(a * 2)"));
    assert_snapshot!(diff_lines(&old, &new), @r"
        DropColumn column public.t.g
        AddColumn column public.t.g
        ");
}

#[test]
fn column_actions_come_in_the_order_postgres_accepts() {
    let old = one_column(col("c", "text").default("'1'::text").comment("old"));
    let new = one_column(col("c", "bigint").not_null().default("2").comment("new"));
    assert_snapshot!(diff_lines(&old, &new), @r#"
        AlterColumn DropDefault column public.t.c
        AlterColumn Type text -> bigint (Explicit) column public.t.c
        AlterColumn SetDefault column public.t.c
        AlterColumn SetNotNull column public.t.c
        Comment column public.t.c = Some("new")
        "#);
}

#[test]
fn conversion_follows_the_casts_of_either_catalog() {
    let conversion = |from: &str,
                      to: &str,
                      casts: &[(&str, &str, CastContext)],
                      new_casts: &[(&str, &str, CastContext)]| {
        let mut old = db();
        for (f, t, c) in casts {
            old = old.cast(f, t, *c);
        }
        let mut new = db();
        for (f, t, c) in new_casts {
            new = new.cast(f, t, *c);
        }
        let old = old
            .table(table(q("public", "t"), vec![col("c", from)]))
            .build();
        let new = new
            .table(table(q("public", "t"), vec![col("c", to)]))
            .build();
        match diff(&old, &new).as_slice() {
            [
                Change::Column(ColumnChange::AlterColumn {
                    action: ColumnAction::Type { conversion, .. },
                    ..
                }),
            ] => conversion.clone(),
            other => panic!("{other:?}"),
        }
    };
    use CastContext::{Assignment as A, Explicit as E, Implicit as I};
    use Conversion::{Assignment, Explicit, ViaText};
    assert_eq!(
        conversion("integer", "bigint", &[("integer", "bigint", I)], &[]),
        Assignment
    );
    assert_eq!(
        conversion("bigint", "integer", &[("bigint", "integer", A)], &[]),
        Assignment
    );
    assert_eq!(
        conversion("integer", "boolean", &[("integer", "boolean", E)], &[]),
        Explicit
    );
    // A cast only the new catalog knows (an extension arriving) counts.
    assert_eq!(
        conversion("text", "citext", &[], &[("text", "citext", A)]),
        Assignment
    );
    assert_eq!(conversion("integer", "interval", &[], &[]), ViaText);
    // Any type goes to a string type by assignment; from one, by input.
    assert_eq!(conversion("interval", "text", &[], &[]), Assignment);
    assert_eq!(
        conversion("uuid", "character varying(36)", &[], &[]),
        Assignment
    );
    assert_eq!(conversion("text", "uuid", &[], &[]), Explicit);
    // Arrays convert element by element.
    assert_eq!(
        conversion("integer[]", "bigint[]", &[("integer", "bigint", I)], &[]),
        Assignment
    );
    assert_eq!(conversion("integer[]", "interval[]", &[], &[]), ViaText);
    // Same type, other modifiers.
    assert_eq!(
        conversion("numeric(5,2)", "numeric(10,2)", &[], &[]),
        Assignment
    );
}

// ---------------------------------------------------------------------------
// Dependents dropped and created again
// ---------------------------------------------------------------------------

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

#[test]
fn new_table_keeps_the_comment_on_its_key_index() {
    let t = q("public", "t");
    let new = db()
        .table(
            table(t.clone(), vec![col("id", "integer").not_null()])
                .pk("t_pkey", &["id"])
                .index_comment("t_pkey", "Backs the key."),
        )
        .build();
    let changes = diff(&db().build(), &new);
    assert!(
        changes.contains(&Change::Comment(CommentChange::ConstraintIndexComment {
            table: t.clone(),
            constraint: "t_pkey".to_owned(),
            comment: Some("Backs the key.".to_owned()),
        })),
        "{}",
        lines(&changes)
    );
}

#[test]
fn new_key_on_an_existing_table_keeps_the_comment_on_its_index() {
    let t = q("public", "t");
    let bare = table(t.clone(), vec![col("id", "integer").not_null()]);
    let old = db().table(bare.clone()).build();
    let new = db()
        .table(
            bare.pk("t_pkey", &["id"])
                .index_comment("t_pkey", "Backs the key."),
        )
        .build();
    let changes = diff(&old, &new);
    assert!(
        changes.contains(&Change::Comment(CommentChange::ConstraintIndexComment {
            table: t.clone(),
            constraint: "t_pkey".to_owned(),
            comment: Some("Backs the key.".to_owned()),
        })),
        "{}",
        lines(&changes)
    );
}

#[test]
fn extension_versions_compare_as_numbers() {
    assert!(super::is_downgrade("1.4", "1.3"));
    assert!(super::is_downgrade("1.10", "1.9"));
    assert!(!super::is_downgrade("1.9", "1.10"));
    assert!(!super::is_downgrade("1.3", "1.3"));
    assert!(!super::is_downgrade("2.0beta", "1.0"));
}
