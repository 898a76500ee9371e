//! SQL, hazards and verify checks for functions, procedures, aggregates,
//! triggers and event triggers.

use gen_model::{Catalog, Ident, Literal, ObjectId, QualifiedName, RoutineKind, RoutineObject};

pub(crate) fn routine_keyword(kind: RoutineKind) -> &'static str {
    match kind {
        RoutineKind::Procedure => "PROCEDURE",
        RoutineKind::Function | RoutineKind::Window => "FUNCTION",
    }
}

/// `name(args)`, with `*` for an aggregate over no arguments.
pub(crate) fn aggregate_signature(name: &QualifiedName, args: &str) -> String {
    format!("{name}({})", if args.is_empty() { "*" } else { args })
}

/// What follows `COMMENT ON` for one of these kinds.
pub(crate) fn comment_target(id: &ObjectId) -> String {
    match routine(id) {
        // ROUTINE names functions and procedures alike.
        RoutineObject::Function { name, args } => format!("ROUTINE {name}({args})"),
        RoutineObject::Aggregate { name, args } => {
            format!("AGGREGATE {}", aggregate_signature(name, args))
        }
        RoutineObject::Trigger { table, name } => format!("TRIGGER {} ON {table}", Ident(name)),
        RoutineObject::EventTrigger { name } => format!("EVENT TRIGGER {}", Ident(name)),
    }
}

/// A condition true when an object of one of these kinds exists.
pub(crate) fn exists_condition(id: &ObjectId) -> String {
    match routine(id) {
        // Not to_regprocedure: it raises when an argument type is gone.
        RoutineObject::Function { name, args } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE pronamespace = to_regnamespace({}) AND proname = {} AND prokind <> 'a' AND coalesce((SELECT pg_catalog.string_agg(pg_catalog.format_type(a.t, NULL), ', ' ORDER BY a.i) FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(t, i)), '') = {})",
            Literal(&Ident(&name.schema).to_string()),
            Literal(&name.name),
            Literal(args)
        ),
        // Ordered-set signatures are beyond regprocedure's grammar.
        RoutineObject::Aggregate { name, args } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE pronamespace = to_regnamespace({}) AND proname = {} AND prokind = 'a' AND pg_catalog.pg_get_function_identity_arguments(oid) = {})",
            Literal(&Ident(&name.schema).to_string()),
            Literal(&name.name),
            Literal(args)
        ),
        RoutineObject::Trigger { table, name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = to_regclass({}) AND tgname = {})",
            Literal(&table.to_string()),
            Literal(name)
        ),
        RoutineObject::EventTrigger { name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = {})",
            Literal(name)
        ),
    }
}

/// The condition under which a present object of these kinds is not in
/// the shape `target` gives it, with what is wrong; `None` when the
/// catalog does not hold it.
pub(crate) fn present(id: &ObjectId, target: &Catalog) -> Option<(String, String)> {
    let exists = exists_condition(id);
    Some(match routine(id) {
        RoutineObject::Trigger { table, name } => {
            let t = target.triggers.get(&(table.clone(), name.to_owned()))?;
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
        RoutineObject::EventTrigger { name } => {
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
        RoutineObject::Function { .. } | RoutineObject::Aggregate { .. } => {
            (format!("NOT ({exists})"), format!("{id} is missing"))
        }
    })
}

/// The routine `id` names; only routines and triggers are sent here.
fn routine(id: &ObjectId) -> RoutineObject<'_> {
    id.as_routine()
        .unwrap_or_else(|| unreachable!("{id} is not a routine or trigger"))
}

#[cfg(test)]
mod tests;
