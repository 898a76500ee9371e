//! The typed catalog gen compares: every object kind, identities and
//! dependency edges, as plain data. No I/O lives here, so everything that
//! reasons about schemas can be tested in memory.

mod catalog;
mod ident;
mod keywords;
mod object;
mod routines;
mod view;

pub use catalog::{
    CastContext, Catalog, Column, Constraint, ConstraintKind, Extension, Identity, Index, Schema,
    Sequence, SequenceOptions, Table,
};
pub use ident::{Ident, Literal};
pub use object::{ObjectId, QualifiedName};
pub use routines::{
    Aggregate, EventTrigger, Function, RoutineKey, RoutineKind, Trigger, TriggerEnabled,
};
pub use view::{View, ViewColumn};
