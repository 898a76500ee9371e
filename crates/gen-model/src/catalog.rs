//! The typed catalog: plain data read from one database, no I/O.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::access_method::AccessMethod;
use crate::cast::Cast;
use crate::conversion::Conversion;
use crate::foreign::{ForeignDataWrapper, ForeignServer, ForeignTable, UserMapping};
use crate::language::Language;
use crate::operator::Operator;
use crate::operator_class::{OperatorClass, OperatorFamily};
use crate::publication::Publication;
use crate::routines::{Aggregate, EventTrigger, Function, RoutineKey, Trigger};
use crate::rule::Rule;
use crate::statistics::Statistics;
use crate::subscription::Subscription;
use crate::text_search::{
    TextSearchConfiguration, TextSearchDictionary, TextSearchParser, TextSearchTemplate,
};
use crate::{
    Acl, Collation, ColumnStorage, DefaultPrivileges, Domain, Inheritance, Inherited, ObjectId,
    Policy, QualifiedName, ReplicaIdentity, RowSecurity, TypeKind, UserType, View,
};

/// Everything gen knows about one database's application schemas.
///
/// Maps are keyed by raw names so that two catalogs can be walked side by
/// side in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The major version of the server the catalog was read from (`17`);
    /// 0 for a catalog made otherwise. What a plan may use depends on it
    /// (`ALTER COLUMN … SET EXPRESSION` from 17 on).
    #[serde(default)]
    pub major: u32,
    /// Application schemas (system schemas and extension members are left out).
    pub schemas: BTreeMap<String, Schema>,
    /// Installed extensions, except `plpgsql`, which every database has.
    pub extensions: BTreeMap<String, Extension>,
    /// Ordinary tables.
    #[serde(with = "crate::pairs")]
    pub tables: BTreeMap<QualifiedName, Table>,
    /// Free-standing sequences (identity sequences belong to their column).
    #[serde(with = "crate::pairs")]
    pub sequences: BTreeMap<QualifiedName, Sequence>,
    /// Indexes that do not implement a constraint.
    #[serde(with = "crate::pairs")]
    pub indexes: BTreeMap<QualifiedName, Index>,
    /// Views and materialized views.
    #[serde(with = "crate::pairs")]
    pub views: BTreeMap<QualifiedName, View>,
    /// Dependency edges `(dependent, referenced)`: the first needs the second.
    /// Read from `pg_depend` plus the structural ones (column on table).
    pub depends: BTreeSet<(ObjectId, ObjectId)>,
    /// Routines that call other routines of the catalog in a body the
    /// server keeps as text (`LANGUAGE sql` without `BEGIN ATOMIC`,
    /// PL/pgSQL), `(caller, callee)`: the server records no dependency, yet
    /// an index or a default that runs the caller needs the callee. Only
    /// creation order follows them, and never around a cycle (recursive
    /// routines).
    #[serde(default)]
    pub calls: BTreeSet<(ObjectId, ObjectId)>,
    /// Casts between types, as `(source, target)` type names, with the
    /// context they apply in: `ALTER COLUMN … TYPE` needs `USING` unless an
    /// assignment cast exists.
    #[serde(with = "crate::pairs")]
    pub cast_contexts: BTreeMap<(String, String), CastContext>,
    /// The casts among those that convert nothing (`WITHOUT FUNCTION`,
    /// `varchar` to `text`, `text` to `citext`): a column changed along
    /// one keeps its rows as they are.
    #[serde(default)]
    pub binary_casts: BTreeSet<(String, String)>,
    /// Enum, composite and range types (not the row types of relations,
    /// not array types, not extension members).
    #[serde(with = "crate::pairs")]
    pub types: BTreeMap<QualifiedName, UserType>,
    /// Domains.
    #[serde(with = "crate::pairs")]
    pub domains: BTreeMap<QualifiedName, Domain>,
    /// Collations.
    #[serde(with = "crate::pairs")]
    pub collations: BTreeMap<QualifiedName, Collation>,
    /// Tables with row-level security enabled or forced.
    #[serde(with = "crate::pairs")]
    pub row_security: BTreeMap<QualifiedName, RowSecurity>,
    /// Row-level security policies by table and name.
    #[serde(with = "crate::pairs")]
    pub policies: BTreeMap<(QualifiedName, String), Policy>,
    /// Privileges of every object that has any besides its owner's, or
    /// would get any on creation, by the object's identity.
    #[serde(with = "crate::pairs")]
    pub privileges: BTreeMap<ObjectId, Acl>,
    /// `ALTER DEFAULT PRIVILEGES` in force, by role, schema and kind.
    #[serde(with = "crate::pairs")]
    pub default_privileges: BTreeMap<ObjectId, DefaultPrivileges>,
    /// The owner of every object that has one. Always read; compared only
    /// when ownership is managed (see [`Catalog::without_owners`]).
    #[serde(with = "crate::pairs")]
    pub owners: BTreeMap<ObjectId, String>,
    /// Functions and procedures by name and identity argument types.
    #[serde(with = "crate::pairs")]
    pub functions: BTreeMap<RoutineKey, Function>,
    /// Aggregates by name and identity arguments.
    #[serde(with = "crate::pairs")]
    pub aggregates: BTreeMap<RoutineKey, Aggregate>,
    /// Triggers by table and name (internal and cloned ones left out).
    #[serde(with = "crate::pairs")]
    pub triggers: BTreeMap<(QualifiedName, String), Trigger>,
    /// Event triggers by name.
    pub event_triggers: BTreeMap<String, EventTrigger>,
    /// Publications by name.
    #[serde(default)]
    pub publications: BTreeMap<String, Publication>,
    /// Casts the application defines, by (source, target).
    #[serde(default, with = "crate::pairs")]
    pub casts: BTreeMap<(String, String), Cast>,
    /// Rewrite rules by relation and name.
    #[serde(default, with = "crate::pairs")]
    pub rules: BTreeMap<(QualifiedName, String), Rule>,
    /// Text search configurations.
    #[serde(default, with = "crate::pairs")]
    pub text_search_configurations: BTreeMap<QualifiedName, TextSearchConfiguration>,
    /// Text search dictionaries.
    #[serde(default, with = "crate::pairs")]
    pub text_search_dictionaries: BTreeMap<QualifiedName, TextSearchDictionary>,
    /// Foreign data wrappers by name (not an extension's).
    #[serde(default)]
    pub foreign_data_wrappers: BTreeMap<String, ForeignDataWrapper>,
    /// Foreign servers by name.
    #[serde(default)]
    pub foreign_servers: BTreeMap<String, ForeignServer>,
    /// User mappings by server and role.
    #[serde(default, with = "crate::pairs")]
    pub user_mappings: BTreeMap<(String, String), UserMapping>,
    /// Foreign tables.
    #[serde(default, with = "crate::pairs")]
    pub foreign_tables: BTreeMap<QualifiedName, ForeignTable>,
    /// Extended statistics objects.
    #[serde(default, with = "crate::pairs")]
    pub statistics: BTreeMap<QualifiedName, Statistics>,
    /// Operators by schema and symbol, then operand types (`NONE` for a
    /// prefix operator's left).
    #[serde(default, with = "crate::pairs")]
    pub operators: BTreeMap<(QualifiedName, String, String), Operator>,
    /// Procedural languages by name (not an extension's).
    #[serde(default)]
    pub languages: BTreeMap<String, Language>,
    /// Encoding conversions.
    #[serde(default, with = "crate::pairs")]
    pub conversions: BTreeMap<QualifiedName, Conversion>,
    /// Access methods by name (not an extension's).
    #[serde(default)]
    pub access_methods: BTreeMap<String, AccessMethod>,
    /// Text search parsers.
    #[serde(default, with = "crate::pairs")]
    pub text_search_parsers: BTreeMap<QualifiedName, TextSearchParser>,
    /// Text search templates.
    #[serde(default, with = "crate::pairs")]
    pub text_search_templates: BTreeMap<QualifiedName, TextSearchTemplate>,
    /// Subscriptions by name.
    #[serde(default)]
    pub subscriptions: BTreeMap<String, Subscription>,
    /// Operator families by name and access method.
    #[serde(default, with = "crate::pairs")]
    pub operator_families: BTreeMap<(QualifiedName, String), OperatorFamily>,
    /// Operator classes by name and access method.
    #[serde(default, with = "crate::pairs")]
    pub operator_classes: BTreeMap<(QualifiedName, String), OperatorClass>,
}

