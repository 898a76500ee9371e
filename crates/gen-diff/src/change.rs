//! What can differ between two catalogs, as data. Rendering to SQL lives in
//! gen-plan; each variant's doc shows the statement it becomes.

use gen_model::{
    Aggregate, Attribute, Collation, Column, Constraint, Domain, DomainConstraint, EventTrigger,
    Extension, Function, Grantee, Identity, Index, ObjectId, Policy, QualifiedName,
    ReplicaIdentity, Schema, Sequence, SequenceOptions, Table, Trigger, TriggerEnabled, UserType,
    View,
};
use serde::Serialize;

/// One difference between two catalogs, turned into something to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// `CREATE SCHEMA name;`
    CreateSchema(Schema),
    /// `DROP SCHEMA name;`
    DropSchema(Schema),
    /// `CREATE EXTENSION name WITH SCHEMA schema;`
    CreateExtension(Extension),
    /// `DROP EXTENSION name;`
    DropExtension(Extension),
    /// `ALTER EXTENSION name UPDATE TO 'version';`
    UpdateExtension {
        /// Extension name.
        name: String,
        /// Target version.
        version: String,
    },
    /// `ALTER EXTENSION name SET SCHEMA schema;`
    MoveExtension {
        /// Extension name.
        name: String,
        /// Target schema.
        schema: String,
    },
    /// `CREATE TABLE name (columns…, CONSTRAINT … inline);` — foreign keys
    /// come as separate [`Change::AddConstraint`]s so that cycles never arise.
    CreateTable(Table),
    /// `DROP TABLE name;`
    DropTable(Table),
    /// `ALTER TABLE name SET LOGGED;` or `SET UNLOGGED`
    SetUnlogged {
        /// Table.
        table: QualifiedName,
        /// Whether the table becomes unlogged.
        unlogged: bool,
    },
    /// `ALTER TABLE name SET (k=v, …);` and `ALTER TABLE name RESET (k, …);`
    SetTableOptions {
        /// Table.
        table: QualifiedName,
        /// `key=value` pairs to set.
        set: Vec<String>,
        /// Keys to reset.
        reset: Vec<String>,
    },
    /// `ALTER TABLE t ADD COLUMN c type …;`
    AddColumn {
        /// Table.
        table: QualifiedName,
        /// The new column.
        column: Column,
    },
    /// `ALTER TABLE t DROP COLUMN c;`
    DropColumn {
        /// Table.
        table: QualifiedName,
        /// The dropped column.
        column: Column,
    },
    /// `ALTER TABLE t ALTER COLUMN c …;`
    AlterColumn {
        /// Table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// What changes.
        action: ColumnAction,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name definition;`
    AddConstraint {
        /// Table.
        table: QualifiedName,
        /// The constraint.
        constraint: Constraint,
    },
    /// `ALTER TABLE t DROP CONSTRAINT name;`
    DropConstraint {
        /// Table.
        table: QualifiedName,
        /// The constraint.
        constraint: Constraint,
    },
    /// `ALTER TABLE t VALIDATE CONSTRAINT name;`
    ValidateConstraint {
        /// Table.
        table: QualifiedName,
        /// Constraint name.
        name: String,
    },
    /// `CREATE INDEX …;` as `pg_get_indexdef()` wrote it.
    CreateIndex(Index),
    /// `DROP INDEX name;`
    DropIndex(Index),
    /// `CREATE SEQUENCE name AS type START WITH … ;`
    CreateSequence(Sequence),
    /// `DROP SEQUENCE name;`
    DropSequence(Sequence),
    /// `ALTER SEQUENCE name INCREMENT BY … ;` with the options that differ.
    AlterSequence {
        /// Sequence.
        name: QualifiedName,
        /// Options before.
        from: SequenceOptions,
        /// Options after.
        to: SequenceOptions,
    },
    /// `ALTER SEQUENCE name SET UNLOGGED;` or `SET LOGGED`
    SetSequenceUnlogged {
        /// Sequence.
        name: QualifiedName,
        /// Whether the sequence becomes unlogged.
        unlogged: bool,
    },
    /// `ALTER SEQUENCE name OWNED BY NONE;` before the column that owns the
    /// sequence is dropped, when another column takes it over: the drop
    /// would take the sequence with it.
    ReleaseSequenceOwner {
        /// Sequence.
        name: QualifiedName,
    },
    /// `ALTER SEQUENCE name OWNED BY t.c;` or `OWNED BY NONE`
    SetSequenceOwner {
        /// Sequence.
        name: QualifiedName,
        /// The owning column, or none.
        owned_by: Option<(QualifiedName, String)>,
    },
    /// `COMMENT ON INDEX name IS '…';` for the index behind a constraint,
    /// planned with the constraint.
    ConstraintIndexComment {
        /// Table.
        table: QualifiedName,
        /// Constraint (and index) name.
        constraint: String,
        /// The new comment; `None` removes it.
        comment: Option<String>,
    },
    /// `COMMENT ON kind name IS '…';` or `IS NULL`
    Comment {
        /// The commented object.
        target: ObjectId,
        /// The new comment; `None` removes it.
        comment: Option<String>,
    },
    /// `CREATE OR REPLACE FUNCTION name(args) …;` as `pg_get_functiondef()`
    /// wrote it: creates the routine, or replaces it in place.
    CreateFunction(Function),
    /// `DROP FUNCTION name(args);` or `DROP PROCEDURE name(args);`
    DropFunction(Function),
    /// `CREATE AGGREGATE name(args) (SFUNC = …, STYPE = …);`
    CreateAggregate(Aggregate),
    /// `DROP AGGREGATE name(args);`
    DropAggregate(Aggregate),
    /// `CREATE [OR REPLACE] TRIGGER name … ON table …;`
    CreateTrigger {
        /// The trigger.
        trigger: Trigger,
        /// `CREATE OR REPLACE`: an existing trigger is redefined in place.
        replace: bool,
    },
    /// `DROP TRIGGER name ON table;`
    DropTrigger(Trigger),
    /// `ALTER TABLE table {ENABLE | DISABLE} [REPLICA | ALWAYS] TRIGGER name;`
    SetTriggerEnabled {
        /// The trigger's table.
        table: QualifiedName,
        /// Trigger name.
        name: String,
        /// When it fires from now on.
        enabled: TriggerEnabled,
    },
    /// `CREATE EVENT TRIGGER name ON event WHEN TAG IN (…) EXECUTE FUNCTION f();`
    CreateEventTrigger(EventTrigger),
    /// `DROP EVENT TRIGGER name;`
    DropEventTrigger(EventTrigger),
    /// `ALTER EVENT TRIGGER name {ENABLE | DISABLE} [REPLICA | ALWAYS];`
    SetEventTriggerEnabled {
        /// Event trigger name.
        name: String,
        /// When it fires from now on.
        enabled: TriggerEnabled,
    },
    /// `ALTER TABLE t ALTER COLUMN c DROP DEFAULT;` in the drop phase, so
    /// that what the default uses (a function being rebuilt) can go; the
    /// column's own changes set the default again afterwards.
    ReleaseDefault {
        /// Table.
        table: QualifiedName,
        /// Column name.
        column: String,
    },
    /// `CREATE [MATERIALIZED] VIEW name WITH (…) AS query [WITH NO DATA];`
    CreateView(View),
    /// `DROP [MATERIALIZED] VIEW name;`
    DropView(View),
    /// `CREATE OR REPLACE VIEW name WITH (…) AS query;`: same leading
    /// columns, options replaced as a whole.
    ReplaceView(View),
    /// `ALTER MATERIALIZED VIEW name SET (k=v, …);` and `RESET (k, …)`
    SetMaterializedViewOptions {
        /// Materialized view.
        name: QualifiedName,
        /// `key=value` pairs to set.
        set: Vec<String>,
        /// Keys to reset.
        reset: Vec<String>,
    },
    /// `REFRESH MATERIALIZED VIEW name [WITH NO DATA];`
    RefreshMaterializedView {
        /// Materialized view.
        name: QualifiedName,
        /// Whether it ends up populated.
        populated: bool,
    },
    /// `COMMENT ON COLUMN view.column IS '…';`, planned with the view.
    ViewColumnComment {
        /// The view or materialized view.
        view: ObjectId,
        /// Column name.
        column: String,
        /// The new comment; `None` removes it.
        comment: Option<String>,
    },
    /// `ALTER TABLE t ENABLE ROW LEVEL SECURITY;` or `DISABLE`
    SetRowSecurity {
        /// Table.
        table: QualifiedName,
        /// Whether row-level security becomes enabled.
        enabled: bool,
    },
    /// `ALTER TABLE t FORCE ROW LEVEL SECURITY;` or `NO FORCE`
    ForceRowSecurity {
        /// Table.
        table: QualifiedName,
        /// Whether row-level security becomes forced on the owner too.
        forced: bool,
    },
    /// `CREATE POLICY name ON t AS … FOR … TO … USING (…) WITH CHECK (…);`
    CreatePolicy(Policy),
    /// `DROP POLICY name ON t;`
    DropPolicy(Policy),
    /// `ALTER POLICY name ON t TO … USING (…) WITH CHECK (…);` with the
    /// clauses that change (a clause can be replaced, never removed).
    AlterPolicy {
        /// Table.
        table: QualifiedName,
        /// Policy name.
        name: String,
        /// New roles, if they change.
        roles: Option<Vec<Grantee>>,
        /// New `USING` expression, if it changes.
        using: Option<String>,
        /// New `WITH CHECK` expression, if it changes.
        check: Option<String>,
    },
    /// `GRANT privileges ON kind name TO grantee [WITH GRANT OPTION];`,
    /// `REVOKE [GRANT OPTION FOR] privileges ON kind name FROM grantee;`,
    /// `GRANT SELECT (column) ON TABLE t TO …;` for a column, and
    /// `ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] GRANT … ON TABLES TO …;`
    /// for default privileges.
    Privileges {
        /// The object (or default privileges) the privileges are on.
        target: ObjectId,
        /// Who gains or loses them.
        grantee: Grantee,
        /// Privilege keywords, sorted: `SELECT`, `USAGE`, …
        privileges: Vec<String>,
        /// Granted or revoked, with or without grant option.
        action: PrivilegeAction,
    },
    /// `ALTER kind name OWNER TO role;`
    SetOwner {
        /// The owned object.
        target: ObjectId,
        /// The new owner.
        owner: String,
    },
    /// `ALTER TABLE parent ATTACH PARTITION table FOR VALUES …;`
    AttachPartition {
        /// The partition.
        table: QualifiedName,
        /// The partitioned table.
        parent: QualifiedName,
        /// `FOR VALUES …` or `DEFAULT`.
        bound: String,
    },
    /// `ALTER TABLE parent DETACH PARTITION table;`
    DetachPartition {
        /// The partition.
        table: QualifiedName,
        /// The partitioned table.
        parent: QualifiedName,
    },
    /// `ALTER TABLE table INHERIT parent;`
    Inherit {
        /// The child table.
        table: QualifiedName,
        /// The parent table.
        parent: QualifiedName,
    },
    /// `ALTER TABLE table NO INHERIT parent;`
    NoInherit {
        /// The child table.
        table: QualifiedName,
        /// The parent table.
        parent: QualifiedName,
    },
    /// `ALTER TABLE table REPLICA IDENTITY { DEFAULT | FULL | NOTHING | USING INDEX i };`
    SetReplicaIdentity {
        /// The table.
        table: QualifiedName,
        /// The new replica identity.
        identity: ReplicaIdentity,
    },
    /// `ALTER INDEX parent ATTACH PARTITION index;` (does nothing when the
    /// index is attached already, as attaching its table may have done).
    AttachIndex {
        /// The index of the partitioned table.
        parent: QualifiedName,
        /// The index of the partition.
        index: QualifiedName,
    },
    /// `CREATE TYPE name AS ENUM (…);`, `AS (…)` or `AS RANGE (…)`
    CreateType(UserType),
    /// `DROP TYPE name;`
    DropType(UserType),
    /// `ALTER TYPE name ADD VALUE 'v' [BEFORE | AFTER 'w'];`
    AddEnumValue {
        /// Enum type.
        name: QualifiedName,
        /// The new label.
        value: String,
        /// Where it goes; `None` appends.
        position: Option<EnumPosition>,
    },
    /// `ALTER TYPE name RENAME VALUE 'from' TO 'to';` — never guessed by
    /// `diff`, for renames given explicitly.
    RenameEnumValue {
        /// Enum type.
        name: QualifiedName,
        /// Label before.
        from: String,
        /// Label after.
        to: String,
    },
    /// `ALTER TYPE name ADD ATTRIBUTE a type [COLLATE c];`
    AddAttribute {
        /// Composite type.
        type_name: QualifiedName,
        /// The new attribute.
        attribute: Attribute,
    },
    /// `ALTER TYPE name DROP ATTRIBUTE a;`
    DropAttribute {
        /// Composite type.
        type_name: QualifiedName,
        /// The dropped attribute.
        attribute: Attribute,
    },
    /// `ALTER TYPE name ALTER ATTRIBUTE a TYPE type [COLLATE c];`
    AlterAttributeType {
        /// Composite type.
        type_name: QualifiedName,
        /// The attribute as it becomes.
        attribute: Attribute,
    },
    /// `CREATE DOMAIN name AS type … CONSTRAINT c CHECK (…);`
    CreateDomain(Domain),
    /// `DROP DOMAIN name;`
    DropDomain(Domain),
    /// `ALTER DOMAIN name SET DEFAULT expr;` or `DROP DEFAULT`
    SetDomainDefault {
        /// Domain.
        name: QualifiedName,
        /// The new default; `None` drops it.
        default: Option<String>,
    },
    /// `ALTER DOMAIN name SET NOT NULL;` or `DROP NOT NULL`
    SetDomainNotNull {
        /// Domain.
        name: QualifiedName,
        /// Whether the domain becomes NOT NULL.
        not_null: bool,
    },
    /// `ALTER DOMAIN d ADD CONSTRAINT name CHECK (…) [NOT VALID];`
    AddDomainConstraint {
        /// Domain.
        domain: QualifiedName,
        /// The constraint.
        constraint: DomainConstraint,
    },
    /// `ALTER DOMAIN d DROP CONSTRAINT name;`
    DropDomainConstraint {
        /// Domain.
        domain: QualifiedName,
        /// The constraint.
        constraint: DomainConstraint,
    },
    /// `ALTER DOMAIN d VALIDATE CONSTRAINT name;`
    ValidateDomainConstraint {
        /// Domain.
        domain: QualifiedName,
        /// Constraint name.
        name: String,
    },
    /// `ALTER DOMAIN d RENAME CONSTRAINT from TO to;` — for a constraint
    /// whose definition is unchanged and only its name differs.
    RenameDomainConstraint {
        /// Domain.
        domain: QualifiedName,
        /// Name before.
        from: String,
        /// Name after.
        to: String,
    },
    /// `CREATE COLLATION name (provider = …, locale = …);`
    CreateCollation(Collation),
    /// `DROP COLLATION name;`
    DropCollation(Collation),
    /// `ALTER TYPE name RENAME TO temp;` or `ALTER DOMAIN …`: the first step
    /// of rebuilding a type that cannot change in place. The new type is
    /// created under the name, columns move over, then the old one goes
    /// ([`Change::DropRetiredType`]).
    RenameTypeAway {
        /// The type or domain, under its own name.
        id: ObjectId,
        /// The name it is parked under.
        temp: String,
        /// Enum labels the new type no longer has: values holding them
        /// cannot move over. For a composite type, the attributes it no
        /// longer has: their values are not moved.
        removed_values: Vec<String>,
        /// Array columns, domains and composite types whose values of a
        /// rebuilt composite type move through its text form, attribute by
        /// position, while the attributes change name or order, or one
        /// changes to a type without an assignment cast: such values fail
        /// to convert or land in another attribute.
        through_text: Vec<ObjectId>,
    },
    /// `DROP TYPE temp;` or `DROP DOMAIN temp;`: the last step of a rebuild.
    DropRetiredType {
        /// The type or domain under its parked name.
        id: ObjectId,
        /// Steps that must run first: the columns moving off it and the
        /// types rebuilt over it.
        after: Vec<(Action, ObjectId)>,
    },
}

/// Where `ALTER TYPE … ADD VALUE` puts a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumPosition {
    /// `BEFORE 'label'`
    Before(String),
    /// `AFTER 'label'`
    After(String),
}

/// What a [`Change::Privileges`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivilegeAction {
    /// `REVOKE …`, grant option included.
    Revoke,
    /// `REVOKE GRANT OPTION FOR …`: the privilege stays.
    RevokeGrantOption,
    /// `GRANT …`
    Grant,
    /// `GRANT … WITH GRANT OPTION`
    GrantWithOption,
}

/// One `ALTER COLUMN` action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ColumnAction {
    /// `TYPE new [COLLATE c] [USING c::new | USING c::text::new]`
    Type {
        /// Type before.
        from: String,
        /// Type after, with modifiers.
        to: String,
        /// Collation after, when not the type's default.
        collation: Option<String>,
        /// How old values become new ones.
        conversion: Conversion,
    },
    /// `SET DEFAULT expr`
    SetDefault(String),
    /// `DROP DEFAULT`
    DropDefault,
    /// `SET NOT NULL`
    SetNotNull,
    /// `DROP NOT NULL`
    DropNotNull,
    /// `ADD GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY (…)`
    AddIdentity(Identity),
    /// `DROP IDENTITY`, which drops the identity's sequence.
    DropIdentity {
        /// The identity's sequence.
        sequence: QualifiedName,
    },
    /// `SET GENERATED { ALWAYS | BY DEFAULT }`
    SetGeneration {
        /// `ALWAYS` rather than `BY DEFAULT`.
        always: bool,
    },
    /// `SET INCREMENT BY … SET MINVALUE …` for an identity's sequence.
    SetIdentityOptions {
        /// Options before.
        from: SequenceOptions,
        /// Options after.
        to: SequenceOptions,
    },
    /// `DROP EXPRESSION`: a generated column becomes a plain one, keeping its values.
    DropExpression,
    /// `SET STATISTICS n`; `None` resets it (`-1`).
    SetStatistics(Option<i32>),
    /// `SET STORAGE { PLAIN | EXTERNAL | EXTENDED | MAIN }`
    SetStorage(String),
    /// `SET COMPRESSION method`; `None` is `DEFAULT`.
    SetCompression(Option<String>),
}

/// How `ALTER COLUMN … TYPE` converts existing values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Conversion {
    /// An assignment cast exists: no `USING`, and the server's assignment
    /// rules apply (a too-long string is refused, not truncated).
    Assignment,
    /// Only an explicit cast exists: `USING c::new`.
    Explicit,
    /// No cast at all: `USING c::text::new`, through the types' text forms.
    ViaText,
    /// A column of a rebuilt composite type, moved attribute by attribute
    /// by name: `USING CASE WHEN c IS NOT DISTINCT FROM NULL THEN NULL ELSE
    /// ROW((c).a, (c).b::bigint, NULL)::new END`, one field per attribute
    /// of the new type. A null stays null; a row of nulls stays a row.
    Rows(Vec<RowField>),
}

