//! The one error type of this crate.

use std::fmt;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

/// Everything that can go wrong while providing a throwaway Postgres.
///
/// Messages are one lowercase line that never contains a password; a next step
/// for the user, where there is one, is available separately through
/// [`SandboxError::hint`] so the CLI can print it as `hint: …`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// No directory holding both `initdb` and `postgres` was found.
    #[error("no PostgreSQL server binaries found (looked in: {})", join_paths(.looked_in))]
    NoBinaries {
        /// Every place that was searched, in search order.
        looked_in: Vec<String>,
    },

    /// The directory given explicitly with `--pg-bin` lacks a server binary.
    #[error("no `{program}` in the PostgreSQL bin directory {}", .dir.display())]
    PgBinIncomplete {
        /// The directory that was given.
        dir: PathBuf,
        /// The program that is missing (`initdb` or `postgres`).
        program: &'static str,
    },

    /// `postgres --version` printed something unexpected.
    #[error("could not read the server version from `{} --version` (it printed {output:?})", .program.display())]
    UnknownVersion {
        /// The `postgres` binary that was asked.
        program: PathBuf,
        /// What it printed.
        output: String,
    },

    /// No server binaries of the major the project asks for.
    #[error("no PostgreSQL {major} server binaries found (looked in {})", .looked_in.join(", "))]
    NoBinariesForMajor {
        /// The major version asked for.
        major: u32,
        /// Every place that was searched, in search order.
        looked_in: Vec<String>,
    },

    /// No client program new enough for a server.
    #[error("no {program} of PostgreSQL {major} or newer found{}", if .seen.is_empty() { String::new() } else { format!(" (found only {})", .seen.join(", ")) })]
    NoClientForMajor {
        /// `pg_dump`.
        program: String,
        /// The server's major.
        major: u32,
        /// The older ones found.
        seen: Vec<String>,
    },

    /// The server is of a major version gen does not plan for.
    #[error(
        "{what} is PostgreSQL {version}; gen supports PostgreSQL {}",
        supported_list()
    )]
    UnsupportedMajor {
        /// Which server: `the server binaries in /usr/lib/postgresql/13/bin`.
        what: String,
        /// Its version, `13.16`.
        version: String,
    },

    /// The server is not of the major the project asks for.
    #[error("{what} is PostgreSQL {version}, but the project asks for PostgreSQL {wanted}")]
    WrongMajor {
        /// Which server.
        what: String,
        /// Its version, `16.4`.
        version: String,
        /// The major asked for.
        wanted: u32,
    },

    /// gen runs as root and there is no unprivileged user to run the server as.
    #[error(
        "running as root and no \"postgres\" user exists to run the server as (initdb and postgres refuse to run as root)"
    )]
    NoUnprivilegedUser,

    /// A helper program could not be started at all.
    #[error("could not run {}", .program.display())]
    Spawn {
        /// The program.
        program: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },

    /// `initdb` ran and failed.
    #[error("initdb failed ({status}){}", log_suffix(.output))]
    Initdb {
        /// How it exited.
        status: ExitStatus,
        /// The last lines it printed.
        output: String,
    },

    /// A file-system operation failed.
    #[error("{action} {}", .path.display())]
    Io {
        /// What was being done, e.g. `copying the template to`.
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },

    /// The server process exited while we waited for it to accept connections.
    #[error("postgres exited during startup ({status}){}", log_suffix(.log_tail))]
    ServerExited {
        /// How it exited.
        status: ExitStatus,
        /// The last lines of the server log.
        log_tail: String,
    },

    /// The server did not accept connections in time.
    #[error("postgres did not accept connections within {}s{}", .waited.as_secs(), log_suffix(.log_tail))]
    StartTimeout {
        /// How long we waited.
        waited: Duration,
        /// The last lines of the server log.
        log_tail: String,
    },

    /// A connection string could not be parsed.
    #[error("invalid connection string {target}")]
    InvalidUrl {
        /// The connection string with its password removed.
        target: String,
        /// Why it is invalid.
        #[source]
        source: PgError,
    },

    /// Connecting to a server failed.
    #[error("connecting to {target}")]
    Connect {
        /// Where, with any password removed.
        target: String,
        /// Why it failed.
        #[source]
        source: PgError,
    },

    /// A statement run by the sandbox itself failed.
    #[error("{action}")]
    Query {
        /// What was being done, e.g. `creating database "gen_scratch_old_…"`.
        action: String,
        /// The server's answer.
        #[source]
        source: PgError,
    },

    /// A role name that Postgres cannot hold.
    #[error("invalid role name {name:?}: {reason}")]
    InvalidRoleName {
        /// The offending name.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The Docker backend could not reach a Docker engine.
    #[error("no Docker engine is reachable")]
    DockerUnavailable {
        /// What the Docker client said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// The Docker engine is there but the container did not come up.
    #[error("could not start a container from image {image}")]
    Container {
        /// The image, e.g. `postgres:15`.
        image: String,
        /// What the Docker client said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// The container stopped before its server accepted a connection.
    #[error(
        "the container from image {image} exited before its server accepted connections; its log ends:\n{log}"
    )]
    ContainerExited {
        /// The image.
        image: String,
        /// The last lines of the container's output.
        log: String,
    },

    /// The container's server did not accept a connection in time.
    #[error("the container from image {image} did not accept connections within {} s; its log ends:\n{log}", .waited.as_secs())]
    ContainerTimeout {
        /// The image.
        image: String,
        /// How long gen waited.
        waited: std::time::Duration,
        /// The last lines of the container's output.
        log: String,
        /// The last connection error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// A directory for the warm server exists but is not private to this user.
    #[error("refusing to use {}: {reason}", .path.display())]
    UnsafeDirectory {
        /// The directory.
        path: PathBuf,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The server answered a query of the sandbox's in a way it cannot.
    #[error("unexpected answer from the server while {action}")]
    Unexpected {
        /// What was being done.
        action: &'static str,
    },

    /// Stopping the server or removing its files failed during shutdown.
    #[error("cleaning up the sandbox: {}", .problems.join("; "))]
    Cleanup {
        /// Each thing that could not be cleaned up.
        problems: Vec<String>,
    },
}

impl SandboxError {
    /// For `map_err`: `action` on `path` failed with the I/O error given.
    pub(crate) fn io(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(std::io::Error) -> SandboxError {
        let path = path.to_owned();
        move |source| SandboxError::Io {
            action,
            path,
            source,
        }
    }

    /// The next step for the user, if there is an obvious one.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Self::NoBinaries { .. } => Some(
                "install PostgreSQL's server (on Debian/Ubuntu: apt-get install postgresql), pass --pg-bin DIR, or use --sandbox docker",
            ),
            Self::NoBinariesForMajor { .. } => Some(
                "install that major's server (Debian/Ubuntu: the PostgreSQL project's package postgresql-<major> from apt.postgresql.org; scripts/install-deps in gen's repository fetches every supported major), pass --pg-bin DIR, or use --sandbox docker",
            ),
            Self::NoClientForMajor { .. } => Some(
                "install the client of the server's major (Debian/Ubuntu: postgresql-client-<major> from apt.postgresql.org) or pass --pg-bin DIR",
            ),
            Self::UnsupportedMajor { .. } => Some(
                "plan with a supported major: set [sandbox] version in gen.toml, or pass --pg-version or --pg-bin",
            ),
            Self::WrongMajor { .. } => Some(
                "point the sandbox at a server of the project's major, or change [sandbox] version (--pg-version) to the major production runs",
            ),
            Self::PgBinIncomplete { .. } => Some(
                "pass the directory that holds both initdb and postgres, e.g. /usr/lib/postgresql/15/bin",
            ),
            Self::NoUnprivilegedUser => {
                Some("create a \"postgres\" user or run gen as an unprivileged user")
            }
            Self::ServerExited { .. } | Self::StartTimeout { .. } => {
                Some("check the server log above; --pg-bin selects another PostgreSQL installation")
            }
            Self::InvalidUrl { .. } => Some(
                "use postgres://user:password@host:port/dbname or a key=value string like \"host=/run/postgresql dbname=postgres\"",
            ),
            Self::Connect { .. } => Some(
                "check that the server is running and that host, port, user and password are right",
            ),
            Self::UnsafeDirectory { .. } => Some(
                "remove it if nothing of yours is in it, or set GEN_SANDBOX_IDLE=0 for a throwaway cluster",
            ),
            Self::DockerUnavailable { .. } => {
                Some("start Docker or use the local backend (the default)")
            }
            Self::Container { .. } => Some(
                "check that the image exists locally or can be pulled (scripts/docker-images in gen's repository builds postgres:<major> from local binaries), or use the local backend (the default)",
            ),
            Self::ContainerExited { .. } | Self::ContainerTimeout { .. } => Some(
                "the image must start a PostgreSQL server on port 5432 that trusts local connections, as the official postgres images do with POSTGRES_HOST_AUTH_METHOD=trust",
            ),
            _ => None,
        }
    }
}

