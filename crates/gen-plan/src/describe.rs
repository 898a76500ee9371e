//! Whole-object definitions for people: what `gen check` shows side by side
//! when two catalogs disagree about an object.

use gen_diff::{
    Change, CommentChange, EventTriggerChange, ExtensionChange, IndexChange, PublicationChange,
    RoutineChange, SchemaChange, SequenceChange, TableChange, TriggerChange, ViewChange,
};
use gen_model::{Catalog, ObjectId};

use crate::render::render;

/// The object a reader thinks of when `id` changes: a column or constraint
/// belongs to its table, an identity's sequence to its table, an
/// ownership to its sequence.
pub fn top_level(id: &ObjectId, catalogs: [&Catalog; 2]) -> ObjectId {
    match id {
        ObjectId::Column { table, .. } | ObjectId::Constraint { table, .. } => ObjectId::Table {
            name: table.clone(),
        },
        ObjectId::SequenceOwnership { sequence } => ObjectId::Sequence {
            name: sequence.clone(),
        },
        ObjectId::Inheritance { table, .. } | ObjectId::ReplicaIdentity { table } => {
            ObjectId::Table {
                name: table.clone(),
            }
        }
        ObjectId::Sequence { name } => catalogs
            .iter()
            .find_map(|c| c.identity_column(name))
            .map_or_else(
                || id.clone(),
                |(t, _)| ObjectId::Table {
                    name: t.name.clone(),
                },
            ),
        ObjectId::DomainConstraint { .. } | ObjectId::TypeAttribute { .. } => id
            .as_type_object()
            .and_then(crate::types::top_level)
            .unwrap_or_else(|| id.clone()),
        // Top-level already.
        ObjectId::Schema { .. }
        | ObjectId::Extension { .. }
        | ObjectId::Table { .. }
        | ObjectId::Index { .. }
        | ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::Collation { .. }
        | ObjectId::Function { .. }
        | ObjectId::Aggregate { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::EventTrigger { .. }
        | ObjectId::View { .. }
        | ObjectId::MaterializedView { .. }
        | ObjectId::Policy { .. }
        | ObjectId::DefaultPrivileges { .. }
        | ObjectId::Publication { .. }
        | ObjectId::Cast { .. }
        | ObjectId::Rule { .. }
        | ObjectId::TextSearchConfiguration { .. }
        | ObjectId::TextSearchDictionary { .. }
        | ObjectId::ForeignDataWrapper { .. }
        | ObjectId::ForeignServer { .. }
        | ObjectId::UserMapping { .. }
        | ObjectId::ForeignTable { .. }
        | ObjectId::Statistics { .. }
        | ObjectId::Operator { .. }
        | ObjectId::Language { .. }
        | ObjectId::Conversion { .. }
        | ObjectId::AccessMethod { .. }
        | ObjectId::TextSearchParser { .. }
        | ObjectId::TextSearchTemplate { .. }
        | ObjectId::Subscription { .. }
        | ObjectId::OperatorFamily { .. }
        | ObjectId::OperatorClass { .. } => id.clone(),
    }
}

/// The full definition of a top-level object as SQL that would create it,
/// comments included; empty when the catalog does not hold it.
pub fn definition(catalog: &Catalog, id: &ObjectId) -> String {
    let mut changes = Vec::new();
    let comment = |target: ObjectId, comment: &Option<String>, out: &mut Vec<Change>| {
        if comment.is_some() {
            out.push(Change::Comment(CommentChange::Comment {
                target,
                comment: comment.clone(),
            }));
        }
    };
    match id {
        ObjectId::Schema { name } => {
            if let Some(s) = catalog.schemas.get(name) {
                changes.push(Change::Schema(SchemaChange::CreateSchema(s.clone())));
                comment(id.clone(), &s.comment, &mut changes);
            }
        }
        ObjectId::Extension { name } => {
            if let Some(e) = catalog.extensions.get(name) {
                changes.push(Change::Extension(ExtensionChange::CreateExtension(
                    e.clone(),
                )));
                comment(id.clone(), &e.comment, &mut changes);
            }
        }
        ObjectId::Table { name } => {
            if let Some(t) = catalog.tables.get(name) {
                changes.push(Change::Table(TableChange::CreateTable(t.clone())));
                comment(id.clone(), &t.comment, &mut changes);
                for c in &t.columns {
                    let target = ObjectId::Column {
                        table: name.clone(),
                        column: c.name.clone(),
                    };
                    comment(target, &c.comment, &mut changes);
                }
                for c in t.constraints.values() {
                    let target = ObjectId::Constraint {
                        table: name.clone(),
                        constraint: c.name.clone(),
                    };
                    comment(target, &c.comment, &mut changes);
                    if c.index_comment.is_some() {
                        changes.push(Change::Comment(CommentChange::ConstraintIndexComment {
                            table: name.clone(),
                            constraint: c.name.clone(),
                            comment: c.index_comment.clone(),
                        }));
                    }
                }
                if t.replica_identity != gen_model::ReplicaIdentity::Default {
                    changes.push(Change::Table(TableChange::SetReplicaIdentity {
                        table: name.clone(),
                        identity: t.replica_identity.clone(),
                    }));
                }
            }
        }
        ObjectId::Sequence { name } => {
            if let Some(s) = catalog.sequences.get(name) {
                changes.push(Change::Sequence(SequenceChange::CreateSequence(s.clone())));
                if s.owned_by.is_some() {
                    changes.push(Change::Sequence(SequenceChange::SetSequenceOwner {
                        name: name.clone(),
                        owned_by: s.owned_by.clone(),
                    }));
                }
                comment(id.clone(), &s.comment, &mut changes);
            }
        }
        ObjectId::Index { name } => {
            if let Some(i) = catalog.indexes.get(name) {
                changes.push(Change::Index(IndexChange::CreateIndex(i.clone())));
                comment(id.clone(), &i.comment, &mut changes);
            }
        }
        ObjectId::Function { name, args } => {
            if let Some(f) = catalog.functions.get(&(name.clone(), args.clone())) {
                changes.push(Change::Routine(RoutineChange::CreateFunction(f.clone())));
                comment(id.clone(), &f.comment, &mut changes);
            }
        }
        ObjectId::Aggregate { name, args } => {
            if let Some(a) = catalog.aggregates.get(&(name.clone(), args.clone())) {
                changes.push(Change::Routine(RoutineChange::CreateAggregate(a.clone())));
                comment(id.clone(), &a.comment, &mut changes);
            }
        }
        ObjectId::Trigger { table, name } => {
            if let Some(t) = catalog.triggers.get(&(table.clone(), name.clone())) {
                changes.push(Change::Trigger(TriggerChange::CreateTrigger {
                    trigger: t.clone(),
                    replace: false,
                }));
                if t.enabled != gen_model::TriggerEnabled::Origin {
                    changes.push(Change::Trigger(TriggerChange::SetTriggerEnabled {
                        table: table.clone(),
                        name: name.clone(),
                        enabled: t.enabled,
                    }));
                }
                comment(id.clone(), &t.comment, &mut changes);
            }
        }
        ObjectId::EventTrigger { name } => {
            if let Some(e) = catalog.event_triggers.get(name) {
                changes.push(Change::EventTrigger(
                    EventTriggerChange::CreateEventTrigger(e.clone()),
                ));
                if e.enabled != gen_model::TriggerEnabled::Origin {
                    changes.push(Change::EventTrigger(
                        EventTriggerChange::SetEventTriggerEnabled {
                            name: name.clone(),
                            enabled: e.enabled,
                        },
                    ));
                }
                comment(id.clone(), &e.comment, &mut changes);
            }
        }
        ObjectId::Publication { name } => {
            if let Some(p) = catalog.publications.get(name) {
                changes.push(Change::Publication(PublicationChange::CreatePublication(
                    p.clone(),
                )));
                comment(id.clone(), &p.comment, &mut changes);
            }
        }
        ObjectId::View { name } | ObjectId::MaterializedView { name } => {
            if let Some(v) = catalog.views.get(name) {
                changes.push(Change::View(ViewChange::CreateView(v.clone())));
                comment(id.clone(), &v.comment, &mut changes);
                for c in v.columns.iter().filter(|c| c.comment.is_some()) {
                    changes.push(Change::Comment(CommentChange::ViewColumnComment {
                        view: id.clone(),
                        column: c.name.clone(),
                        comment: c.comment.clone(),
                    }));
                }
            }
        }
        ObjectId::Column { .. }
        | ObjectId::Constraint { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::Inheritance { .. }
        | ObjectId::ReplicaIdentity { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::TypeAttribute { .. } => {
            return definition(catalog, &top_level(id, [catalog, catalog]));
        }
        ObjectId::Policy { .. } | ObjectId::DefaultPrivileges { .. } => {}
        ObjectId::Cast { .. }
        | ObjectId::Rule { .. }
        | ObjectId::TextSearchConfiguration { .. }
        | ObjectId::TextSearchDictionary { .. }
        | ObjectId::ForeignDataWrapper { .. }
        | ObjectId::ForeignServer { .. }
        | ObjectId::UserMapping { .. }
        | ObjectId::ForeignTable { .. }
        | ObjectId::Statistics { .. }
        | ObjectId::Operator { .. }
        | ObjectId::Language { .. }
        | ObjectId::Conversion { .. }
        | ObjectId::AccessMethod { .. }
        | ObjectId::TextSearchParser { .. }
        | ObjectId::TextSearchTemplate { .. }
        | ObjectId::Subscription { .. }
        | ObjectId::OperatorFamily { .. }
        | ObjectId::OperatorClass { .. } => {
            changes.extend(gen_diff::creation(catalog, id));
        }
        ObjectId::Type { .. } | ObjectId::Domain { .. } | ObjectId::Collation { .. } => {
            if let Some(t) = id.as_type_object() {
                changes.extend(crate::types::definition(catalog, t));
            }
        }
    }
    crate::security::describe(catalog, id, &mut changes);
    let mut out = String::new();
    for change in &changes {
        out.push_str(&render(change));
        out.push('\n');
    }
    out
}
