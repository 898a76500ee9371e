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
    match routine(id) {
        // ROUTINE names functions and procedures alike.
        Routine::Function { name, args } => format!("ROUTINE {name}({args})"),
        Routine::Aggregate { name, args } => {
            format!("AGGREGATE {}", aggregate_signature(name, args))
        }
        Routine::Trigger { table, name } => format!("TRIGGER {} ON {table}", Ident(name)),
        Routine::EventTrigger { name } => format!("EVENT TRIGGER {}", Ident(name)),
    }
}

/// A condition true when an object of one of these kinds exists.
pub(crate) fn exists_condition(id: &ObjectId) -> String {
    match routine(id) {
        // Not to_regprocedure: it raises when an argument type is gone.
        Routine::Function { name, args } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE pronamespace = to_regnamespace({}) AND proname = {} AND prokind <> 'a' AND coalesce((SELECT pg_catalog.string_agg(pg_catalog.format_type(a.t, NULL), ', ' ORDER BY a.i) FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(t, i)), '') = {})",
            Literal(&Ident(&name.schema).to_string()),
            Literal(&name.name),
            Literal(args)
        ),
        // Ordered-set signatures are beyond regprocedure's grammar.
        Routine::Aggregate { name, args } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE pronamespace = to_regnamespace({}) AND proname = {} AND prokind = 'a' AND pg_catalog.pg_get_function_identity_arguments(oid) = {})",
            Literal(&Ident(&name.schema).to_string()),
            Literal(&name.name),
            Literal(args)
        ),
        Routine::Trigger { table, name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = to_regclass({}) AND tgname = {})",
            Literal(&table.to_string()),
            Literal(name)
        ),
        Routine::EventTrigger { name } => format!(
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
        Routine::Trigger { table, name } => {
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
        Routine::EventTrigger { name } => {
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
        Routine::Function { .. } | Routine::Aggregate { .. } => {
            (format!("NOT ({exists})"), format!("{id} is missing"))
        }
    })
}

/// The kinds this module knows, by name: each function above matches them
/// all, and only [`routine`] says which ids are none of them.
enum Routine<'a> {
    Function {
        name: &'a QualifiedName,
        args: &'a str,
    },
    Aggregate {
        name: &'a QualifiedName,
        args: &'a str,
    },
    Trigger {
        table: &'a QualifiedName,
        name: &'a str,
    },
    EventTrigger {
        name: &'a str,
    },
}

fn routine(id: &ObjectId) -> Routine<'_> {
    match id {
        ObjectId::Function { name, args } => Routine::Function { name, args },
        ObjectId::Aggregate { name, args } => Routine::Aggregate { name, args },
        ObjectId::Trigger { table, name } => Routine::Trigger { table, name },
        ObjectId::EventTrigger { name } => Routine::EventTrigger { name },
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
        | ObjectId::Publication { .. }
        | ObjectId::Cast { .. }
        | ObjectId::Rule { .. }
        | ObjectId::TextSearchConfiguration { .. }
        | ObjectId::TextSearchDictionary { .. } => unreachable!("not a routine or trigger"),
    }
}

#[cfg(test)]
mod tests;
