//! Finding, splitting, parsing and ordering declarative schema files.
//!
//! Everything here happens before any database starts: every file is parsed
//! with Postgres's own parser (pg_query), so a syntax error is reported as
//! `schema/users.sql:3:7: syntax error at or near "foo"` without paying for a
//! server. Each statement keeps its exact text and position, plus the names
//! it defines and references; [`load`] uses those names to order statements
//! across files so that file order never matters, and collects the roles the
//! files mention so a sandbox can create them first (roles are cluster-wide,
//! so no schema file can be expected to create them).
//!
//! ```no_run
//! let source = gen_source::load(std::path::Path::new("schema"))?;
//! for statement in &source.statements {
//!     println!("{}: {}", statement.location, statement.sql);
//! }
//! # Ok::<(), gen_source::SourceError>(())
//! ```

mod analyze;
mod error;
mod keywords;
mod load;
mod location;
mod name;
mod order;
mod parse;
mod privilege;
mod psql;
mod session;
mod walk;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

pub use analyze::Boundary;
pub use error::SourceError;
pub use load::{Files, Options, input_files, load, load_with, ordered, schema_files};
pub use location::Location;
pub use name::{Name, NameKind};
pub use parse::split;
pub use privilege::{RunAs, Then};
pub use session::Session;

/// Schema files read from disk, their statements in load order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Every file read, as display paths (the loaded path joined with the
    /// file's path below it), in the order they were read: sorted bytewise
    /// by relative path.
    pub files: Vec<PathBuf>,
    /// Every statement of every file, ordered so that each one comes after
    /// the statements defining what it references. Where names impose no
    /// order, file order and then position within the file decide.
    pub statements: Vec<Statement>,
    /// Roles the statements mention (grantees, owners, policy targets…)
    /// or create; see [`roles`].
    pub roles: BTreeSet<String>,
    /// Statements about data rather than schema (`INSERT`, `COPY`,
    /// `setval`…), in file order: not loaded, for the caller to name.
    pub ignored: Vec<Ignored>,
    /// The `[load]` settings every file starts with ([`Options::settings`]):
    /// a loader makes them the database's defaults.
    pub settings: Vec<(String, String)>,
}

/// A statement the loader leaves out because it is about data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    /// Where the statement starts.
    pub location: Location,
    /// Its text, on one line and shortened: `INSERT INTO "schema_migrations" …`.
    pub summary: String,
    /// Its whole text, as [`Statement::sql`].
    pub sql: String,
}

/// A statement's text on one line, cut after about 60 characters.
pub(crate) fn summary(sql: &str) -> String {
    let flat: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(60) {
        Some((at, _)) => format!("{} …", &flat[..at]),
        None => flat,
    }
}

/// One SQL statement, as written in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Where the statement's first token is.
    pub location: Location,
    /// Byte offset of [`Statement::sql`] within its file.
    pub offset: usize,
    /// The statement's exact text, from its first token to its last, without
    /// the terminating semicolon and without surrounding comments, so it can
    /// be joined to others with `";\n"`.
    pub sql: String,
    /// Names this statement creates (`CREATE TABLE`, `CREATE FUNCTION`…).
    pub defines: Vec<Name>,
    /// Names this statement uses and does not itself create: relations it
    /// reads or points at, types of its columns, functions it calls, roles
    /// it grants to. Names that live in `pg_catalog` or
    /// `information_schema` are left out: no schema file can define them.
    pub references: Vec<Name>,
    /// Names this statement changes without creating (`ALTER TABLE`,
    /// `ALTER TYPE`, `ALTER DOMAIN`, `ALTER SEQUENCE`). Statements that merely
    /// reference an altered object load after the alteration, so a view can
    /// use a column added by a later `ALTER TABLE`.
    pub alters: Vec<Name>,
    outside_transaction: bool,
    boundary: Option<Boundary>,
    /// A session setting (`SET`, `set_config(…, false)`).
    sets_session: bool,
    /// About data, not schema (`INSERT`, `COPY`, `setval`…).
    data: bool,
    /// For `ALTER DEFAULT PRIVILEGES`: the schemas it applies to, empty for
    /// the whole database. It loads before the objects it applies to.
    default_privileges: Option<Vec<String>>,
    /// `(partition, parent)` pairs this statement makes.
    partitions: Vec<(Name, Name)>,
    /// For `CREATE INDEX`: the table, and whether the index reaches its
    /// partitions.
    index_on: Option<(Name, bool)>,
    /// Names a `DROP` (or a rename, for the old name) removes.
    drops: Vec<Name>,
    /// Column names the statement mentions.
    columns: Vec<String>,
    /// `(table, column)` for each column the statement makes.
    adds_columns: Vec<(Name, String)>,
    /// Functions a quoted `LANGUAGE sql` body calls.
    body_references: Vec<Name>,
    /// Tablespaces the statement puts objects in.
    tablespaces: Vec<String>,
    /// Uses an access method or operator class an extension may bring.
    uses_access_method: bool,
    /// Is a `CREATE ROLE`.
    creates_role: bool,
    run_as: RunAs,
    /// The session settings in effect for this statement: what `SET`
    /// statements before it in its file (and the project's `[load]`
    /// settings) left.
    session: Arc<Session>,
}

