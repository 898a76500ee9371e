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

mod access_method;
mod cast;
mod collation;
mod column;
mod comment;
mod constraint;
mod conversion;
mod domain;
mod event_trigger;
mod extension;
mod foreign;
mod index;
mod inheritance;
mod language;
mod operator;
mod operator_class;
mod owner;
mod partition;
mod policy;
mod privileges;
mod publication;
mod routine;
mod rule;
mod schema;
mod sequence;
mod statistics;
mod subscription;
mod table;
mod text_search;
mod trigger;
mod types;
mod view;

pub use access_method::AccessMethodChange;
pub(crate) use access_method::{
    access_methods, create as create_access_method, recreate as recreate_access_method,
};
pub use cast::CastChange;
pub(crate) use cast::{casts, create as create_cast, recreate as recreate_cast};
pub use collation::CollationChange;
pub use column::ColumnChange;
pub use column::{ColumnAction, Conversion, FieldCast, RowField};
pub use comment::CommentChange;
pub use constraint::ConstraintChange;
pub use conversion::ConversionChange;
pub(crate) use conversion::{
    conversions, create as create_conversion, recreate as recreate_conversion,
};
pub use domain::DomainChange;
pub use event_trigger::EventTriggerChange;
pub use extension::ExtensionChange;
pub use foreign::ForeignChange;
pub(crate) use foreign::{
    creation as foreign_creation, foreign, recreate_server,
    recreate_table as recreate_foreign_table, recreate_user_mapping, recreate_wrapper,
};
pub use index::IndexChange;
pub use inheritance::InheritanceChange;
pub use language::LanguageChange;
pub(crate) use language::{create as create_language, languages};
pub use operator::OperatorChange;
pub(crate) use operator::{create as create_operator, operators, recreate as recreate_operator};
pub use operator_class::OperatorClassChange;
pub(crate) use operator_class::{
    create_class as create_operator_class, create_family as create_operator_family,
    operator_classes, recreate_class as recreate_operator_class,
};
pub use owner::OwnerChange;
pub use partition::PartitionChange;
pub use policy::PolicyChange;
pub use privileges::PrivilegeAction;
pub use privileges::PrivilegesChange;
pub use publication::PublicationChange;
pub(crate) use publication::{publications, recreate as recreate_publication};
pub use routine::RoutineChange;
pub use rule::RuleChange;
pub(crate) use rule::{create_new as create_rule, recreate as recreate_rule, rules};
pub use schema::SchemaChange;
pub use sequence::SequenceChange;
pub use statistics::StatisticsChange;
pub(crate) use statistics::{
    create as create_statistics, recreate as recreate_statistics, statistics,
};
pub use subscription::{SubscriptionChange, slot_option};
pub(crate) use subscription::{create as create_subscription, subscriptions};
pub use table::TableChange;
pub use text_search::TextSearchChange;
pub(crate) use text_search::{
    create_configuration, create_dictionary, create_parser, create_template,
    recreate_configuration, recreate_dictionary, recreate_parser, recreate_template, text_search,
};
pub use trigger::TriggerChange;
pub use types::EnumPosition;
pub use types::TypeChange;
pub use view::ViewChange;

/// Declares [`Change`] from one line per kind: the variant, its type and
/// its doc. `From` for each kind's type, [`Change::variant`] and
/// [`Change::target`] follow from the list, so a new kind is one line here
/// and its own module.
macro_rules! changes {
    ($($(#[doc = $doc:literal])* $kind:ident($inner:ident),)*) => {
        /// One difference between two catalogs, turned into something to do:
        /// a change to one kind of object. Each kind's changes, and what they
        /// mean, live in a module of their own.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(untagged)]
        pub enum Change {
            $($(#[doc = $doc])* $kind($inner),)*
        }

        $(impl From<$inner> for Change {
            fn from(change: $inner) -> Self {
                Change::$kind(change)
            }
        })*

        impl Change {
            /// The variant's name, `CreateTable` and so on: for messages and tests.
            pub fn variant(&self) -> &'static str {
                match self {
                    $(Change::$kind(c) => c.variant(),)*
                }
            }

            /// The object this change acts on and how.
            pub fn target(&self) -> (Action, ObjectId) {
                match self {
                    $(Change::$kind(c) => c.target(),)*
                }
            }
        }
    };
}

changes! {
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
    /// Casts between types.
    Cast(CastChange),
    /// Rewrite rules on tables and views.
    Rule(RuleChange),
    /// Text search configurations and dictionaries.
    TextSearch(TextSearchChange),
    /// Foreign data wrappers, servers, user mappings and foreign tables.
    Foreign(ForeignChange),
    /// Extended statistics.
    Statistics(StatisticsChange),
    /// Operators.
    Operator(OperatorChange),
    /// Procedural languages.
    Language(LanguageChange),
    /// Encoding conversions.
    Conversion(ConversionChange),
    /// Access methods.
    AccessMethod(AccessMethodChange),
    /// Subscriptions.
    Subscription(SubscriptionChange),
    /// Operator families and classes.
    OperatorClass(OperatorClassChange),
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
