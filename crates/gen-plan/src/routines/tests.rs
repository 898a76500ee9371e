//! Ordering, SQL and checks for routines and triggers, on catalogs written
//! in code.

use gen_model::{
    Aggregate, Catalog, Function, ObjectId, QualifiedName, RoutineKind, Table, Trigger,
    TriggerEnabled,
};
use gen_test_support::col;

use crate::HazardKind;
use crate::tests::checked::{plan, verify};

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("app", name)
}

fn function(name: &str, kind: RoutineKind, result: &str) -> Function {
    if kind == RoutineKind::Procedure {
        return gen_test_support::procedure(q(name), "plpgsql", " BEGIN END ");
    }
    Function {
        kind,
        ..gen_test_support::function(q(name), "plpgsql", result, " BEGIN END ")
    }
}

fn fid(name: &str) -> ObjectId {
    ObjectId::Function {
        name: q(name),
        args: "integer".to_owned(),
    }
}

fn table(name: &str, default: Option<&str>) -> Table {
    let mut n = col("n", "integer");
    n.default = default.map(str::to_owned);
    gen_test_support::table(q(name), vec![n])
}

fn column_n(table: &str) -> ObjectId {
    ObjectId::Column {
        table: q(table),
        column: "n".to_owned(),
    }
}

fn statements(old: &Catalog, new: &Catalog) -> Vec<String> {
    plan(old, new)
        .expect("orderable")
        .steps
        .iter()
        .map(|s| s.sql.lines().next().unwrap_or_default().to_owned())
        .collect()
}

/// A function a default calls exists before the table and goes after it.
#[test]
fn a_function_in_a_default_comes_before_the_table_and_goes_after_it() {
    let mut new = Catalog::default();
    let f = function("next_n", RoutineKind::Function, "integer");
    new.functions.insert((f.name.clone(), f.args.clone()), f);
    let t = table("t", Some("app.next_n(1)"));
    new.tables.insert(t.name.clone(), t);
    new.depends.insert((column_n("t"), fid("next_n")));
    new.depends
        .insert((column_n("t"), ObjectId::Table { name: q("t") }));
    assert_eq!(
        statements(&Catalog::default(), &new),
        [
            "CREATE OR REPLACE FUNCTION app.next_n(v integer)",
            "CREATE TABLE app.t (",
        ]
    );
    assert_eq!(
        statements(&new, &Catalog::default()),
        ["DROP TABLE app.t;", "DROP FUNCTION app.next_n(integer);"]
    );
}

/// A trigger follows its function and table, and goes before them.
#[test]
fn a_trigger_follows_its_function_and_table() {
    let mut new = Catalog::default();
    let f = function("audit", RoutineKind::Function, "trigger");
    new.functions.insert((f.name.clone(), f.args.clone()), f);
    let t = table("t", None);
    new.tables.insert(t.name.clone(), t);
    let tr = Trigger {
        table: q("t"),
        name: "t_audit".to_owned(),
        definition:
            "CREATE TRIGGER t_audit AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.audit()"
                .to_owned(),
        constraint: false,
        enabled: TriggerEnabled::Replica,
        comment: Some("audits".to_owned()),
    };
    new.triggers
        .insert((tr.table.clone(), tr.name.clone()), tr.clone());
    new.depends.insert((tr.id(), fid("audit")));
    new.depends
        .insert((tr.id(), ObjectId::Table { name: q("t") }));
    assert_eq!(
        statements(&Catalog::default(), &new),
        [
            "CREATE TABLE app.t (",
            "CREATE OR REPLACE FUNCTION app.audit(v integer)",
            "CREATE TRIGGER t_audit AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.audit();",
            "ALTER TABLE app.t ENABLE REPLICA TRIGGER t_audit;",
            "COMMENT ON TRIGGER t_audit ON app.t IS 'audits';",
        ]
    );
    // The table takes its trigger along; the function goes after both.
    assert_eq!(
        statements(&new, &Catalog::default()),
        ["DROP TABLE app.t;", "DROP FUNCTION app.audit(integer);"]
    );
    // A trigger dropped alone takes an ACCESS EXCLUSIVE lock.
    let mut without = new.clone();
    without.triggers.clear();
    let p = plan(&new, &without).expect("orderable");
    assert_eq!(p.steps[0].sql, "DROP TRIGGER t_audit ON app.t;");
    assert_eq!(p.steps[0].hazards[0].kind, HazardKind::AccessExclusiveLock);
}

