//! What `diff` plans for routines and triggers, on catalogs written in code.
use gen_model::{
    Catalog, Column, Constraint, ConstraintKind, EventTrigger, Function, ObjectId, QualifiedName,
    RoutineKind, Table, Trigger, TriggerEnabled,
};

use crate::{
    Action, Change, ColumnAction, ColumnChange, CommentChange, EventTriggerChange, TriggerChange,
    diff,
};

fn q(name: &str) -> QualifiedName {
    QualifiedName::new("app", name)
}

fn function(name: &str, result: &str, body: &str) -> Function {
    gen_test_support::function(q(name), "sql", result, body)
}

fn trigger(table: &str, name: &str, definition: &str) -> Trigger {
    gen_test_support::trigger(q(table), name, definition)
}

fn column(name: &str, default: Option<&str>) -> Column {
    Column {
        default: default.map(str::to_owned),
        ..Column::plain(name, "integer")
    }
}

fn table(name: &str, columns: Vec<Column>, constraints: Vec<Constraint>) -> Table {
    let mut t = gen_test_support::table(q(name), columns);
    t.constraints = constraints
        .into_iter()
        .map(|c| (c.name.clone(), c))
        .collect();
    t
}

fn with_function(catalog: &mut Catalog, f: Function) {
    catalog
        .functions
        .insert((f.name.clone(), f.args.clone()), f);
}

fn with_trigger(catalog: &mut Catalog, t: Trigger) {
    catalog
        .triggers
        .insert((t.table.clone(), t.name.clone()), t);
}

fn targets(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| {
            let (action, id) = c.target();
            // A few changes by name, the rest by what they do.
            let verb =
                if let Change::Trigger(TriggerChange::CreateTrigger { replace: true, .. }) = c {
                    "replace"
                } else if let Change::Column(ColumnChange::ReleaseDefault { .. }) = c {
                    "release default"
                } else if let Change::Column(ColumnChange::AlterColumn {
                    action: ColumnAction::SetDefault(_),
                    ..
                }) = c
                {
                    "set default"
                } else if let Change::Trigger(TriggerChange::SetTriggerEnabled { .. })
                | Change::EventTrigger(EventTriggerChange::SetEventTriggerEnabled {
                    ..
                }) = c
                {
                    "enable"
                } else if let Change::Comment(CommentChange::Comment { .. }) = c {
                    "comment"
                } else if action == Action::Drop {
                    "drop"
                } else {
                    "create"
                };
            format!("{verb} {id}")
        })
        .collect()
}

#[test]
fn a_new_body_is_replaced_in_place() {
    let mut old = Catalog::default();
    let mut new = Catalog::default();
    with_function(&mut old, function("f", "integer", "SELECT v"));
    with_function(&mut new, function("f", "integer", "SELECT v + 1"));
    assert_eq!(
        targets(&diff(&old, &new)),
        ["create function app.f(integer)"]
    );
}

#[test]
fn a_new_return_type_drops_and_creates_keeping_the_comment() {
    let mut old = Catalog::default();
    let mut new = Catalog::default();
    let mut f = function("f", "integer", "SELECT v");
    f.comment = Some("kept".to_owned());
    with_function(&mut old, f.clone());
    f = Function {
        result: Some("bigint".to_owned()),
        ..function("f", "bigint", "SELECT v")
    };
    f.comment = Some("kept".to_owned());
    with_function(&mut new, f);
    assert_eq!(
        targets(&diff(&old, &new)),
        [
            "drop function app.f(integer)",
            "create function app.f(integer)",
            "comment function app.f(integer)",
        ]
    );
}

#[test]
fn removing_a_default_or_renaming_an_argument_is_not_in_place() {
    let f = function("f", "integer", "SELECT v");
    let mut fewer_defaults = f.clone();
    let mut with_default = f.clone();
    with_default.defaults = 1;
    fewer_defaults.defaults = 0;
    assert!(!with_default.replaceable_by(&fewer_defaults));
    assert!(fewer_defaults.replaceable_by(&with_default));
    let mut renamed = f.clone();
    renamed.signature = "i w integer".to_owned();
    assert!(!f.replaceable_by(&renamed));
    let mut procedure = f.clone();
    procedure.kind = RoutineKind::Procedure;
    assert!(!f.replaceable_by(&procedure));
}

