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

impl Expected {
    /// The project's major (`backend.version()`), when it names one.
    pub fn project(backend: &gen_sandbox::Backend, strict: bool) -> Expected {
        Expected {
            major: backend.version(),
            from: "the project ([sandbox] version)",
            strict,
        }
    }

    /// The project's major, else the major of the sandbox that runs.
    pub fn project_or_sandbox(
        backend: &gen_sandbox::Backend,
        sandbox: Option<&gen_sandbox::Sandbox>,
        strict: bool,
    ) -> Expected {
        match (backend.version(), sandbox) {
            (None, Some(sandbox)) => Expected {
                major: Some(sandbox.server_version_num() / 10_000),
                from: "the sandbox",
                strict,
            },
            _ => Expected::project(backend, strict),
        }
    }
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

#[cfg(test)]
mod tests {
    /// The sandbox refuses the majors the catalog's queries are not written
    /// for: both say the same range.
    #[test]
    fn the_sandbox_and_the_catalog_support_the_same_majors() {
        assert_eq!(
            gen_sandbox::SUPPORTED_MAJORS,
            gen_catalog::OLDEST_MAJOR..=gen_catalog::NEWEST_MAJOR
        );
    }
}
