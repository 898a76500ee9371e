//! Comments on objects.

use gen_model::{ObjectId, QualifiedName};
use serde::Serialize;

use super::{Action, constraint_id};

/// A change to a comment; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum CommentChange {
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
    /// `COMMENT ON COLUMN view.column IS '…';`, planned with the view.
    ViewColumnComment {
        /// The view or materialized view.
        view: ObjectId,
        /// Column name.
        column: String,
        /// The new comment; `None` removes it.
        comment: Option<String>,
    },
}

impl CommentChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::CreateOrAlter;
        match self {
            CommentChange::ConstraintIndexComment {
                table: t,
                constraint: c,
                ..
            } => (CreateOrAlter, constraint_id(t, c)),
            CommentChange::Comment { target, .. } => (CreateOrAlter, target.clone()),
            CommentChange::ViewColumnComment { view, .. } => (CreateOrAlter, view.clone()),
        }
    }

    /// The variant's name, `ConstraintIndexComment` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            CommentChange::ConstraintIndexComment { .. } => "ConstraintIndexComment",
            CommentChange::Comment { .. } => "Comment",
            CommentChange::ViewColumnComment { .. } => "ViewColumnComment",
        }
    }
}
