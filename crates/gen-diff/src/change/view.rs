//! Views and materialized views.

use gen_model::{ObjectId, QualifiedName, View};
use serde::Serialize;

use super::Action;

/// A change to a view or materialized view; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ViewChange {
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
    /// `ALTER MATERIALIZED VIEW name SET ACCESS METHOD method;`
    /// (PostgreSQL 15 on): its rows are rewritten.
    SetMaterializedViewAccessMethod {
        /// Materialized view.
        name: QualifiedName,
        /// The access method; `None` is `heap`.
        access_method: Option<String>,
    },
    /// `ALTER MATERIALIZED VIEW name SET TABLESPACE t;`
    SetMaterializedViewTablespace {
        /// Materialized view.
        name: QualifiedName,
        /// The tablespace; `None` is the database's default.
        tablespace: Option<String>,
    },
    /// `ALTER VIEW name ALTER COLUMN c {SET DEFAULT expr | DROP DEFAULT};`
    SetViewColumnDefault {
        /// The view.
        view: QualifiedName,
        /// The column.
        column: String,
        /// The default from now on, none to drop it.
        default: Option<String>,
    },
    /// `REFRESH MATERIALIZED VIEW name [WITH NO DATA];`
    RefreshMaterializedView {
        /// Materialized view.
        name: QualifiedName,
        /// Whether it ends up populated.
        populated: bool,
    },
}

impl ViewChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            ViewChange::CreateView(v) | ViewChange::ReplaceView(v) => (CreateOrAlter, v.id()),
            ViewChange::DropView(v) => (Drop, v.id()),
            ViewChange::SetViewColumnDefault { view, .. } => {
                (CreateOrAlter, ObjectId::View { name: view.clone() })
            }
            ViewChange::SetMaterializedViewOptions { name, .. }
            | ViewChange::SetMaterializedViewAccessMethod { name, .. }
            | ViewChange::SetMaterializedViewTablespace { name, .. }
            | ViewChange::RefreshMaterializedView { name, .. } => (
                CreateOrAlter,
                ObjectId::MaterializedView { name: name.clone() },
            ),
        }
    }

    /// The variant's name, `CreateView` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            ViewChange::CreateView(..) => "CreateView",
            ViewChange::DropView(..) => "DropView",
            ViewChange::ReplaceView(..) => "ReplaceView",
            ViewChange::SetMaterializedViewOptions { .. } => "SetMaterializedViewOptions",
            ViewChange::RefreshMaterializedView { .. } => "RefreshMaterializedView",
            ViewChange::SetMaterializedViewAccessMethod { .. } => "SetMaterializedViewAccessMethod",
            ViewChange::SetMaterializedViewTablespace { .. } => "SetMaterializedViewTablespace",
            ViewChange::SetViewColumnDefault { .. } => "SetViewColumnDefault",
        }
    }
}
