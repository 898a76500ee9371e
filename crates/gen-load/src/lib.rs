//! Loading schema files and replayed migrations into a sandbox and reading
//! back both catalogs.
//!
//! [`sides`] goes from a side's source (schema files, a migrations
//! directory, a live database) to its [`gen_model::Catalog`]: parse, start
//! one sandbox for both sides, load them concurrently, introspect.
//! [`runner`] runs each untrusted statement as the role it may run as.
//! [`error`] maps what the parser or the server says about a statement to
//! an error at `file:line:col` with a hint. [`target`] holds a database's
//! major against the project's, [`secrets`] keeps secret option values out
//! of what is loaded, and [`rename`] runs `--rename` on the old side.

pub mod error;
pub mod progress;
pub mod rename;
pub mod runner;
pub mod secrets;
pub mod sides;
pub mod target;

pub use error::{UserError, source_error};
pub use sides::{
    CreatedRoles, Src, catalogs, catalogs_and_roles, deployed_changes, load_schema,
    open_migrations, open_migrations_locked,
};
