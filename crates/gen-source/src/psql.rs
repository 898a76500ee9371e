//! What psql does to a script before the server sees any of it.
//!
//! Schema files are often written for psql: pg_dump's output carries
//! `\restrict` lines (since 17.6), projects add `\set ON_ERROR_STOP on`, and
//! a dump with data has `COPY … FROM stdin;` followed by the rows and a line
//! `\.`. None of that is SQL, so the server's parser cannot split such a file.
//! [`prepare`] finds it the way psql's own lexer does (a backslash outside
//! quotes, comments and dollar-quoted bodies starts a meta-command that runs
//! to the end of the line) and blanks it out with spaces, so that every
//! statement keeps its byte offset, line and column.
//!
//! Meta-commands that only shape psql's own output are dropped. Those that
//! would change what is loaded (`\i`, `\connect`, `\if`, `\gexec`…) cannot
//! be honoured by a loader that never runs psql, and `\!` runs a shell
//! command, which a schema file must never do: all of them are errors that
//! name the command.

use std::borrow::Cow;
use std::path::Path;

use crate::location::LineIndex;
use crate::{Location, SourceError};

/// A script with its psql-only parts blanked out.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    /// The text, byte for byte as long as the original, with meta-commands
    /// and `COPY` data replaced by spaces (newlines kept); the original
    /// itself where there is nothing to blank.
    pub text: Cow<'a, str>,
}

/// Meta-commands that only change how psql prints or reports, or (pg_dump's
/// `\restrict`) guard a restore: without psql they mean nothing.
const HARMLESS: &[&str] = &[
    "restrict",
    "unrestrict",
    "set",
    "unset",
    "pset",
    "echo",
    "qecho",
    "warn",
    "timing",
    "encoding",
    "setenv",
    "x",
    "a",
    "t",
    "f",
    "H",
    "T",
    "C",
    "o",
    "out",
    "conninfo",
    "errverbose",
    "prompt",
];

/// Why a meta-command that changes what psql loads is refused.
fn refusal(command: &str) -> &'static str {
    match command {
        "!" => "it runs a shell command, which schema files never may",
        "i" | "ir" | "include" | "include_relative" => {
            "gen reads every .sql file under the schema path itself; put the included file there instead"
        }
        "c" | "connect" => "schema files load into one database",
        "if" | "elif" | "else" | "endif" => "gen cannot evaluate psql conditionals",
        "copy" => "it copies data from the client, and data is not schema",
        "g" | "gx" | "gset" | "gexec" | "gdesc" | "bind" | "crosstabview" | "watch" => {
            "it runs a query through psql, which gen does not"
        }
        _ => "gen does not run psql and cannot honour it",
    }
}

