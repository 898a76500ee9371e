use std::fmt;
use std::path::PathBuf;

/// A position in a file: 1-based line, and 1-based column counted in
/// characters (not bytes), as editors and compilers report them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file, as displayed (e.g. `schema/users.sql`).
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// Byte offsets of line starts, to turn byte offsets into lines and columns
/// without rescanning the file for every statement.
#[derive(Debug)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// 0-based line number and the line's start offset for a byte offset.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        (line, self.starts[line])
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(self.text, offset);
        let (line, start) = self.line_of(offset);
        let col = self.text[start..offset].chars().count() + 1;
        (to_u32(line + 1), to_u32(col))
    }

    /// The line holding a byte offset, with a caret under it.
    pub(crate) fn excerpt(&self, offset: usize) -> String {
        let offset = floor_char_boundary(self.text, offset);
        let (_, start) = self.line_of(offset);
        let rest = &self.text[start..];
        let line = rest
            .split('\n')
            .next()
            .unwrap_or(rest)
            .trim_end_matches('\r');
        caret_excerpt(line, self.text[start..offset].chars().count())
    }
}

/// `line`, then a line with a caret under its `caret`-th character (0-based).
/// Tabs before the caret are kept so the caret lines up however wide the
/// reader's tabs are.
pub(crate) fn caret_excerpt(line: &str, caret: usize) -> String {
    let pad: String = line
        .chars()
        .chain(std::iter::repeat(' '))
        .take(caret)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("{line}\n{pad}^")
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Files longer than four billion lines or columns are not schema files;
/// saturate rather than wrap.
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