impl Catalog {
    /// Whether the catalog holds no application objects.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
            && self.extensions.is_empty()
            && self.tables.is_empty()
            && self.sequences.is_empty()
            && self.indexes.is_empty()
            && self.types.is_empty()
            && self.domains.is_empty()
            && self.collations.is_empty()
            && self.functions.is_empty()
            && self.aggregates.is_empty()
            && self.triggers.is_empty()
            && self.event_triggers.is_empty()
            && self.publications.is_empty()
            && self.casts.is_empty()
            && self.rules.is_empty()
            && self.text_search_configurations.is_empty()
            && self.text_search_dictionaries.is_empty()
            && self.foreign_data_wrappers.is_empty()
            && self.foreign_servers.is_empty()
            && self.user_mappings.is_empty()
            && self.foreign_tables.is_empty()
            && self.statistics.is_empty()
            && self.operators.is_empty()
            && self.languages.is_empty()
            && self.conversions.is_empty()
            && self.access_methods.is_empty()
            && self.text_search_parsers.is_empty()
            && self.text_search_templates.is_empty()
            && self.subscriptions.is_empty()
            && self.operator_families.is_empty()
            && self.operator_classes.is_empty()
            && self.views.is_empty()
            && self.policies.is_empty()
            && self.default_privileges.is_empty()
    }

    /// The catalog with ownership left out: who owns what depends on who
    /// runs the migration, so it is compared only on request.
    pub fn without_owners(mut self) -> Catalog {
        self.owners.clear();
        self
    }

    /// The objects `id` depends on directly.
    pub fn dependencies_of<'a>(&'a self, id: &'a ObjectId) -> impl Iterator<Item = &'a ObjectId> {
        self.depends
            .range((id.clone(), min_id())..)
            .take_while(move |(dependent, _)| dependent == id)
            .map(|(_, referenced)| referenced)
    }

    /// Whether an object with this identity exists in the catalog.
    pub fn contains(&self, id: &ObjectId) -> bool {
        match id {
            ObjectId::Schema { name } => self.schemas.contains_key(name),
            ObjectId::Extension { name } => self.extensions.contains_key(name),
            ObjectId::Sequence { name } => {
                self.sequences.contains_key(name) || self.identity_column(name).is_some()
            }
            ObjectId::SequenceOwnership { sequence } => self
                .sequences
                .get(sequence)
                .is_some_and(|s| s.owned_by.is_some()),
            ObjectId::Table { name } => self.tables.contains_key(name),
            ObjectId::Index { name } => self.indexes.contains_key(name),
            ObjectId::View { name } => self.views.get(name).is_some_and(|v| !v.materialized),
            ObjectId::MaterializedView { name } => {
                self.views.get(name).is_some_and(|v| v.materialized)
            }
            ObjectId::Column { table, column } => {
                self.tables
                    .get(table)
                    .is_some_and(|t| t.column(column).is_some())
                    || self
                        .foreign_tables
                        .get(table)
                        .is_some_and(|t| t.columns.iter().any(|c| &c.name == column))
                    || self
                        .views
                        .get(table)
                        .is_some_and(|v| v.columns.iter().any(|c| &c.name == column))
            }
            ObjectId::Constraint { table, constraint } => self
                .tables
                .get(table)
                .is_some_and(|t| t.constraints.contains_key(constraint)),
            ObjectId::Type { name } => self.types.contains_key(name),
            ObjectId::Domain { name } => self.domains.contains_key(name),
            // From 17 on a domain's NOT NULL is a constraint too.
            ObjectId::DomainConstraint { domain, constraint } => {
                self.domains.get(domain).is_some_and(|d| {
                    d.constraints.contains_key(constraint)
                        || (d.not_null
                            && d.not_null_name.clone().unwrap_or_else(|| {
                                crate::default_domain_not_null_name(&d.name.name)
                            }) == *constraint)
                })
            }
            ObjectId::Collation { name } => self.collations.contains_key(name),
            ObjectId::TypeAttribute {
                type_name,
                attribute,
            } => self.types.get(type_name).is_some_and(|t| match &t.kind {
                TypeKind::Composite { attributes } => {
                    attributes.iter().any(|a| &a.name == attribute)
                }
                _ => false,
            }),
            ObjectId::Policy { table, name } => {
                self.policies.contains_key(&(table.clone(), name.clone()))
            }
            ObjectId::DefaultPrivileges { .. } => self.default_privileges.contains_key(id),
            ObjectId::Inheritance { table, parent } => self
                .tables
                .get(table)
                .is_some_and(|t| t.inheritance.parents.contains(parent)),
            ObjectId::ReplicaIdentity { table } => self
                .tables
                .get(table)
                .is_some_and(|t| t.replica_identity != ReplicaIdentity::Default),
            ObjectId::Function { name, args } => {
                self.functions.contains_key(&(name.clone(), args.clone()))
            }
            ObjectId::Aggregate { name, args } => {
                self.aggregates.contains_key(&(name.clone(), args.clone()))
            }
            ObjectId::Trigger { table, name } => {
                self.triggers.contains_key(&(table.clone(), name.clone()))
            }
            ObjectId::EventTrigger { name } => self.event_triggers.contains_key(name),
            ObjectId::Publication { name } => self.publications.contains_key(name),
            ObjectId::Cast { source, target } => {
                self.casts.contains_key(&(source.clone(), target.clone()))
            }
            ObjectId::Rule { table, name } => {
                self.rules.contains_key(&(table.clone(), name.clone()))
            }
            ObjectId::TextSearchConfiguration { name } => {
                self.text_search_configurations.contains_key(name)
            }
            ObjectId::TextSearchDictionary { name } => {
                self.text_search_dictionaries.contains_key(name)
            }
            ObjectId::ForeignDataWrapper { name } => self.foreign_data_wrappers.contains_key(name),
            ObjectId::ForeignServer { name } => self.foreign_servers.contains_key(name),
            ObjectId::UserMapping { server, user } => self
                .user_mappings
                .contains_key(&(server.clone(), user.clone())),
            ObjectId::ForeignTable { name } => self.foreign_tables.contains_key(name),
            ObjectId::Statistics { name } => self.statistics.contains_key(name),
            ObjectId::Operator { name, left, right } => {
                self.operators
                    .contains_key(&(name.clone(), left.clone(), right.clone()))
            }
            ObjectId::Language { name } => self.languages.contains_key(name),
            ObjectId::Conversion { name } => self.conversions.contains_key(name),
            ObjectId::AccessMethod { name } => self.access_methods.contains_key(name),
            ObjectId::TextSearchParser { name } => self.text_search_parsers.contains_key(name),
            ObjectId::TextSearchTemplate { name } => self.text_search_templates.contains_key(name),
            ObjectId::Subscription { name } => self.subscriptions.contains_key(name),
            ObjectId::OperatorFamily { name, method } => self
                .operator_families
                .contains_key(&(name.clone(), method.clone())),
            ObjectId::OperatorClass { name, method } => self
                .operator_classes
                .contains_key(&(name.clone(), method.clone())),
        }
    }
}

