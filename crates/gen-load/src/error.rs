//! Errors the user can act on, and the mapping of what the server or the
//! parser says about a statement to one: `file:line:col`, the server's
//! message, an excerpt with a caret and a hint that is true.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use gen_sandbox::LOADER;
use gen_source::{Source, Statement};

use crate::runner::Stopped;

/// An error with what the user needs to fix it: where, and what to do next.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    /// Source excerpt with a caret under the column, shown after the message.
    pub excerpt: Option<String>,
    pub hint: Option<String>,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            excerpt: None,
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The source excerpt shown under the message, any secret option's
    /// value in it masked.
    pub fn excerpt(mut self, excerpt: impl Into<String>) -> Self {
        let excerpt = excerpt.into();
        self.excerpt = Some(gen_model::redact_secrets(&excerpt).into_owned());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Turns a parse error into one with its location, excerpt and hint.
pub fn source_error(e: gen_source::SourceError) -> anyhow::Error {
    let hint = e.hint().map(str::to_owned);
    let mut user = match &e {
        gen_source::SourceError::Syntax { excerpt, .. }
        | gen_source::SourceError::MetaCommand { excerpt, .. }
        | gen_source::SourceError::DataStatement { excerpt, .. }
        | gen_source::SourceError::Refused { excerpt, .. } => {
            UserError::new(e.to_string()).excerpt(excerpt.clone())
        }
        other => UserError::new(other.to_string()),
    };
    user.hint = hint;
    user.into()
}

/// [`statement_error`], or that the statement ran past the timeout.
pub(crate) fn stopped_error(
    source: &Source,
    statement: &Statement,
    e: Stopped,
    limit: Duration,
    sealed: bool,
) -> anyhow::Error {
    match e {
        Stopped::Refused(why) => UserError::new(format!("{}: refused: {why}", statement.location))
            .excerpt(statement.excerpt(None))
            .hint("load the function through CREATE EXTENSION, or leave the statement out")
            .into(),
        Stopped::Error(e) => statement_error(source, statement, &e, sealed),
        Stopped::Timeout => timeout_error(&statement.location, statement.excerpt(None), limit),
    }
}

/// `schema/x.sql:3:1: the statement ran past the statement timeout (60 s)`.
pub(crate) fn timeout_error(
    location: &gen_source::Location,
    excerpt: String,
    limit: Duration,
) -> anyhow::Error {
    UserError::new(format!(
        "{location}: the statement ran past the statement timeout ({} s) and was cancelled",
        limit.as_secs()
    ))
    .excerpt(excerpt)
    .hint(
        "a schema file's statements must finish quickly; if this one must be slow, raise [sandbox] statement_timeout in gen.toml (or --statement-timeout)",
    )
    .into()
}

/// `schema/x.sql:3:7: relation "orgs" does not exist`, with the excerpt and
/// a hint: for a name that does not exist, which statement defines it, if
/// any; else the server's hint.
pub(crate) fn statement_error(
    source: &Source,
    statement: &Statement,
    e: &tokio_postgres::Error,
    sealed: bool,
) -> anyhow::Error {
    let Some(db) = e.as_db_error() else {
        return anyhow::anyhow!("loading {}: {e}", statement.location);
    };
    let position = error_position(db);
    let location = statement.location_of(position);
    let sealed = sealed.then(|| sealed_hint(db)).flatten();
    let mut message = format!(
        "{location}: {}",
        sealed.as_ref().map_or(db.message(), |(m, _)| m.as_str())
    );
    if let Some(detail) = db.detail() {
        message.push_str(&format!(" ({detail})"));
    }
    let hint = missing_name_hint(source, statement, db)
        .or_else(|| sealed.map(|(_, h)| h))
        .or_else(|| db.hint().map(str::to_owned))
        .unwrap_or_else(|| "fix the statement at that position".to_owned());
    UserError::new(message)
        .excerpt(statement.excerpt(position))
        .hint(hint)
        .into()
}

/// Where in the statement the server says the error is: a 1-based
/// character position into the text it was sent.
fn error_position(db: &tokio_postgres::error::DbError) -> Option<u32> {
    match db.position() {
        Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p),
        _ => None,
    }
}

