//! The typed catalog gen compares: every object kind, identities and
//! dependency edges, as plain data. No I/O lives here, so everything that
//! reasons about schemas can be tested in memory.

mod access_method;
mod cast;
mod catalog;
mod conversion;
mod foreign;
mod ident;
mod keywords;
mod language;
mod object;
mod operator;
mod operator_class;
pub mod pairs;
mod partitions;
mod publication;
mod routines;
mod rule;
mod security;
mod statistics;
mod subscription;
mod text_search;
mod types;
mod view;

pub use access_method::AccessMethod;
pub use cast::{Cast, CastMethod};
pub use catalog::{
    CastContext, Catalog, Column, Constraint, ConstraintKind, Extension, Identity, Index, Schema,
    Sequence, SequenceOptions, Table, default_not_null_name,
};
pub use conversion::Conversion;
pub use foreign::{
    FdwOption, ForeignColumn, ForeignDataWrapper, ForeignServer, ForeignTable, SECRET_OPTIONS,
    UserMapping, redact_secrets,
};
pub use ident::{Ident, Literal};
pub use language::Language;
pub use object::{ObjectId, QualifiedName};
pub use operator::Operator;
pub use operator_class::{OperatorClass, OperatorFamily, OperatorMember};
pub use partitions::{ColumnStorage, Inheritance, Inherited, ReplicaIdentity};
pub use publication::{Publication, Publish, PublishedTable};
pub use routines::{
    Aggregate, EventTrigger, Function, RoutineKey, RoutineKind, RoutineObject, Trigger,
    TriggerEnabled,
};
pub use rule::Rule;
pub use security::{
    Acl, DefaultObjects, DefaultPrivileges, Grant, Grantee, Policy, PolicyCommand, RowSecurity,
};
pub use statistics::Statistics;
pub use subscription::{Subscription, conninfo_parameters, conninfo_without_secrets};
pub use text_search::{
    TextSearchConfiguration, TextSearchDictionary, TextSearchParser, TextSearchTemplate,
};
pub use types::{
    Attribute, Collation, Domain, DomainConstraint, RangeType, TypeKind, TypeObject, UserType,
    default_domain_not_null_name,
};
pub use view::{View, ViewColumn};