impl Catalog {
    /// Forgets schema `name` and everything in it, as if it were not there:
    /// for schemas a database holds that are not the application's, such
    /// as a deploy tool's registry.
    pub fn remove_schema(&mut self, name: &str) {
        self.schemas.remove(name);
        self.tables.retain(|n, _| n.schema != name);
        self.sequences.retain(|n, _| n.schema != name);
        self.indexes.retain(|n, _| n.schema != name);
        self.views.retain(|n, _| n.schema != name);
        self.functions.retain(|(n, _), _| n.schema != name);
        self.aggregates.retain(|(n, _), _| n.schema != name);
        self.triggers.retain(|(t, _), _| t.schema != name);
        self.types.retain(|n, _| n.schema != name);
        self.domains.retain(|n, _| n.schema != name);
        self.collations.retain(|n, _| n.schema != name);
        self.row_security.retain(|n, _| n.schema != name);
        self.policies.retain(|(t, _), _| t.schema != name);
        self.rules.retain(|(t, _), _| t.schema != name);
        self.text_search_configurations
            .retain(|n, _| n.schema != name);
        self.text_search_dictionaries
            .retain(|n, _| n.schema != name);
        self.foreign_tables.retain(|n, _| n.schema != name);
        self.statistics.retain(|n, _| n.schema != name);
        self.operators.retain(|(n, _, _), _| n.schema != name);
        self.conversions.retain(|n, _| n.schema != name);
        self.text_search_parsers.retain(|n, _| n.schema != name);
        self.text_search_templates.retain(|n, _| n.schema != name);
        self.operator_families.retain(|(n, _), _| n.schema != name);
        self.operator_classes.retain(|(n, _), _| n.schema != name);
        self.privileges.retain(|id, _| id.schema() != Some(name));
        self.default_privileges
            .retain(|id, _| id.schema() != Some(name));
        self.owners.retain(|id, _| id.schema() != Some(name));
        for p in self.publications.values_mut() {
            p.tables.retain(|t, _| t.schema != name);
            p.schemas.remove(name);
        }
        self.depends
            .retain(|(a, b)| a.schema() != Some(name) && b.schema() != Some(name));
        self.calls
            .retain(|(a, b)| a.schema() != Some(name) && b.schema() != Some(name));
    }

