//! Enum, composite, range and base types, and type rebuilds.

use gen_model::{Attribute, ObjectId, QualifiedName, UserType};
use serde::Serialize;

use super::Action;

/// A change to a type; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TypeChange {
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
    /// `ALTER TYPE name ADD ATTRIBUTE a type [COLLATE c] [CASCADE];`
    AddAttribute {
        /// Composite type.
        type_name: QualifiedName,
        /// The new attribute.
        attribute: Attribute,
        /// `CASCADE`: typed tables of the type take the change.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        cascade: bool,
    },
    /// `ALTER TYPE name DROP ATTRIBUTE a [CASCADE];`
    DropAttribute {
        /// Composite type.
        type_name: QualifiedName,
        /// The dropped attribute.
        attribute: Attribute,
        /// `CASCADE`: typed tables of the type take the change.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        cascade: bool,
    },
    /// `ALTER TYPE name ALTER ATTRIBUTE a TYPE type [COLLATE c] [CASCADE];`
    AlterAttributeType {
        /// Composite type.
        type_name: QualifiedName,
        /// The attribute as it becomes.
        attribute: Attribute,
        /// `CASCADE`: typed tables of the type take the change.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        cascade: bool,
    },
    /// `ALTER TYPE name RENAME TO temp;` or `ALTER DOMAIN …`: the first step
    /// of rebuilding a type that cannot change in place. The new type is
    /// created under the name, columns move over, then the old one goes
    /// ([`TypeChange::DropRetiredType`]).
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

impl TypeChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            TypeChange::CreateType(t) => (
                CreateOrAlter,
                ObjectId::Type {
                    name: t.name.clone(),
                },
            ),
            TypeChange::DropType(t) => (
                Drop,
                ObjectId::Type {
                    name: t.name.clone(),
                },
            ),
            TypeChange::AddEnumValue { name, .. }
            | TypeChange::RenameEnumValue { name, .. }
            | TypeChange::AddAttribute {
                type_name: name, ..
            }
            | TypeChange::DropAttribute {
                type_name: name, ..
            }
            | TypeChange::AlterAttributeType {
                type_name: name, ..
            } => (CreateOrAlter, ObjectId::Type { name: name.clone() }),
            TypeChange::RenameTypeAway { id, .. } => (Drop, id.clone()),
            TypeChange::DropRetiredType { id, .. } => (Drop, id.clone()),
        }
    }

    /// The variant's name, `CreateType` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            TypeChange::CreateType(..) => "CreateType",
            TypeChange::DropType(..) => "DropType",
            TypeChange::AddEnumValue { .. } => "AddEnumValue",
            TypeChange::RenameEnumValue { .. } => "RenameEnumValue",
            TypeChange::AddAttribute { .. } => "AddAttribute",
            TypeChange::DropAttribute { .. } => "DropAttribute",
            TypeChange::AlterAttributeType { .. } => "AlterAttributeType",
            TypeChange::RenameTypeAway { .. } => "RenameTypeAway",
            TypeChange::DropRetiredType { .. } => "DropRetiredType",
        }
    }
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
