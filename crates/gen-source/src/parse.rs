//! Splitting a script into statements with pg_query, and pinpointing syntax
//! errors.

use std::path::Path;
use std::sync::Arc;

use pg_query::protobuf::{ScanToken, Token};

use crate::analyze::{Analysis, Class, analyze};
use crate::location::LineIndex;
use crate::{Location, Session, SourceError, Statement};

/// Parses one script into its statements, in file order, without
/// reordering: for migration scripts, which run as written, settings and
/// all. psql's meta-commands (`\restrict` in a dump) are left out, as the
/// loader leaves them out of schema files.
///
/// `display_path` only labels locations. A syntax error is reported with the
/// exact line and column of the offending token.
pub fn split(display_path: &Path, text: &str) -> Result<Vec<Statement>, SourceError> {
    let session = Arc::new(Session::default());
    let prepared = crate::psql::prepare(display_path, text)?;
    Ok(analyze_all(locate(display_path, &prepared.text)?)?
        .into_iter()
        .map(|(located, analysis)| statement(located, analysis, Arc::clone(&session)))
        .collect())
}

/// A statement found in a file, not yet analysed.
#[derive(Debug)]
pub(crate) struct Located {
    pub(crate) location: Location,
    pub(crate) offset: usize,
    pub(crate) sql: String,
}

/// A statement as the loader keeps it.
pub(crate) fn statement(l: Located, analysis: Analysis, session: Arc<Session>) -> Statement {
    Statement {
        location: l.location,
        offset: l.offset,
        sql: l.sql,
        defines: analysis.defines,
        references: analysis.references,
        alters: analysis.alters,
        outside_transaction: analysis.outside_transaction,
        boundary: analysis.boundary,
        sets_session: matches!(analysis.class, Class::Setting(_)),
        data: analysis.class == Class::Data,
        default_privileges: analysis.default_privileges,
        partitions: analysis.partitions,
        index_on: analysis.index_on,
        drops: analysis.drops,
        columns: analysis.columns,
        adds_columns: analysis.adds_columns,
        body_references: analysis.body_references,
        tablespaces: analysis.tablespaces,
        uses_access_method: analysis.uses_access_method,
        creates_role: analysis.creates_role,
        run_as: analysis.run_as,
        session,
    }
}

/// Finds the statements of a file, or its first syntax error.
///
/// This runs the parser without building a parse tree, which is cheap;
/// building trees ([`analyze_all`]) is what costs, and can then be spread
/// over threads.
pub(crate) fn locate(display_path: &Path, text: &str) -> Result<Vec<Located>, SourceError> {
    if let Some(at) = text.find('\0') {
        return Err(syntax_error(
            display_path,
            text,
            at,
            "invalid byte sequence for encoding \"UTF8\": 0x00".to_owned(),
        ));
    }
    // What the parser reads: psql's quoted variable interpolations made
    // plain literals, at the same offsets.
    let parsed_text = without_psql_variables(text);
    let ranges = match statement_ranges(text, &parsed_text) {
        Ok(ranges) => ranges,
        Err(Unsplit::Syntax { at, message }) => {
            return Err(syntax_error(display_path, text, at, message));
        }
        Err(Unsplit::Parser(source)) => {
            return Err(SourceError::Parser {
                path: display_path.to_owned(),
                source,
            });
        }
    };
    // The parser's statement ranges include the comments and blanks before
    // a statement (and any comment before its semicolon); tokens tell where
    // the SQL itself starts and ends.
    let tokens = significant_tokens(&parsed_text).unwrap_or_default();
    let lines = LineIndex::new(text);
    let mut located = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        let (start, end) = trim(&tokens, text, start, end);
        if start >= end {
            continue;
        }
        let (line, col) = lines.line_col(start);
        located.push(Located {
            location: Location {
                file: display_path.to_owned(),
                line,
                col,
            },
            offset: start,
            sql: text[start..end].to_owned(),
        });
    }
    Ok(located)
}

