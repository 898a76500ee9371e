//! Functions, procedures and aggregates.

use gen_model::{Aggregate, Function, ObjectId};
use serde::Serialize;

use super::Action;

/// A change to a function, procedure or aggregate; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum RoutineChange {
    /// `CREATE OR REPLACE FUNCTION name(args) …;` as `pg_get_functiondef()`
    /// wrote it: creates the routine, or replaces it in place.
    CreateFunction(Function),
    /// `DROP FUNCTION name(args);` or `DROP PROCEDURE name(args);`
    DropFunction(Function),
    /// `CREATE AGGREGATE name(args) (SFUNC = …, STYPE = …);`
    CreateAggregate(Aggregate),
    /// `DROP AGGREGATE name(args);`
    DropAggregate(Aggregate),
}

impl RoutineChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            RoutineChange::CreateFunction(f) => (CreateOrAlter, f.id()),
            RoutineChange::DropFunction(f) => (Drop, f.id()),
            RoutineChange::CreateAggregate(a) => (CreateOrAlter, a.id()),
            RoutineChange::DropAggregate(a) => (Drop, a.id()),
        }
    }

    /// The variant's name, `CreateFunction` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            RoutineChange::CreateFunction(..) => "CreateFunction",
            RoutineChange::DropFunction(..) => "DropFunction",
            RoutineChange::CreateAggregate(..) => "CreateAggregate",
            RoutineChange::DropAggregate(..) => "DropAggregate",
        }
    }
}
