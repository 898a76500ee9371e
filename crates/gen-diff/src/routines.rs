//! Functions, procedures, aggregates, triggers and event triggers.
use gen_model::{
    Catalog, EventTrigger, ObjectId, QualifiedName, RoutineObject, Trigger, TriggerEnabled,
};

use crate::{
    Change, ColumnAction, ColumnChange, EventTriggerChange, RoutineChange, TriggerChange, comment,
    pairs,
};

pub(crate) fn routines(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    functions(old, new, out);
    aggregates(old, new, out);
    triggers(old, new, out);
    event_triggers(old, new, out);
}

fn functions(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.functions, &new.functions) {
        match (o, n) {
            (Some(o), None) => out.push(Change::Routine(RoutineChange::DropFunction(o.clone()))),
            (None, Some(n)) => {
                out.push(Change::Routine(RoutineChange::CreateFunction(n.clone())));
                comment(n.id(), None, n.comment.as_ref(), out);
            }
            (Some(o), Some(n)) => {
                if o.definition == n.definition && o.kind == n.kind {
                    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
                } else if o.replaceable_by(n) {
                    out.push(Change::Routine(RoutineChange::CreateFunction(n.clone())));
                    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
                } else {
                    // A new return type, argument name or kind: the server
                    // refuses CREATE OR REPLACE; what depends on the routine
                    // is rebuilt around the drop by the closure.
                    out.push(Change::Routine(RoutineChange::DropFunction(o.clone())));
                    out.push(Change::Routine(RoutineChange::CreateFunction(n.clone())));
                    comment(n.id(), None, n.comment.as_ref(), out);
                }
            }
            (None, None) => {}
        }
    }
}

fn aggregates(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.aggregates, &new.aggregates) {
        match (o, n) {
            (Some(o), None) => out.push(Change::Routine(RoutineChange::DropAggregate(o.clone()))),
            (None, Some(n)) => {
                out.push(Change::Routine(RoutineChange::CreateAggregate(n.clone())));
                comment(n.id(), None, n.comment.as_ref(), out);
            }
            (Some(o), Some(n)) => {
                if o.definition == n.definition {
                    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
                } else {
                    // CREATE OR REPLACE AGGREGATE cannot change the state
                    // type or kind; drop and create is always accepted.
                    out.push(Change::Routine(RoutineChange::DropAggregate(o.clone())));
                    out.push(Change::Routine(RoutineChange::CreateAggregate(n.clone())));
                    comment(n.id(), None, n.comment.as_ref(), out);
                }
            }
            (None, None) => {}
        }
    }
}

/// Creates a trigger with its enabled state and comment.
fn create_trigger(t: &Trigger, replace: bool, old_comment: Option<&String>, out: &mut Vec<Change>) {
    out.push(Change::Trigger(TriggerChange::CreateTrigger {
        trigger: t.clone(),
        replace,
    }));
    // A trigger is created (and CREATE OR REPLACE leaves it) enabled.
    if t.enabled != TriggerEnabled::Origin {
        out.push(Change::Trigger(TriggerChange::SetTriggerEnabled {
            table: t.table.clone(),
            name: t.name.clone(),
            enabled: t.enabled,
        }));
    }
    comment(t.id(), old_comment, t.comment.as_ref(), out);
}

fn triggers(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.triggers, &new.triggers) {
        match (o, n) {
            (Some(o), None) => {
                // A trigger goes with its table.
                let table_dropped =
                    old.tables.contains_key(&o.table) && !new.tables.contains_key(&o.table);
                if !table_dropped {
                    out.push(Change::Trigger(TriggerChange::DropTrigger(o.clone())));
                }
            }
            (None, Some(n)) => create_trigger(n, false, None, out),
            (Some(o), Some(n)) => {
                if o.definition != n.definition {
                    if o.constraint || n.constraint {
                        // CREATE OR REPLACE does not apply to constraint triggers.
                        out.push(Change::Trigger(TriggerChange::DropTrigger(o.clone())));
                        create_trigger(n, false, None, out);
                    } else {
                        create_trigger(n, true, o.comment.as_ref(), out);
                    }
                } else {
                    if o.enabled != n.enabled {
                        out.push(Change::Trigger(TriggerChange::SetTriggerEnabled {
                            table: n.table.clone(),
                            name: n.name.clone(),
                            enabled: n.enabled,
                        }));
                    }
                    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
                }
            }
            (None, None) => {}
        }
    }
}

fn create_event_trigger(e: &EventTrigger, out: &mut Vec<Change>) {
    out.push(Change::EventTrigger(
        EventTriggerChange::CreateEventTrigger(e.clone()),
    ));
    if e.enabled != TriggerEnabled::Origin {
        out.push(Change::EventTrigger(
            EventTriggerChange::SetEventTriggerEnabled {
                name: e.name.clone(),
                enabled: e.enabled,
            },
        ));
    }
    comment(e.id(), None, e.comment.as_ref(), out);
}