impl Statement {
    /// Whether Postgres refuses to run this statement inside a transaction
    /// block (`CREATE INDEX CONCURRENTLY`, `VACUUM`, `CREATE DATABASE`…), so a
    /// loader must send it on its own. `ALTER TYPE … ADD VALUE` is allowed in
    /// a transaction block since Postgres 12 and is not flagged.
    pub fn must_run_outside_transaction(&self) -> bool {
        self.outside_transaction
    }

    /// Whether this statement opens or closes a transaction block.
    pub fn transaction_boundary(&self) -> Option<Boundary> {
        self.boundary
    }

    /// The role a `CREATE ROLE` (`USER`, `GROUP`) statement creates.
    pub fn creates_role(&self) -> Option<&str> {
        self.defines
            .iter()
            .find(|d| d.kind == NameKind::Role && self.creates_role)
            .map(|d| d.name.as_str())
    }

    /// The roles this statement creates: a `CREATE ROLE`, or `CREATE ROLE`
    /// statements inside a `DO` block.
    pub fn roles_created(&self) -> impl Iterator<Item = &str> {
        self.defines
            .iter()
            .filter(|d| d.kind == NameKind::Role)
            .map(|d| d.name.as_str())
    }

    /// Whether this statement is about data, not schema (`INSERT`,
    /// `COPY`, `setval`…): a loader leaves it out.
    pub fn is_data(&self) -> bool {
        self.data
    }

    /// Whether this statement changes the session's settings (`SET`,
    /// `RESET`, `set_config(…, false)`).
    pub fn is_setting(&self) -> bool {
        self.sets_session
    }

    /// For a `DO` block, its text without the role statements among its
    /// own (`GRANT role TO role`, `CREATE ROLE`), each made `NULL` in place:
    /// a sealed sandbox makes the roles itself and runs no role statement.
    /// `None` when there is nothing to leave out.
    pub fn without_role_statements(&self) -> Option<String> {
        if !self
            .sql
            .get(..2)
            .is_some_and(|s| s.eq_ignore_ascii_case("do"))
        {
            return None;
        }
        analyze::without_role_statements(&self.sql)
    }

    /// For a foreign-data wrapper or a language statement run as the
    /// superuser: the functions it names that the server will call as the
    /// superuser (handler, validator, inline handler), each as written.
    pub fn superuser_calls(&self) -> Vec<Vec<String>> {
        let Ok(parsed) = keywords::parse(&self.sql) else {
            return Vec::new();
        };
        parsed
            .protobuf
            .stmts
            .iter()
            .filter_map(|raw| raw.stmt.as_ref()?.node.as_ref())
            .flat_map(privilege::called_functions)
            .collect()
    }

    /// Who runs this statement in a sealed sandbox: the loading role,
    /// the superuser (now or after the rest), or nobody.
    pub fn run_as(&self) -> RunAs {
        self.run_as
    }

    /// The subscriptions a `DROP SUBSCRIPTION` drops.
    pub fn dropped_subscriptions(&self) -> impl Iterator<Item = &str> {
        self.drops
            .iter()
            .filter(|d| d.kind == NameKind::Subscription)
            .map(|d| d.name.as_str())
    }

    /// The session settings this statement runs with.
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// Maps a server error position back to the file.
    ///
    /// `position` is what the server reports (`ErrorResponse` field `P`): a
    /// 1-based character index into the text it received, which must be
    /// exactly [`Statement::sql`]. `None`, or a position past the end, gives
    /// the statement's start or end.
    pub fn location_of(&self, position: Option<u32>) -> Location {
        let (line, col) = self.line_col(position);
        Location {
            file: self.location.file.clone(),
            line,
            col,
        }
    }

    /// The line of the statement that `position` points into (see
    /// [`Statement::location_of`]), with a caret line under the column:
    ///
    /// ```text
    /// CREATE VIEW v AS SELECT * FROM missing
    ///                                ^
    /// ```
    pub fn excerpt(&self, position: Option<u32>) -> String {
        let index = char_index(position);
        let mut line_start = 0;
        let mut caret = 0;
        for (count, (at, c)) in self.sql.char_indices().enumerate() {
            if count == index {
                break;
            }
            if c == '\n' {
                line_start = at + 1;
                caret = 0;
            } else {
                caret += 1;
            }
        }
        let rest = &self.sql[line_start..];
        let line = rest
            .split('\n')
            .next()
            .unwrap_or(rest)
            .trim_end_matches('\r');
        location::caret_excerpt(line, caret)
    }

