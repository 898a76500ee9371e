use std::fmt;

/// What kind of object a [`Name`] names. Kinds with their own namespace in
/// Postgres are distinct; relations and types share one (every table, view
/// and sequence also has a row type of the same name), which ordering takes
/// into account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    /// A schema (`CREATE SCHEMA`).
    Schema,
    /// An extension (`CREATE EXTENSION`).
    Extension,
    /// A table, view, materialized view, sequence, index or foreign table.
    Relation,
    /// A type: enum, composite, range, domain or base type.
    Type,
    /// A function, procedure or aggregate, known by name alone: overloads
    /// share a name here, which is enough to order statements.
    Function,
    /// A collation.
    Collation,
    /// A role. Roles are cluster-wide.
    Role,
    /// A trigger, named `table.trigger` in its table's schema: triggers are
    /// known per table, and `ALTER TABLE … DISABLE TRIGGER` needs the
    /// trigger created first.
    Trigger,
    /// An event trigger. Event triggers are database-wide.
    EventTrigger,
    /// A publication. Publications are database-wide.
    Publication,
    /// A policy, named `table.policy` in its table's schema.
    Policy,
    /// A rule, named `table.rule` in its table's schema.
    Rule,
    /// A cast, named `source AS target` by its types' own names. Casts are
    /// database-wide.
    Cast,
    /// A text search configuration.
    TextSearchConfiguration,
    /// A text search dictionary.
    TextSearchDictionary,
    /// A foreign data wrapper. Wrappers are database-wide.
    ForeignDataWrapper,
    /// A foreign server. Servers are database-wide.
    ForeignServer,
    /// An extended statistics object.
    Statistics,
    /// An operator, known by its symbol alone: overloads share it, which
    /// is enough to order statements.
    Operator,
    /// A procedural language. Languages are database-wide.
    Language,
    /// An encoding conversion.
    Conversion,
    /// An access method. Access methods are database-wide.
    AccessMethod,
    /// A text search parser.
    TextSearchParser,
    /// A text search template.
    TextSearchTemplate,
    /// A subscription. Subscriptions are database-wide.
    Subscription,
    /// An operator family, by its name alone (families of several access
    /// methods may share it, which is enough to order statements).
    OperatorFamily,
    /// An operator class, by its name alone.
    OperatorClass,
    /// A table constraint, named `table.constraint` in its table's schema:
    /// `COMMENT ON CONSTRAINT` and `VALIDATE CONSTRAINT` need it.
    Constraint,
    /// A unique key a foreign key can reference, named `table(a,b)` with
    /// the columns sorted, in the table's schema: primary keys, unique
    /// constraints and unique indexes without predicate or expressions
    /// define it. `table()` is the primary key, which `REFERENCES table`
    /// without columns needs.
    Key,
}

impl NameKind {
    /// Whether names of this kind live in a schema.
    pub fn is_schema_qualified(self) -> bool {
        matches!(
            self,
            NameKind::Relation
                | NameKind::Type
                | NameKind::Function
                | NameKind::Collation
                | NameKind::Trigger
                | NameKind::Key
                | NameKind::Policy
                | NameKind::Rule
                | NameKind::Constraint
                | NameKind::TextSearchConfiguration
                | NameKind::TextSearchDictionary
                | NameKind::Statistics
                | NameKind::Operator
                | NameKind::Conversion
                | NameKind::TextSearchParser
                | NameKind::TextSearchTemplate
                | NameKind::OperatorFamily
                | NameKind::OperatorClass
        )
    }
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameKind::Schema => "schema",
            NameKind::Extension => "extension",
            NameKind::Relation => "relation",
            NameKind::Type => "type",
            NameKind::Function => "function",
            NameKind::Collation => "collation",
            NameKind::Role => "role",
            NameKind::Trigger => "trigger",
            NameKind::EventTrigger => "event trigger",
            NameKind::Publication => "publication",
            NameKind::Key => "key",
            NameKind::Policy => "policy",
            NameKind::Rule => "rule",
            NameKind::Cast => "cast",
            NameKind::TextSearchConfiguration => "text search configuration",
            NameKind::TextSearchDictionary => "text search dictionary",
            NameKind::ForeignDataWrapper => "foreign data wrapper",
            NameKind::ForeignServer => "foreign server",
            NameKind::Statistics => "statistics object",
            NameKind::Operator => "operator",
            NameKind::Language => "language",
            NameKind::Conversion => "conversion",
            NameKind::AccessMethod => "access method",
            NameKind::TextSearchParser => "text search parser",
            NameKind::TextSearchTemplate => "text search template",
            NameKind::Subscription => "subscription",
            NameKind::OperatorFamily => "operator family",
            NameKind::OperatorClass => "operator class",
            NameKind::Constraint => "constraint",
        })
    }
}

/// A name as written in a statement: raw (unquoted, case as Postgres folds
/// it), with its schema only if the statement spelled one out.
///
/// An unqualified name resolves through the search path; for ordering,
/// that is `public`, or the one schema among the files that defines the
/// name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    /// What kind of object this names.
    pub kind: NameKind,
    /// The schema, if written. Always `None` for schemas, extensions and
    /// roles.
    pub schema: Option<String>,
    /// The object's own name.
    pub name: String,
    /// A routine's argument types where the statement spells them out
    /// (`CREATE FUNCTION f(a int)`, `COMMENT ON FUNCTION f(int)`), as
    /// `int4,text[]`: which of the overloads sharing the name is meant.
    pub signature: Option<String>,
}

impl Name {
    /// A name of a kind that does not live in a schema.
    pub fn global(kind: NameKind, name: impl Into<String>) -> Self {
        Name {
            kind,
            schema: None,
            name: name.into(),
            signature: None,
        }
    }

    /// A possibly schema-qualified name.
    pub fn qualified(kind: NameKind, schema: Option<&str>, name: impl Into<String>) -> Self {
        Name {
            kind,
            schema: schema.filter(|s| !s.is_empty()).map(str::to_owned),
            name: name.into(),
            signature: None,
        }
    }

    /// The name of one overload of a routine.
    #[must_use]
    pub fn with_signature(mut self, signature: Option<String>) -> Self {
        self.signature = signature;
        self
    }
}

/// `relation app.users`, `role reader`: raw names, for messages and tests.
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{} {schema}.{}", self.kind, self.name)?,
            None => write!(f, "{} {}", self.kind, self.name)?,
        }
        match &self.signature {
            Some(signature) => write!(f, "({signature})"),
            None => Ok(()),
        }
    }
}
