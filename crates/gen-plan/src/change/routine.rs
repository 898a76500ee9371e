//! Functions, procedures and aggregates: the SQL and the hazards of each change.

use gen_diff::RoutineChange;
use gen_model::Catalog;

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;
use crate::routines::{aggregate_signature, routine_keyword};

impl Kind for RoutineChange {
    fn sql(&self) -> String {
        match self {
            RoutineChange::CreateFunction(f) => {
                // A body in a string is checked against the catalog when
                // created; what it reads may be created later in the same plan
                // (as pg_dump does, turn the check off; SQL-standard bodies
                // carry real dependencies and are ordered by them).
                if f.language == "sql" && !f.sql_body {
                    format!("SET LOCAL check_function_bodies = off;\n{};", f.definition)
                } else {
                    format!("{};", f.definition)
                }
            }
            RoutineChange::DropFunction(f) => {
                format!("DROP {} {}({});", routine_keyword(f.kind), f.name, f.args)
            }
            RoutineChange::CreateAggregate(a) => format!("{};", a.definition),
            RoutineChange::DropAggregate(a) => {
                format!("DROP AGGREGATE {};", aggregate_signature(&a.name, &a.args))
            }
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            RoutineChange::CreateFunction(f)
                if f.security_definer
                    && !old
                        .functions
                        .get(&(f.name.clone(), f.args.clone()))
                        .is_some_and(|o| o.security_definer) =>
            {
                vec![hazard(
                    AuthorizationChange,
                    format!(
                        "{} runs with the privileges of its owner (SECURITY DEFINER)",
                        f.id()
                    ),
                )]
            }
            RoutineChange::CreateFunction(..)
            | RoutineChange::DropFunction(..)
            | RoutineChange::CreateAggregate(..)
            | RoutineChange::DropAggregate(..) => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}