/// `14, 15, 16, 17 and 18`.
fn supported_list() -> String {
    let majors: Vec<String> = crate::SUPPORTED_MAJORS.map(|m| m.to_string()).collect();
    match majors.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => majors.join(""),
    }
}

/// A tokio-postgres error rendered as one readable message.
///
/// tokio-postgres displays a server error as just `db error` and hides the
/// server's text in its source; a chained report would then read
/// `creating database x: db error: ERROR: …`. This wrapper prints the server's
/// own message (and SQLSTATE) once and ends the chain there.
#[derive(Debug)]
pub struct PgError(tokio_postgres::Error);

impl PgError {
    /// The underlying tokio-postgres error.
    pub fn inner(&self) -> &tokio_postgres::Error {
        &self.0
    }

    /// The SQLSTATE the server reported, if this came from the server.
    pub fn code(&self) -> Option<&tokio_postgres::error::SqlState> {
        self.0.code()
    }
}

impl From<tokio_postgres::Error> for PgError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self(e)
    }
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(db) = self.0.as_db_error() {
            write!(f, "{} (SQLSTATE {})", db.message(), db.code().code())?;
            if let Some(detail) = db.detail() {
                write!(f, ": {detail}")?;
            }
            return Ok(());
        }
        write!(f, "{}", self.0)?;
        let mut source = std::error::Error::source(&self.0);
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}

impl std::error::Error for PgError {}

fn join_paths(paths: &[String]) -> String {
    if paths.is_empty() {
        "nowhere".to_owned()
    } else {
        paths.join(", ")
    }
}

/// Multi-line diagnostic output goes after the one-line message, indented, so
/// the first line stays the summary.
fn log_suffix(text: &str) -> String {
    let text = text.trim_end();
    if text.is_empty() {
        return String::new();
    }
    let mut out = String::from("; last output:");
    for line in text.lines() {
        out.push_str("\n    ");
        out.push_str(line);
    }
    out
}
