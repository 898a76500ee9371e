use std::path::PathBuf;

use crate::Location;

/// What can go wrong finding, reading and parsing schema files.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The path to load does not exist.
    #[error("schema path {} does not exist", path.display())]
    NotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// A file or directory could not be read (including a file that is not
    /// UTF-8).
    #[error("reading {}", path.display())]
    Io {
        /// The file or directory, as displayed.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// Postgres's parser rejected a statement.
    #[error("{location}: {message}")]
    Syntax {
        /// Where the parser stopped: the offending token.
        location: Location,
        /// The parser's message, e.g. `syntax error at or near "foo"`.
        message: String,
        /// The offending line with a caret line under the column.
        excerpt: String,
    },
    /// A psql meta-command that would change what is loaded (`\i`,
    /// `\connect`, `\if`…) or run something (`\!`): gen never runs psql.
    #[error("{location}: psql meta-command \\{command} is not supported: {reason}")]
    MetaCommand {
        /// Where the backslash is.
        location: Location,
        /// The command's name, without its backslash.
        command: String,
        /// Why it cannot be honoured.
        reason: &'static str,
        /// The line with a caret under the backslash.
        excerpt: String,
    },
    /// A statement that changes data, not schema, in strict mode.
    #[error("{location}: data statement in a schema file: {summary}")]
    DataStatement {
        /// Where the statement starts.
        location: Location,
        /// The statement's first line, shortened.
        summary: String,
        /// The line with a caret under the statement's start.
        excerpt: String,
    },
    /// A statement a schema file cannot hold at all (`ROLLBACK`).
    #[error("{location}: {message}")]
    Refused {
        /// Where the statement starts.
        location: Location,
        /// What is wrong.
        message: String,
        /// The line with a caret under the statement's start.
        excerpt: String,
    },
    /// Something under the schema directory that is not a regular file
    /// (or a link to one): reading it could block forever (a FIFO), never
    /// end (`/dev/zero`) or reach outside the project.
    #[error("{} is {what}, not a regular file", path.display())]
    NotRegular {
        /// The entry, as displayed.
        path: PathBuf,
        /// What it is: `a FIFO`, `a dangling symbolic link`, …
        what: &'static str,
    },
    /// The parser library failed in a way that is not about the SQL.
    #[error("parsing {}", path.display())]
    Parser {
        /// The file being parsed, as displayed.
        path: PathBuf,
        /// The library's error.
        #[source]
        source: pg_query::Error,
    },
}

impl SourceError {
    /// A next step for the user, where there is one.
    pub fn hint(&self) -> Option<&str> {
        match self {
            SourceError::NotFound { .. } => Some(
                "pass the directory holding your schema files (e.g. `schema`) or a single .sql file",
            ),
            SourceError::Io { source, .. } if source.kind() == std::io::ErrorKind::InvalidData => {
                Some("schema files must be UTF-8 text")
            }
            SourceError::Io { .. } => None,
            SourceError::Syntax { .. } => Some("fix the statement at that position"),
            SourceError::MetaCommand { .. } => Some(
                "remove the line; gen loads the files with the server's parser, not through psql",
            ),
            SourceError::DataStatement { .. } => Some(
                "schema files hold schema; move data into a migration (`gen add NAME --empty`), or turn strict loading off",
            ),
            SourceError::Refused { .. } => None,
            SourceError::NotRegular { .. } => Some(
                "schema inputs are regular files or links to them; remove it or replace it with the file it stands for",
            ),
            SourceError::Parser { .. } => None,
        }
    }
}
