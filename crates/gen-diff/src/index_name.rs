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
/// An expression column is named as `FigureColname` names it (`lower` for
/// `lower(a)`, `b` for `b::text`, `case`, `expr` for an operator, …). The
/// deparsed text loses a little (a cast's type prints in its SQL spelling),
/// so for expressions this is a guess, and callers treat a name that
/// differs from it as one of the index's own: the worst a wrong guess does
/// is write a statement the server would have made anyway. `None` when the
/// text is not what `pg_get_indexdef()` writes.
pub(crate) fn server_name(table: &str, definition: &str) -> Option<String> {
    let mut columns = index_columns(definition)?;
    dedupe(&mut columns);
    Some(object_name(table, &addition(&columns), "idx"))
}

/// The column names of an index (key columns, then `INCLUDE` columns), or
/// `None` if the text is not what `pg_get_indexdef()` writes.
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

    /// `a, b DESC, lower(c) text_pattern_ops)`: the name of each item, up
    /// to and including the closing parenthesis.
    fn column_list(&mut self) -> Option<Vec<String>> {
        let mut columns = Vec::new();
        loop {
            let start = self.rest;
            let end = self.skip_item()?;
            let item = &start[..start.len() - self.rest.len() - 1];
            columns.push(figure(item, true).map_or_else(|| "expr".to_owned(), |(name, _)| name));
            match end {
                ',' => self.word(" ")?,
                _ => return Some(columns),
            }
        }
    }

    /// Skips to the `,` or `)` that ends the current item, past quoted
    /// names, strings and parenthesised options, and returns it.
    fn skip_item(&mut self) -> Option<char> {
        let i = closing(self.rest, &[',', ')'])?;
        let c = self.rest[i..].chars().next()?;
        self.rest = &self.rest[i + 1..];
        Some(c)
    }
}

/// The position in `s` of the first of `stops` outside quotes and outside
/// parentheses opened in `s`.
fn closing(s: &str, stops: &[char]) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') if depth > 0 => depth -= 1,
            (None, c) if depth == 0 && stops.contains(&c) => return Some(i),
            _ => {}
        }
    }
    None
}

/// How sure `FigureColname` is of a name: a cast's type names an
/// expression only when nothing inside it does.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Type,
    Named,
}

/// The name `FigureColname` gives the expression `text`: an index item
/// as `pg_get_indexdef()` writes it, options and all, when `top`, else
/// what is inside a pair of parentheses. `None` for one it leaves unnamed
/// (`expr`).
fn figure(text: &str, top: bool) -> Option<(String, Strength)> {
    let text = text.trim_start();
    // What may follow a whole expression: an item's options, or a
    // collation (which names nothing).
    let ends = |after: &str| after.trim().is_empty() || top || after.starts_with(" COLLATE ");
    if let Some(inner) = text.strip_prefix('(') {
        let close = matching_paren(inner)?;
        let (inside, after) = (&inner[..close], &inner[close + 1..]);
        return match after.strip_prefix("::") {
            Some(type_name) => match figure(inside, false) {
                Some(named @ (_, Strength::Named)) => Some(named),
                _ => Some((cast_type_name(type_name), Strength::Type)),
            },
            None if ends(after) => figure(inside, false),
            None => None,
        };
    }
    for (keyword, name) in [
        ("CASE", "case"),
        ("COALESCE(", "coalesce"),
        ("GREATEST(", "greatest"),
        ("LEAST(", "least"),
        ("NULLIF(", "nullif"),
        ("ARRAY[", "array"),
        ("ARRAY(", "array"),
        ("ROW(", "row"),
    ] {
        if text.starts_with(keyword) {
            return Some((name.to_owned(), Strength::Named));
        }
    }
    if let Some(literal) = text.strip_prefix('\'') {
        // A constant is unnamed; cast, it takes the type's name.
        let end = literal.find('\'')?;
        let after = &literal[end + 1..];
        return after
            .strip_prefix("::")
            .map(|t| (cast_type_name(t), Strength::Type));
    }
    // A column, a column's element (`d[1]`) or a function, maybe
    // schema-qualified: the last name before what follows.
    let mut s = Scanner { rest: text };
    let mut name = s.identifier()?;
    while s.rest.starts_with('.') {
        s.word(".")?;
        name = s.identifier()?;
    }
    let after = match s.rest.chars().next() {
        Some('(') => &s.rest[1 + matching_paren(&s.rest[1..])? + 1..],
        Some('[') => s.rest.find(']').map(|i| &s.rest[i + 1..])?,
        _ => s.rest,
    };
    // Anything else after it (`a + 1`) makes an operator expression.
    ends(after).then_some((name, Strength::Named))
}