/// A function rebuilt takes along the trigger, check and default using it.
#[test]
fn a_rebuilt_function_rebuilds_what_uses_it() {
    let mut old = Catalog::default();
    let check = Constraint {
        name: "positive".to_owned(),
        kind: ConstraintKind::Check,
        definition: "CHECK ((app.f(n) > 0))".to_owned(),
        columns: vec!["n".to_owned()],
        references: None,
        validated: true,
        comment: None,
        index_comment: None,
        inherited: Default::default(),
        index_options: Vec::new(),
        index_tablespace: None,
    };
    let t = table(
        "t",
        vec![column("n", Some("app.f(1)")), column("m", None)],
        vec![check],
    );
    old.tables.insert(t.name.clone(), t);
    with_function(&mut old, function("f", "integer", "SELECT v"));
    with_trigger(
        &mut old,
        trigger(
            "t",
            "t_audit",
            "CREATE TRIGGER t_audit AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.f()",
        ),
    );
    let fid = ObjectId::Function {
        name: q("f"),
        args: "integer".to_owned(),
    };
    for dependent in [
        ObjectId::Column {
            table: q("t"),
            column: "n".to_owned(),
        },
        ObjectId::Constraint {
            table: q("t"),
            constraint: "positive".to_owned(),
        },
        ObjectId::Trigger {
            table: q("t"),
            name: "t_audit".to_owned(),
        },
    ] {
        old.depends.insert((dependent, fid.clone()));
    }
    let mut new = old.clone();
    with_function(&mut new, function("f", "bigint", "SELECT v"));
    assert_eq!(
        targets(&diff(&old, &new)),
        [
            "drop function app.f(integer)",
            "create function app.f(integer)",
            "release default column app.t.n",
            "set default column app.t.n",
            "drop constraint positive on app.t",
            "create constraint positive on app.t",
            "drop trigger t_audit on app.t",
            "create trigger t_audit on app.t",
        ]
    );
}

#[test]
fn triggers_go_with_their_dropped_table() {
    let mut old = Catalog::default();
    let t = table("t", vec![column("n", None)], Vec::new());
    old.tables.insert(t.name.clone(), t);
    with_trigger(
        &mut old,
        trigger(
            "t",
            "tr",
            "CREATE TRIGGER tr AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.g()",
        ),
    );
    assert_eq!(
        targets(&diff(&old, &Catalog::default())),
        ["drop table app.t"]
    );
}

#[test]
fn a_changed_trigger_is_replaced_unless_it_is_a_constraint_trigger() {
    let mut old = Catalog::default();
    let mut new = Catalog::default();
    with_trigger(
        &mut old,
        trigger(
            "t",
            "plain",
            "CREATE TRIGGER plain AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.g()",
        ),
    );
    with_trigger(
        &mut old,
        trigger(
            "t",
            "deferred",
            "CREATE CONSTRAINT TRIGGER deferred AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.g()",
        ),
    );
    let mut plain = trigger(
        "t",
        "plain",
        "CREATE TRIGGER plain AFTER UPDATE ON app.t FOR EACH ROW EXECUTE FUNCTION app.g()",
    );
    // CREATE OR REPLACE leaves a trigger enabled: the state is set again.
    plain.enabled = TriggerEnabled::Disabled;
    with_trigger(&mut new, plain);
    with_trigger(
        &mut new,
        trigger(
            "t",
            "deferred",
            "CREATE CONSTRAINT TRIGGER deferred AFTER INSERT ON app.t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION app.g()",
        ),
    );
    assert_eq!(
        targets(&diff(&old, &new)),
        [
            "drop trigger deferred on app.t",
            "create trigger deferred on app.t",
            "replace trigger plain on app.t",
            "enable trigger plain on app.t",
        ]
    );
}

#[test]
fn an_event_trigger_changes_state_in_place_and_tags_by_rebuilding() {
    let e = EventTrigger {
        name: "e".to_owned(),
        event: "ddl_command_end".to_owned(),
        tags: vec!["CREATE TABLE".to_owned()],
        function: "app.h".to_owned(),
        enabled: TriggerEnabled::Origin,
        comment: None,
    };
    let mut old = Catalog::default();
    old.event_triggers.insert("e".to_owned(), e.clone());
    let mut new = Catalog::default();
    new.event_triggers.insert(
        "e".to_owned(),
        EventTrigger {
            enabled: TriggerEnabled::Always,
            ..e.clone()
        },
    );
    assert_eq!(targets(&diff(&old, &new)), ["enable event trigger e"]);
    new.event_triggers.insert(
        "e".to_owned(),
        EventTrigger {
            tags: Vec::new(),
            ..e
        },
    );
    assert_eq!(
        targets(&diff(&old, &new)),
        ["drop event trigger e", "create event trigger e"]
    );
}
