//! The name the server gives an index it makes by itself on a partition.
//!
//! Creating an index on a partitioned table makes one on every partition
//! that has no matching index yet, and so do creating and attaching a
//! partition under a table that has indexes. The server names each of
//! those as `ChooseIndexName` does in PostgreSQL's `indexcmds.c`: the
//! table's name, the index's column names joined by `_`, and `idx`, cut
//! to fit 63 bytes. Knowing that name tells an index the server will make
//! exactly so from one whose name only a `CREATE INDEX` of its own gives.

/// Bytes a name may have (`NAMEDATALEN - 1`).
const MAX_NAME: usize = 63;

/// The name the server gives the index of a partition that it makes for
/// the partition's parent's index, from `definition` (as
/// `pg_get_indexdef()` writes the partition's index) on `table`, unless
/// another relation already has that name.
///
/// `None` when a key column is an expression: the server names those after
/// the expression (`lower`, `expr`, a cast's column), which is not worth
/// guessing when creating the index under its own name is always right.
pub(crate) fn server_name(table: &str, definition: &str) -> Option<String> {
    let mut columns = index_columns(definition)?;
    dedupe(&mut columns);
    Some(object_name(table, &addition(&columns), "idx"))
}

/// The column names of an index (key columns, then `INCLUDE` columns),
/// or `None` if any key column is an expression or the text is not what
/// `pg_get_indexdef()` writes.
fn index_columns(definition: &str) -> Option<Vec<String>> {
    let mut s = Scanner { rest: definition };
    s.word("CREATE ")?;
    let _ = s.word("UNIQUE ");
    s.word("INDEX ")?;
    s.identifier()?;
    s.word(" ON ")?;
    let _ = s.word("ONLY ");
    s.identifier()?;
    s.word(".")?;
    s.identifier()?;
    s.word(" USING ")?;
    s.identifier()?;
    s.word(" (")?;
    let mut columns = s.column_list()?;
    if s.word(" INCLUDE (").is_some() {
        columns.extend(s.column_list()?);
    }
    Some(columns)
}

struct Scanner<'a> {
    rest: &'a str,
}

impl Scanner<'_> {
    fn word(&mut self, word: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(word)?;
        Some(())
    }

    /// An identifier as `quote_identifier()` writes it: plain lowercase,
    /// or double-quoted with `""` for a quote.
    fn identifier(&mut self) -> Option<String> {
        if let Some(quoted) = self.rest.strip_prefix('"') {
            let mut name = String::new();
            let mut chars = quoted.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c != '"' {
                    name.push(c);
                } else if chars.peek().is_some_and(|(_, next)| *next == '"') {
                    name.push('"');
                    chars.next();
                } else {
                    self.rest = &quoted[i + 1..];
                    return Some(name);
                }
            }
            return None;
        }
        let end = self
            .rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(self.rest.len());
        let name = &self.rest[..end];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        self.rest = &self.rest[end..];
        Some(name.to_owned())
    }

    /// `a, b DESC, "C" text_pattern_ops)`: the column of each item, up to
    /// and including the closing parenthesis.
    fn column_list(&mut self) -> Option<Vec<String>> {
        let mut columns = Vec::new();
        loop {
            columns.push(self.identifier()?);
            // A column is followed by its options, or by the end of the
            // item; anything else (`(`, `.`) makes it an expression.
            if !self.rest.starts_with([' ', ',', ')']) {
                return None;
            }
            match self.skip_item()? {
                ',' => self.word(" ")?,
                _ => return Some(columns),
            }
        }
    }

    /// Skips to the `,` or `)` that ends the current item, past quoted
    /// names, strings and parenthesised options, and returns it.
    fn skip_item(&mut self) -> Option<char> {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        for (i, c) in self.rest.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '(') => depth += 1,
                (None, ')') if depth > 0 => depth -= 1,
                (None, ',' | ')') if depth == 0 => {
                    self.rest = &self.rest[i + 1..];
                    return Some(c);
                }
                _ => {}
            }
        }
        None
    }
}

