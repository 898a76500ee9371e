//! SQL, hazards and verify checks for functions, procedures, aggregates,
//! triggers and event triggers.

use gen_model::{Catalog, Ident, Literal, ObjectId, QualifiedName, RoutineKind};

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
    match id {
        // ROUTINE names functions and procedures alike.
        ObjectId::Function { name, args } => format!("ROUTINE {name}({args})"),
        ObjectId::Aggregate { name, args } => {
            format!("AGGREGATE {}", aggregate_signature(name, args))
        }
        ObjectId::Trigger { table, name } => format!("TRIGGER {} ON {table}", Ident(name)),
        ObjectId::EventTrigger { name } => format!("EVENT TRIGGER {}", Ident(name)),
        ObjectId::Schema { .. }
        | ObjectId::Extension { .. }
        | ObjectId::Sequence { .. }
        | ObjectId::Table { .. }
        | ObjectId::Column { .. }
        | ObjectId::Constraint { .. }
        | ObjectId::Index { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::Collation { .. }
        | ObjectId::TypeAttribute { .. }
        | ObjectId::View { .. }
        | ObjectId::MaterializedView { .. }
        | ObjectId::Policy { .. }
        | ObjectId::DefaultPrivileges { .. }
        | ObjectId::Inheritance { .. }
        | ObjectId::ReplicaIdentity { .. }
        | ObjectId::Publication { .. } => unreachable!("not a routine or trigger"),
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
        ObjectId::Schema { .. }
        | ObjectId::Extension { .. }
        | ObjectId::Sequence { .. }
        | ObjectId::Table { .. }
        | ObjectId::Column { .. }
        | ObjectId::Constraint { .. }
        | ObjectId::Index { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::Collation { .. }
        | ObjectId::TypeAttribute { .. }
        | ObjectId::View { .. }
        | ObjectId::MaterializedView { .. }
        | ObjectId::Policy { .. }
        | ObjectId::DefaultPrivileges { .. }
        | ObjectId::Inheritance { .. }
        | ObjectId::ReplicaIdentity { .. }
        | ObjectId::Publication { .. } => unreachable!("not a routine or trigger"),
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
        ObjectId::Function { .. } | ObjectId::Aggregate { .. } => {
            (format!("NOT ({exists})"), format!("{id} is missing"))
        }
        // exists_condition has refused them already.
        ObjectId::Schema { .. }
        | ObjectId::Extension { .. }
        | ObjectId::Sequence { .. }
        | ObjectId::Table { .. }
        | ObjectId::Column { .. }
        | ObjectId::Constraint { .. }
        | ObjectId::Index { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::Collation { .. }
        | ObjectId::TypeAttribute { .. }
        | ObjectId::View { .. }
        | ObjectId::MaterializedView { .. }
        | ObjectId::Policy { .. }
        | ObjectId::DefaultPrivileges { .. }
        | ObjectId::Inheritance { .. }
        | ObjectId::ReplicaIdentity { .. }
        | ObjectId::Publication { .. } => unreachable!("not a routine or trigger"),
    })
}

#[cfg(test)]
mod tests;
