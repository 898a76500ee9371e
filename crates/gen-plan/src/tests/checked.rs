//! The crate's entry points as the tests call them: each also parses every
//! statement it renders (`gen_test_support::assert_valid_sql`), so that no
//! test has to ask and none can forget.

use gen_model::Catalog;
use gen_test_support::assert_valid_sql;

use crate::{CycleError, Options, Plan};

pub(crate) fn plan(old: &Catalog, new: &Catalog) -> Result<Plan, CycleError> {
    plan_with(old, new, Options::default())
}

pub(crate) fn plan_with(
    old: &Catalog,
    new: &Catalog,
    options: Options,
) -> Result<Plan, CycleError> {
    let plan = crate::plan_with(old, new, options)?;
    for step in &plan.steps {
        assert_valid_sql(&step.sql);
    }
    Ok(plan)
}

pub(crate) mod verify {
    use gen_model::Catalog;
    use gen_test_support::{assert_plpgsql, assert_valid_sql};

    use crate::Plan;

    pub(crate) fn checks(plan: &Plan, target: &Catalog) -> Vec<String> {
        let checks = crate::verify::checks(plan, target);
        assert_plpgsql(&format!(
            "DECLARE\n    failed text[] := '{{}}';\nBEGIN\n{}\nEND",
            checks.join("\n")
        ));
        checks
    }

    pub(crate) fn script(header: &str, plan: &Plan, target: &Catalog) -> String {
        let script = crate::verify::script(header, plan, target);
        assert_valid_sql(&script);
        script
    }

    pub(crate) fn change_script(
        header: &str,
        plan: &Plan,
        target: &Catalog,
        roles: &[&str],
        change: (&str, &str),
    ) -> String {
        let script = crate::verify::change_script(header, plan, target, roles, change.0, change.1);
        assert_valid_sql(&script);
        script
    }
}

pub(crate) mod describe {
    use gen_model::{Catalog, ObjectId};
    use gen_test_support::assert_valid_sql;

    pub(crate) use crate::describe::top_level;

    pub(crate) fn definition(catalog: &Catalog, id: &ObjectId) -> String {
        let sql = crate::describe::definition(catalog, id);
        assert_valid_sql(&sql);
        sql
    }
}
