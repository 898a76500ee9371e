//! Views and materialized views.
//!
//! A plain view changes in place with `CREATE OR REPLACE VIEW` while it
//! keeps its leading columns; anything else — a column renamed, retyped or
//! removed, any change to a materialized view's query — drops and creates it,
//! and the closure in `lib.rs` rebuilds whatever depends on it.
use gen_model::{Catalog, View};

use crate::{Change, CommentChange, ViewChange, comment, option_changes, pairs};

pub(crate) fn views(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.views, &new.views) {
        match (o, n) {
            (Some(o), None) => out.push(Change::View(ViewChange::DropView(o.clone()))),
            (None, Some(n)) => create(n, out),
            // `SET ACCESS METHOD` comes with PostgreSQL 15.
            (Some(o), Some(n)) if o.access_method != n.access_method && new.major < 15 => {
                recreate(o, n, out);
            }
            (Some(o), Some(n)) => alter(o, n, out),
            (None, None) => {}
        }
    }
}

/// `CREATE VIEW` with its comments.
pub(crate) fn create(view: &View, out: &mut Vec<Change>) {
    out.push(Change::View(ViewChange::CreateView(view.clone())));
    defaults(None, view, out);
    comments(None, view, out);
}

/// Column defaults set or dropped from `old`'s (none for a new view) to
/// `new`'s.
fn defaults(old: Option<&View>, new: &View, out: &mut Vec<Change>) {
    for c in &new.columns {
        let was = old
            .and_then(|o| o.columns.iter().find(|oc| oc.name == c.name))
            .and_then(|oc| oc.default.as_ref());
        if was != c.default.as_ref() {
            out.push(Change::View(ViewChange::SetViewColumnDefault {
                view: new.name.clone(),
                column: c.name.clone(),
                default: c.default.clone(),
            }));
        }
    }
}

/// Drop and create again, for a view whose shape changes or that goes down
/// with something it depends on.
pub(crate) fn recreate(old: &View, new: &View, out: &mut Vec<Change>) {
    out.push(Change::View(ViewChange::DropView(old.clone())));
    create(new, out);
}

fn alter(o: &View, n: &View, out: &mut Vec<Change>) {
    if o.materialized != n.materialized || o.definition != n.definition {
        if o.replaceable_by(n) {
            out.push(Change::View(ViewChange::ReplaceView(n.clone())));
            defaults(Some(o), n, out);
            comments(Some(o), n, out);
        } else {
            recreate(o, n, out);
        }
        return;
    }
    if n.materialized && o.access_method != n.access_method {
        out.push(Change::View(ViewChange::SetMaterializedViewAccessMethod {
            name: n.name.clone(),
            access_method: n.access_method.clone(),
        }));
    }
    if n.materialized && o.tablespace != n.tablespace {
        out.push(Change::View(ViewChange::SetMaterializedViewTablespace {
            name: n.name.clone(),
            tablespace: n.tablespace.clone(),
        }));
    }
    if o.options != n.options {
        if n.materialized {
            let (set, reset) = option_changes(&o.options, &n.options);
            out.push(Change::View(ViewChange::SetMaterializedViewOptions {
                name: n.name.clone(),
                set,
                reset,
            }));
        } else {
            // Replacing a view sets its options as a whole.
            out.push(Change::View(ViewChange::ReplaceView(n.clone())));
        }
    }
    if o.columns != n.columns && !o.replaceable_by(n) {
        // Same query, different columns: only collations or types that print
        // alike; rebuilding is the only way to get there.
        recreate(o, n, out);
        return;
    }
    if n.materialized && o.populated != n.populated {
        out.push(Change::View(ViewChange::RefreshMaterializedView {
            name: n.name.clone(),
            populated: n.populated,
        }));
    }
    defaults(Some(o), n, out);
    comments(Some(o), n, out);
}

/// Comment changes on the view and its columns.
fn comments(old: Option<&View>, new: &View, out: &mut Vec<Change>) {
    comment(
        new.id(),
        old.and_then(|o| o.comment.as_ref()),
        new.comment.as_ref(),
        out,
    );
    for column in &new.columns {
        let before = old
            .and_then(|o| o.columns.iter().find(|c| c.name == column.name))
            .and_then(|c| c.comment.as_ref());
        if before != column.comment.as_ref() {
            out.push(Change::Comment(CommentChange::ViewColumnComment {
                view: new.id(),
                column: column.name.clone(),
                comment: column.comment.clone(),
            }));
        }
    }
}
