//! Finding schema files and loading them in dependency order.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::order::order;
use crate::parse::{analyze_all, locate};
use crate::{Source, SourceError, roles};

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
pub fn load(path: &Path) -> Result<Source, SourceError> {
    let metadata = fs::metadata(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => SourceError::NotFound {
            path: path.to_owned(),
        },
        _ => SourceError::Io {
            path: path.to_owned(),
            source,
        },
    })?;
    let files = if metadata.is_dir() {
        let mut relative = Vec::new();
        find_sql_files(path, Path::new(""), &mut relative)?;
        relative.sort_by(|a, b| {
            a.as_os_str()
                .as_encoded_bytes()
                .cmp(b.as_os_str().as_encoded_bytes())
        });
        relative.into_iter().map(|r| path.join(r)).collect()
    } else {
        vec![path.to_owned()]
    };

    // Every file is checked for syntax errors before any parse tree is
    // built, and then all trees are built together, spread over threads.
    let mut located = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).map_err(|source| SourceError::Io {
            path: file.clone(),
            source,
        })?;
        located.extend(locate(file, &text)?);
    }
    let statements = analyze_all(located)?;
    let ordering = order(&statements);
    let mut slots: Vec<_> = statements.into_iter().map(Some).collect();
    let statements: Vec<_> = ordering
        .into_iter()
        .filter_map(|i| slots[i].take())
        .collect();
    let roles = roles(&statements);
    Ok(Source {
        files,
        statements,
        roles,
    })
}

/// Collects the `.sql` files under `root.join(relative)`, as paths
/// relative to `root`.
fn find_sql_files(root: &Path, relative: &Path, out: &mut Vec<PathBuf>) -> Result<(), SourceError> {
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
            find_sql_files(root, &child, out)?;
            continue;
        }
        let is_file = file_type.is_file()
            || (file_type.is_symlink() && fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
        if is_file && child.extension().is_some_and(|ext| ext == "sql") {
            out.push(child);
        }
    }
    Ok(())
}