/// Column names made distinct as `ChooseIndexColumnNames` does: a repeated
/// name gets the first number that makes it new (`a`, `a1`, `a2`), cut to
/// leave room for the number.
fn dedupe(columns: &mut [String]) {
    for i in 0..columns.len() {
        let original = columns[i].clone();
        let mut n = 1;
        while columns[..i].contains(&columns[i]) {
            let number = n.to_string();
            let kept = clip(&original, MAX_NAME - number.len());
            columns[i] = format!("{kept}{number}");
            n += 1;
        }
    }
}

/// The column names joined by `_`, stopping once 64 bytes are reached
/// (`ChooseIndexNameAddition`).
fn addition(columns: &[String]) -> String {
    let mut out = String::new();
    for column in columns {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(column);
        if out.len() > MAX_NAME {
            break;
        }
    }
    out
}

/// `name1_name2_label`, the longer of the two names shortened first until
/// it fits, each cut at a character boundary (`makeObjectName`).
fn object_name(name1: &str, name2: &str, label: &str) -> String {
    let available = MAX_NAME - 1 - (label.len() + 1);
    let (mut n1, mut n2) = (name1.len(), name2.len());
    while n1 + n2 > available {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    format!("{}_{}_{label}", clip(name1, n1), clip(name2, n2))
}

/// The longest prefix of `s` of at most `bytes` bytes that ends at a
/// character boundary (`pg_mbcliplen`).
fn clip(s: &str, bytes: usize) -> &str {
    let mut end = bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::server_name;

    // Every expected name here is one PostgreSQL 15 gave.

    #[test]
    fn plain_columns_name_the_index() {
        assert_eq!(
            server_name(
                "m2",
                "CREATE INDEX m2_a_idx ON ONLY public.m2 USING btree (a)"
            )
            .as_deref(),
            Some("m2_a_idx")
        );
        assert_eq!(
            server_name(
                "measurement_2006",
                "CREATE UNIQUE INDEX x ON public.measurement_2006 USING btree (city_id DESC NULLS LAST, \"Log Date\" text_pattern_ops) INCLUDE (peaktemp) WHERE (city_id > 0)"
            )
            .as_deref(),
            Some("measurement_2006_city_id_Log Date_peaktemp_idx")
        );
    }

    #[test]
    fn repeated_columns_are_numbered_and_long_names_cut() {
        let columns = vec!["a"; 30].join(", ");
        let definition = format!("CREATE INDEX i ON public.y1 USING btree ({columns})");
        assert_eq!(
            server_name("y1", &definition).as_deref(),
            Some("y1_a_a1_a2_a3_a4_a5_a6_a7_a8_a9_a10_a11_a12_a13_a14_a15_a16_idx")
        );
        assert_eq!(
            server_name(
                "a very long table name that goes on and on and on and on and on",
                &definition
            )
            .as_deref(),
            Some("a very long table name that g_a_a1_a2_a3_a4_a5_a6_a7_a8_a9__idx")
        );
        assert_eq!(
            server_name("y", &definition).as_deref(),
            Some("y_a_a1_a2_a3_a4_a5_a6_a7_a8_a9_a10_a11_a12_a13_a14_a15_a16__idx")
        );
    }

    #[test]
    fn quoted_names_and_options_are_read_through() {
        assert_eq!(
            server_name(
                "t",
                "CREATE INDEX \"odd \"\"name\"\"\" ON \"My Schema\".t USING btree (\"a,b\" COLLATE \"C\", c text_pattern_ops)"
            )
            .as_deref(),
            Some("t_a,b_c_idx")
        );
    }

    #[test]
    fn expressions_are_not_guessed() {
        for definition in [
            "CREATE INDEX i ON public.t USING btree (lower(a))",
            "CREATE INDEX i ON public.t USING btree (a, ((a + 1)))",
            "CREATE INDEX i ON public.t USING btree (public.f(a))",
            "CREATE INDEX i ON public.t USING btree (COALESCE(a, b))",
            "not an index",
        ] {
            assert_eq!(server_name("t", definition), None, "{definition}");
        }
    }
}
