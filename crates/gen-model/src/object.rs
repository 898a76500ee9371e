//! Object identity: what every object is known by across two catalogs.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Ident;
use crate::security::DefaultObjects;

/// A schema-qualified name, stored raw. Displays quoted: `app."User"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QualifiedName {
    /// The schema (namespace) name.
    pub schema: String,
    /// The object name within the schema.
    pub name: String,
}

impl QualifiedName {
    /// Builds a qualified name from raw parts.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", Ident(&self.schema), Ident(&self.name))
    }
}

/// The identity of one object in a catalog: kind plus name, qualified as far as
/// the kind needs. Ordering is by kind, then name, and is what makes plans
/// deterministic when nothing else decides.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ObjectId {
    /// `CREATE SCHEMA name`
    Schema {
        /// Schema name.
        name: String,
    },
    /// `CREATE EXTENSION name`
    Extension {
        /// Extension name.
        name: String,
    },
    /// `CREATE SEQUENCE schema.name`
    Sequence {
        /// Sequence name.
        name: QualifiedName,
    },
    /// `CREATE TABLE schema.name`
    Table {
        /// Table name.
        name: QualifiedName,
    },
    /// A column of a table.
    Column {
        /// Owning table.
        table: QualifiedName,
        /// Column name.
        column: String,
    },
    /// A table constraint (primary key, unique, check, foreign key, exclusion).
    Constraint {
        /// Owning table.
        table: QualifiedName,
        /// Constraint name.
        constraint: String,
    },
    /// An index that is not the implementation of a constraint.
    Index {
        /// Index name (same schema as its table).
        name: QualifiedName,
    },
    /// `ALTER SEQUENCE … OWNED BY`: kept apart from the sequence so that a
    /// sequence can be created before the table whose default uses it and be
    /// tied to the column afterwards.
    SequenceOwnership {
        /// The owned sequence.
        sequence: QualifiedName,
    },
    /// `CREATE TYPE schema.name AS ENUM | AS (…) | AS RANGE`
    Type {
        /// Type name.
        name: QualifiedName,
    },
    /// `CREATE DOMAIN schema.name`
    Domain {
        /// Domain name.
        name: QualifiedName,
    },
    /// A named check constraint of a domain.
    DomainConstraint {
        /// Owning domain.
        domain: QualifiedName,
        /// Constraint name.
        constraint: String,
    },
    /// `CREATE COLLATION schema.name`
    Collation {
        /// Collation name.
        name: QualifiedName,
    },
    /// An attribute of a composite type.
    TypeAttribute {
        /// Owning composite type.
        type_name: QualifiedName,
        /// Attribute name.
        attribute: String,
    },
    /// `CREATE FUNCTION` or `CREATE PROCEDURE schema.name(args)`
    Function {
        /// Routine name.
        name: QualifiedName,
        /// Identity argument types: `integer, text`.
        args: String,
    },
    /// `CREATE AGGREGATE schema.name(args)`
    Aggregate {
        /// Aggregate name.
        name: QualifiedName,
        /// Identity arguments, `ORDER BY` included; empty for `(*)`.
        args: String,
    },
    /// `CREATE TRIGGER name ON table`
    Trigger {
        /// The table the trigger is on.
        table: QualifiedName,
        /// Trigger name.
        name: String,
    },
    /// `CREATE EVENT TRIGGER name`
    EventTrigger {
        /// Event trigger name.
        name: String,
    },
    /// `CREATE VIEW schema.name`
    View {
        /// View name.
        name: QualifiedName,
    },
    /// `CREATE MATERIALIZED VIEW schema.name`
    MaterializedView {
        /// Materialized view name.
        name: QualifiedName,
    },
    /// `CREATE POLICY name ON table`
    Policy {
        /// The table the policy is on.
        table: QualifiedName,
        /// Policy name.
        name: String,
    },
    /// `ALTER DEFAULT PRIVILEGES FOR ROLE role [IN SCHEMA schema] … ON objects`
    DefaultPrivileges {
        /// The role whose new objects get the privileges.
        role: String,
        /// The schema, or `None` for the whole database.
        schema: Option<String>,
        /// Which kind of object.
        objects: DefaultObjects,
    },
    /// The link of a partition to its partitioned table (`ATTACH
    /// PARTITION`) or of a child table to a parent (`INHERIT`).
    Inheritance {
        /// The partition or child table.
        table: QualifiedName,
        /// The partitioned or parent table.
        parent: QualifiedName,
    },
    /// `ALTER TABLE … REPLICA IDENTITY …`, apart from the table so that it
    /// can follow the index it names.
    ReplicaIdentity {
        /// The table.
        table: QualifiedName,
    },
    /// `CREATE PUBLICATION name`
    Publication {
        /// Publication name.
        name: String,
    },
    /// `CREATE CAST (source AS target)`
    Cast {
        /// Source type, as `format_type` prints it.
        source: String,
        /// Target type, printed alike.
        target: String,
    },
    /// `CREATE RULE name AS ON … TO table`
    Rule {
        /// The table or view.
        table: QualifiedName,
        /// Rule name.
        name: String,
    },
    /// `CREATE TEXT SEARCH CONFIGURATION schema.name`
    TextSearchConfiguration {
        /// Configuration name.
        name: QualifiedName,
    },
    /// `CREATE TEXT SEARCH DICTIONARY schema.name`
    TextSearchDictionary {
        /// Dictionary name.
        name: QualifiedName,
    },
    /// `CREATE TEXT SEARCH PARSER schema.name`
    TextSearchParser {
        /// Parser name.
        name: QualifiedName,
    },
    /// `CREATE TEXT SEARCH TEMPLATE schema.name`
    TextSearchTemplate {
        /// Template name.
        name: QualifiedName,
    },
    /// `CREATE FOREIGN DATA WRAPPER name`
    ForeignDataWrapper {
        /// Wrapper name.
        name: String,
    },
    /// `CREATE SERVER name`
    ForeignServer {
        /// Server name.
        name: String,
    },
    /// `CREATE USER MAPPING FOR user SERVER server`
    UserMapping {
        /// The server.
        server: String,
        /// The role, or `PUBLIC`.
        user: String,
    },
    /// `CREATE FOREIGN TABLE schema.name`
    ForeignTable {
        /// Table name.
        name: QualifiedName,
    },
    /// `CREATE STATISTICS schema.name`
    Statistics {
        /// Statistics object name.
        name: QualifiedName,
    },
    /// `CREATE CONVERSION schema.name`
    Conversion {
        /// Conversion name.
        name: QualifiedName,
    },
    /// `CREATE OPERATOR FAMILY schema.name USING method`
    OperatorFamily {
        /// Family name.
        name: QualifiedName,
        /// Index access method.
        method: String,
    },
    /// `CREATE OPERATOR CLASS schema.name … USING method`
    OperatorClass {
        /// Class name.
        name: QualifiedName,
        /// Index access method.
        method: String,
    },
    /// `CREATE SUBSCRIPTION name`
    Subscription {
        /// Subscription name.
        name: String,
    },
    /// `CREATE ACCESS METHOD name`
    AccessMethod {
        /// Access method name.
        name: String,
    },
    /// `CREATE LANGUAGE name`
    Language {
        /// Language name.
        name: String,
    },
    /// `CREATE OPERATOR schema.op (LEFTARG = left, RIGHTARG = right, …)`
    Operator {
        /// Schema and symbol.
        name: QualifiedName,
        /// Left operand type, `NONE` for a prefix operator.
        left: String,
        /// Right operand type.
        right: String,
    },
}