    /// Every object that holds SQL the server printed and runs when the
    /// object is created: column defaults and generation expressions, check
    /// and other constraint definitions, partition bounds, index, view,
    /// routine and trigger definitions, policy expressions, domain defaults
    /// and constraints. A kind that holds such SQL is listed here, so that
    /// what looks into expressions (an enum label used in the same
    /// transaction that adds it) sees it.
    pub fn expressions(&self) -> impl Iterator<Item = (ObjectId, Vec<&str>)> {
        let tables = self.tables.values().flat_map(|t| {
            let columns = t.columns.iter().map(move |c| {
                let id = ObjectId::Column {
                    table: t.name.clone(),
                    column: c.name.clone(),
                };
                (
                    id,
                    c.default
                        .iter()
                        .chain(&c.generated)
                        .map(String::as_str)
                        .collect(),
                )
            });
            let constraints = t.constraints.values().map(move |c| {
                let id = ObjectId::Constraint {
                    table: t.name.clone(),
                    constraint: c.name.clone(),
                };
                (id, vec![c.definition.as_str()])
            });
            let table = (
                ObjectId::Table {
                    name: t.name.clone(),
                },
                t.inheritance
                    .partition_key
                    .iter()
                    .chain(&t.inheritance.partition_bound)
                    .map(String::as_str)
                    .collect(),
            );
            std::iter::once(table).chain(columns).chain(constraints)
        });
        let indexes = self.indexes.values().map(|i| {
            let id = ObjectId::Index {
                name: i.name.clone(),
            };
            (id, vec![i.definition.as_str()])
        });
        let views = self.views.values().map(|v| {
            let id = if v.materialized {
                ObjectId::MaterializedView {
                    name: v.name.clone(),
                }
            } else {
                ObjectId::View {
                    name: v.name.clone(),
                }
            };
            (id, vec![v.definition.as_str()])
        });
        let functions = self.functions.values().map(|f| {
            let id = ObjectId::Function {
                name: f.name.clone(),
                args: f.args.clone(),
            };
            (id, vec![f.definition.as_str()])
        });
        let aggregates = self.aggregates.values().map(|a| {
            let id = ObjectId::Aggregate {
                name: a.name.clone(),
                args: a.args.clone(),
            };
            (id, vec![a.definition.as_str()])
        });
        let triggers = self.triggers.values().map(|t| {
            let id = ObjectId::Trigger {
                table: t.table.clone(),
                name: t.name.clone(),
            };
            (id, vec![t.definition.as_str()])
        });
        let policies = self.policies.values().map(|p| {
            let id = ObjectId::Policy {
                table: p.table.clone(),
                name: p.name.clone(),
            };
            (
                id,
                p.using.iter().chain(&p.check).map(String::as_str).collect(),
            )
        });
        let domains = self.domains.values().flat_map(|d| {
            let domain = (
                ObjectId::Domain {
                    name: d.name.clone(),
                },
                d.default.iter().map(String::as_str).collect(),
            );
            let constraints = d.constraints.values().map(move |c| {
                let id = ObjectId::DomainConstraint {
                    domain: d.name.clone(),
                    constraint: c.name.clone(),
                };
                (id, vec![c.definition.as_str()])
            });
            std::iter::once(domain).chain(constraints)
        });
        let publications = self.publications.values().map(|p| {
            let filters = p.tables.values().filter_map(|t| t.row_filter.as_deref());
            (p.id(), filters.collect())
        });
        let rules = self
            .rules
            .values()
            .map(|r| (r.id(), vec![r.definition.as_str()]));
        tables
            .chain(indexes)
            .chain(views)
            .chain(functions)
            .chain(aggregates)
            .chain(triggers)
            .chain(policies)
            .chain(domains)
            .chain(publications)
            .chain(rules)
    }

