//! Casts: created after their function and dropped before it, made anew
//! when they change, commented by their types.

use gen_model::{CastContext, CastMethod, Catalog, ObjectId};
use gen_test_support::*;

use super::{deploy, planned};

fn grade_function() -> gen_model::Function {
    function(q("public", "grade"), "sql", "public.grade", " SELECT 1 ")
}

fn with_cast(c: Option<gen_model::Cast>) -> Catalog {
    let f = grade_function();
    let mut catalog = db().build();
    catalog
        .functions
        .insert((f.name.clone(), f.args.clone()), f.clone());
    if let Some(c) = c {
        catalog.depends.insert((c.id(), f.id()));
        catalog
            .casts
            .insert((c.source.clone(), c.target.clone()), c);
    }
    catalog
}

#[test]
fn a_cast_comes_after_its_function_and_goes_before_it() {
    let c = cast("integer", "public.grade", "public.grade(integer)");
    let mut bare = db().build();
    bare.schemas.clear();
    let new = with_cast(Some(c));
    let sql = deploy(&bare, &new);
    let function = sql
        .find("CREATE OR REPLACE FUNCTION public.grade")
        .expect("function");
    let created = sql
        .find("CREATE CAST (integer AS public.grade) WITH FUNCTION public.grade(integer);")
        .expect("cast");
    assert!(function < created, "{sql}");
    let back = deploy(&new, &bare);
    let dropped = back
        .find("DROP CAST (integer AS public.grade);")
        .expect("drop");
    let function = back
        .find("DROP FUNCTION public.grade")
        .expect("drop function");
    assert!(dropped < function, "{back}");
}

#[test]
fn a_cast_that_changes_is_made_anew_and_keeps_its_comment() {
    let mut old = cast("integer", "public.grade", "public.grade(integer)");
    old.comment = Some("scores".to_owned());
    let mut new = old.clone();
    new.method = CastMethod::InOut;
    new.context = CastContext::Implicit;
    let sql = deploy(&with_cast(Some(old)), &with_cast(Some(new)));
    assert_eq!(
        sql,
        "DROP CAST (integer AS public.grade);\n\n\
         CREATE CAST (integer AS public.grade) WITH INOUT AS IMPLICIT;\n\n\
         COMMENT ON CAST (integer AS public.grade) IS 'scores';\n"
    );
}

#[test]
fn a_binary_coercible_cast_is_written_without_function() {
    let mut c = cast("public.grade", "text", "unused");
    c.method = CastMethod::Binary;
    c.context = CastContext::Assignment;
    let plan = planned(&with_cast(None), &with_cast(Some(c.clone())));
    assert_eq!(
        plan.sql(),
        "CREATE CAST (public.grade AS text) WITHOUT FUNCTION AS ASSIGNMENT;\n"
    );
    assert_eq!(
        plan.steps[0].object,
        ObjectId::Cast {
            source: "public.grade".to_owned(),
            target: "text".to_owned()
        }
    );
}