/// A rebuilt function: the default lets go before the drop and comes back after.
#[test]
fn a_default_is_released_around_a_rebuilt_function() {
    let mut old = Catalog::default();
    let f = function("next_n", RoutineKind::Function, "integer");
    old.functions.insert((f.name.clone(), f.args.clone()), f);
    let t = table("t", Some("app.next_n(1)"));
    old.tables.insert(t.name.clone(), t);
    old.depends.insert((column_n("t"), fid("next_n")));
    let mut new = old.clone();
    let f = function("next_n", RoutineKind::Function, "bigint");
    new.functions.insert((f.name.clone(), f.args.clone()), f);
    assert_eq!(
        statements(&old, &new),
        [
            "ALTER TABLE app.t ALTER COLUMN n DROP DEFAULT;",
            "DROP FUNCTION app.next_n(integer);",
            "CREATE OR REPLACE FUNCTION app.next_n(v integer)",
            "ALTER TABLE app.t ALTER COLUMN n SET DEFAULT app.next_n(1);",
        ]
    );
}

#[test]
fn procedures_aggregates_and_comments_render_with_their_keywords() {
    let mut old = Catalog::default();
    let mut p = function("archive", RoutineKind::Procedure, "");
    p.result = None;
    p.comment = Some("archives".to_owned());
    old.functions.insert((p.name.clone(), p.args.clone()), p);
    let a = Aggregate {
        name: q("row_count"),
        args: String::new(),
        definition:
            "CREATE AGGREGATE app.row_count(*) (\n    SFUNC = int8inc,\n    STYPE = bigint\n)"
                .to_owned(),
        comment: Some("counts".to_owned()),
    };
    old.aggregates.insert((a.name.clone(), a.args.clone()), a);
    assert_eq!(
        statements(&Catalog::default(), &old),
        [
            "CREATE OR REPLACE PROCEDURE app.archive(v integer)",
            "COMMENT ON ROUTINE app.archive(integer) IS 'archives';",
            "CREATE AGGREGATE app.row_count(*) (",
            "COMMENT ON AGGREGATE app.row_count(*) IS 'counts';",
        ]
    );
    assert_eq!(
        statements(&old, &Catalog::default()),
        [
            "DROP AGGREGATE app.row_count(*);",
            "DROP PROCEDURE app.archive(integer);",
        ]
    );
}

#[test]
fn verify_checks_routines_and_trigger_states() {
    let mut new = Catalog::default();
    let mut f = function("guard", RoutineKind::Function, "trigger");
    f.security_definer = true;
    new.functions.insert((f.name.clone(), f.args.clone()), f);
    let tr = Trigger {
        table: q("t"),
        name: "g".to_owned(),
        definition:
            "CREATE TRIGGER g BEFORE DELETE ON app.t FOR EACH ROW EXECUTE FUNCTION app.guard()"
                .to_owned(),
        constraint: false,
        enabled: TriggerEnabled::Disabled,
        comment: None,
    };
    new.triggers.insert((tr.table.clone(), tr.name.clone()), tr);
    let p = plan(&Catalog::default(), &new).expect("orderable");
    assert!(
        p.hazards()
            .any(|(_, h)| h.kind == HazardKind::AuthorizationChange)
    );
    let checks = verify::checks(&p, &new).join("\n");
    assert!(checks.contains("proname = 'guard'"), "{checks}");
    assert!(
        checks.contains("tgname = 'g' AND tgenabled = 'D'"),
        "{checks}"
    );
    let gone = verify::checks(
        &plan(&new, &Catalog::default()).expect("orderable"),
        &Catalog::default(),
    )
    .join("\n");
    assert!(
        gone.contains("function app.guard(integer) should be gone"),
        "{gone}"
    );
}