    /// The table and column whose identity uses the sequence `name`.
    /// A free-standing sequence answers at once: only the search for an
    /// identity sequence walks the tables.
    pub fn identity_column(&self, name: &QualifiedName) -> Option<(&Table, &Column)> {
        if self.sequences.contains_key(name) {
            return None;
        }
        self.tables.values().find_map(|t| {
            t.columns
                .iter()
                .find(|c| c.identity.as_ref().is_some_and(|i| &i.sequence == name))
                .map(|c| (t, c))
        })
    }
}

/// The smallest `ObjectId`, the lower bound of a range scan over edges.
fn min_id() -> ObjectId {
    ObjectId::Schema {
        name: String::new(),
    }
}

/// Where a cast applies, from `pg_cast.castcontext`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CastContext {
    /// Only when written: `x::type`.
    Explicit,
    /// Also on assignment to a column.
    Assignment,
    /// Also implicitly in expressions.
    Implicit,
}

/// `CREATE SCHEMA name`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Raw schema name.
    pub name: String,
    /// `COMMENT ON SCHEMA`.
    pub comment: Option<String>,
}

/// `CREATE EXTENSION name WITH SCHEMA schema VERSION version`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// Raw extension name.
    pub name: String,
    /// Schema holding the extension's objects.
    pub schema: String,
    /// Installed version.
    pub version: String,
    /// `COMMENT ON EXTENSION`.
    pub comment: Option<String>,
    /// The comment `CREATE EXTENSION` gives it (its control file's), which
    /// a plan that creates it starts from.
    #[serde(default)]
    pub default_comment: Option<String>,
    /// It cannot move to another schema (`relocatable = false` in its
    /// control file: PostGIS, xml2): it is dropped and created there.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed_schema: bool,
}