/// The position in `s` of the `)` that closes a `(` just before it.
fn matching_paren(s: &str) -> Option<usize> {
    closing(s, &[')'])
}

/// A cast's type as the parser named it (`varchar` for `character
/// varying(10)`), from the way it is printed, without modifiers or array
/// brackets; the last part of a qualified name.
fn cast_type_name(printed: &str) -> String {
    let end = printed.find(['(', '[', ')', ',']).unwrap_or(printed.len());
    let mut name = printed[..end].trim();
    for suffix in [" COLLATE", " DESC", " ASC", " NULLS"] {
        if let Some(i) = name.find(suffix) {
            name = name[..i].trim();
        }
    }
    let internal = match name {
        "character varying" => "varchar",
        "character" => "bpchar",
        "integer" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "boolean" => "bool",
        "real" => "float4",
        "double precision" => "float8",
        "bit varying" => "varbit",
        "timestamp without time zone" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "time without time zone" => "time",
        "time with time zone" => "timetz",
        other => other,
    };
    let last = internal.rsplit('.').next().unwrap_or(internal);
    last.trim_matches('"').replace("\"\"", "\"")
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
    fn expressions_are_named_as_the_server_names_them() {
        // Each definition as pg_get_indexdef() wrote a partition's index
        // that PostgreSQL 15 made and named by itself (less the number it
        // adds when the name is taken).
        for (definition, name) in [
            ("(lower(a))", "m1_lower_idx"),
            ("(lower(a) COLLATE \"C\")", "m1_lower_idx"),
            ("(((a || 'x'::text)))", "m1_expr_idx"),
            ("(((b)::text))", "m1_b_idx"),
            ("(c, ((c + 1)), upper(a))", "m1_c_expr_upper_idx"),
            ("(((b + c)))", "m1_expr_idx"),
            ("(lower(a), lower(a))", "m1_lower_lower1_idx"),
            ("((ARRAY[b, c]))", "m1_array_idx"),
            (
                "((\nCASE\n    WHEN (b > 0) THEN 1\n    ELSE 0\nEND))",
                "m1_case_idx",
            ),
            ("(COALESCE(a, 'z'::text))", "m1_coalesce_idx"),
            ("((d[1]))", "m1_d_idx"),
            ("(((- b)))", "m1_expr_idx"),
            ("(((b IS NULL)))", "m1_expr_idx"),
            ("(public.f(a))", "m1_f_idx"),
            ("(GREATEST(b, c))", "m1_greatest_idx"),
            ("(((lower(a))::character varying(10)))", "m1_lower_idx"),
            ("(NULLIF(b, 0))", "m1_nullif_idx"),
            ("(('x'::text))", "m1_text_idx"),
            (
                "((((a || 'x'::text))::character varying))",
                "m1_varchar_idx",
            ),
        ] {
            let definition = format!("CREATE INDEX i ON public.m1 USING btree {definition}");
            assert_eq!(
                server_name("m1", &definition).as_deref(),
                Some(name),
                "{definition}"
            );
        }
        assert_eq!(server_name("t", "not an index"), None);
    }
}
