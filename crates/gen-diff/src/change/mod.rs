//! What can differ between two catalogs, as data: one module per kind of
//! object, each with its change type and the object each change acts on
//! ([`Change::target`]). Rendering to SQL lives in gen-plan, in a module of
//! the same name; each variant's doc shows the statement it becomes.
//!
//! [`Change`] wraps the kinds' types and serializes as the inner change
//! (`{"change": "create_table", …}`), so a kind's module is where its JSON
//! shape is decided too.

use gen_model::{ObjectId, QualifiedName};
use serde::Serialize;

mod collation;
mod column;
mod comment;
mod constraint;
mod domain;
mod event_trigger;
mod extension;
mod index;
mod inheritance;
mod owner;
mod partition;
mod policy;
mod privileges;
mod publication;
mod routine;
mod schema;
mod sequence;
mod table;
mod trigger;
mod types;
mod view;

pub use collation::CollationChange;
pub use column::ColumnChange;
pub use column::{ColumnAction, Conversion, FieldCast, RowField};
pub use comment::CommentChange;
pub use constraint::ConstraintChange;
pub use domain::DomainChange;
pub use event_trigger::EventTriggerChange;
pub use extension::ExtensionChange;
pub use index::IndexChange;
pub use inheritance::InheritanceChange;
pub use owner::OwnerChange;
pub use partition::PartitionChange;
pub use policy::PolicyChange;
pub use privileges::PrivilegeAction;
pub use privileges::PrivilegesChange;
pub use publication::PublicationChange;
pub(crate) use publication::{publications, recreate as recreate_publication};
pub use routine::RoutineChange;
pub use schema::SchemaChange;
pub use sequence::SequenceChange;
pub use table::TableChange;
pub use trigger::TriggerChange;
pub use types::EnumPosition;
pub use types::TypeChange;
pub use view::ViewChange;

/// One difference between two catalogs, turned into something to do: a
/// change to one kind of object. Each kind's changes, and what they mean,
/// live in a module of their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Change {
    /// Schemas.
    Schema(SchemaChange),
    /// Extensions: created, dropped, updated, moved.
    Extension(ExtensionChange),
    /// Tables as a whole: created, dropped, their persistence, storage options and replica identity.
    Table(TableChange),
    /// Columns: added, dropped, altered.
    Column(ColumnChange),
    /// Table constraints.
    Constraint(ConstraintChange),
    /// Indexes.
    Index(IndexChange),
    /// Sequences, with their options and ownership.
    Sequence(SequenceChange),
    /// Comments on objects.
    Comment(CommentChange),
    /// Functions, procedures and aggregates.
    Routine(RoutineChange),
    /// Triggers on tables and views.
    Trigger(TriggerChange),
    /// Event triggers.
    EventTrigger(EventTriggerChange),
    /// Views and materialized views.
    View(ViewChange),
    /// Row-level security: policies and the table switches.
    Policy(PolicyChange),
    /// Privileges on objects, default privileges included.
    Privileges(PrivilegesChange),
    /// Owners of objects.
    Owner(OwnerChange),
    /// Partitions attached and detached, partition indexes attached.
    Partition(PartitionChange),
    /// Table inheritance.
    Inheritance(InheritanceChange),
    /// Enum, composite, range and base types, and type rebuilds.
    Type(TypeChange),
    /// Domains.
    Domain(DomainChange),
    /// Collations.
    Collation(CollationChange),
    /// Publications and their members.
    Publication(PublicationChange),
}

impl From<PublicationChange> for Change {
    fn from(change: PublicationChange) -> Self {
        Change::Publication(change)
    }
}

impl From<SchemaChange> for Change {
    fn from(change: SchemaChange) -> Self {
        Change::Schema(change)
    }
}

impl From<ExtensionChange> for Change {
    fn from(change: ExtensionChange) -> Self {
        Change::Extension(change)
    }
}

impl From<TableChange> for Change {
    fn from(change: TableChange) -> Self {
        Change::Table(change)
    }
}

impl From<ColumnChange> for Change {
    fn from(change: ColumnChange) -> Self {
        Change::Column(change)
    }
}

impl From<ConstraintChange> for Change {
    fn from(change: ConstraintChange) -> Self {
        Change::Constraint(change)
    }
}

impl From<IndexChange> for Change {
    fn from(change: IndexChange) -> Self {
        Change::Index(change)
    }
}

impl From<SequenceChange> for Change {
    fn from(change: SequenceChange) -> Self {
        Change::Sequence(change)
    }
}

impl From<CommentChange> for Change {
    fn from(change: CommentChange) -> Self {
        Change::Comment(change)
    }
}

impl From<RoutineChange> for Change {
    fn from(change: RoutineChange) -> Self {
        Change::Routine(change)
    }
}