impl ObjectId {
    /// A short lower-case word for the kind, as used in messages and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            ObjectId::Schema { .. } => "schema",
            ObjectId::Extension { .. } => "extension",
            ObjectId::Sequence { .. } => "sequence",
            ObjectId::Table { .. } => "table",
            ObjectId::Column { .. } => "column",
            ObjectId::Constraint { .. } => "constraint",
            ObjectId::Index { .. } => "index",
            ObjectId::SequenceOwnership { .. } => "sequence ownership",
            ObjectId::Type { .. } => "type",
            ObjectId::Domain { .. } => "domain",
            ObjectId::DomainConstraint { .. } => "domain constraint",
            ObjectId::Collation { .. } => "collation",
            ObjectId::TypeAttribute { .. } => "attribute",
            ObjectId::Function { .. } => "function",
            ObjectId::Aggregate { .. } => "aggregate",
            ObjectId::Trigger { .. } => "trigger",
            ObjectId::EventTrigger { .. } => "event trigger",
            ObjectId::View { .. } => "view",
            ObjectId::MaterializedView { .. } => "materialized view",
            ObjectId::Policy { .. } => "policy",
            ObjectId::DefaultPrivileges { .. } => "default privileges",
            ObjectId::Inheritance { .. } => "inheritance",
            ObjectId::ReplicaIdentity { .. } => "replica identity",
            ObjectId::Publication { .. } => "publication",
            ObjectId::Cast { .. } => "cast",
            ObjectId::Rule { .. } => "rule",
            ObjectId::TextSearchConfiguration { .. } => "text search configuration",
            ObjectId::TextSearchDictionary { .. } => "text search dictionary",
            ObjectId::ForeignDataWrapper { .. } => "foreign data wrapper",
            ObjectId::ForeignServer { .. } => "foreign server",
            ObjectId::UserMapping { .. } => "user mapping",
            ObjectId::ForeignTable { .. } => "foreign table",
            ObjectId::Statistics { .. } => "statistics object",
            ObjectId::Operator { .. } => "operator",
            ObjectId::Language { .. } => "language",
            ObjectId::Conversion { .. } => "conversion",
            ObjectId::AccessMethod { .. } => "access method",
            ObjectId::TextSearchParser { .. } => "text search parser",
            ObjectId::TextSearchTemplate { .. } => "text search template",
            ObjectId::Subscription { .. } => "subscription",
            ObjectId::OperatorFamily { .. } => "operator family",
            ObjectId::OperatorClass { .. } => "operator class",
        }
    }

    /// The table an object belongs to, for columns and constraints.
    pub fn table(&self) -> Option<&QualifiedName> {
        match self {
            ObjectId::Column { table, .. }
            | ObjectId::Constraint { table, .. }
            | ObjectId::Policy { table, .. } => Some(table),
            ObjectId::Inheritance { table, .. } | ObjectId::ReplicaIdentity { table } => {
                Some(table)
            }
            ObjectId::Trigger { table, .. } | ObjectId::Rule { table, .. } => Some(table),
            _ => None,
        }
    }

    /// The schema the object lives in, if any.
    pub fn schema(&self) -> Option<&str> {
        match self {
            ObjectId::Schema { name } => Some(name),
            ObjectId::Extension { .. } => None,
            ObjectId::Sequence { name }
            | ObjectId::Table { name }
            | ObjectId::Index { name }
            | ObjectId::SequenceOwnership { sequence: name }
            | ObjectId::View { name }
            | ObjectId::MaterializedView { name } => Some(&name.schema),
            ObjectId::Column { table, .. } | ObjectId::Constraint { table, .. } => {
                Some(&table.schema)
            }
            ObjectId::Type { name }
            | ObjectId::Domain { name }
            | ObjectId::Collation { name }
            | ObjectId::DomainConstraint { domain: name, .. }
            | ObjectId::TypeAttribute {
                type_name: name, ..
            } => Some(&name.schema),
            ObjectId::Policy { table, .. } => Some(&table.schema),
            ObjectId::DefaultPrivileges { schema, .. } => schema.as_deref(),
            ObjectId::Inheritance { table, .. } | ObjectId::ReplicaIdentity { table } => {
                Some(&table.schema)
            }
            ObjectId::Function { name, .. } | ObjectId::Aggregate { name, .. } => {
                Some(&name.schema)
            }
            ObjectId::Trigger { table, .. } | ObjectId::Rule { table, .. } => Some(&table.schema),
            ObjectId::TextSearchConfiguration { name }
            | ObjectId::TextSearchDictionary { name }
            | ObjectId::TextSearchParser { name }
            | ObjectId::TextSearchTemplate { name } => Some(&name.schema),
            ObjectId::ForeignTable { name }
            | ObjectId::Statistics { name }
            | ObjectId::Conversion { name }
            | ObjectId::OperatorFamily { name, .. }
            | ObjectId::OperatorClass { name, .. }
            | ObjectId::Operator { name, .. } => Some(&name.schema),
            ObjectId::EventTrigger { .. }
            | ObjectId::Publication { .. }
            | ObjectId::Cast { .. }
            | ObjectId::ForeignDataWrapper { .. }
            | ObjectId::ForeignServer { .. }
            | ObjectId::UserMapping { .. }
            | ObjectId::Language { .. }
            | ObjectId::AccessMethod { .. }
            | ObjectId::Subscription { .. } => None,
        }
    }
}

