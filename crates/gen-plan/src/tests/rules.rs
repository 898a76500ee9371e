//! Rules: replaced in place with their comment kept, their enabled state
//! set after creation, rebuilt around a column retyped under them.

use gen_model::{Catalog, ObjectId, Rule, TriggerEnabled};
use gen_test_support::*;

use super::{deploy, hazard_lines, planned};

const NOTHING: &str = "CREATE RULE keep AS\n    ON DELETE TO public.t DO INSTEAD NOTHING;";

fn with(data_type: &str, rules: &[Rule]) -> Catalog {
    let t = q("public", "t");
    let mut c = db()
        .table(table(t.clone(), vec![col("v", data_type)]))
        .build();
    for r in rules {
        c.depends.insert((r.id(), table_id(&t)));
        c.depends.insert((r.id(), column_id(&t, "v")));
        c.rules.insert((r.table.clone(), r.name.clone()), r.clone());
    }
    c
}

#[test]
fn a_new_disabled_rule_is_created_then_disabled() {
    let mut r = rule(q("public", "t"), "keep", NOTHING);
    r.enabled = TriggerEnabled::Disabled;
    let plan = planned(&with("integer", &[]), &with("integer", &[r]));
    assert_eq!(
        plan.sql(),
        format!("{NOTHING}\n\nALTER TABLE public.t DISABLE RULE keep;\n")
    );
    assert_eq!(
        hazard_lines(&plan),
        "access-exclusive-lock on rule keep on public.t: creating rule keep takes an ACCESS EXCLUSIVE lock on public.t\n\
         access-exclusive-lock on rule keep on public.t: changing when rule keep fires takes an ACCESS EXCLUSIVE lock on public.t\n"
    );
}

#[test]
fn a_changed_rule_is_replaced_in_place_keeping_its_comment() {
    let mut old = rule(q("public", "t"), "keep", NOTHING);
    old.comment = Some("never delete".to_owned());
    let mut new = old.clone();
    new.definition =
        "CREATE RULE keep AS\n    ON UPDATE TO public.t DO INSTEAD NOTHING;".to_owned();
    assert_eq!(
        deploy(&with("integer", &[old]), &with("integer", &[new])),
        "CREATE OR REPLACE RULE keep AS\n    ON UPDATE TO public.t DO INSTEAD NOTHING;\n"
    );
}

#[test]
fn a_rule_on_a_retyped_column_is_dropped_first_and_created_after() {
    let r = rule(q("public", "t"), "keep", NOTHING);
    let sql = deploy(
        &with("integer", std::slice::from_ref(&r)),
        &with("bigint", &[r]),
    );
    let dropped = sql.find("DROP RULE keep ON public.t;").expect("drop");
    let retyped = sql.find("ALTER COLUMN v TYPE bigint").expect("retype");
    let created = sql.find("CREATE RULE keep").expect("create");
    assert!(dropped < retyped && retyped < created, "{sql}");
}

#[test]
fn a_rule_goes_with_its_dropped_table() {
    let r = rule(q("public", "t"), "keep", NOTHING);
    let old = with("integer", &[r]);
    let sql = deploy(&old, &db().build());
    assert!(!sql.contains("DROP RULE"), "{sql}");
    assert!(sql.contains("DROP TABLE public.t;"), "{sql}");
    assert!(old.contains(&ObjectId::Rule {
        table: q("public", "t"),
        name: "keep".to_owned()
    }));
}