/// For an error about a name that does not exist: where the files define
/// it, or that they do not.
fn missing_name_hint(
    source: &Source,
    statement: &Statement,
    db: &tokio_postgres::error::DbError,
) -> Option<String> {
    use tokio_postgres::error::SqlState;
    let code = db.code();
    let missing = [
        SqlState::UNDEFINED_TABLE,
        SqlState::UNDEFINED_OBJECT,
        SqlState::UNDEFINED_FUNCTION,
        SqlState::INVALID_SCHEMA_NAME,
        SqlState::UNDEFINED_COLUMN,
    ];
    if !missing.contains(code) || !db.message().ends_with("does not exist") {
        return None;
    }
    let name = missing_name(db.message())?;
    let bare = name.rsplit('.').next().unwrap_or(&name).to_owned();
    let definer = source.statements.iter().find(|s| {
        s.defines.iter().any(|d| {
            d.name == bare
                || d.name
                    .strip_suffix(')')
                    .is_some_and(|n| n.starts_with(&format!("{bare}(")))
        })
    });
    Some(match definer {
        Some(d) if d.location == statement.location => return None,
        Some(d) => format!(
            "{name} is created at {}, which loads after this statement: \
             the two need each other, or this statement needs it in a way \
             the loader cannot see; move that statement earlier in its file",
            d.location
        ),
        None if *code == SqlState::UNDEFINED_COLUMN => {
            "no statement in the schema files adds that column".to_owned()
        }
        None => format!(
            "no statement in the schema files creates {name}; create it, or check \
             its spelling and the search_path"
        ),
    })
}

/// The name an "X does not exist" message is about: the first quoted name,
/// or the function of `function f(integer) does not exist`.
fn missing_name(message: &str) -> Option<String> {
    if let Some(start) = message.find('"') {
        let rest = &message[start + 1..];
        return rest.find('"').map(|end| rest[..end].to_owned());
    }
    let rest = message.strip_prefix("function ")?;
    rest.find('(').map(|end| rest[..end].to_owned())
}

/// An error in one statement of a deploy script replayed statement by
/// statement.
pub(crate) fn script_statement_error(
    statement: &Statement,
    e: &tokio_postgres::Error,
) -> anyhow::Error {
    let Some(db) = e.as_db_error() else {
        return anyhow::anyhow!("replaying {}: {e}", statement.location);
    };
    let position = error_position(db);
    let (message, hint) = sealed_hint(db).unwrap_or_else(|| {
        (
            db.message().to_owned(),
            "the migrations no longer replay on an empty database; fix the script named above"
                .to_owned(),
        )
    });
    UserError::new(format!("{}: {message}", statement.location_of(position)))
        .excerpt(statement.excerpt(position))
        .hint(hint)
        .into()
}

/// An error in a deploy script replayed as one query.
pub(crate) fn script_error(path: &Path, text: &str, e: &tokio_postgres::Error) -> anyhow::Error {
    let Some(db) = e.as_db_error() else {
        return anyhow::anyhow!("replaying {}: {e}", path.display());
    };
    let (line, col) = error_position(db).map_or((1, 1), |p| line_col(text, p));
    UserError::new(format!("{}:{line}:{col}: {}", path.display(), db.message()))
        .hint("the migrations no longer replay on an empty database; fix the script named above")
        .into()
}

/// Line and column (1-based, in characters) of a 1-based character position.
fn line_col(text: &str, position: u32) -> (usize, usize) {
    let mut line = 1;
    let mut col = 1;
    for c in text.chars().take(position.saturating_sub(1) as usize) {
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// The message for an error a statement met, where loading as a role
/// without superuser explains it: a function of an untrusted language
/// called, or a privilege only a superuser has.
fn sealed_hint(db: &tokio_postgres::error::DbError) -> Option<(String, String)> {
    use tokio_postgres::error::SqlState;
    if db.message() == "cannot accept a value of type language_handler" {
        return Some((
            "a function in an untrusted language was called: the sandbox creates such functions but never runs them".to_owned(),
            "a schema file may define such a function but not call it while loading".to_owned(),
        ));
    }
    let roles = [
        "create role",
        "alter role",
        "admin option",
        "grant role",
        "drop role",
    ];
    if *db.code() == SqlState::INSUFFICIENT_PRIVILEGE
        && roles.iter().any(|r| db.message().contains(r))
    {
        return Some((
            db.message().to_owned(),
            format!(
                "roles are the sandbox's: it makes the roles the files name before loading, and the role {LOADER} may create and change roles only from PostgreSQL 16 on; name roles made in dynamic SQL in [sandbox] roles in gen.toml, or plan with [sandbox] version = 16 or newer"
            ),
        ));
    }
    if *db.code() == SqlState::INSUFFICIENT_PRIVILEGE {
        return Some((
            db.message().to_owned(),
            format!(
                "schema files load as the role {LOADER}, without superuser; gen runs as superuser only CREATE EXTENSION, event triggers, functions in untrusted languages, foreign-data wrappers and servers, publications, casts, operator classes and families, access methods and text search parsers and templates, so anything else that needs a superuser cannot load"
            ),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn positions_count_characters() {
        let text = "BEGIN;\nSELECT é, x;\n";
        assert_eq!(line_col(text, 1), (1, 1));
        assert_eq!(line_col(text, 8), (2, 1));
        assert_eq!(line_col(text, 18), (2, 11));
    }
}