/// Displays the object as SQL names it: `table app.users`,
/// `column app.users.email`, `constraint users_pkey on app.users`.
impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectId::Schema { name }
            | ObjectId::Extension { name }
            | ObjectId::Publication { name } => write!(f, "{} {}", self.kind(), Ident(name)),
            ObjectId::Sequence { name }
            | ObjectId::Table { name }
            | ObjectId::Index { name }
            | ObjectId::SequenceOwnership { sequence: name }
            | ObjectId::View { name }
            | ObjectId::MaterializedView { name } => {
                write!(f, "{} {}", self.kind(), name)
            }
            ObjectId::Column { table, column } => {
                write!(f, "column {}.{}", table, Ident(column))
            }
            ObjectId::Constraint { table, constraint } => {
                write!(f, "constraint {} on {}", Ident(constraint), table)
            }
            ObjectId::Type { name } | ObjectId::Domain { name } | ObjectId::Collation { name } => {
                write!(f, "{} {}", self.kind(), name)
            }
            ObjectId::DomainConstraint { domain, constraint } => {
                write!(f, "constraint {} on domain {}", Ident(constraint), domain)
            }
            ObjectId::TypeAttribute {
                type_name,
                attribute,
            } => write!(f, "attribute {}.{}", type_name, Ident(attribute)),
            ObjectId::Policy { table, name } => {
                write!(f, "policy {} on {}", Ident(name), table)
            }
            ObjectId::DefaultPrivileges {
                role,
                schema,
                objects,
            } => {
                write!(f, "default privileges for role {} ", Ident(role))?;
                if let Some(schema) = schema {
                    write!(f, "in schema {} ", Ident(schema))?;
                }
                write!(f, "on {}", objects.keyword().to_lowercase())
            }
            ObjectId::Inheritance { table, parent } => {
                write!(f, "inheritance of {table} from {parent}")
            }
            ObjectId::ReplicaIdentity { table } => write!(f, "replica identity of {table}"),
            ObjectId::Function { name, args } | ObjectId::Aggregate { name, args } => {
                write!(f, "{} {}({})", self.kind(), name, args)
            }
            ObjectId::Trigger { table, name } => {
                write!(f, "trigger {} on {}", Ident(name), table)
            }
            ObjectId::EventTrigger { name } => write!(f, "event trigger {}", Ident(name)),
            ObjectId::Cast { source, target } => write!(f, "cast ({source} AS {target})"),
            ObjectId::Rule { table, name } => write!(f, "rule {} on {}", Ident(name), table),
            ObjectId::TextSearchConfiguration { name }
            | ObjectId::TextSearchDictionary { name }
            | ObjectId::TextSearchParser { name }
            | ObjectId::TextSearchTemplate { name }
            | ObjectId::ForeignTable { name }
            | ObjectId::Statistics { name }
            | ObjectId::Conversion { name } => {
                write!(f, "{} {}", self.kind(), name)
            }
            ObjectId::ForeignDataWrapper { name }
            | ObjectId::ForeignServer { name }
            | ObjectId::Language { name }
            | ObjectId::AccessMethod { name }
            | ObjectId::Subscription { name } => {
                write!(f, "{} {}", self.kind(), Ident(name))
            }
            // As the refusal named them, which ignore patterns use.
            ObjectId::OperatorFamily { name, method }
            | ObjectId::OperatorClass { name, method } => {
                write!(f, "{} {} USING {}", self.kind(), name, method)
            }
            // As `regoperator` prints it, which errors and ignore patterns use.
            ObjectId::Operator { name, left, right } => write!(
                f,
                "operator {}.{}({left},{right})",
                Ident(&name.schema),
                name.name
            ),
            ObjectId::UserMapping { server, user } => {
                write!(
                    f,
                    "user mapping for {} on server {}",
                    Ident(user),
                    Ident(server)
                )
            }
        }
    }
}
