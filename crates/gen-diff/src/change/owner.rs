//! Owners of objects.

use gen_model::ObjectId;
use serde::Serialize;

use super::Action;

/// A change to an object's owner; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum OwnerChange {
    /// `ALTER kind name OWNER TO role;`
    SetOwner {
        /// The owned object.
        target: ObjectId,
        /// The new owner.
        owner: String,
    },
}

impl OwnerChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::CreateOrAlter;
        match self {
            OwnerChange::SetOwner { target, .. } => (CreateOrAlter, target.clone()),
        }
    }

    /// The variant's name, `SetOwner` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            OwnerChange::SetOwner { .. } => "SetOwner",
        }
    }
}
