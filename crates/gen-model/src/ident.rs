//! Identifier quoting: the one place where raw names become SQL.

use std::fmt;

use crate::keywords::NON_UNRESERVED;

/// Displays a raw identifier the way the server's `quote_ident()` would:
/// bare when it is a lower-case, non-keyword name, double-quoted otherwise.
///
/// ```
/// use gen_model::Ident;
/// assert_eq!(Ident("users").to_string(), "users");
/// assert_eq!(Ident("User").to_string(), "\"User\"");
/// assert_eq!(Ident("order").to_string(), "\"order\"");
/// assert_eq!(Ident("a\"b").to_string(), "\"a\"\"b\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ident<'a>(pub &'a str);

impl Ident<'_> {
    /// Whether the name can be written without quotes.
    pub fn is_bare(&self) -> bool {
        let s = self.0;
        let mut chars = s.chars();
        let first_ok = matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_');
        first_ok
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && NON_UNRESERVED.binary_search(&s).is_err()
    }
}

impl fmt::Display for Ident<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_bare() {
            f.write_str(self.0)
        } else {
            f.write_str("\"")?;
            f.write_str(&self.0.replace('"', "\"\""))?;
            f.write_str("\"")
        }
    }
}

/// Displays a string as an SQL literal (`'it''s'`), as `quote_literal()` does
/// for strings without backslashes; strings with backslashes use the `E''` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Literal<'a>(pub &'a str);

impl fmt::Display for Literal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let escaped = self.0.replace('\'', "''");
        if escaped.contains('\\') {
            write!(f, "E'{}'", escaped.replace('\\', "\\\\"))
        } else {
            write!(f, "'{escaped}'")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_binary_search() {
        assert!(NON_UNRESERVED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quoting_cases() {
        let cases = [
            ("users", "users"),
            ("_x1", "_x1"),
            ("1abc", "\"1abc\""),
            ("UserAccount", "\"UserAccount\""),
            ("user", "\"user\""),
            ("select", "\"select\""),
            // Unreserved keywords stay bare, like quote_ident().
            ("name", "name"),
            ("données", "\"données\""),
            ("weird \"name\"", "\"weird \"\"name\"\"\""),
            ("", "\"\""),
        ];
        for (raw, want) in cases {
            assert_eq!(Ident(raw).to_string(), want, "{raw:?}");
        }
    }

    #[test]
    fn literal_cases() {
        assert_eq!(Literal("it's").to_string(), "'it''s'");
        assert_eq!(Literal("a\\b").to_string(), "E'a\\\\b'");
    }
}