/// `CREATE [UNLOGGED] TABLE name (…) WITH (options)`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Qualified table name.
    pub name: QualifiedName,
    /// `UNLOGGED` tables skip the write-ahead log.
    pub unlogged: bool,
    /// Storage parameters as `key=value`, sorted.
    pub options: Vec<String>,
    /// Columns in their physical order (dropped columns left out).
    pub columns: Vec<Column>,
    /// Constraints by name.
    pub constraints: BTreeMap<String, Constraint>,
    /// `COMMENT ON TABLE`.
    pub comment: Option<String>,
    /// Partition key, parents and partition bound.
    pub inheritance: Inheritance,
    /// `REPLICA IDENTITY`.
    pub replica_identity: ReplicaIdentity,
    /// `ALTER TABLE … CLUSTER ON index`: the index `CLUSTER` uses.
    #[serde(default)]
    pub cluster_on: Option<String>,
    /// `USING method`: the table access method, unless it is `heap`.
    #[serde(default)]
    pub access_method: Option<String>,
    /// `OF type`: the composite type a typed table takes its columns from.
    #[serde(default)]
    pub of_type: Option<String>,
    /// `TABLESPACE t`, unless the database's default.
    #[serde(default)]
    pub tablespace: Option<String>,
}

impl Table {
    /// The column with this raw name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Raw column name.
    pub name: String,
    /// Type with modifiers, as `format_type()` writes it: `character varying(20)`.
    pub data_type: String,
    /// Type without modifiers, used to look up casts: `character varying`.
    pub base_type: String,
    /// Collation, when it differs from the type's default: `"C"`, qualified and quoted.
    pub collation: Option<String>,
    /// `NOT NULL`.
    pub not_null: bool,
    /// Default expression as `pg_get_expr()` writes it (not for generated columns).
    pub default: Option<String>,
    /// The default calls a volatile function (`nextval`, `random`,
    /// `gen_random_uuid`, `clock_timestamp`): adding the column computes
    /// it for every existing row, which rewrites the table.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub volatile_default: bool,
    /// The type is a domain with a check or `NOT NULL`: adding the column
    /// checks every existing row against it, which rewrites the table.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub domain_checked: bool,
    /// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY (…)`.
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`: the expression.
    pub generated: Option<String>,
    /// The generated column is `VIRTUAL` (PostgreSQL 18 on): computed when
    /// read, never stored.
    #[serde(default)]
    pub virtual_generated: bool,
    /// The name of the column's not-null constraint (PostgreSQL 18 on,
    /// where `NOT NULL` is a constraint with a name); `None` where the
    /// server keeps none.
    #[serde(default)]
    pub not_null_name: Option<String>,
    /// The not-null constraint is `NOT VALID` (PostgreSQL 18 on): rows
    /// written before it was added were never checked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null_not_valid: bool,
    /// The not-null constraint is `NO INHERIT` (PostgreSQL 18 on): tables
    /// inheriting from this one do not get it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null_no_inherit: bool,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
    /// Whether the column is declared locally and how many parents give it.
    pub inherited: Inherited,
    /// Statistics target, storage and compression.
    pub storage: ColumnStorage,
}

impl Column {
    /// A column as a catalog built by hand needs it most often: `data_type`,
    /// nullable, declared by its own table, with nothing else set. The base
    /// type is `data_type` up to its modifiers (`character varying(20)` →
    /// `character varying`).
    pub fn plain(name: impl Into<String>, data_type: impl Into<String>) -> Column {
        let data_type = data_type.into();
        let base_type = match data_type.split_once('(') {
            Some((base, _)) => base.trim_end().to_owned(),
            None => data_type.clone(),
        };
        Column {
            name: name.into(),
            data_type,
            base_type,
            collation: None,
            not_null: false,
            default: None,
            volatile_default: false,
            domain_checked: false,
            identity: None,
            generated: None,
            virtual_generated: false,
            not_null_name: None,
            not_null_not_valid: false,
            not_null_no_inherit: false,
            comment: None,
            inherited: Inherited::default(),
            storage: ColumnStorage::default(),
        }
    }
}

/// The name PostgreSQL 18 gives a column's not-null constraint when none
/// is written: `<table>_<column>_not_null`, the two names shortened, the
/// longer first, until the whole fits in 63 bytes (`makeObjectName`).
pub fn default_not_null_name(table: &str, column: &str) -> String {
    const LABEL: &str = "not_null";
    // NAMEDATALEN - 1, less two underscores and the label.
    let available = 63 - 2 - LABEL.len();
    let (mut a, mut b) = (table.len(), column.len());
    while a + b > available {
        if a > b {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_owned()
    };
    format!("{}_{}_{LABEL}", clip(table, a), clip(column, b))
}

/// An identity column's generation and sequence options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `ALWAYS` rather than `BY DEFAULT`.
    pub always: bool,
    /// The implicit sequence's name.
    pub sequence: QualifiedName,
    /// The implicit sequence's options.
    pub options: SequenceOptions,
}

/// Options shared by sequences and identity columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    /// `AS type`: `smallint`, `integer` or `bigint`.
    pub data_type: String,
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min_value: i64,
    /// `MAXVALUE`.
    pub max_value: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    pub cycle: bool,
}

impl SequenceOptions {
    /// The range of a sequence data type: `smallint`, `integer` or `bigint`.
    pub fn type_range(data_type: &str) -> (i64, i64) {
        match data_type {
            "smallint" => (i16::MIN.into(), i16::MAX.into()),
            "integer" => (i32::MIN.into(), i32::MAX.into()),
            _ => (i64::MIN, i64::MAX),
        }
    }

    /// The `MINVALUE` and `MAXVALUE` a sequence gets when none are given.
    pub fn default_bounds(data_type: &str, increment: i64) -> (i64, i64) {
        let (lo, hi) = Self::type_range(data_type);
        if increment > 0 { (1, hi) } else { (lo, -1) }
    }

    /// The options after the server converts the sequence to `data_type`
    /// (as `ALTER SEQUENCE … AS` and `ALTER COLUMN … TYPE` of an identity do):
    /// bounds that were the old type's defaults become the new type's.
    pub fn converted_to(&self, data_type: &str) -> SequenceOptions {
        let (old_min, old_max) = Self::default_bounds(&self.data_type, self.increment);
        let (new_min, new_max) = Self::default_bounds(data_type, self.increment);
        SequenceOptions {
            data_type: data_type.to_owned(),
            min_value: if self.min_value == old_min {
                new_min
            } else {
                self.min_value
            },
            max_value: if self.max_value == old_max {
                new_max
            } else {
                self.max_value
            },
            ..self.clone()
        }
    }
}

/// `CREATE SEQUENCE name AS … OWNED BY table.column`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    /// Qualified sequence name.
    pub name: QualifiedName,
    /// Options.
    pub options: SequenceOptions,
    /// `UNLOGGED` (as the sequences of unlogged tables are).
    pub unlogged: bool,
    /// `OWNED BY table.column`: the sequence is dropped with the column.
    pub owned_by: Option<(QualifiedName, String)>,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<String>,
}

/// The kind of a table constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// `PRIMARY KEY`
    PrimaryKey,
    /// `UNIQUE`
    Unique,
    /// `CHECK`
    Check,
    /// `FOREIGN KEY … REFERENCES`
    ForeignKey,
    /// `EXCLUDE USING …`
    Exclusion,
}

/// `ALTER TABLE t ADD CONSTRAINT name definition`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    /// Raw constraint name.
    pub name: String,
    /// What kind of constraint this is.
    pub kind: ConstraintKind,
    /// Definition as `pg_get_constraintdef()` writes it, `NOT VALID` included.
    pub definition: String,
    /// Columns constrained, in key order (empty for expression-only checks).
    pub columns: Vec<String>,
    /// For foreign keys, the referenced table.
    pub references: Option<QualifiedName>,
    /// Whether existing rows were checked (`false` for `NOT VALID`).
    pub validated: bool,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
    /// `COMMENT ON INDEX` of the index behind a key or exclusion constraint
    /// (which has the constraint's name).
    pub index_comment: Option<String>,
    /// Whether the constraint is declared locally and how many parents give it.
    pub inherited: Inherited,
    /// Storage parameters of the index behind a primary key or unique
    /// constraint (`WITH (fillfactor=70)`), as `name=value`; the server's
    /// definition leaves them out (an exclusion constraint's has them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub index_options: Vec<String>,
    /// `USING INDEX TABLESPACE t` of that index, unless the database's
    /// default; the server's definition leaves it out too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_tablespace: Option<String>,
}

impl Constraint {
    /// The definition as written in `ADD CONSTRAINT` or `CREATE TABLE`:
    /// the server's, with the index's storage parameters and tablespace
    /// where the grammar takes them (after the key columns and any
    /// `INCLUDE` list, before an exclusion constraint's `WHERE` and
    /// before `DEFERRABLE`).
    pub fn sql(&self) -> std::borrow::Cow<'_, str> {
        let mut storage = String::new();
        if !self.index_options.is_empty() {
            storage.push_str(" WITH (");
            storage.push_str(&self.index_options.join(", "));
            storage.push(')');
        }
        if let Some(tablespace) = &self.index_tablespace {
            storage.push_str(" USING INDEX TABLESPACE ");
            storage.push_str(&crate::Ident(tablespace).to_string());
        }
        if storage.is_empty() {
            return std::borrow::Cow::Borrowed(&self.definition);
        }
        let at = key_columns_end(&self.definition);
        let mut out = String::with_capacity(self.definition.len() + storage.len());
        out.push_str(&self.definition[..at]);
        out.push_str(&storage);
        out.push_str(&self.definition[at..]);
        std::borrow::Cow::Owned(out)
    }

    /// The definition without a trailing `NOT VALID`, to tell a change of
    /// meaning from a change of validation state.
    pub fn definition_without_validity(&self) -> &str {
        self.definition
            .strip_suffix(" NOT VALID")
            .unwrap_or(&self.definition)
    }
}

/// `CREATE INDEX name ON table …`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Qualified index name (same schema as its table).
    pub name: QualifiedName,
    /// The indexed table.
    pub table: QualifiedName,
    /// Full definition as `pg_get_indexdef()` writes it.
    pub definition: String,
    /// `COMMENT ON INDEX`.
    pub comment: Option<String>,
    /// The index of the parent table this index is attached to, for the
    /// index of a partition: it is created and dropped with that one.
    pub parent: Option<QualifiedName>,
    /// Sampling targets set on its columns (`ALTER INDEX … ALTER COLUMN n
    /// SET STATISTICS v`), by column number.
    #[serde(default)]
    pub column_statistics: Vec<(i16, i32)>,
    /// `TABLESPACE t`, unless the database's default.
    #[serde(default)]
    pub tablespace: Option<String>,
}