    fn line_col(&self, position: Option<u32>) -> (u32, u32) {
        let index = char_index(position);
        let (mut line, mut col) = (self.location.line, self.location.col);
        for c in self.sql.chars().take(index) {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        (line, col)
    }
}

/// A server position (1-based, in characters) as a 0-based character index.
fn char_index(position: Option<u32>) -> usize {
    position.map_or(0, |p| p.saturating_sub(1) as usize)
}

/// Whether a migration script can run as one transaction: nothing in it is
/// refused inside a transaction block, and it does not commit part of its
/// work before the rest (a statement after its `COMMIT`, or before a
/// `BEGIN` other than session settings). Scripts gen writes in online mode
/// are not: a deploy tool runs them as written, statement by statement.
pub fn runs_as_one_transaction(statements: &[Statement]) -> bool {
    let mut committed = false;
    let mut before_begin = false;
    for s in statements {
        if s.outside_transaction {
            return false;
        }
        match s.boundary {
            Some(Boundary::Begin) if committed || before_begin => return false,
            Some(Boundary::Begin) => {}
            Some(Boundary::End) => committed = true,
            None if s.sets_session => {}
            None if committed => return false,
            None => before_begin = true,
        }
    }
    true
}

/// Roles that `statements` mention or create, for a sandbox to create
/// before loading them.
///
/// Mentions are grantees and grantors, owners (`OWNER TO`,
/// `AUTHORIZATION`), policy targets, `ALTER DEFAULT PRIVILEGES FOR ROLE`,
/// both sides of `GRANT role TO role`, and roles named in role options (`IN
/// ROLE`). `PUBLIC`, `CURRENT_USER`, `SESSION_USER`, `CURRENT_ROLE` and
/// predefined `pg_*` roles are never included. A role a `CREATE ROLE` (or
/// a `DO` block's) makes is included too: roles are the sandbox's, which
/// makes them all before the files load and does not run the files' role
/// statements (a loader that does runs `CREATE ROLE` as "create unless it
/// exists").
pub fn roles<'a>(statements: impl IntoIterator<Item = &'a Statement>) -> BTreeSet<String> {
    let mut roles = BTreeSet::new();
    for statement in statements {
        for name in statement.defines.iter().chain(&statement.references) {
            if name.kind == NameKind::Role && !is_builtin_role(&name.name) {
                roles.insert(name.name.clone());
            }
        }
    }
    roles
}

/// The tablespaces `statements` put objects in (`TABLESPACE t`, `USING
/// INDEX TABLESPACE t`, `SET default_tablespace = t`): none exists in a
/// sandbox until it makes them.
pub fn tablespaces<'a>(statements: impl IntoIterator<Item = &'a Statement>) -> BTreeSet<String> {
    statements
        .into_iter()
        .flat_map(|s| s.tablespaces.iter().cloned())
        .collect()
}

/// Custom settings (`app.tenant`, `request.jwt.claim.id`) that `statements`
/// set, wherever the text says `SET name` (in a `DO` block's dynamic SQL
/// too): from PostgreSQL 15 on, a role without superuser may set one for
/// its database (`ALTER DATABASE … SET`) only when granted, and a sealed
/// sandbox grants these.
pub fn custom_settings<'a>(
    statements: impl IntoIterator<Item = &'a Statement>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for statement in statements {
        let text = statement.sql.to_ascii_lowercase();
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(at) = text[from..].find("set").map(|at| from + at) {
            from = at + 3;
            let word_start = at == 0 || !is_name_byte(bytes[at - 1]);
            let after = &text[from..];
            let name_start = after.len() - after.trim_start().len();
            if !word_start || name_start == 0 {
                continue;
            }
            let name: String = after[name_start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'))
                .collect();
            let valid = name.contains('.')
                && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && !name.ends_with('.')
                && !name.contains("..");
            if valid {
                out.insert(name);
            }
        }
    }
    out
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// The roles `statements` create, each with a `CREATE ROLE` statement that
/// makes it as they do: their own statement without its password (a
/// migration must not carry one), or a bare `CREATE ROLE` for a role a
/// `DO` block creates.
pub fn role_definitions<'a>(
    statements: impl IntoIterator<Item = &'a Statement>,
) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for statement in statements {
        for role in statement.roles_created() {
            if out.contains_key(role) {
                continue;
            }
            let sql = if statement.creates_role().is_some() {
                statement.sql.clone()
            } else {
                format!("CREATE ROLE \"{}\"", role.replace('"', "\"\""))
            };
            if let Some(definition) = without_password(&sql) {
                out.insert(role.to_owned(), definition);
            }
        }
    }
    out
}

/// A `CREATE ROLE` statement without `PASSWORD`, as Postgres's own
/// deparser writes it.
fn without_password(sql: &str) -> Option<String> {
    let mut parsed = pg_query::parse(sql, 0).ok()?;
    for raw in &mut parsed.protobuf.stmts {
        if let Some(pg_query::NodeEnum::CreateRoleStmt(role)) =
            raw.stmt.as_mut().and_then(|s| s.node.as_mut())
        {
            role.options.retain(|option| {
                !matches!(&option.node, Some(pg_query::NodeEnum::DefElem(d)) if d.defname == "password")
            });
        }
    }
    pg_query::deparse(&parsed.protobuf, Default::default()).ok()
}

/// Roles that exist in every cluster, or are keywords rather than roles.
fn is_builtin_role(role: &str) -> bool {
    role.starts_with("pg_")
        || matches!(
            role,
            "public" | "current_user" | "session_user" | "current_role"
        )
}

#[cfg(test)]
mod tests;