fn event_triggers(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.event_triggers, &new.event_triggers) {
        match (o, n) {
            (Some(o), None) => out.push(Change::EventTrigger(
                EventTriggerChange::DropEventTrigger(o.clone()),
            )),
            (None, Some(n)) => create_event_trigger(n, out),
            (Some(o), Some(n)) => {
                let same = o.event == n.event && o.tags == n.tags && o.function == n.function;
                if !same {
                    // Only the enabled state, owner and name can be altered.
                    out.push(Change::EventTrigger(EventTriggerChange::DropEventTrigger(
                        o.clone(),
                    )));
                    create_event_trigger(n, out);
                } else {
                    if o.enabled != n.enabled {
                        out.push(Change::EventTrigger(
                            EventTriggerChange::SetEventTriggerEnabled {
                                name: n.name.clone(),
                                enabled: n.enabled,
                            },
                        ));
                    }
                    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
                }
            }
            (None, None) => {}
        }
    }
}

/// Drop as in `old`, create as in `new`, for the generic closure.
pub(crate) fn recreate(id: &ObjectId, old: &Catalog, new: &Catalog, out: &mut Vec<Change>) -> bool {
    match id.as_routine() {
        Some(RoutineObject::Function { name, args }) => {
            let key = (name.clone(), args.to_owned());
            let (Some(o), Some(n)) = (old.functions.get(&key), new.functions.get(&key)) else {
                return false;
            };
            out.push(Change::Routine(RoutineChange::DropFunction(o.clone())));
            out.push(Change::Routine(RoutineChange::CreateFunction(n.clone())));
            comment(n.id(), None, n.comment.as_ref(), out);
        }
        Some(RoutineObject::Aggregate { name, args }) => {
            let key = (name.clone(), args.to_owned());
            let (Some(o), Some(n)) = (old.aggregates.get(&key), new.aggregates.get(&key)) else {
                return false;
            };
            out.push(Change::Routine(RoutineChange::DropAggregate(o.clone())));
            out.push(Change::Routine(RoutineChange::CreateAggregate(n.clone())));
            comment(n.id(), None, n.comment.as_ref(), out);
        }
        Some(RoutineObject::Trigger { table, name }) => {
            let key = (table.clone(), name.to_owned());
            let (Some(o), Some(n)) = (old.triggers.get(&key), new.triggers.get(&key)) else {
                return false;
            };
            out.push(Change::Trigger(TriggerChange::DropTrigger(o.clone())));
            create_trigger(n, false, None, out);
        }
        Some(RoutineObject::EventTrigger { name }) => {
            let (Some(o), Some(n)) = (old.event_triggers.get(name), new.event_triggers.get(name))
            else {
                return false;
            };
            out.push(Change::EventTrigger(EventTriggerChange::DropEventTrigger(
                o.clone(),
            )));
            create_event_trigger(n, out);
        }
        // The closure sends only routines and triggers here.
        None => return false,
    }
    true
}

/// A column whose default uses something being rebuilt (a function whose
/// return type changes): the default is dropped before and set again after,
/// with the column's other changes planned as before. False for columns
/// without a default on both sides, identities and generated columns.
pub(crate) fn rebuild_default(
    table: &QualifiedName,
    column: &str,
    old: &Catalog,
    new: &Catalog,
    out: &mut Vec<Change>,
) -> bool {
    let (Some(o), Some(n)) = (
        old.tables.get(table).and_then(|t| t.column(column)),
        new.tables.get(table).and_then(|t| t.column(column)),
    ) else {
        return false;
    };
    // A stored generated column cannot let go of its expression and take
    // it back: it is dropped and added again, its values computed anew.
    if o.generated.is_some() && n.generated.is_some() {
        out.push(Change::Column(ColumnChange::DropColumn {
            table: table.clone(),
            column: o.clone(),
        }));
        out.push(Change::Column(ColumnChange::AddColumn {
            table: table.clone(),
            column: n.clone(),
        }));
        crate::comment(
            ObjectId::Column {
                table: table.clone(),
                column: column.to_owned(),
            },
            None,
            n.comment.as_ref(),
            out,
        );
        return true;
    }
    // Without a default in `new` the column's own DROP DEFAULT already lets
    // go first; identities are planned elsewhere.
    let plain = |c: &gen_model::Column| c.identity.is_none() && c.generated.is_none();
    if o.default.is_none() || n.default.is_none() || !plain(o) || !plain(n) {
        return false;
    }
    out.push(Change::Column(ColumnChange::ReleaseDefault {
        table: table.clone(),
        column: column.to_owned(),
    }));
    let start = out.len();
    crate::table::alter_column(table, o, n, [old, new], out);
    let sets_default = out[start..].iter().any(|c| {
        matches!(
            c,
            Change::Column(ColumnChange::AlterColumn {
                action: ColumnAction::SetDefault(_),
                ..
            })
        )
    });
    if let (Some(default), false) = (&n.default, sets_default) {
        out.push(Change::Column(ColumnChange::AlterColumn {
            table: table.clone(),
            column: column.to_owned(),
            action: ColumnAction::SetDefault(default.clone()),
        }));
    }
    true
}

#[cfg(test)]
mod tests;