impl From<TriggerChange> for Change {
    fn from(change: TriggerChange) -> Self {
        Change::Trigger(change)
    }
}

impl From<EventTriggerChange> for Change {
    fn from(change: EventTriggerChange) -> Self {
        Change::EventTrigger(change)
    }
}

impl From<ViewChange> for Change {
    fn from(change: ViewChange) -> Self {
        Change::View(change)
    }
}

impl From<PolicyChange> for Change {
    fn from(change: PolicyChange) -> Self {
        Change::Policy(change)
    }
}

impl From<PrivilegesChange> for Change {
    fn from(change: PrivilegesChange) -> Self {
        Change::Privileges(change)
    }
}

impl From<OwnerChange> for Change {
    fn from(change: OwnerChange) -> Self {
        Change::Owner(change)
    }
}

impl From<PartitionChange> for Change {
    fn from(change: PartitionChange) -> Self {
        Change::Partition(change)
    }
}

impl From<InheritanceChange> for Change {
    fn from(change: InheritanceChange) -> Self {
        Change::Inheritance(change)
    }
}

impl From<TypeChange> for Change {
    fn from(change: TypeChange) -> Self {
        Change::Type(change)
    }
}

impl From<DomainChange> for Change {
    fn from(change: DomainChange) -> Self {
        Change::Domain(change)
    }
}

impl From<CollationChange> for Change {
    fn from(change: CollationChange) -> Self {
        Change::Collation(change)
    }
}

/// Whether a change removes, or creates and alters, its object: the two
/// vertices an object has in the ordering graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The object goes away.
    Drop,
    /// The object is created or altered in place.
    CreateOrAlter,
}

impl Change {
    /// The variant's name within its kind (`CreateTable`, `AddColumn`):
    /// for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            Change::Schema(c) => c.variant(),
            Change::Extension(c) => c.variant(),
            Change::Table(c) => c.variant(),
            Change::Column(c) => c.variant(),
            Change::Constraint(c) => c.variant(),
            Change::Index(c) => c.variant(),
            Change::Sequence(c) => c.variant(),
            Change::Comment(c) => c.variant(),
            Change::Routine(c) => c.variant(),
            Change::Trigger(c) => c.variant(),
            Change::EventTrigger(c) => c.variant(),
            Change::View(c) => c.variant(),
            Change::Policy(c) => c.variant(),
            Change::Privileges(c) => c.variant(),
            Change::Owner(c) => c.variant(),
            Change::Partition(c) => c.variant(),
            Change::Inheritance(c) => c.variant(),
            Change::Type(c) => c.variant(),
            Change::Domain(c) => c.variant(),
            Change::Collation(c) => c.variant(),
            Change::Publication(c) => c.variant(),
        }
    }

    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        match self {
            Change::Schema(c) => c.target(),
            Change::Extension(c) => c.target(),
            Change::Table(c) => c.target(),
            Change::Column(c) => c.target(),
            Change::Constraint(c) => c.target(),
            Change::Index(c) => c.target(),
            Change::Sequence(c) => c.target(),
            Change::Comment(c) => c.target(),
            Change::Routine(c) => c.target(),
            Change::Trigger(c) => c.target(),
            Change::EventTrigger(c) => c.target(),
            Change::View(c) => c.target(),
            Change::Policy(c) => c.target(),
            Change::Privileges(c) => c.target(),
            Change::Owner(c) => c.target(),
            Change::Partition(c) => c.target(),
            Change::Inheritance(c) => c.target(),
            Change::Type(c) => c.target(),
            Change::Domain(c) => c.target(),
            Change::Collation(c) => c.target(),
            Change::Publication(c) => c.target(),
        }
    }

    /// The object this change removes whole: its target when it drops,
    /// unless it only takes a member out of a publication, which must come
    /// before drops but leaves the publication in place.
    pub fn removes(&self) -> Option<ObjectId> {
        if let Change::Publication(p) = self
            && p.keeps_publication()
        {
            return None;
        }
        match self.target() {
            (Action::Drop, id) => Some(id),
            (Action::CreateOrAlter, _) => None,
        }
    }
}

/// A table's id.
pub(crate) fn table_id(name: &QualifiedName) -> ObjectId {
    ObjectId::Table { name: name.clone() }
}

/// A column's id.
pub(crate) fn column_id(table: &QualifiedName, column: &str) -> ObjectId {
    ObjectId::Column {
        table: table.clone(),
        column: column.to_owned(),
    }
}

/// A table constraint's id.
pub(crate) fn constraint_id(table: &QualifiedName, constraint: &str) -> ObjectId {
    ObjectId::Constraint {
        table: table.clone(),
        constraint: constraint.to_owned(),
    }
}
