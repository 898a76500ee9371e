//! The major version of a database gen reads or deploys to, held against
//! the major the project plans for: a plan made by one major's server may
//! not run on another's (a PostgreSQL 17 `ALTER COLUMN … SET EXPRESSION`
//! fails on 16, and catalogs print definitions differently).

use tokio_postgres::Client;

use crate::error::UserError;

/// What a target's major is held against.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expected {
    /// The project's major (`[sandbox] version`, `--pg-version`), else the
    /// sandbox's when one runs; `None` when neither is known.
    pub major: Option<u32>,
    /// Where that major comes from, for the message.
    pub from: &'static str,
    /// `--strict`: a mismatch is an error rather than a warning.
    pub strict: bool,
}

/// The server's `server_version`, `17.2`.
pub async fn server_version(client: &Client) -> anyhow::Result<String> {
    let row = client
        .query_one("SELECT current_setting('server_version')", &[])
        .await?;
    let full: String = row.get(0);
    Ok(full
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned())
}

/// Reads the server's version and warns on stderr (fails under
/// `--strict`) when its major is not the expected one. Returns the
/// version, `17.2`.
pub async fn check(client: &Client, what: &str, expected: Expected) -> anyhow::Result<String> {
    let version = server_version(client).await?;
    let major = gen_sandbox::major_of(&version);
    if let (Some(wanted), Some(major)) = (expected.major, major)
        && wanted != major
    {
        let message = format!(
            "{what} is PostgreSQL {version}, but {} is PostgreSQL {wanted}: a plan made on one major may not run on another",
            expected.from
        );
        let hint = "plan with the major production runs: set [sandbox] version in gen.toml (or --pg-version)";
        if expected.strict {
            return Err(UserError::new(message).hint(hint).into());
        }
        eprintln!("warning: {message}\nhint: {hint}");
    }
    Ok(version)
}