/// Where a key or exclusion constraint's definition, as
/// `pg_get_constraintdef` writes it, ends its column list and the
/// `INCLUDE (…)` and `WITH (…)` after it: the first parenthesized group at
/// the top level (quotes and nested parentheses skipped), then one more
/// for each of those that follows. The end of the text when there is no
/// group.
fn key_columns_end(definition: &str) -> usize {
    let bytes = definition.as_bytes();
    // The end (just past `)`) of the group opening at or after `from`.
    let group_end = |from: usize| -> Option<usize> {
        let mut depth = 0usize;
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                q @ (b'\'' | b'"') => {
                    // A doubled quote inside is the quote itself.
                    i += 1;
                    while i < bytes.len() {
                        if bytes[i] == q {
                            if bytes.get(i + 1) == Some(&q) {
                                i += 1;
                            } else {
                                break;
                            }
                        }
                        i += 1;
                    }
                }
                b'(' => depth += 1,
                b')' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    };
    let Some(mut end) = group_end(0) else {
        return definition.len();
    };
    // An exclusion constraint's definition has its storage parameters.
    for clause in [" INCLUDE (", " WITH ("] {
        if definition[end..].starts_with(clause) {
            end = group_end(end).unwrap_or(definition.len());
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kind: ConstraintKind, definition: &str, options: &[&str], ts: Option<&str>) -> String {
        Constraint {
            name: "k".into(),
            kind,
            definition: definition.into(),
            columns: Vec::new(),
            references: None,
            validated: true,
            comment: None,
            index_comment: None,
            inherited: Inherited {
                local: true,
                count: 0,
            },
            index_options: options.iter().map(|o| (*o).to_owned()).collect(),
            index_tablespace: ts.map(str::to_owned),
        }
        .sql()
        .into_owned()
    }

    #[test]
    fn index_storage_goes_where_the_grammar_takes_it() {
        use ConstraintKind::*;
        assert_eq!(
            key(PrimaryKey, "PRIMARY KEY (id)", &[], None),
            "PRIMARY KEY (id)"
        );
        assert_eq!(
            key(
                PrimaryKey,
                "PRIMARY KEY (id) DEFERRABLE",
                &["fillfactor=70"],
                Some("fast")
            ),
            "PRIMARY KEY (id) WITH (fillfactor=70) USING INDEX TABLESPACE fast DEFERRABLE"
        );
        assert_eq!(
            key(
                Unique,
                "UNIQUE NULLS NOT DISTINCT (a, \"b)\") INCLUDE (c)",
                &[],
                Some("Slow")
            ),
            "UNIQUE NULLS NOT DISTINCT (a, \"b)\") INCLUDE (c) USING INDEX TABLESPACE \"Slow\""
        );
        assert_eq!(
            key(
                Exclusion,
                "EXCLUDE USING gist (c WITH &&, (lower(')' || d)) WITH =) INCLUDE (f) WITH (buffering='on') WHERE ((e > 0))",
                &[],
                Some("t")
            ),
            "EXCLUDE USING gist (c WITH &&, (lower(')' || d)) WITH =) INCLUDE (f) WITH (buffering='on') USING INDEX TABLESPACE t WHERE ((e > 0))"
        );
        assert_eq!(
            key(
                PrimaryKey,
                "PRIMARY KEY (id, during WITHOUT OVERLAPS)",
                &[],
                Some("t")
            ),
            "PRIMARY KEY (id, during WITHOUT OVERLAPS) USING INDEX TABLESPACE t"
        );
    }
}
