//! One module per kind of change: its SQL, its hazards and how a verify
//! script checks its objects, in one place.
//!
//! Each module implements [`Kind`] for its kind's change type from
//! gen-diff, matching every variant by name: a new variant does not compile
//! until it has its SQL and its hazards.

pub(crate) mod access_method;
pub(crate) mod cast;
mod collation;
pub(crate) mod column;
mod comment;
pub(crate) mod constraint;
pub(crate) mod conversion;
mod domain;
mod event_trigger;
pub(crate) mod extension;
pub(crate) mod foreign;
pub(crate) mod index;
pub(crate) mod inheritance;
pub(crate) mod language;
pub(crate) mod operator;
pub(crate) mod operator_class;
mod owner;
pub(crate) mod partition;
pub(crate) mod policy;
mod privileges;
pub(crate) mod publication;
mod routine;
pub(crate) mod rule;
pub(crate) mod schema;
pub(crate) mod sequence;
pub(crate) mod statistics;
pub(crate) mod subscription;
pub(crate) mod table;
pub(crate) mod text_search;
mod trigger;
mod types;
pub(crate) mod view;

use gen_diff::Change;
use gen_model::Catalog;

use crate::Step;
use crate::hazard::Hazard;
use crate::lock::Lock;
use crate::online::Online;

/// What gen-plan knows of one kind of change.
pub(crate) trait Kind {
    /// The statement (or statements) for the change, each ending in `;`.
    fn sql(&self) -> String;

    /// What a reviewer must know before the change runs, judged against
    /// the catalog it starts from.
    fn hazards(&self, old: &Catalog) -> Vec<Hazard>;

    /// The locks the change takes that keep a table's readers or writers
    /// waiting, as the server takes them. Locks on relations the plan
    /// creates are harmless and filtered out later.
    fn locks(&self, old: &Catalog) -> Vec<Lock>;

    /// The change's steps in online mode (`gen add --online`), where they
    /// differ from its one transactional step: for the kinds whose changes
    /// lock a busy table (indexes, constraints, columns). `None` runs the
    /// change as in a plan of one transaction.
    fn online(&self, _online: &Online<'_>) -> Option<Vec<Step>> {
        None
    }
}

/// The kind a change belongs to.
pub(crate) fn kind(change: &Change) -> &dyn Kind {
    match change {
        Change::Schema(c) => c,
        Change::Extension(c) => c,
        Change::Table(c) => c,
        Change::Column(c) => c,
        Change::Constraint(c) => c,
        Change::Index(c) => c,
        Change::Sequence(c) => c,
        Change::Comment(c) => c,
        Change::Routine(c) => c,
        Change::Trigger(c) => c,
        Change::EventTrigger(c) => c,
        Change::View(c) => c,
        Change::Policy(c) => c,
        Change::Privileges(c) => c,
        Change::Owner(c) => c,
        Change::Partition(c) => c,
        Change::Inheritance(c) => c,
        Change::Type(c) => c,
        Change::Domain(c) => c,
        Change::Collation(c) => c,
        Change::Publication(c) => c,
        Change::Cast(c) => c,
        Change::Rule(c) => c,
        Change::TextSearch(c) => c,
        Change::Foreign(c) => c,
        Change::Statistics(c) => c,
        Change::Operator(c) => c,
        Change::Language(c) => c,
        Change::Conversion(c) => c,
        Change::AccessMethod(c) => c,
        Change::Subscription(c) => c,
        Change::OperatorClass(c) => c,
    }
}
