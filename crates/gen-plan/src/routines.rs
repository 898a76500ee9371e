//! SQL, hazards and verify checks for functions, procedures, aggregates,
//! triggers and event triggers.

use gen_diff::Change;
use gen_diff::{EventTriggerChange, RoutineChange, TriggerChange};
use gen_model::{Catalog, Ident, Literal, ObjectId, QualifiedName, RoutineKind};

use crate::hazard::{Hazard, HazardKind, hazard};

/// The statement for one change of a routine or trigger kind.
pub(crate) fn render(change: &Change) -> String {
    match change {
        Change::Routine(RoutineChange::CreateFunction(f)) => {
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
        Change::Routine(RoutineChange::DropFunction(f)) => {
            format!("DROP {} {}({});", routine_keyword(f.kind), f.name, f.args)
        }
        Change::Routine(RoutineChange::CreateAggregate(a)) => format!("{};", a.definition),
        Change::Routine(RoutineChange::DropAggregate(a)) => {
            format!("DROP AGGREGATE {};", aggregate_signature(&a.name, &a.args))
        }
        Change::Trigger(TriggerChange::CreateTrigger { trigger, replace }) => {
            let def = &trigger.definition;
            match def.strip_prefix("CREATE TRIGGER ") {
                Some(rest) if *replace => format!("CREATE OR REPLACE TRIGGER {rest};"),
                _ => format!("{def};"),
            }
        }
        Change::Trigger(TriggerChange::DropTrigger(t)) => {
            format!("DROP TRIGGER {} ON {};", Ident(&t.name), t.table)
        }
        Change::Trigger(TriggerChange::SetTriggerEnabled {
            table,
            name,
            enabled,
        }) => format!(
            "ALTER TABLE {table} {} TRIGGER {};",
            enabled.keywords(),
            Ident(name)
        ),
        Change::EventTrigger(EventTriggerChange::CreateEventTrigger(e)) => {
            let mut sql = format!(
                "CREATE EVENT TRIGGER {} ON {}",
                Ident(&e.name),
                Ident(&e.event)
            );
            if !e.tags.is_empty() {
                let tags: Vec<String> = e.tags.iter().map(|t| Literal(t).to_string()).collect();
                sql.push_str(&format!("\n    WHEN TAG IN ({})", tags.join(", ")));
            }
            sql.push_str(&format!("\n    EXECUTE FUNCTION {}();", e.function));
            sql
        }
        Change::EventTrigger(EventTriggerChange::DropEventTrigger(e)) => {
            format!("DROP EVENT TRIGGER {};", Ident(&e.name))
        }
        Change::EventTrigger(EventTriggerChange::SetEventTriggerEnabled { name, enabled }) => {
            format!(
                "ALTER EVENT TRIGGER {} {};",
                Ident(name),
                enabled.keywords()
            )
        }
        _ => unreachable!("not a routine or trigger change"),
    }
}

fn routine_keyword(kind: RoutineKind) -> &'static str {
    match kind {
        RoutineKind::Procedure => "PROCEDURE",
        RoutineKind::Function | RoutineKind::Window => "FUNCTION",
    }
}

/// `name(args)`, with `*` for an aggregate over no arguments.
fn aggregate_signature(name: &QualifiedName, args: &str) -> String {
    format!("{name}({})", if args.is_empty() { "*" } else { args })
}

/// What follows `COMMENT ON` for one of these kinds.
pub(crate) fn comment_target(id: &ObjectId) -> String {
    match id {
        // ROUTINE names functions and procedures alike.
        ObjectId::Function { name, args } => format!("ROUTINE {name}({args})"),
        ObjectId::Aggregate { name, args } => {
            format!("AGGREGATE {}", aggregate_signature(name, args))
        }
        ObjectId::Trigger { table, name } => format!("TRIGGER {} ON {table}", Ident(name)),
        ObjectId::EventTrigger { name } => format!("EVENT TRIGGER {}", Ident(name)),
        _ => unreachable!("not a routine or trigger"),
    }
}

/// The hazards of a change of one of these kinds.
pub(crate) fn hazards(change: &Change, old: &Catalog) -> Vec<Hazard> {
    use HazardKind::*;
    match change {
        Change::Routine(RoutineChange::CreateFunction(f))
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
        Change::Trigger(TriggerChange::CreateTrigger { trigger, .. })
            if old.tables.contains_key(&trigger.table) =>
        {
            vec![hazard(
                BlocksWrites,
                format!(
                    "creating trigger {} takes a SHARE ROW EXCLUSIVE lock on {}, blocking writes",
                    Ident(&trigger.name),
                    trigger.table
                ),
            )]
        }
        Change::Trigger(TriggerChange::DropTrigger(t)) => vec![hazard(
            AccessExclusiveLock,
            format!(
                "dropping trigger {} takes an ACCESS EXCLUSIVE lock on {}",
                Ident(&t.name),
                t.table
            ),
        )],
        Change::Trigger(TriggerChange::SetTriggerEnabled { table, name, .. }) => vec![hazard(
            BlocksWrites,
            format!(
                "changing when trigger {} fires takes a SHARE ROW EXCLUSIVE lock on {table}, blocking writes",
                Ident(name)
            ),
        )],
        _ => Vec::new(),
    }
}

/// A condition true when an object of one of these kinds exists.
pub(crate) fn exists_condition(id: &ObjectId) -> String {
    match id {
        // Not to_regprocedure: it raises when an argument type is gone.
        ObjectId::Function { name, args } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE pronamespace = to_regnamespace({}) AND proname = {} AND prokind <> 'a' AND coalesce((SELECT pg_catalog.string_agg(pg_catalog.format_type(a.t, NULL), ', ' ORDER BY a.i) FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(t, i)), '') = {})",
            Literal(&Ident(&name.schema).to_string()),
            Literal(&name.name),
            Literal(args)
        ),
        // Ordered-set signatures are beyond regprocedure's grammar.
        ObjectId::Aggregate { name, args } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE pronamespace = to_regnamespace({}) AND proname = {} AND prokind = 'a' AND pg_catalog.pg_get_function_identity_arguments(oid) = {})",
            Literal(&Ident(&name.schema).to_string()),
            Literal(&name.name),
            Literal(args)
        ),
        ObjectId::Trigger { table, name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = to_regclass({}) AND tgname = {})",
            Literal(&table.to_string()),
            Literal(name)
        ),
        ObjectId::EventTrigger { name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = {})",
            Literal(name)
        ),
        _ => unreachable!("not a routine or trigger"),
    }
}

/// The condition under which a present object of these kinds is not in
/// the shape `target` gives it, with what is wrong; `None` when the
/// catalog does not hold it.
pub(crate) fn present(id: &ObjectId, target: &Catalog) -> Option<(String, String)> {
    let exists = exists_condition(id);
    Some(match id {
        ObjectId::Trigger { table, name } => {
            let t = target.triggers.get(&(table.clone(), name.clone()))?;
            (
                format!(
                    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = to_regclass({}) AND tgname = {} AND tgenabled = {})",
                    Literal(&table.to_string()),
                    Literal(name),
                    Literal(t.enabled.code())
                ),
                format!("{id} is missing or not {}", t.enabled.keywords()),
            )
        }
        ObjectId::EventTrigger { name } => {
            let e = target.event_triggers.get(name)?;
            (
                format!(
                    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = {} AND evtenabled = {})",
                    Literal(name),
                    Literal(e.enabled.code())
                ),
                format!("{id} is missing or not {}", e.enabled.keywords()),
            )
        }
        _ => (format!("NOT ({exists})"), format!("{id} is missing")),
    })
}

#[cfg(test)]
mod tests;
