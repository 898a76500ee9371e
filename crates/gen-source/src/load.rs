//! Finding schema files and loading them in dependency order.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analyze::{Class, parse_search_path};
use crate::location::LineIndex;
use crate::order::order;
use crate::parse::{Located, analyze_all, locate, statement};
use crate::{Ignored, Session, Source, SourceError, psql, roles, summary};

/// How schema files are loaded.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The project's `[load]` session settings (`search_path` and others),
    /// as `(name, value)` in `postgresql.conf` syntax: every file starts
    /// with them, and the loader resolves unqualified names through the
    /// `search_path` among them.
    pub settings: Vec<(String, String)>,
    /// Data statements are an error instead of a warning.
    pub strict: bool,
    /// How long one statement may run in the sandbox (`[sandbox]
    /// statement_timeout`); the sandbox's default when `None`.
    pub statement_timeout: Option<std::time::Duration>,
    /// Roles the files need that no statement names (`[sandbox] roles`):
    /// made in dynamic SQL (`EXECUTE 'CREATE ROLE ' || name`), which a
    /// sealed sandbox cannot let them do before PostgreSQL 16. They join
    /// [`Source::roles`].
    pub roles: Vec<String>,
}

/// [`load_with`] default options.
pub fn load(path: &Path) -> Result<Source, SourceError> {
    load_with(path, &Options::default())
}

/// Reads schema files and orders their statements for loading.
///
/// `path` is a directory, read recursively for every `*.sql` file, or a
/// single file. Files are read in bytewise order of their path below
/// `path`, and shown as `path` joined with that relative path (so
/// `load("schema")` reports `schema/users.sql:3:1`). Symbolic links to files
/// are followed; links to directories are not, which rules out loops.
///
/// Every file is parsed before this returns, so any syntax error surfaces
/// here, before a database is involved. Statements are then ordered by the
/// names they define and reference (see [`Source::statements`]) and the
/// roles they mention are collected (see [`crate::roles`]).
pub fn load_with(path: &Path, options: &Options) -> Result<Source, SourceError> {
    let parse_started = std::time::Instant::now();
    let files = input_files(path, Files::Sql)?;

    // Every file is checked for syntax errors before any parse tree is
    // built, and then all trees are built together, spread over threads.
    let mut located = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).map_err(|source| SourceError::Io {
            path: file.clone(),
            source,
        })?;
        let prepared = psql::prepare(file, &text)?;
        located.extend(locate(file, &prepared.text)?);
    }
    let base_path = options
        .settings
        .iter()
        .rev()
        .find(|(name, _)| name.eq_ignore_ascii_case("search_path"))
        .map(|(_, value)| parse_search_path(value));
    let mut statements = Vec::new();
    let mut ignored = Vec::new();
    let base = Arc::new(Session::base(base_path.clone()));
    let mut session = Arc::clone(&base);
    let mut file = None;
    let analyzed = analyze_all(located)?;
    gen_timing::record(gen_timing::Stage::Parse, parse_started.elapsed());
    for (located, analysis) in analyzed {
        // Settings hold to the end of their file.
        if file.as_ref() != Some(&located.location.file) {
            file = Some(located.location.file.clone());
            session = Arc::clone(&base);
        }
        match &analysis.class {
            Class::Schema => statements.push(statement(located, analysis, Arc::clone(&session))),
            Class::Setting(setting) => {
                session = Arc::new(session.apply(
                    setting,
                    &located.sql,
                    &located.location,
                    base_path.as_deref(),
                ));
            }
            Class::Transaction => {}
            Class::Data if options.strict => {
                return Err(SourceError::DataStatement {
                    summary: summary(&located.sql),
                    excerpt: first_line_excerpt(&located),
                    location: located.location,
                });
            }
            Class::Data => ignored.push(Ignored {
                summary: summary(&located.sql),
                location: located.location,
                sql: located.sql,
            }),
            Class::Refused(why) => {
                return Err(SourceError::Refused {
                    message: format!("{}: {why}", summary(&located.sql)),
                    excerpt: first_line_excerpt(&located),
                    location: located.location,
                });
            }
        }
    }
    let statements = gen_timing::time(gen_timing::Stage::Order, || ordered(statements));
    let mut roles = roles(&statements);
    roles.extend(options.roles.iter().cloned());
    Ok(Source {
        files,
        statements,
        roles,
        ignored,
        settings: options.settings.clone(),
    })
}

