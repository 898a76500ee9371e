//! Columns: added, dropped, altered.

use gen_model::{Column, Identity, ObjectId, QualifiedName, SequenceOptions};
use serde::Serialize;

use super::{Action, column_id};

/// A change to a column; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ColumnChange {
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
    /// `ALTER TABLE t ALTER COLUMN c DROP DEFAULT;` in the drop phase, so
    /// that what the default uses (a function being rebuilt) can go; the
    /// column's own changes set the default again afterwards.
    ReleaseDefault {
        /// Table.
        table: QualifiedName,
        /// Column name.
        column: String,
    },
    /// `ALTER TABLE t ALTER COLUMN c DROP DEFAULT, ALTER COLUMN c TYPE text
    /// USING c::text;` in the drop phase: the column lets go of a type an
    /// extension that is dropped and created brings, keeping its values as
    /// text; the column's own changes give it the type again afterwards.
    ReleaseType {
        /// Table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// The type it lets go of.
        from: String,
        /// The extension that brings the type.
        extension: String,
        /// Whether it had a default, dropped with the type.
        had_default: bool,
    },
}

impl ColumnChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            ColumnChange::AddColumn {
                table: t,
                column: c,
            } => (CreateOrAlter, column_id(t, &c.name)),
            ColumnChange::DropColumn {
                table: t,
                column: c,
            } => (Drop, column_id(t, &c.name)),
            // Adding or dropping an identity creates or drops its sequence,
            // which must not collide with a sequence of the same name.
            ColumnChange::AlterColumn {
                action: ColumnAction::AddIdentity(identity),
                ..
            } => (
                CreateOrAlter,
                ObjectId::Sequence {
                    name: identity.sequence.clone(),
                },
            ),
            ColumnChange::AlterColumn {
                action: ColumnAction::DropIdentity { sequence },
                ..
            } => (
                Drop,
                ObjectId::Sequence {
                    name: sequence.clone(),
                },
            ),
            ColumnChange::AlterColumn {
                table: t,
                column: c,
                ..
            } => (CreateOrAlter, column_id(t, c)),
            ColumnChange::ReleaseDefault {
                table: t,
                column: c,
            }
            | ColumnChange::ReleaseType {
                table: t,
                column: c,
                ..
            } => (Drop, column_id(t, c)),
        }
    }

    /// The variant's name, `AddColumn` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            ColumnChange::AddColumn { .. } => "AddColumn",
            ColumnChange::DropColumn { .. } => "DropColumn",
            ColumnChange::AlterColumn { .. } => "AlterColumn",
            ColumnChange::ReleaseDefault { .. } => "ReleaseDefault",
            ColumnChange::ReleaseType { .. } => "ReleaseType",
        }
    }
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
        /// Whether the server writes every row anew (and rebuilds the
        /// indexes): not for a wider `varchar`, `numeric` precision or
        /// time precision, a collation, or a cast that converts nothing.
        rewrites: bool,
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
    /// `SET EXPRESSION AS (expr)` (PostgreSQL 17 on): a generated column
    /// computes its values another way; a stored one is rewritten.
    SetExpression {
        /// The new expression.
        expression: String,
        /// The column is stored, so the table is rewritten.
        stored: bool,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name NOT NULL c [NO INHERIT] [NOT
    /// VALID]` (PostgreSQL 18): the column becomes not null under a
    /// constraint name of its own, or one that is NO INHERIT or NOT VALID.
    AddNotNull {
        /// The constraint's name.
        name: String,
        /// `NOT VALID`: existing rows are not checked.
        not_valid: bool,
        /// `NO INHERIT`: inheriting tables do not get it.
        no_inherit: bool,
    },
    /// `ALTER TABLE t VALIDATE CONSTRAINT name` (PostgreSQL 18): a NOT
    /// VALID not-null constraint checks the existing rows.
    ValidateNotNull {
        /// The constraint's name.
        name: String,
    },
    /// `ALTER TABLE t ALTER CONSTRAINT name [NO] INHERIT` (PostgreSQL 18).
    SetNotNullInherit {
        /// The constraint's name.
        name: String,
        /// Whether inheriting tables get it from now on.
        inherit: bool,
    },
    /// `ALTER TABLE t RENAME CONSTRAINT from TO to` (PostgreSQL 18): the
    /// column's not-null constraint takes another name.
    RenameNotNull {
        /// The name before.
        from: String,
        /// The name after.
        to: String,
    },
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
