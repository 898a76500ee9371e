//! Words that PostgreSQL 16 and later reserve, which 14 and 15 take as
//! plain names.
//!
//! gen parses with one grammar, the newest's, but a schema written for an
//! older major may use these words bare where they are names
//! (`f(json json)`), and an older server prints them bare too
//! (`pg_get_functiondef` on PostgreSQL 15). So when a statement does not
//! parse, it is parsed again with each such word double-quoted: a quoted
//! lower-case name is the same name, and it is what the newer servers
//! print. The text that runs stays as written; the server of the
//! project's major is the judge of it.

use pg_query::protobuf::KeywordKind;

/// From `pg_get_keywords()`: the words that are keywords other than
/// unreserved on PostgreSQL 18 and no keyword at all on 14 and 15.
/// Sorted for binary search.
const RESERVED_SINCE_16: &[&str] = &[
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "merge_action",
    "system_user",
];

/// Parses `sql` as [`pg_query::parse`] does, again with the words only
/// newer majors reserve quoted if it does not parse as written; the first
/// error if neither parses. For reading names only: the parse tree's
/// locations are those of the quoted text.
pub(crate) fn parse(sql: &str) -> Result<pg_query::ParseResult, pg_query::Error> {
    pg_query::parse(sql, 0).or_else(|error| match quoted(sql) {
        Some(quoted) => pg_query::parse(&quoted.text, 0).map_err(|_| error),
        None => Err(error),
    })
}

/// `text` with every bare use of a word of [`RESERVED_SINCE_16`]
/// double-quoted, and a map back to `text`'s offsets; `None` when it has
/// none (or does not scan).
pub(crate) fn quoted(text: &str) -> Option<Quoted> {
    let tokens = pg_query::scan_tokens(text).ok()?;
    let mut out = String::with_capacity(text.len() + 16);
    let mut starts = Vec::new();
    let mut copied = 0;
    for token in tokens {
        if token.keyword_kind == KeywordKind::NoKeyword as i32
            || token.keyword_kind == KeywordKind::UnreservedKeyword as i32
        {
            continue;
        }
        let (Ok(start), Ok(end)) = (usize::try_from(token.start), usize::try_from(token.end))
        else {
            continue;
        };
        let word = &text[start..end];
        if RESERVED_SINCE_16
            .binary_search(&word.to_ascii_lowercase().as_str())
            .is_err()
        {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push('"');
        out.push_str(&word.to_ascii_lowercase());
        out.push('"');
        copied = end;
        starts.push(start);
    }
    if starts.is_empty() {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(Quoted { text: out, starts })
}

/// A text with some words quoted, two bytes more for each.
pub(crate) struct Quoted {
    pub(crate) text: String,
    /// Where each quoted word starts in the original text, in order.
    starts: Vec<usize>,
}

impl Quoted {
    /// The original offset of `offset` in the quoted text, which is not
    /// inside a quoted word.
    pub(crate) fn original(&self, offset: usize) -> usize {
        // Word i starts at starts[i] + 2i in the quoted text, its opening
        // quote included: the words starting before `offset` moved it.
        let before = self
            .starts
            .iter()
            .enumerate()
            .take_while(|&(i, &start)| start + 2 * i < offset)
            .count();
        offset - 2 * before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_sorted_for_binary_search() {
        assert!(RESERVED_SINCE_16.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quotes_the_newer_keywords_only_and_maps_offsets_back() {
        let text = "SELECT json, \"json\", JSON_TABLE, jsonb FROM t; SELECT 1";
        let q = quoted(text).expect("has some");
        assert_eq!(
            q.text,
            "SELECT \"json\", \"json\", \"json_table\", jsonb FROM t; SELECT 1"
        );
        let second = q.text.find("; SELECT 1").expect("found");
        assert_eq!(q.original(second), text.find("; SELECT 1").expect("found"));
        assert_eq!(q.original(0), 0);
        assert!(quoted("SELECT jsonb FROM t").is_none());
    }
}