/// Statements in load order (see [`Source::statements`]): as written,
/// with what a statement needs hoisted ahead of it.
pub fn ordered(statements: Vec<crate::Statement>) -> Vec<crate::Statement> {
    let ordering = order(&statements);
    let mut slots: Vec<_> = statements.into_iter().map(Some).collect();
    ordering
        .into_iter()
        .filter_map(|i| slots[i].take())
        .collect()
}

/// The statement's first line with a caret under its start.
fn first_line_excerpt(located: &Located) -> String {
    let line = located.sql.lines().next().unwrap_or_default();
    LineIndex::new(line).excerpt(0)
}

/// Which files a listing of a directory keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    /// The `*.sql` files, as [`load_with`] reads a schema directory.
    Sql,
    /// Every file (a migrations directory, hashed for the cache).
    All,
}

/// The files [`load_with`] reads from a schema directory: every `*.sql`
/// file below it, in bytewise order of the path below `dir`. See
/// [`input_files`].
pub fn schema_files(dir: &Path) -> Result<Vec<PathBuf>, SourceError> {
    input_files(dir, Files::Sql)
}

/// `path` itself when it is a regular file, else the files below it that
/// `which` keeps, in bytewise order of the path below it. Links to files
/// are followed; links to directories are not, which rules out loops.
/// Anything else there — a device, FIFO or socket, a dangling link or a
/// link loop — is an error naming it, whatever its name: reading one could
/// block, never end, or reach outside the project.
pub fn input_files(path: &Path, which: Files) -> Result<Vec<PathBuf>, SourceError> {
    let metadata = fs::metadata(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => SourceError::NotFound {
            path: path.to_owned(),
        },
        _ => SourceError::Io {
            path: path.to_owned(),
            source,
        },
    })?;
    if !metadata.is_dir() {
        if let Some(what) = not_regular(metadata.file_type()) {
            return Err(SourceError::NotRegular {
                path: path.to_owned(),
                what,
            });
        }
        return Ok(vec![path.to_owned()]);
    }
    let mut relative = Vec::new();
    find_files(path, Path::new(""), which, &mut relative)?;
    relative.sort_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    Ok(relative.into_iter().map(|r| path.join(r)).collect())
}

/// Collects the files `which` keeps under `root.join(relative)`, as paths
/// relative to `root`.
fn find_files(
    root: &Path,
    relative: &Path,
    which: Files,
    out: &mut Vec<PathBuf>,
) -> Result<(), SourceError> {
    let dir = root.join(relative);
    let io_error = |source| SourceError::Io {
        path: dir.clone(),
        source,
    };
    for entry in fs::read_dir(&dir).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let child = relative.join(entry.file_name());
        let file_type = entry.file_type().map_err(io_error)?;
        if file_type.is_dir() {
            find_files(root, &child, which, out)?;
            continue;
        }
        let target = if file_type.is_symlink() {
            match fs::metadata(entry.path()) {
                Ok(meta) => meta.file_type(),
                Err(e) => {
                    let what = if e.raw_os_error() == Some(nix::libc::ELOOP) {
                        "a symbolic link loop"
                    } else {
                        "a dangling symbolic link"
                    };
                    return Err(SourceError::NotRegular {
                        path: root.join(&child),
                        what,
                    });
                }
            }
        } else {
            file_type
        };
        if let Some(what) = not_regular(target) {
            return Err(SourceError::NotRegular {
                path: root.join(&child),
                what,
            });
        }
        let kept = match which {
            Files::Sql => child.extension().is_some_and(|ext| ext == "sql"),
            Files::All => true,
        };
        if target.is_file() && kept {
            out.push(child);
        }
    }
    Ok(())
}

/// What a file type is when it is neither a regular file nor a directory
/// (a link to a directory is left alone: it is not followed).
fn not_regular(file_type: fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt as _;
    if file_type.is_fifo() {
        Some("a FIFO")
    } else if file_type.is_char_device() {
        Some("a character device")
    } else if file_type.is_block_device() {
        Some("a block device")
    } else if file_type.is_socket() {
        Some("a socket")
    } else {
        None
    }
}
