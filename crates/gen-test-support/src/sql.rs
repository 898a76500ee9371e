//! The parser check. pg_query is Postgres's own grammar: SQL it rejects
//! would fail on every server, and the oracle only sees the statements its
//! fixtures happen to produce.

use pg_query::NodeEnum;
use pg_query::protobuf;
use serde_json::Value;

/// Parses `sql`, one statement or several; panics with the text and the
/// parser's complaint when Postgres would reject it.
pub fn assert_parses(sql: &str) -> protobuf::ParseResult {
    match pg_query::parse(sql, 0) {
        Ok(parsed) => parsed.protobuf,
        Err(e) => panic!("gen rendered SQL that does not parse: {e}\n{sql}"),
    }
}

/// [`assert_parses`], then the round trip: pg_query prints the tree back
/// and the text it prints must parse to the same tree, literals included
/// (locations aside). The body of each `DO` block must be valid PL/pgSQL
/// ([`assert_plpgsql`]).
pub fn assert_valid_sql(sql: &str) {
    let parsed = assert_parses(sql);
    let printed = parsed
        .deparse(Default::default())
        .unwrap_or_else(|e| panic!("pg_query cannot print back: {e}\n{sql}"));
    let again = pg_query::parse(&printed, 0).unwrap_or_else(|e| {
        panic!("printed back, the SQL no longer parses: {e}\n{sql}\nprinted back:\n{printed}")
    });
    if tree(&parsed) != tree(&again.protobuf) {
        panic!("printed back, the SQL means something else:\n{sql}\nprinted back:\n{printed}");
    }
    for stmt in &parsed.stmts {
        if let Some(NodeEnum::DoStmt(block)) = stmt.stmt.as_ref().and_then(|s| s.node.as_ref()) {
            assert_plpgsql(&do_body(block));
        }
    }
}

/// Parses `body` as a PL/pgSQL block. The PL/pgSQL parser also parses
/// each statement and expression inside, as the server does when it first
/// runs a `DO` block.
pub fn assert_plpgsql(body: &str) {
    let function = format!(
        "CREATE FUNCTION gen_check() RETURNS void LANGUAGE plpgsql AS $gen_check${body}$gen_check$"
    );
    if let Err(e) = pg_query::parse_plpgsql(&function) {
        panic!("not valid PL/pgSQL: {e}\n{body}");
    }
}

/// The statement's tree as JSON, without the positions that printing it
/// back moves.
fn tree(parsed: &protobuf::ParseResult) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|key, _| !key.ends_with("location") && key != "stmt_len");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }
    let mut value = serde_json::to_value(parsed).expect("a parse tree serializes");
    strip(&mut value);
    value
}

fn do_body(block: &protobuf::DoStmt) -> String {
    block
        .args
        .iter()
        .find_map(|arg| match arg.node.as_ref() {
            Some(NodeEnum::DefElem(d)) if d.defname == "as" => {
                match d.arg.as_ref().and_then(|a| a.node.as_ref()) {
                    Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                    _ => None,
                }
            }
            _ => None,
        })
        .expect("a DO block has a body")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_pass_and_keep_their_literals_through_the_round_trip() {
        assert_valid_sql(
            "COMMENT ON COLUMN public.t.b IS E'back\\\\slash';\n\nDROP TABLE public.t;",
        );
        let parsed = assert_parses("SELECT 1");
        assert_ne!(tree(&parsed), tree(&assert_parses("SELECT 2")));
    }

    #[test]
    #[should_panic(expected = "does not parse")]
    fn a_broken_statement_is_refused() {
        assert_valid_sql("ALTER TABLE public.t ADD CONSTRAINT c CHECK ((n > 0);");
    }

    #[test]
    #[should_panic(expected = "not valid PL/pgSQL")]
    fn a_broken_do_block_is_refused() {
        assert_valid_sql("DO $$\nBEGIN\n    IF true THEN\nEND\n$$;");
    }

    #[test]
    #[should_panic(expected = "not valid PL/pgSQL")]
    fn broken_sql_inside_a_do_block_is_refused() {
        assert_plpgsql("BEGIN IF NOT EXISTS (SELECT 1 FROM) THEN RAISE EXCEPTION 'x'; END IF; END");
    }
}