/// Blanks out psql meta-commands and `COPY … FROM stdin` data, or refuses
/// a meta-command that would change what is loaded.
pub(crate) fn prepare<'a>(path: &Path, text: &'a str) -> Result<Prepared<'a>, SourceError> {
    // Most files have no backslash at all.
    if !text.contains('\\') {
        return Ok(Prepared {
            text: Cow::Borrowed(text),
        });
    }
    let mut out = text.as_bytes().to_vec();
    let bytes = text.as_bytes();
    let mut lexer = Lexer::new(bytes);
    let mut statement_start: Option<usize> = None;
    while let Some((at, event)) = lexer.next_event() {
        match event {
            Event::Token => {
                statement_start.get_or_insert(at);
            }
            Event::Backslash => {
                let end = line_end(bytes, at);
                let command = meta_name(&text[at + 1..end]);
                if command == "q" || command == "quit" {
                    // psql stops reading the file here.
                    blank(&mut out, at, bytes.len());
                    break;
                }
                if !HARMLESS.contains(&command) {
                    return Err(meta_error(path, text, at, command));
                }
                blank(&mut out, at, end);
                lexer.pos = end;
            }
            Event::Semicolon => {
                let start = statement_start.take().unwrap_or(at);
                if is_copy_from_stdin(&text[start..at]) {
                    // The rows start on the next line and end at a line `\.`.
                    let data = line_end(bytes, at) + 1;
                    let end = copy_data_end(bytes, data);
                    blank(&mut out, data.min(bytes.len()), end);
                    lexer.pos = end;
                }
            }
        }
    }
    // Only ASCII bytes were written over whole lines or runs, so the text
    // stays UTF-8 wherever it was cut.
    let text = String::from_utf8(out).map_err(|e| SourceError::Io {
        path: path.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    Ok(Prepared {
        text: Cow::Owned(text),
    })
}

fn meta_error(path: &Path, text: &str, at: usize, command: &str) -> SourceError {
    let lines = LineIndex::new(text);
    let (line, col) = lines.line_col(at);
    SourceError::MetaCommand {
        location: Location {
            file: path.to_owned(),
            line,
            col,
        },
        command: command.to_owned(),
        reason: refusal(command),
        excerpt: lines.excerpt(at),
    }
}

/// `set` from `set ON_ERROR_STOP on`, `!` from `! ls`.
fn meta_name(rest: &str) -> &str {
    if rest.starts_with('!') {
        return "!";
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '\\')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Whether a statement is `COPY … FROM STDIN`, whose data follows it in
/// the script.
fn is_copy_from_stdin(statement: &str) -> bool {
    let words: Vec<String> = statement
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    words.first().is_some_and(|w| w == "copy")
        && words
            .windows(2)
            .any(|w| w[0] == "from" && (w[1] == "stdin" || w[1] == "pstdin"))
}

/// The end of the line holding `at` (the index of its `\n`, or the end).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| at + p)
}

/// Where `COPY` data starting at `start` ends: after its `\.` line, or at
/// the end of the file.
fn copy_data_end(bytes: &[u8], start: usize) -> usize {
    let mut line = start;
    while line < bytes.len() {
        let end = line_end(bytes, line);
        let content = &bytes[line..end];
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if content == b"\\." {
            return end;
        }
        line = end + 1;
    }
    bytes.len()
}

/// Replaces `start..end` with spaces, keeping line breaks.
fn blank(out: &mut [u8], start: usize, end: usize) {
    for b in &mut out[start..end] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// What the lexer reports: the start of significant text, a backslash
/// outside any quoted text or comment, a semicolon ending a statement.
#[derive(Debug, PartialEq, Eq)]
enum Event {
    Token,
    Backslash,
    Semicolon,
}

/// Just enough of psql's lexer (psqlscan.l) to tell where quoted text,
/// comments and dollar-quoted bodies are.
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Parentheses open: a semicolon inside them does not end a statement
    /// (psql's rule too, for `CREATE RULE … DO (…; …)`).
    depth: usize,
}

impl<'a> Lexer<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lexer {
            bytes,
            pos: 0,
            depth: 0,
        }
    }

    fn next_event(&mut self) -> Option<(usize, Event)> {
        let bytes = self.bytes;
        while self.pos < bytes.len() {
            let at = self.pos;
            let b = bytes[at];
            let next = bytes.get(at + 1).copied();
            match b {
                b'-' if next == Some(b'-') => self.pos = line_end(bytes, at),
                b'/' if next == Some(b'*') => self.skip_block_comment(),
                b'\\' => {
                    self.pos = at + 1;
                    return Some((at, Event::Backslash));
                }
                b';' if self.depth == 0 => {
                    self.pos = at + 1;
                    return Some((at, Event::Semicolon));
                }
                b if b.is_ascii_whitespace() => self.pos = at + 1,
                _ => {
                    self.skip_token();
                    return Some((at, Event::Token));
                }
            }
        }
        None
    }

    /// Skips one token of significant text: quoted text as a whole.
    fn skip_token(&mut self) {
        let bytes = self.bytes;
        let at = self.pos;
        let b = bytes[at];
        match b {
            b'\'' => {
                let escapes = at > 0
                    && matches!(bytes[at - 1], b'e' | b'E')
                    && (at < 2 || !is_ident_byte(bytes[at - 2]));
                self.pos = skip_quoted(bytes, at + 1, b'\'', escapes);
            }
            b'"' => self.pos = skip_quoted(bytes, at + 1, b'"', false),
            b'$' => match dollar_tag(bytes, at) {
                Some(tag) => {
                    let body = at + tag.len();
                    self.pos = find(bytes, body, tag).map_or(bytes.len(), |end| end + tag.len());
                }
                None => self.pos = at + 1,
            },
            b'(' => {
                self.depth += 1;
                self.pos = at + 1;
            }
            b')' => {
                self.depth = self.depth.saturating_sub(1);
                self.pos = at + 1;
            }
            _ if is_ident_byte(b) => {
                let mut end = at;
                while end < bytes.len() && (is_ident_byte(bytes[end]) || bytes[end] == b'$') {
                    end += 1;
                }
                self.pos = end;
            }
            _ => self.pos = at + 1,
        }
    }

    fn skip_block_comment(&mut self) {
        let bytes = self.bytes;
        let mut depth = 0usize;
        let mut i = self.pos;
        while i < bytes.len() {
            if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                depth += 1;
                i += 2;
            } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    break;
                }
            } else {
                i += 1;
            }
        }
        self.pos = i;
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The end of quoted text opened before `start`: past the closing quote,
/// where a doubled quote (and, in `E''` strings, a backslash) escapes.
fn skip_quoted(bytes: &[u8], start: usize, quote: u8, escapes: bool) -> usize {
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if escapes && b == b'\\' {
            i += 2;
        } else if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The dollar-quote tag (`$$`, `$body$`) starting at `at`, if one does: a
/// `$` after an identifier character is part of the identifier, and `$1`
/// is a parameter.
fn dollar_tag(bytes: &[u8], at: usize) -> Option<&[u8]> {
    if at > 0 && is_ident_byte(bytes[at - 1]) {
        return None;
    }
    let mut end = at + 1;
    if bytes.get(end).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    while end < bytes.len() && is_ident_byte(bytes[end]) {
        end += 1;
    }
    (bytes.get(end) == Some(&b'$')).then(|| &bytes[at..=end])
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(text: &str) -> String {
        prepare(Path::new("x.sql"), text)
            .expect("prepares")
            .text
            .into_owned()
    }

    #[test]
    fn meta_commands_are_blanked_and_offsets_kept() {
        let text = "\\restrict abc123\nSET x = 1;\n\\set ON_ERROR_STOP on\nSELECT '\\not meta';\n\\unrestrict abc123\n";
        let out = prepared(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.lines().nth(1), Some("SET x = 1;"));
        assert_eq!(out.lines().nth(3), Some("SELECT '\\not meta';"));
        assert!(out.lines().next().is_some_and(|l| l.trim().is_empty()));
        assert!(out.lines().nth(4).is_some_and(|l| l.trim().is_empty()));
    }

    #[test]
    fn backslashes_inside_quotes_comments_and_bodies_are_sql() {
        let text = "SELECT E'it\\'s \\\\';\n-- \\i nothing\n/* \\! nothing */\nCREATE FUNCTION f() RETURNS text LANGUAGE sql AS $b$ SELECT '\\'; $b$;\nSELECT \"a\\b\";\n";
        assert_eq!(prepared(text), text);
    }

    #[test]
    fn copy_data_is_blanked_up_to_its_terminator() {
        let text = "COPY public.t (a, b) FROM stdin;\n1\tx;y\n2\t\\N\n\\.\nCREATE TABLE u ();\n";
        let out = prepared(text);
        assert_eq!(out.lines().next(), Some("COPY public.t (a, b) FROM stdin;"));
        assert!(out.lines().skip(1).take(3).all(|l| l.trim().is_empty()));
        assert_eq!(out.lines().nth(4), Some("CREATE TABLE u ();"));
    }

    #[test]
    fn commands_that_change_what_loads_are_refused_with_their_location() {
        for (text, command) in [
            ("SELECT 1;\n\\! touch pwned\n", "!"),
            ("SELECT 1;\n  \\i other.sql\n", "i"),
            ("\\connect other\n", "connect"),
            ("SELECT 1 \\gexec\n", "gexec"),
        ] {
            let error = prepare(Path::new("x.sql"), text).expect_err(text);
            match error {
                SourceError::MetaCommand {
                    command: c,
                    location,
                    ..
                } => {
                    assert_eq!(c, command);
                    assert_eq!(location.file, Path::new("x.sql"));
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn quit_ends_the_file() {
        let out = prepared("SELECT 1;\n\\q\nSELECT 2;\n");
        assert_eq!(out.trim(), "SELECT 1;");
    }

    #[test]
    fn semicolons_inside_parentheses_do_not_end_a_statement() {
        let text =
            "CREATE RULE r AS ON INSERT TO t DO ALSO (COPY x FROM stdin; NOTIFY t);\nSELECT 1;\n";
        assert_eq!(prepared(text), text);
    }
}