/// One field of a [`Conversion::Rows`]: where an attribute of the new
/// composite type takes its value from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowField {
    /// The old attribute of the same name; `None` for a new attribute,
    /// which starts out null.
    pub source: Option<String>,
    /// How the old attribute's value becomes the new one's.
    pub cast: FieldCast,
}

/// How a [`RowField`] converts its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "cast", content = "type", rename_all = "snake_case")]
pub enum FieldCast {
    /// Same type: `(c).a`.
    None,
    /// `(c).a::type` with an assignment cast: what `ALTER COLUMN … TYPE`
    /// would do to a column of the attribute's type.
    Assignment(String),
    /// `(c).a::type` with a cast the server only allows explicitly, which
    /// fails or loses precision on values that do not fit.
    Explicit(String),
    /// `(c).a::text::type`: through the text forms, for types without a cast.
    ViaText(String),
    /// `(c).a::text::type` for an attribute whose type is itself rebuilt in
    /// the same plan; that rebuild says what its values risk.
    Rebuilt(String),
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
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        let table = |name: &QualifiedName| ObjectId::Table { name: name.clone() };
        let column = |t: &QualifiedName, c: &str| ObjectId::Column {
            table: t.clone(),
            column: c.to_owned(),
        };
        let constraint = |t: &QualifiedName, c: &str| ObjectId::Constraint {
            table: t.clone(),
            constraint: c.to_owned(),
        };
        match self {
            Change::CreateSchema(s) => (
                CreateOrAlter,
                ObjectId::Schema {
                    name: s.name.clone(),
                },
            ),
            Change::DropSchema(s) => (
                Drop,
                ObjectId::Schema {
                    name: s.name.clone(),
                },
            ),
            Change::CreateExtension(e) => (
                CreateOrAlter,
                ObjectId::Extension {
                    name: e.name.clone(),
                },
            ),
            Change::DropExtension(e) => (
                Drop,
                ObjectId::Extension {
                    name: e.name.clone(),
                },
            ),
            Change::UpdateExtension { name, .. } | Change::MoveExtension { name, .. } => {
                (CreateOrAlter, ObjectId::Extension { name: name.clone() })
            }
            Change::CreateTable(t) => (CreateOrAlter, table(&t.name)),
            Change::DropTable(t) => (Drop, table(&t.name)),
            Change::SetUnlogged { table: t, .. } | Change::SetTableOptions { table: t, .. } => {
                (CreateOrAlter, table(t))
            }
            Change::AddColumn {
                table: t,
                column: c,
            } => (CreateOrAlter, column(t, &c.name)),
            Change::DropColumn {
                table: t,
                column: c,
            } => (Drop, column(t, &c.name)),
            // Adding or dropping an identity creates or drops its sequence,
            // which must not collide with a sequence of the same name.
            Change::AlterColumn {
                action: ColumnAction::AddIdentity(identity),
                ..
            } => (
                CreateOrAlter,
                ObjectId::Sequence {
                    name: identity.sequence.clone(),
                },
            ),
            Change::AlterColumn {
                action: ColumnAction::DropIdentity { sequence },
                ..
            } => (
                Drop,
                ObjectId::Sequence {
                    name: sequence.clone(),
                },
            ),
            Change::AlterColumn {
                table: t,
                column: c,
                ..
            } => (CreateOrAlter, column(t, c)),
            Change::AddConstraint {
                table: t,
                constraint: c,
            } => (CreateOrAlter, constraint(t, &c.name)),
            Change::DropConstraint {
                table: t,
                constraint: c,
            } => (Drop, constraint(t, &c.name)),
            Change::ValidateConstraint { table: t, name } => (CreateOrAlter, constraint(t, name)),
            Change::CreateIndex(i) => (
                CreateOrAlter,
                ObjectId::Index {
                    name: i.name.clone(),
                },
            ),
            Change::DropIndex(i) => (
                Drop,
                ObjectId::Index {
                    name: i.name.clone(),
                },
            ),
            Change::CreateSequence(s) => (
                CreateOrAlter,
                ObjectId::Sequence {
                    name: s.name.clone(),
                },
            ),
            Change::DropSequence(s) => (
                Drop,
                ObjectId::Sequence {
                    name: s.name.clone(),
                },
            ),
            Change::AlterSequence { name, .. } | Change::SetSequenceUnlogged { name, .. } => {
                (CreateOrAlter, ObjectId::Sequence { name: name.clone() })
            }
            Change::ReleaseSequenceOwner { name } => (
                Drop,
                ObjectId::SequenceOwnership {
                    sequence: name.clone(),
                },
            ),
            Change::SetSequenceOwner { name, .. } => (
                CreateOrAlter,
                ObjectId::SequenceOwnership {
                    sequence: name.clone(),
                },
            ),
            Change::ConstraintIndexComment {
                table: t,
                constraint: c,
                ..
            } => (CreateOrAlter, constraint(t, c)),
            Change::Comment { target, .. } => (CreateOrAlter, target.clone()),
            Change::CreateType(t) => (
                CreateOrAlter,
                ObjectId::Type {
                    name: t.name.clone(),
                },
            ),
            Change::DropType(t) => (
                Drop,
                ObjectId::Type {
                    name: t.name.clone(),
                },
            ),
            Change::AddEnumValue { name, .. }
            | Change::RenameEnumValue { name, .. }
            | Change::AddAttribute {
                type_name: name, ..
            }
            | Change::DropAttribute {
                type_name: name, ..
            }
            | Change::AlterAttributeType {
                type_name: name, ..
            } => (CreateOrAlter, ObjectId::Type { name: name.clone() }),
            Change::CreateDomain(d) => (
                CreateOrAlter,
                ObjectId::Domain {
                    name: d.name.clone(),
                },
            ),
            Change::DropDomain(d) => (
                Drop,
                ObjectId::Domain {
                    name: d.name.clone(),
                },
            ),
            Change::SetDomainDefault { name, .. } | Change::SetDomainNotNull { name, .. } => {
                (CreateOrAlter, ObjectId::Domain { name: name.clone() })
            }
            Change::AddDomainConstraint { domain, constraint } => (
                CreateOrAlter,
                ObjectId::DomainConstraint {
                    domain: domain.clone(),
                    constraint: constraint.name.clone(),
                },
            ),
            Change::DropDomainConstraint { domain, constraint } => (
                Drop,
                ObjectId::DomainConstraint {
                    domain: domain.clone(),
                    constraint: constraint.name.clone(),
                },
            ),
            Change::ValidateDomainConstraint { domain, name } => (
                CreateOrAlter,
                ObjectId::DomainConstraint {
                    domain: domain.clone(),
                    constraint: name.clone(),
                },
            ),
            // A rename is the new name's creation: it must wait for the old
            // name to be gone, and whatever uses the constraint follows it.
            Change::RenameDomainConstraint { domain, to, .. } => (
                CreateOrAlter,
                ObjectId::DomainConstraint {
                    domain: domain.clone(),
                    constraint: to.clone(),
                },
            ),
            Change::CreateCollation(c) => (
                CreateOrAlter,
                ObjectId::Collation {
                    name: c.name.clone(),
                },
            ),
            Change::DropCollation(c) => (
                Drop,
                ObjectId::Collation {
                    name: c.name.clone(),
                },
            ),
            Change::RenameTypeAway { id, .. } => (Drop, id.clone()),
            Change::DropRetiredType { id, .. } => (Drop, id.clone()),
            Change::CreateFunction(f) => (CreateOrAlter, f.id()),
            Change::DropFunction(f) => (Drop, f.id()),
            Change::CreateAggregate(a) => (CreateOrAlter, a.id()),
            Change::DropAggregate(a) => (Drop, a.id()),
            Change::CreateTrigger { trigger, .. } => (CreateOrAlter, trigger.id()),
            Change::DropTrigger(t) => (Drop, t.id()),
            Change::SetTriggerEnabled { table, name, .. } => (
                CreateOrAlter,
                ObjectId::Trigger {
                    table: table.clone(),
                    name: name.clone(),
                },
            ),
            Change::CreateEventTrigger(e) => (CreateOrAlter, e.id()),
            Change::DropEventTrigger(e) => (Drop, e.id()),
            Change::SetEventTriggerEnabled { name, .. } => {
                (CreateOrAlter, ObjectId::EventTrigger { name: name.clone() })
            }
            Change::ReleaseDefault {
                table: t,
                column: c,
            } => (Drop, column(t, c)),
            Change::CreateView(v) | Change::ReplaceView(v) => (CreateOrAlter, v.id()),
            Change::DropView(v) => (Drop, v.id()),
            Change::SetMaterializedViewOptions { name, .. }
            | Change::RefreshMaterializedView { name, .. } => (
                CreateOrAlter,
                ObjectId::MaterializedView { name: name.clone() },
            ),
            Change::ViewColumnComment { view, .. } => (CreateOrAlter, view.clone()),
            Change::SetRowSecurity { table: t, .. } | Change::ForceRowSecurity { table: t, .. } => {
                (CreateOrAlter, table(t))
            }
            Change::CreatePolicy(p) => (
                CreateOrAlter,
                ObjectId::Policy {
                    table: p.table.clone(),
                    name: p.name.clone(),
                },
            ),
            Change::DropPolicy(p) => (
                Drop,
                ObjectId::Policy {
                    table: p.table.clone(),
                    name: p.name.clone(),
                },
            ),
            Change::AlterPolicy { table: t, name, .. } => (
                CreateOrAlter,
                ObjectId::Policy {
                    table: t.clone(),
                    name: name.clone(),
                },
            ),
            Change::Privileges { target, .. } | Change::SetOwner { target, .. } => {
                (CreateOrAlter, target.clone())
            }
            Change::AttachPartition { table, parent, .. } | Change::Inherit { table, parent } => (
                CreateOrAlter,
                ObjectId::Inheritance {
                    table: table.clone(),
                    parent: parent.clone(),
                },
            ),
            Change::DetachPartition { table, parent } | Change::NoInherit { table, parent } => (
                Drop,
                ObjectId::Inheritance {
                    table: table.clone(),
                    parent: parent.clone(),
                },
            ),
            Change::SetReplicaIdentity { table, .. } => (
                CreateOrAlter,
                ObjectId::ReplicaIdentity {
                    table: table.clone(),
                },
            ),
            Change::AttachIndex { index, .. } => (
                CreateOrAlter,
                ObjectId::Index {
                    name: index.clone(),
                },
            ),
        }
    }
}
