//! `--rename` against a database: the renames run on the old side before it
//! is read (see [`gen_plan::rename`] for what a rename is and its SQL).

pub use gen_plan::rename::{Rename, parse, suggestions};

use crate::error::UserError;

/// Runs the renames on the old side's database, each reported by name when
/// the server refuses it.
pub async fn apply(client: &tokio_postgres::Client, renames: &[Rename]) -> Result<(), UserError> {
    for r in renames {
        client.batch_execute(&r.sql()).await.map_err(|e| {
            let message = e
                .as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_owned());
            UserError::new(format!("--rename {r}: {message}"))
                .hint("check the kind and the old name; names are case-folded unless quoted")
        })?;
    }
    Ok(())
}

impl From<gen_plan::rename::Refused> for UserError {
    fn from(refused: gen_plan::rename::Refused) -> Self {
        UserError::new(refused.message).hint(refused.hint)
    }
}