/// Why a text could not be split into statements.
enum Unsplit {
    /// A syntax error at a byte offset of the text.
    Syntax {
        at: usize,
        message: String,
    },
    Parser(pg_query::Error),
}

/// The byte ranges of the statements of `text` (`parsed`, as the parser
/// reads it), as the parser splits them; if it cannot, as it splits the
/// text with the words only newer majors reserve quoted (see
/// [`crate::keywords`]). If neither splits, the error of the quoted text
/// where there is one: the words made no difference, another token is
/// wrong.
fn statement_ranges(text: &str, parsed: &str) -> Result<Vec<(usize, usize)>, Unsplit> {
    // The ranges are slices of the text parsed; their addresses give their
    // offsets.
    let offsets = |parsed: &str, ranges: Vec<&str>| -> Vec<(usize, usize)> {
        let base = parsed.as_ptr() as usize;
        ranges
            .into_iter()
            .map(|range| {
                let start = (range.as_ptr() as usize).saturating_sub(base);
                (start, start + range.len())
            })
            .collect()
    };
    let message = match pg_query::split_with_parser(parsed) {
        Ok(ranges) => return Ok(offsets(parsed, ranges)),
        Err(pg_query::Error::Split(message)) => message,
        Err(other) => return Err(Unsplit::Parser(other)),
    };
    let Some(quoted) = crate::keywords::quoted(parsed) else {
        let at = error_offset(text, &message);
        return Err(Unsplit::Syntax { at, message });
    };
    match pg_query::split_with_parser(&quoted.text) {
        Ok(ranges) => Ok(offsets(&quoted.text, ranges)
            .into_iter()
            .map(|(start, end)| (quoted.original(start), quoted.original(end)))
            .collect()),
        Err(pg_query::Error::Split(message)) => {
            let at = quoted.original(error_offset(&quoted.text, &message));
            Err(Unsplit::Syntax { at, message })
        }
        Err(other) => Err(Unsplit::Parser(other)),
    }
}

/// Below this many statements per thread, threads cost more than they save.
const STATEMENTS_PER_THREAD: usize = 256;

/// Parses and analyses located statements, in order.
///
/// Building pg_query's parse tree (a protobuf message, decoded in Rust)
/// costs about ten times what parsing does, so large schemas are spread
/// over the available cores; libpg_query keeps its state per thread.
pub(crate) fn analyze_all(located: Vec<Located>) -> Result<Vec<(Located, Analysis)>, SourceError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(located.len() / STATEMENTS_PER_THREAD)
        .max(1);
    let analyses: Vec<_> = if threads == 1 {
        located.iter().map(|l| analyze_sql(&l.sql)).collect()
    } else {
        let chunk = located.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = located
                .chunks(chunk)
                .map(|part| {
                    scope
                        .spawn(move || part.iter().map(|l| analyze_sql(&l.sql)).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e))
                })
                .collect()
        })
    };
    located
        .into_iter()
        .zip(analyses)
        .map(|(l, analysis)| {
            let analysis = analysis.map_err(|source| SourceError::Parser {
                path: l.location.file.clone(),
                source,
            })?;
            Ok((l, analysis))
        })
        .collect()
}

/// Parses one statement's text and analyses it.
fn analyze_sql(sql: &str) -> Result<Analysis, pg_query::Error> {
    let parsed = crate::keywords::parse(&without_psql_variables(sql))?;
    Ok(parsed
        .protobuf
        .stmts
        .first()
        .and_then(|raw| raw.stmt.as_ref())
        .and_then(|stmt| stmt.node.as_ref())
        .map(analyze)
        .unwrap_or_default())
}

