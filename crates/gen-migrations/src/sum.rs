//! `gen.sum`: a checksum per committed script plus a total over the list.
//!
//! ```text
//! 3b4c…  deploy/users.sql
//! 9d1e…  revert/users.sql
//! 07aa…  verify/users.sql
//! total 5f2d…
//! ```
//!
//! Script lines catch a script edited after it was planned (it may already be
//! deployed somewhere). The `total` line is there to conflict: two branches
//! that each append a change both rewrite it, so git refuses to merge them
//! silently and someone has to decide the order (the idea is Atlas's
//! `atlas.sum`).

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::MigrationError;
use crate::id::hex;

/// File name of the sum file inside the migration directory.
pub const SUM_FILE: &str = "gen.sum";

/// Something [`crate::MigrationDir::check_sum`] found wrong.
///
/// Paths are relative to the migration directory, e.g. `deploy/users.sql`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SumProblem {
    /// The script's contents differ from its recorded checksum.
    Edited {
        /// The script.
        path: PathBuf,
    },
    /// The sum file lists the script but it is gone.
    Missing {
        /// The script.
        path: PathBuf,
    },
    /// A script file that the sum file does not list.
    Added {
        /// The script.
        path: PathBuf,
    },
    /// A planned change none of whose scripts are listed (added by hand or by
    /// `sqitch add`).
    Unlisted {
        /// The change name.
        change: String,
    },
    /// The sum file lists a script of a change that is not in the plan.
    Unplanned {
        /// The script.
        path: PathBuf,
    },
    /// The `total` line does not match the lines above it, or is missing.
    TotalMismatch,
    /// There is no sum file at all.
    NoSumFile,
}

impl fmt::Display for SumProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Edited { path } => write!(f, "{}: edited after it was summed", path.display()),
            Self::Missing { path } => {
                write!(f, "{}: listed in {SUM_FILE} but missing", path.display())
            }
            Self::Added { path } => write!(f, "{}: not listed in {SUM_FILE}", path.display()),
            Self::Unlisted { change } => {
                write!(
                    f,
                    "change \"{change}\": planned but not listed in {SUM_FILE}"
                )
            }
            Self::Unplanned { path } => {
                write!(
                    f,
                    "{}: listed in {SUM_FILE} but its change is not planned",
                    path.display()
                )
            }
            Self::TotalMismatch => write!(f, "{SUM_FILE}: total does not match the lines above it"),
            Self::NoSumFile => write!(f, "{SUM_FILE} is missing"),
        }
    }
}

/// One `hash  path` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SumLine {
    pub(crate) hash: String,
    pub(crate) path: String,
}

/// A parsed sum file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SumFile {
    pub(crate) lines: Vec<SumLine>,
    /// Whether the recorded total matches the lines as they are written.
    pub(crate) total_ok: bool,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

impl SumFile {
    pub(crate) fn parse(text: &str, path: &Path) -> Result<Self, MigrationError> {
        let error = |line: usize, message: &str, conflict: bool| MigrationError::SumSyntax {
            path: path.to_owned(),
            line,
            message: message.to_owned(),
            conflict,
        };
        let mut lines = Vec::new();
        let mut body_len = 0;
        let mut total = None;
        let mut offset = 0;
        for (i, raw) in text.split_inclusive('\n').enumerate() {
            let number = i + 1;
            let line = raw.strip_suffix('\n').unwrap_or(raw);
            offset += raw.len();
            if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
                .iter()
                .any(|m| line.starts_with(m))
            {
                return Err(error(number, "unresolved merge conflict", true));
            }
            if total.is_some() {
                if line.trim().is_empty() {
                    continue;
                }
                return Err(error(number, "line after the total line", false));
            }
            if let Some(hash) = line.strip_prefix("total ") {
                total = Some(hash.to_owned());
                continue;
            }
            let Some((hash, script)) = line.split_once("  ") else {
                return Err(error(
                    number,
                    "expected `<sha256>  <path>` or `total <sha256>`",
                    false,
                ));
            };
            if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
                return Err(error(number, "expected a lowercase hex sha256", false));
            }
            lines.push(SumLine {
                hash: hash.to_owned(),
                path: script.to_owned(),
            });
            body_len = offset;
        }
        let total_ok = total.is_some_and(|t| t == sha256_hex(&text.as_bytes()[..body_len]));
        Ok(Self { lines, total_ok })
    }

    pub(crate) fn render(lines: &[SumLine]) -> String {
        let mut body = String::new();
        for line in lines {
            body.push_str(&line.hash);
            body.push_str("  ");
            body.push_str(&line.path);
            body.push('\n');
        }
        let total = sha256_hex(body.as_bytes());
        body.push_str("total ");
        body.push_str(&total);
        body.push('\n');
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(hash_of: &str, path: &str) -> SumLine {
        SumLine {
            hash: sha256_hex(hash_of.as_bytes()),
            path: path.to_owned(),
        }
    }

    #[test]
    fn render_parse_round_trip() {
        let lines = vec![line("a", "deploy/a.sql"), line("b", "revert/a.sql")];
        let text = SumFile::render(&lines);
        assert!(text.ends_with('\n'));
        assert_eq!(text.lines().count(), 3);
        let parsed = SumFile::parse(&text, Path::new("gen.sum")).unwrap();
        assert_eq!(parsed.lines, lines);
        assert!(parsed.total_ok);
        assert_eq!(SumFile::render(&parsed.lines), text);
    }

    #[test]
    fn empty_sum_is_just_a_total() {
        let text = SumFile::render(&[]);
        assert_eq!(text, format!("total {}\n", sha256_hex(b"")));
        assert!(
            SumFile::parse(&text, Path::new("gen.sum"))
                .unwrap()
                .total_ok
        );
    }

    #[test]
    fn edited_list_breaks_the_total() {
        let text = SumFile::render(&[line("a", "deploy/a.sql")]);
        let forged = text.replacen(&sha256_hex(b"a"), &sha256_hex(b"forged"), 1);
        assert!(
            !SumFile::parse(&forged, Path::new("gen.sum"))
                .unwrap()
                .total_ok
        );
    }

    #[test]
    fn conflict_markers_and_garbage_are_errors_with_lines() {
        let text = format!(
            "{}  deploy/a.sql\n<<<<<<< HEAD\ntotal x\n",
            sha256_hex(b"a")
        );
        let err = SumFile::parse(&text, Path::new("m/gen.sum")).unwrap_err();
        assert_eq!(err.to_string(), "m/gen.sum:2: unresolved merge conflict");
        assert!(err.hint().unwrap().contains("gen rehash"));

        let err = SumFile::parse("nonsense\n", Path::new("gen.sum")).unwrap_err();
        assert!(err.to_string().starts_with("gen.sum:1: expected"));

        let err = SumFile::parse("total abc\nmore\n", Path::new("gen.sum")).unwrap_err();
        assert_eq!(err.to_string(), "gen.sum:2: line after the total line");
    }
}
