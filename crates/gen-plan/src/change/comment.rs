//! Comments: the SQL and the hazards of each change.

use gen_diff::CommentChange;
use gen_model::{Catalog, Ident};

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;
use crate::render::{comment_literal, comment_target, view_name};

impl Kind for CommentChange {
    fn sql(&self) -> String {
        match self {
            CommentChange::ConstraintIndexComment {
                table,
                constraint,
                comment,
            } => format!(
                "COMMENT ON INDEX {}.{} IS {};",
                Ident(&table.schema),
                Ident(constraint),
                comment_literal(comment.as_deref())
            ),
            CommentChange::ViewColumnComment {
                view,
                column,
                comment,
            } => format!(
                "COMMENT ON COLUMN {}.{} IS {};",
                view_name(view),
                Ident(column),
                comment_literal(comment.as_deref())
            ),
            CommentChange::Comment { target, comment } => format!(
                "COMMENT ON {} IS {};",
                comment_target(target),
                comment_literal(comment.as_deref())
            ),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            CommentChange::ConstraintIndexComment { .. }
            | CommentChange::Comment { .. }
            | CommentChange::ViewColumnComment { .. } => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}
