//! The typed catalog gen compares: every object kind, identities and
//! dependency edges, as plain data. No I/O lives here, so everything that
//! reasons about schemas can be tested in memory.

mod catalog;
mod ident;
mod keywords;
mod object;
pub mod pairs;
mod partitions;
mod publication;
mod routines;
mod security;
mod types;
mod view;

pub use catalog::{
    CastContext, Catalog, Column, Constraint, ConstraintKind, Extension, Identity, Index, Schema,
    Sequence, SequenceOptions, Table,
};
pub use ident::{Ident, Literal};
pub use object::{ObjectId, QualifiedName};
pub use partitions::{ColumnStorage, Inheritance, Inherited, ReplicaIdentity};
pub use publication::{Publication, Publish, PublishedTable};
pub use routines::{
    Aggregate, EventTrigger, Function, RoutineKey, RoutineKind, Trigger, TriggerEnabled,
};
pub use security::{
    Acl, DefaultObjects, DefaultPrivileges, Grant, Grantee, Policy, PolicyCommand, RowSecurity,
};
pub use types::{Attribute, Collation, Domain, DomainConstraint, RangeType, TypeKind, UserType};
pub use view::{View, ViewColumn};
