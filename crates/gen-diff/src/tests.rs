//! What `diff` finds between catalogs written in code: which changes, in
//! which order, and what it leaves to the server (objects that go with
//! their owner). Ordering and SQL are gen-plan's business and tested there.
//!
//! One module per kind of object, and one for the dependents recreated
//! with what they depend on; the catalogs come from gen-test-support.

use gen_model::Catalog;
use gen_test_support::{column_id, constraint_id};

use crate::{Change, ColumnAction, ColumnChange, CommentChange, diff};

mod catalog;
mod columns;
mod comments;
mod constraints;
mod dependents;
mod extensions;
mod indexes;
mod sequences;
mod tables;

/// One line per change: what it is and what it acts on.
fn lines(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let variant = c.variant();
        let (_, id) = c.target();
        let line = match c {
            Change::Column(ColumnChange::AlterColumn {
                table,
                column,
                action,
            }) => {
                // Any other action by its name alone.
                let what = if let ColumnAction::Type {
                    from,
                    to,
                    conversion,
                    ..
                } = action
                {
                    format!("Type {from} -> {to} ({conversion:?})")
                } else {
                    let debug = format!("{action:?}");
                    debug
                        .split([' ', '('])
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                };
                format!("AlterColumn {what} {}", column_id(table, column))
            }
            Change::Comment(CommentChange::Comment { target, comment }) => {
                format!("Comment {target} = {comment:?}")
            }
            Change::Comment(CommentChange::ConstraintIndexComment {
                table,
                constraint,
                comment,
            }) => format!(
                "ConstraintIndexComment {} = {comment:?}",
                constraint_id(table, constraint)
            ),
            Change::Column(
                ColumnChange::AddColumn { .. }
                | ColumnChange::DropColumn { .. }
                | ColumnChange::ReleaseDefault { .. }
                | ColumnChange::ReleaseType { .. },
            )
            | Change::Comment(CommentChange::ViewColumnComment { .. })
            | Change::Schema(_)
            | Change::Extension(_)
            | Change::Table(_)
            | Change::Constraint(_)
            | Change::Index(_)
            | Change::Sequence(_)
            | Change::Routine(_)
            | Change::Trigger(_)
            | Change::EventTrigger(_)
            | Change::View(_)
            | Change::Policy(_)
            | Change::Privileges(_)
            | Change::Owner(_)
            | Change::Partition(_)
            | Change::Inheritance(_)
            | Change::Type(_)
            | Change::Domain(_)
            | Change::Collation(_)
            | Change::Publication(_)
            | Change::Cast(_)
            | Change::Rule(_)
            | Change::TextSearch(_)
            | Change::Foreign(_)
            | Change::Statistics(_)
            | Change::Operator(_)
            | Change::Language(_)
            | Change::Conversion(_)
            | Change::AccessMethod(_)
            | Change::Subscription(_)
            | Change::OperatorClass(_) => format!("{variant} {id}"),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn diff_lines(old: &Catalog, new: &Catalog) -> String {
    lines(&diff(old, new))
}
