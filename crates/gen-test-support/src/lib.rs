//! What the unit tests of the pure crates share: catalogs written in code,
//! and a parser check for the SQL they render.
//!
//! Each builder gives a gen-model value with every field at its plain
//! default, so that a test spells out only what it is about; the `…Ext`
//! traits adjust one field at a time. [`Db`] gathers objects into a
//! [`Catalog`](gen_model::Catalog) with the dependency edges the
//! introspection would record.
//!
//! ```
//! use gen_test_support::*;
//!
//! let t = q("public", "t");
//! let catalog = db()
//!     .table(table(t.clone(), vec![col("id", "integer").not_null()]).pk("t_pkey", &["id"]))
//!     .index(index("t_id_idx", &t, &["id"]))
//!     .build();
//! assert!(catalog.depends.contains(&(index_id(&q("public", "t_id_idx")), table_id(&t))));
//! assert_valid_sql("CREATE INDEX t_id_idx ON public.t USING btree (id);");
//! ```

mod db;
mod ids;
mod objects;
mod routines;
mod security;
mod sql;
mod tables;
mod types;

pub use db::{Db, db};
pub use ids::{column_id, constraint_id, index_id, table_id, type_id};
pub use objects::{cast, rule, text_search_configuration, text_search_dictionary};
pub use routines::{function, procedure, trigger};
pub use security::{grant, policy, role};
pub use sql::{assert_parses, assert_plpgsql, assert_valid_sql};
pub use tables::{
    ColumnExt, SequenceExt, TableExt, ascending, col, descending, index, q, sequence, table,
};
pub use types::{DomainExt, attributes, composite, domain, enum_type};