/// `text` as the server parses it once psql has interpolated its quoted
/// variables (`:'name'`, `:"name"`, as a migration reads a secret): each
/// such `:` made a blank, so that offsets stay those of `text`. A `:`
/// before a quote inside a literal only changes what the parser reads
/// there, never where the literal ends.
pub(crate) fn without_psql_variables(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let variable = |i: usize| {
        bytes[i] == b':'
            && (i == 0 || bytes[i - 1] != b':')
            && matches!(bytes.get(i + 1), Some(b'\'' | b'"'))
            && bytes
                .get(i + 2)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
    };
    if !(0..bytes.len()).any(variable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for (i, b) in out.iter_mut().enumerate() {
        if variable(i) {
            *b = b' ';
        }
    }
    // Only ASCII `:` became ASCII blanks: still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).expect("ASCII for ASCII"))
}

/// Tokens other than comments, in order.
fn significant_tokens(text: &str) -> Option<Vec<ScanToken>> {
    let sql_comment = Token::SqlComment as i32;
    let c_comment = Token::CComment as i32;
    // The scanner hands back a null token list for input without tokens
    // (empty, or blanks alone), which pg_query turns into a slice from a
    // null pointer.
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    let tokens = pg_query::scan_tokens(text).ok()?;
    Some(
        tokens
            .into_iter()
            .filter(|t| t.token != sql_comment && t.token != c_comment)
            .collect(),
    )
}

fn token_range(token: &ScanToken) -> (usize, usize) {
    (
        usize::try_from(token.start).unwrap_or(0),
        usize::try_from(token.end).unwrap_or(0),
    )
}

/// Narrows `start..end` to its first and last significant tokens.
fn trim(tokens: &[ScanToken], text: &str, start: usize, end: usize) -> (usize, usize) {
    let first = tokens.partition_point(|t| token_range(t).0 < start);
    let last = tokens.partition_point(|t| token_range(t).1 <= end);
    if first < last {
        (
            token_range(&tokens[first]).0,
            token_range(&tokens[last - 1]).1,
        )
    } else {
        // No tokens (the scanner disagreed with the parser, which should not
        // happen): whitespace is all that can safely be trimmed.
        let slice = &text[start..end];
        let leading = slice.len() - slice.trim_start().len();
        (start + leading, start + slice.trim_end().len())
    }
}

fn syntax_error(path: &Path, text: &str, at: usize, message: String) -> SourceError {
    let lines = LineIndex::new(text);
    let (line, col) = lines.line_col(at);
    SourceError::Syntax {
        location: Location {
            file: path.to_owned(),
            line,
            col,
        },
        message,
        excerpt: lines.excerpt(at),
    }
}

const AT_END: &str = "at end of input";

/// The byte offset a parse error is about.
///
/// pg_query's Rust API reports the parser's message but not its cursor
/// position, so the position is found again: every prefix of the input that
/// ends before the offending token either parses or fails "at end of
/// input", and every prefix that includes it fails at it. A binary search
/// over token ends finds the first such prefix; each probe is a raw parse
/// (no parse tree), so the search costs a few parses of the file.
fn error_offset(text: &str, message: &str) -> usize {
    let near = near_text(message);
    let Some(tokens) = significant_tokens(text) else {
        // The scanner itself fails (an unterminated quote or comment): its
        // message quotes the input from the bad token to the end.
        return near
            .and_then(|near| {
                let trimmed = text.trim_end();
                match trimmed.strip_suffix(near) {
                    Some(before) => Some(before.len()),
                    None => text.find(near),
                }
            })
            .unwrap_or(0);
    };
    let Some(last) = tokens.last() else {
        return 0;
    };
    if message.ends_with(AT_END) {
        return token_range(last).1;
    }
    let fails_here =
        |token: &ScanToken| match pg_query::split_with_parser(&text[..token_range(token).1]) {
            Err(pg_query::Error::Split(m)) => !m.ends_with(AT_END),
            _ => false,
        };
    let first_failing = tokens.partition_point(|t| !fails_here(t));
    match tokens.get(first_failing) {
        Some(token) => token_range(token).0,
        None => near.and_then(|near| text.find(near)).unwrap_or(0),
    }
}

/// `foo` from `syntax error at or near "foo"`.
fn near_text(message: &str) -> Option<&str> {
    const NEAR: &str = " at or near \"";
    let at = message.rfind(NEAR)?;
    message[at + NEAR.len()..].strip_suffix('"')
}
