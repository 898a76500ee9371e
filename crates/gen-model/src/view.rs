//! Views and materialized views.

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// `CREATE [MATERIALIZED] VIEW name WITH (options) AS query`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// Qualified view name.
    pub name: QualifiedName,
    /// A materialized view stores its rows; a plain view is only a query.
    pub materialized: bool,
    /// The query as `pg_get_viewdef()` writes it, without a trailing `;`.
    pub definition: String,
    /// Output columns in order. `CREATE OR REPLACE VIEW` may only append.
    pub columns: Vec<ViewColumn>,
    /// Options as `key=value`, sorted: `security_barrier`, `security_invoker`,
    /// `check_option` for views, storage parameters for materialized views.
    pub options: Vec<String>,
    /// For materialized views: whether it is populated (`WITH DATA`).
    pub populated: bool,
    /// `COMMENT ON [MATERIALIZED] VIEW`.
    pub comment: Option<String>,
    /// The query reads the view itself (made with `CREATE OR REPLACE
    /// VIEW` over a first definition): it can only be created in two steps.
    #[serde(default)]
    pub reads_itself: bool,
    /// A materialized view's `USING method`, unless it is `heap`.
    #[serde(default)]
    pub access_method: Option<String>,
    /// A materialized view's `TABLESPACE t`, unless the database's default.
    #[serde(default)]
    pub tablespace: Option<String>,
}

/// One output column of a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewColumn {
    /// Raw column name.
    pub name: String,
    /// Type with modifiers, as `format_type()` writes it.
    pub data_type: String,
    /// Collation, when not the type's default.
    pub collation: Option<String>,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
    /// `ALTER VIEW … ALTER COLUMN … SET DEFAULT`: what an insert through
    /// the view puts in when it leaves the column out.
    #[serde(default)]
    pub default: Option<String>,
}

impl View {
    /// The view's identity: a view or a materialized view.
    pub fn id(&self) -> ObjectId {
        let name = self.name.clone();
        if self.materialized {
            ObjectId::MaterializedView { name }
        } else {
            ObjectId::View { name }
        }
    }

    /// Whether `CREATE OR REPLACE VIEW` can turn `self` into `new`: both
    /// plain views, and `new` keeps every column of `self` with its name,
    /// type and collation, in place, adding columns only at the end.
    pub fn replaceable_by(&self, new: &View) -> bool {
        !self.materialized
            && !new.materialized
            && self.columns.len() <= new.columns.len()
            && self.columns.iter().zip(&new.columns).all(|(o, n)| {
                o.name == n.name && o.data_type == n.data_type && o.collation == n.collation
            })
    }
}
