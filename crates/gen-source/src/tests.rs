//! Behaviour of the whole crate, from SQL text (or files in a temporary
//! directory) to statements, load order, roles and error locations.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::{Boundary, Location, SourceError, Statement, load, roles, split};

/// One line per statement (location and first line of SQL), then what it
/// defines, alters and references.
fn render(statements: &[Statement]) -> String {
    let mut out = String::new();
    for s in statements {
        let first = s.sql.lines().next().unwrap_or("");
        writeln!(out, "{} {first}", s.location).unwrap();
        for d in &s.defines {
            writeln!(out, "    defines {d}").unwrap();
        }
        for a in &s.alters {
            writeln!(out, "    alters {a}").unwrap();
        }
        for r in &s.references {
            writeln!(out, "    references {r}").unwrap();
        }
        if s.must_run_outside_transaction() {
            writeln!(out, "    outside transaction").unwrap();
        }
    }
    out
}

/// Just the load order: location and first line of each statement.
fn order_of(statements: &[Statement]) -> String {
    statements
        .iter()
        .map(|s| format!("{} {}\n", s.location, s.sql.lines().next().unwrap_or("")))
        .collect()
}

/// A temporary directory holding `files`, and the `schema` path inside it
/// to load.
fn schema_dir(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema");
    for (name, text) in files {
        let path = schema.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    (dir, schema)
}

/// Loads files and returns the load order with paths relative to the
/// temporary directory, so snapshots are stable.
fn load_order(files: &[(&str, &str)]) -> String {
    let (dir, schema) = schema_dir(files);
    let source = load(&schema).unwrap();
    order_of(&source.statements).replace(&format!("{}/", dir.path().display()), "")
}

fn syntax_error(text: &str) -> (Location, String, String) {
    match split(Path::new("schema/x.sql"), text) {
        Err(SourceError::Syntax {
            location,
            message,
            excerpt,
        }) => (location, message, excerpt),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

fn at(line: u32, col: u32) -> Location {
    Location {
        file: PathBuf::from("schema/x.sql"),
        line,
        col,
    }
}

#[test]
fn names_defined_and_referenced_by_each_kind_of_statement() {
    let sql = include_str!("../tests/fixtures/kinds.sql");
    let statements = split(Path::new("kinds.sql"), sql).unwrap();
    insta::assert_snapshot!(render(&statements));
}

#[test]
fn view_in_an_early_file_loads_after_the_table_it_reads() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE VIEW active AS SELECT * FROM users WHERE active;"),
        ("m.sql", "CREATE TABLE audit (id int);"),
        ("z.sql", "CREATE TABLE users (id int, active bool);"),
    ]), @r"
    schema/z.sql:1:1 CREATE TABLE users (id int, active bool)
    schema/a.sql:1:1 CREATE VIEW active AS SELECT * FROM users WHERE active
    schema/m.sql:1:1 CREATE TABLE audit (id int)
    ");
}

#[test]
fn foreign_key_to_a_table_in_a_later_file() {
    insta::assert_snapshot!(load_order(&[
        ("orders.sql", "CREATE TABLE orders (id int, user_id int REFERENCES users (id));"),
        ("users.sql", "CREATE TABLE users (id int PRIMARY KEY);"),
    ]), @r"
    schema/users.sql:1:1 CREATE TABLE users (id int PRIMARY KEY)
    schema/orders.sql:1:1 CREATE TABLE orders (id int, user_id int REFERENCES users (id))
    ");
}

#[test]
fn types_and_schemas_before_what_uses_them() {
    insta::assert_snapshot!(load_order(&[
        ("1_tables.sql", "CREATE TABLE app.users (id int, mood app.mood, home address);"),
        ("2_types.sql", "CREATE TYPE app.mood AS ENUM ('ok');\nCREATE TYPE address AS (street text);"),
        ("3_schemas.sql", "CREATE SCHEMA app;"),
    ]), @r"
    schema/3_schemas.sql:1:1 CREATE SCHEMA app
    schema/2_types.sql:1:1 CREATE TYPE app.mood AS ENUM ('ok')
    schema/2_types.sql:2:1 CREATE TYPE address AS (street text)
    schema/1_tables.sql:1:1 CREATE TABLE app.users (id int, mood app.mood, home address)
    ");
}

#[test]
fn function_before_the_default_and_check_that_call_it() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE TABLE t (id text DEFAULT new_id() CHECK (valid(id)));"),
        ("b.sql", "CREATE FUNCTION valid(text) RETURNS bool LANGUAGE sql AS $$ SELECT true $$;"),
        ("c.sql", "CREATE FUNCTION new_id() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;"),
    ]), @r"
    schema/b.sql:1:1 CREATE FUNCTION valid(text) RETURNS bool LANGUAGE sql AS $$ SELECT true $$
    schema/c.sql:1:1 CREATE FUNCTION new_id() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$
    schema/a.sql:1:1 CREATE TABLE t (id text DEFAULT new_id() CHECK (valid(id)))
    ");
}

#[test]
fn sequence_named_in_a_default_loads_first() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE TABLE t (id bigint DEFAULT nextval('app.t_id'));\nALTER SEQUENCE app.t_id OWNED BY t.id;"),
        ("b.sql", "CREATE SEQUENCE app.t_id;"),
        ("c.sql", "CREATE SCHEMA app;"),
    ]), @r"
    schema/c.sql:1:1 CREATE SCHEMA app
    schema/b.sql:1:1 CREATE SEQUENCE app.t_id
    schema/a.sql:1:1 CREATE TABLE t (id bigint DEFAULT nextval('app.t_id'))
    schema/a.sql:2:1 ALTER SEQUENCE app.t_id OWNED BY t.id
    ");
}

#[test]
fn unrelated_statements_keep_file_order() {
    insta::assert_snapshot!(load_order(&[
        ("b.sql", "CREATE TABLE b1 (id int);\nCREATE TABLE b2 (id int);"),
        ("a.sql", "CREATE TABLE a1 (id int);\nCREATE SEQUENCE a_seq;\nCREATE TABLE a2 (id int);"),
        ("c/d.sql", "CREATE TABLE cd (id int);"),
        ("c.sql", "CREATE TABLE c (id int);"),
    ]), @r"
    schema/a.sql:1:1 CREATE TABLE a1 (id int)
    schema/a.sql:2:1 CREATE SEQUENCE a_seq
    schema/a.sql:3:1 CREATE TABLE a2 (id int)
    schema/b.sql:1:1 CREATE TABLE b1 (id int)
    schema/b.sql:2:1 CREATE TABLE b2 (id int)
    schema/c.sql:1:1 CREATE TABLE c (id int)
    schema/c/d.sql:1:1 CREATE TABLE cd (id int)
    ");
}

#[test]
fn every_overload_of_a_function_comes_before_what_names_it() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql AS 'SELECT a || b';"),
        ("b.sql", "COMMENT ON FUNCTION add(integer, integer) IS 'adds';"),
        ("c.sql", "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';"),
    ]), @r"
    schema/a.sql:1:1 CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql AS 'SELECT a || b'
    schema/c.sql:1:1 CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b'
    schema/b.sql:1:1 COMMENT ON FUNCTION add(integer, integer) IS 'adds'
    ");
}

#[test]
fn a_function_named_like_a_builtin_comes_before_its_callers() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE FUNCTION one() RETURNS int LANGUAGE sql RETURN scale(1)::int;"),
        ("b.sql", "CREATE FUNCTION scale(v int) RETURNS bigint LANGUAGE sql RETURN v * 10;"),
    ]), @r"
    schema/b.sql:1:1 CREATE FUNCTION scale(v int) RETURNS bigint LANGUAGE sql RETURN v * 10
    schema/a.sql:1:1 CREATE FUNCTION one() RETURNS int LANGUAGE sql RETURN scale(1)::int
    ");
}

#[test]
fn a_needed_statement_moves_right_before_its_first_user() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE VIEW v AS SELECT * FROM t;\nCREATE TABLE a (id int);"),
        ("b.sql", "CREATE TABLE b (id int);\nCREATE TABLE t (id int);\nCREATE TABLE c (id int);"),
    ]), @r"
    schema/b.sql:2:1 CREATE TABLE t (id int)
    schema/a.sql:1:1 CREATE VIEW v AS SELECT * FROM t
    schema/a.sql:2:1 CREATE TABLE a (id int)
    schema/b.sql:1:1 CREATE TABLE b (id int)
    schema/b.sql:3:1 CREATE TABLE c (id int)
    ");
}

#[test]
fn cycles_fall_back_to_file_order() {
    // Each table's foreign key points at the other: no order satisfies
    // both, and the loader keeps the files' order for the cycle.
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE TABLE a (id int PRIMARY KEY, b_id int REFERENCES b);"),
        ("b.sql", "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);"),
        ("c.sql", "CREATE TABLE c (a_id int REFERENCES a);"),
        ("0.sql", "CREATE VIEW vc AS SELECT * FROM c;"),
    ]), @r"
    schema/a.sql:1:1 CREATE TABLE a (id int PRIMARY KEY, b_id int REFERENCES b)
    schema/c.sql:1:1 CREATE TABLE c (a_id int REFERENCES a)
    schema/0.sql:1:1 CREATE VIEW vc AS SELECT * FROM c
    schema/b.sql:1:1 CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a)
    ");
}

#[test]
fn mutual_foreign_keys_through_alter_table_are_not_a_cycle() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE TABLE a (id int PRIMARY KEY, b_id int);\nALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b;"),
        ("b.sql", "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);"),
    ]), @r"
    schema/a.sql:1:1 CREATE TABLE a (id int PRIMARY KEY, b_id int)
    schema/b.sql:1:1 CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a)
    schema/a.sql:2:1 ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b
    ");
}

#[test]
fn a_view_waits_for_columns_added_by_alter_table() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE VIEW v AS SELECT extra FROM t;"),
        ("b.sql", "CREATE TABLE t (id int);"),
        ("c.sql", "ALTER TABLE t ADD COLUMN extra int;"),
    ]), @r"
    schema/b.sql:1:1 CREATE TABLE t (id int)
    schema/c.sql:1:1 ALTER TABLE t ADD COLUMN extra int
    schema/a.sql:1:1 CREATE VIEW v AS SELECT extra FROM t
    ");
}

#[test]
fn unqualified_names_resolve_to_public_or_the_one_schema_defining_them() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE VIEW v1 AS SELECT * FROM only_in_app;\nCREATE VIEW v2 AS SELECT * FROM shared;"),
        ("b.sql", "CREATE TABLE app.only_in_app (id int);\nCREATE TABLE app.shared (id int);\nCREATE TABLE public.shared (id int);"),
    ]), @r"
    schema/b.sql:1:1 CREATE TABLE app.only_in_app (id int)
    schema/a.sql:1:1 CREATE VIEW v1 AS SELECT * FROM only_in_app
    schema/b.sql:3:1 CREATE TABLE public.shared (id int)
    schema/a.sql:2:1 CREATE VIEW v2 AS SELECT * FROM shared
    schema/b.sql:2:1 CREATE TABLE app.shared (id int)
    ");
}

#[test]
fn grants_comments_policies_and_triggers_follow_their_objects() {
    insta::assert_snapshot!(load_order(&[
        ("0_grants.sql", "GRANT SELECT ON t TO reader;\nCOMMENT ON COLUMN t.id IS 'key';\nCREATE POLICY p ON t TO writer USING (true);\nCREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();\nGRANT USAGE ON SCHEMA app TO reader;"),
        ("1_t.sql", "CREATE TABLE t (id int);"),
        ("2_f.sql", "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;"),
        ("3_app.sql", "CREATE SCHEMA app;"),
    ]), @r"
    schema/1_t.sql:1:1 CREATE TABLE t (id int)
    schema/0_grants.sql:1:1 GRANT SELECT ON t TO reader
    schema/0_grants.sql:2:1 COMMENT ON COLUMN t.id IS 'key'
    schema/0_grants.sql:3:1 CREATE POLICY p ON t TO writer USING (true)
    schema/2_f.sql:1:1 CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$
    schema/0_grants.sql:4:1 CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch()
    schema/3_app.sql:1:1 CREATE SCHEMA app
    schema/0_grants.sql:5:1 GRANT USAGE ON SCHEMA app TO reader
    ");
}

#[test]
fn roles_mentioned_or_created_leave_out_builtin_ones() {
    let sql = "\
CREATE SCHEMA app AUTHORIZATION app_owner;
CREATE TABLE app.t (id int);
ALTER TABLE app.t OWNER TO table_owner;
GRANT SELECT ON app.t TO reader, PUBLIC, CURRENT_USER;
REVOKE ALL ON app.t FROM revoked, pg_read_all_data;
CREATE POLICY p ON app.t TO policy_target USING (true);
ALTER DEFAULT PRIVILEGES FOR ROLE default_owner IN SCHEMA app GRANT SELECT ON TABLES TO default_grantee;
GRANT granted_role TO role_grantee;
CREATE ROLE created IN ROLE parent_role;
GRANT SELECT ON app.t TO created, SESSION_USER, CURRENT_ROLE;
ALTER FUNCTION f() OWNER TO function_owner;
";
    let statements = split(Path::new("roles.sql"), sql).unwrap();
    let roles: Vec<_> = roles(&statements).into_iter().collect();
    assert_eq!(
        roles,
        [
            "app_owner",
            "created",
            "default_grantee",
            "default_owner",
            "function_owner",
            "granted_role",
            "parent_role",
            "policy_target",
            "reader",
            "revoked",
            "role_grantee",
            "table_owner",
        ]
    );
}

#[test]
fn load_reports_roles_and_puts_create_role_first() {
    let (_dir, schema) = schema_dir(&[
        (
            "a.sql",
            "CREATE TABLE t (id int);\nGRANT SELECT ON t TO app_user, auditor;",
        ),
        ("roles.sql", "CREATE ROLE app_user;"),
    ]);
    let source = load(&schema).unwrap();
    assert_eq!(
        source.roles.iter().collect::<Vec<_>>(),
        ["app_user", "auditor"]
    );
    let sql: Vec<_> = source.statements.iter().map(|s| s.sql.as_str()).collect();
    assert_eq!(
        sql,
        [
            "CREATE TABLE t (id int)",
            "CREATE ROLE app_user",
            "GRANT SELECT ON t TO app_user, auditor",
        ]
    );
}

/// PostgreSQL 14 and 15 take `json` and `system_user` as plain names, and
/// print them bare (`pg_get_functiondef`); the grammar gen parses with
/// reserves them. Such statements split and load as written, their names
/// read, and a real syntax error is still one.
#[test]
fn names_only_newer_majors_reserve_load_as_written() {
    let function = "CREATE FUNCTION public.f(json json DEFAULT '{}'::json)\n RETURNS json\n LANGUAGE sql\nAS $function$ SELECT json FROM public.t $function$";
    let text = format!(
        "CREATE TABLE public.t (system_user text, json json);\n{function};\nCREATE VIEW public.v AS SELECT public.f(json) FROM public.t;\n"
    );
    let statements = split(Path::new("x.sql"), &text).unwrap();
    assert_eq!(
        statements
            .iter()
            .map(|s| s.sql.as_str())
            .collect::<Vec<_>>(),
        [
            "CREATE TABLE public.t (system_user text, json json)",
            function,
            "CREATE VIEW public.v AS SELECT public.f(json) FROM public.t",
        ]
    );
    assert_eq!(
        statements[1].location,
        Location {
            file: PathBuf::from("x.sql"),
            line: 2,
            col: 1
        }
    );
    let named = |names: &[crate::Name], name: &str| {
        names
            .iter()
            .any(|n| n.schema.as_deref() == Some("public") && n.name == name)
    };
    assert!(
        named(&statements[0].defines, "t"),
        "{:?}",
        statements[0].defines
    );
    assert!(
        named(&statements[1].defines, "f"),
        "{:?}",
        statements[1].defines
    );
    assert!(
        named(&statements[2].references, "f"),
        "{:?}",
        statements[2].references
    );
    let (location, message, _) = syntax_error("CREATE FUNCTION f(json json) RETURNS int garbage;");
    assert_eq!(message, "syntax error at or near \"garbage\"");
    assert_eq!(location, at(1, 42));
}

#[test]
fn syntax_error_points_at_the_offending_token() {
    let (location, message, excerpt) =
        syntax_error("CREATE TABLE a (id int);\n\nCREATE TABLE b (\n  id int,,\n  x int\n);\n");
    assert_eq!(location, at(4, 10));
    assert_eq!(message, "syntax error at or near \",\"");
    assert_eq!(excerpt, "  id int,,\n         ^");
    assert_eq!(
        SourceError::Syntax {
            location,
            message,
            excerpt
        }
        .to_string(),
        "schema/x.sql:4:10: syntax error at or near \",\""
    );
}

#[test]
fn syntax_error_columns_count_characters_not_bytes() {
    let (location, message, excerpt) =
        syntax_error("-- données 🎉\nCREATE TABLE é (nom text DEFAULT 'ça', x int foo);");
    assert_eq!(message, "syntax error at or near \"foo\"");
    assert_eq!(location, at(2, 46));
    assert_eq!(
        excerpt,
        "CREATE TABLE é (nom text DEFAULT 'ça', x int foo);\n                                             ^"
    );
}

#[test]
fn syntax_error_finds_the_failing_occurrence_of_a_repeated_token() {
    // `foo` is a fine column name at first; only its third appearance is
    // the error.
    let (location, message, _) = syntax_error(
        "CREATE TABLE foo (foo int);\nSELECT foo FROM foo;\nCREATE VIEW v AS SELECT 1 foo foo;",
    );
    assert_eq!(message, "syntax error at or near \"foo\"");
    assert_eq!(location, at(3, 31));
}

#[test]
fn syntax_error_after_a_function_body_with_semicolons() {
    let (location, _, _) = syntax_error(
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nCREATE TABLE t (id int) garbage;",
    );
    assert_eq!(location, at(6, 25));
}

#[test]
fn syntax_error_at_end_of_input_points_after_the_last_token() {
    let (location, message, excerpt) = syntax_error("CREATE TABLE t (id int\n  -- unfinished\n");
    assert_eq!(message, "syntax error at end of input");
    assert_eq!(location, at(1, 23));
    assert_eq!(excerpt, "CREATE TABLE t (id int\n                      ^");
}

#[test]
fn unterminated_string_points_at_its_opening_quote() {
    let (location, message, _) = syntax_error("SELECT 1;\nSELECT 'abc\n");
    assert!(
        message.starts_with("unterminated quoted string"),
        "{message}"
    );
    assert_eq!(location, at(2, 8));
}

#[test]
fn statements_keep_exact_text_and_start_position() {
    let text = "-- header\n\n  /* block\n comment */ CREATE TABLE t (\n  id int -- trailing\n) -- before semicolon\n;\nSELECT 1\n\n-- end";
    let statements = split(Path::new("x.sql"), text).unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(
        statements[0].sql,
        "CREATE TABLE t (\n  id int -- trailing\n)"
    );
    assert_eq!(statements[0].location.to_string(), "x.sql:4:13");
    assert_eq!(statements[0].offset, text.find("CREATE").unwrap());
    assert_eq!(statements[1].sql, "SELECT 1");
    assert_eq!(statements[1].location.to_string(), "x.sql:8:1");
    assert_eq!(
        &text[statements[1].offset..statements[1].offset + 8],
        "SELECT 1"
    );
}

#[test]
fn dollar_quoted_bodies_with_semicolons_stay_whole() {
    let text = "\
CREATE FUNCTION a() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1; PERFORM ';';
END;
$$;
CREATE FUNCTION b() RETURNS text LANGUAGE sql AS $body$ SELECT $x$;$x$ $body$;
DO $do$ BEGIN RAISE NOTICE ';'; END $do$;";
    let statements = split(Path::new("x.sql"), text).unwrap();
    let sql: Vec<_> = statements.iter().map(|s| s.sql.as_str()).collect();
    assert_eq!(
        sql,
        [
            "CREATE FUNCTION a() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1; PERFORM ';';\nEND;\n$$",
            "CREATE FUNCTION b() RETURNS text LANGUAGE sql AS $body$ SELECT $x$;$x$ $body$",
            "DO $do$ BEGIN RAISE NOTICE ';'; END $do$",
        ]
    );
    let lines: Vec<_> = statements.iter().map(|s| s.location.line).collect();
    assert_eq!(lines, [1, 6, 7]);
}

#[test]
fn server_positions_map_back_to_the_file() {
    let text = "SELECT 1;\n  CREATE VIEW v AS\n    SELECT é, missing\n    FROM t;";
    let statements = split(Path::new("schema/v.sql"), text).unwrap();
    let view = &statements[1];
    assert_eq!(view.location_of(None).to_string(), "schema/v.sql:2:3");
    // The server counts characters from 1 within the statement text.
    let position = view.sql.chars().position(|c| c == 'm').unwrap() as u32 + 1;
    assert_eq!(
        view.location_of(Some(position)).to_string(),
        "schema/v.sql:3:15"
    );
    assert_eq!(view.location_of(Some(1)).to_string(), "schema/v.sql:2:3");
    assert_eq!(view.location_of(Some(5)).to_string(), "schema/v.sql:2:7");
    assert_eq!(
        view.excerpt(Some(position)),
        "    SELECT é, missing\n              ^"
    );
    assert_eq!(view.excerpt(None), "CREATE VIEW v AS\n^");
    // A position past the end stays within the statement.
    assert_eq!(
        view.location_of(Some(10_000)).to_string(),
        "schema/v.sql:4:11"
    );
}

#[test]
fn statements_that_cannot_run_in_a_transaction_block() {
    let text = "\
CREATE INDEX CONCURRENTLY i ON t (id);
CREATE INDEX j ON t (id);
VACUUM t;
DROP INDEX CONCURRENTLY i;
REINDEX INDEX CONCURRENTLY j;
ALTER TYPE mood ADD VALUE 'meh';
ALTER TABLE p DETACH PARTITION c CONCURRENTLY;
CREATE TABLE t2 (id int);";
    let statements = split(Path::new("x.sql"), text).unwrap();
    let outside: Vec<_> = statements
        .iter()
        .map(Statement::must_run_outside_transaction)
        .collect();
    assert_eq!(outside, [true, false, true, true, true, false, true, false]);
}

#[test]
fn directories_are_walked_recursively_for_sql_files_only() {
    let (dir, schema) = schema_dir(&[
        ("b.sql", "CREATE TABLE b (id int);"),
        ("a/z.sql", "CREATE TABLE az (id int);"),
        ("a/deep/er.sql", "CREATE TABLE deep (id int);"),
        ("a.sql", "CREATE TABLE a (id int);"),
        ("README.md", "not sql;"),
        ("notes.sql.bak", "not sql either;"),
        ("empty.sql", "-- nothing yet\n"),
    ]);
    let source = load(&schema).unwrap();
    let files: Vec<_> = source
        .files
        .iter()
        .map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "schema/a.sql",
            "schema/a/deep/er.sql",
            "schema/a/z.sql",
            "schema/b.sql",
            "schema/empty.sql",
        ]
    );
    assert_eq!(source.statements.len(), 4);
    assert_eq!(
        source.statements[1].location.file,
        schema.join("a/deep/er.sql")
    );
}

#[test]
fn display_paths_are_the_given_path_joined_with_the_file() {
    let (dir, _) = schema_dir(&[(
        "users.sql",
        "CREATE TABLE users (id int);\nCREATE TABLE x (id int) y;",
    )]);
    let previous = std::env::current_dir().unwrap();
    // Only this test changes directory, and it restores it before asserting.
    std::env::set_current_dir(dir.path()).unwrap();
    let result = load(Path::new("schema"));
    let single = load(Path::new("schema/users.sql"));
    std::env::set_current_dir(previous).unwrap();
    for result in [result, single] {
        match result {
            Err(e @ SourceError::Syntax { .. }) => {
                assert_eq!(
                    e.to_string(),
                    "schema/users.sql:2:25: syntax error at or near \"y\""
                );
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }
}

#[test]
fn a_single_file_can_be_loaded() {
    let (_dir, schema) = schema_dir(&[(
        "one.sql",
        "CREATE VIEW v AS SELECT * FROM t;\nCREATE TABLE t (id int);",
    )]);
    let file = schema.join("one.sql");
    let source = load(&file).unwrap();
    assert_eq!(source.files, [file]);
    let sql: Vec<_> = source.statements.iter().map(|s| s.sql.as_str()).collect();
    assert_eq!(
        sql,
        [
            "CREATE TABLE t (id int)",
            "CREATE VIEW v AS SELECT * FROM t"
        ]
    );
}

#[test]
fn a_missing_path_is_reported_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("schema");
    let error = load(&missing).unwrap_err();
    assert!(matches!(&error, SourceError::NotFound { path } if *path == missing));
    assert_eq!(
        error.to_string(),
        format!("schema path {} does not exist", missing.display())
    );
    assert!(error.hint().is_some());
}

#[test]
fn a_file_that_is_not_utf8_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.sql");
    fs::write(&file, b"COMMENT ON TABLE t IS 'caf\xe9';").unwrap();
    let error = load(&file).unwrap_err();
    assert!(
        matches!(&error, SourceError::Io { path, .. } if *path == file),
        "{error:?}"
    );
    assert_eq!(error.hint(), Some("schema files must be UTF-8 text"));
}

#[test]
fn regclass_literals_name_relations() {
    let statements = split(
        Path::new("x.sql"),
        "CREATE TABLE t (a int DEFAULT nextval('App.\"My Seq\"'), b regclass DEFAULT 'Other'::regclass, c int DEFAULT setval('s2', 1))",
    )
    .unwrap();
    let relations: Vec<_> = statements[0]
        .references
        .iter()
        .filter(|n| n.kind == crate::NameKind::Relation)
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        relations,
        ["relation other", "relation s2", "relation app.My Seq"]
    );
}

/// A schema the size of a large application: 1000 tables of ten columns,
/// each with a foreign key, a check and an index, in one file. Each table
/// points at the next one, the worst case for ordering: every table must
/// move.
fn thousand_tables() -> String {
    let mut sql = String::new();
    for i in 0..1000 {
        let parent = (i + 1).min(999);
        writeln!(
            sql,
            "CREATE TABLE t{i} (\n  id bigint PRIMARY KEY,\n  name text NOT NULL,\n  \
             qty int DEFAULT 0 CHECK (qty >= 0),\n  created_at timestamptz DEFAULT now(),\n  \
             price numeric(10, 2),\n  active boolean,\n  data jsonb,\n  tags text[],\n  \
             uid uuid,\n  parent_id bigint REFERENCES t{parent} (id)\n);\n\
             CREATE INDEX t{i}_name ON t{i} (lower(name));"
        )
        .unwrap();
    }
    sql
}

#[test]
fn a_thousand_tables_parse_and_order_quickly() {
    let (_dir, schema) = schema_dir(&[("big.sql", &thousand_tables())]);
    let started = Instant::now();
    let source = load(&schema).unwrap();
    let elapsed = started.elapsed();
    eprintln!("parse + order of 1000 tables: {elapsed:?}");
    assert_eq!(source.statements.len(), 2000);
    // Tables load last to first; each index is free as soon as its table
    // is, but waits its turn behind the earlier-written tables.
    let first_lines: Vec<_> = source
        .statements
        .iter()
        .map(|s| s.sql.lines().next().unwrap_or(""))
        .collect();
    assert_eq!(
        first_lines[..2],
        ["CREATE TABLE t999 (", "CREATE TABLE t998 ("]
    );
    assert_eq!(first_lines[999], "CREATE TABLE t0 (");
    assert_eq!(
        first_lines[1000],
        "CREATE INDEX t0_name ON t0 (lower(name))"
    );
    assert_eq!(
        first_lines[1999],
        "CREATE INDEX t999_name ON t999 (lower(name))"
    );
    // Generous for unoptimised test builds on a busy machine; release
    // builds take a small fraction of this.
    assert!(elapsed.as_secs_f64() < 5.0, "took {elapsed:?}");
}

#[test]
fn syntax_errors_in_large_files_are_still_exact() {
    let mut sql = thousand_tables();
    sql.push_str(
        "CREATE TABLE late (id int,\n  name text NOT NULL DEFAULT 'é' CHECK,\n  x int);\n",
    );
    sql.push_str(&thousand_tables());
    let line = u32::try_from(sql.lines().position(|l| l.contains("CHECK,")).unwrap()).unwrap() + 1;
    let started = Instant::now();
    let (location, message, excerpt) = syntax_error(&sql);
    eprintln!(
        "locating a syntax error in a 2000-table file: {:?}",
        started.elapsed()
    );
    assert_eq!(message, "syntax error at or near \",\"");
    assert_eq!(location, at(line, 39));
    assert_eq!(
        excerpt,
        "  name text NOT NULL DEFAULT 'é' CHECK,\n                                      ^"
    );
}

#[test]
fn a_constraint_using_an_index_waits_for_the_index() {
    // Statements wait for ALTERs of what they reference; the ALTER that
    // adopts an index must still come after that index.
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "CREATE TABLE c (cc int);\nCREATE UNIQUE INDEX c_pkey ON c (cc);\nALTER TABLE c ADD CONSTRAINT c_pkey PRIMARY KEY USING INDEX c_pkey;"),
    ]), @r"
    schema/a.sql:1:1 CREATE TABLE c (cc int)
    schema/a.sql:2:1 CREATE UNIQUE INDEX c_pkey ON c (cc)
    schema/a.sql:3:1 ALTER TABLE c ADD CONSTRAINT c_pkey PRIMARY KEY USING INDEX c_pkey
    ");
}

#[test]
fn trigger_state_and_comment_load_after_the_trigger() {
    let order = load_order(&[
        (
            "a.sql",
            "ALTER TABLE t DISABLE TRIGGER tr;\nCOMMENT ON TRIGGER tr ON t IS 'x';",
        ),
        (
            "b.sql",
            "CREATE TABLE t (id int);\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();",
        ),
    ]);
    let position = |needle: &str| order.find(needle).expect(needle);
    assert!(
        position("CREATE TRIGGER") < position("ALTER TABLE t DISABLE"),
        "{order}"
    );
    assert!(
        position("CREATE TRIGGER") < position("COMMENT ON TRIGGER"),
        "{order}"
    );
}

#[test]
fn extensions_load_before_what_may_use_them_after_their_schema() {
    let order = load_order(&[
        (
            "a/tables.sql",
            "CREATE TABLE crm.contact (email public.citext);\nCREATE TABLE crm.slot (r int4range, EXCLUDE USING gist (r WITH &&));\n",
        ),
        ("b/schema.sql", "CREATE SCHEMA crm;\nCREATE SCHEMA ext;\n"),
        (
            "c/ext.sql",
            "CREATE EXTENSION citext WITH SCHEMA public;\nCREATE EXTENSION btree_gist WITH SCHEMA ext;\nCOMMENT ON EXTENSION citext IS 'x';\n",
        ),
    ]);
    insta::assert_snapshot!(order, @r"
    schema/b/schema.sql:1:1 CREATE SCHEMA crm
    schema/c/ext.sql:1:1 CREATE EXTENSION citext WITH SCHEMA public
    schema/b/schema.sql:2:1 CREATE SCHEMA ext
    schema/c/ext.sql:2:1 CREATE EXTENSION btree_gist WITH SCHEMA ext
    schema/a/tables.sql:1:1 CREATE TABLE crm.contact (email public.citext)
    schema/a/tables.sql:2:1 CREATE TABLE crm.slot (r int4range, EXCLUDE USING gist (r WITH &&))
    schema/c/ext.sql:3:1 COMMENT ON EXTENSION citext IS 'x'
    ");
}

#[test]
fn default_privileges_apply_to_what_is_written_after_them() {
    // As psql runs them in path order: the table written before the
    // default privileges does not get them, the one after does.
    let order = load_order(&[
        (
            "a/early.sql",
            "CREATE TABLE app.before (id int);\nCREATE FUNCTION other.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
        ),
        (
            "b/defaults.sql",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO r;\nALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO w;\n",
        ),
        (
            "c/schema.sql",
            "CREATE SCHEMA app;\nCREATE SCHEMA other;\nCREATE TABLE app.after (id int);\nCREATE FUNCTION other.g() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
        ),
    ]);
    insta::assert_snapshot!(order, @r"
    schema/c/schema.sql:1:1 CREATE SCHEMA app
    schema/a/early.sql:1:1 CREATE TABLE app.before (id int)
    schema/c/schema.sql:2:1 CREATE SCHEMA other
    schema/a/early.sql:2:1 CREATE FUNCTION other.f() RETURNS int LANGUAGE sql AS 'SELECT 1'
    schema/b/defaults.sql:1:1 ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO r
    schema/b/defaults.sql:2:1 ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO w
    schema/c/schema.sql:3:1 CREATE TABLE app.after (id int)
    schema/c/schema.sql:4:1 CREATE FUNCTION other.g() RETURNS int LANGUAGE sql AS 'SELECT 1'
    ");
}

#[test]
fn a_need_outranks_the_place_of_default_privileges() {
    // The view cannot wait for the table the default privileges apply to:
    // the table moves ahead of them.
    let order = load_order(&[
        (
            "a.sql",
            "CREATE SCHEMA app;\nCREATE VIEW app.v AS SELECT * FROM app.t;\n",
        ),
        (
            "b.sql",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO r;\n",
        ),
        ("c.sql", "CREATE TABLE app.t (id int);\n"),
    ]);
    insta::assert_snapshot!(order, @r"
    schema/a.sql:1:1 CREATE SCHEMA app
    schema/c.sql:1:1 CREATE TABLE app.t (id int)
    schema/a.sql:2:1 CREATE VIEW app.v AS SELECT * FROM app.t
    schema/b.sql:1:1 ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO r
    ");
}

#[test]
fn event_triggers_and_multiranges_are_names_too() {
    let order = load_order(&[
        (
            "a/uses.sql",
            "COMMENT ON EVENT TRIGGER log IS 'x';\nALTER EVENT TRIGGER log ENABLE ALWAYS;\nCREATE TABLE t (a textmultirange, b public.spans, c public.floatrng_multirange);\n",
        ),
        (
            "b/defs.sql",
            "CREATE FUNCTION f() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END';\nCREATE EVENT TRIGGER log ON ddl_command_end EXECUTE FUNCTION f();\nCREATE TYPE textrange AS RANGE (subtype = text);\nCREATE TYPE public.span AS RANGE (subtype = int8, multirange_type_name = public.spans);\nCREATE TYPE floatrng AS RANGE (subtype = float8);\nCREATE TYPE floatrange AS RANGE (subtype = float8);\n",
        ),
    ]);
    insta::assert_snapshot!(order, @r"
    schema/b/defs.sql:1:1 CREATE FUNCTION f() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END'
    schema/b/defs.sql:2:1 CREATE EVENT TRIGGER log ON ddl_command_end EXECUTE FUNCTION f()
    schema/a/uses.sql:1:1 COMMENT ON EVENT TRIGGER log IS 'x'
    schema/a/uses.sql:2:1 ALTER EVENT TRIGGER log ENABLE ALWAYS
    schema/b/defs.sql:3:1 CREATE TYPE textrange AS RANGE (subtype = text)
    schema/b/defs.sql:4:1 CREATE TYPE public.span AS RANGE (subtype = int8, multirange_type_name = public.spans)
    schema/b/defs.sql:5:1 CREATE TYPE floatrng AS RANGE (subtype = float8)
    schema/a/uses.sql:3:1 CREATE TABLE t (a textmultirange, b public.spans, c public.floatrng_multirange)
    schema/b/defs.sql:6:1 CREATE TYPE floatrange AS RANGE (subtype = float8)
    ");
}

#[test]
fn a_partitions_index_loads_before_the_index_of_its_parent_that_adopts_it() {
    let order = load_order(&[
        (
            "a/m.sql",
            "CREATE TABLE m (id int, a int) PARTITION BY RANGE (id);\nCREATE INDEX m_a ON m (a);\n",
        ),
        (
            "b/m1.sql",
            "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);\nCREATE INDEX m1_own ON m1 (a);\n",
        ),
        (
            "c/m2.sql",
            "CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (10) TO (20) PARTITION BY RANGE (id);\nCREATE TABLE m2a PARTITION OF m2 FOR VALUES FROM (10) TO (15);\nCREATE INDEX m2a_own ON m2a (a);\n",
        ),
        (
            "d/m3.sql",
            "CREATE TABLE m3 (id int, a int);\nCREATE INDEX m3_own ON m3 (a);\nALTER TABLE m ATTACH PARTITION m3 FOR VALUES FROM (20) TO (30);\n",
        ),
    ]);
    insta::assert_snapshot!(order, @r"
    schema/a/m.sql:1:1 CREATE TABLE m (id int, a int) PARTITION BY RANGE (id)
    schema/b/m1.sql:1:1 CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10)
    schema/b/m1.sql:2:1 CREATE INDEX m1_own ON m1 (a)
    schema/c/m2.sql:1:1 CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (10) TO (20) PARTITION BY RANGE (id)
    schema/c/m2.sql:2:1 CREATE TABLE m2a PARTITION OF m2 FOR VALUES FROM (10) TO (15)
    schema/c/m2.sql:3:1 CREATE INDEX m2a_own ON m2a (a)
    schema/d/m3.sql:1:1 CREATE TABLE m3 (id int, a int)
    schema/d/m3.sql:2:1 CREATE INDEX m3_own ON m3 (a)
    schema/a/m.sql:2:1 CREATE INDEX m_a ON m (a)
    schema/d/m3.sql:3:1 ALTER TABLE m ATTACH PARTITION m3 FOR VALUES FROM (20) TO (30)
    ");
}

/// Files in a working order keep it: nothing moves (issue: a foreign key
/// went before the unique index it needs, a `--clean` block's drops after
/// what they drop).
fn assert_written_order_kept(text: &str) {
    let order = load_order(&[("structure.sql", text)]);
    let lines: Vec<u32> = order
        .lines()
        .map(|l| {
            l.split(':')
                .nth(1)
                .and_then(|n| n.parse().ok())
                .expect("a line number")
        })
        .collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "the written order changed:\n{order}");
}

#[test]
fn a_pg_dump_with_clean_if_exists_keeps_its_written_order() {
    assert_written_order_kept(
        "SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
ALTER TABLE IF EXISTS ONLY public.orders DROP CONSTRAINT IF EXISTS fk_orders_customer;
DROP INDEX IF EXISTS public.index_customers_on_code;
DROP TABLE IF EXISTS public.orders;
DROP TABLE IF EXISTS public.customers;
DROP TABLE IF EXISTS partman.template_public_events;
DROP EXTENSION IF EXISTS pg_partman;
DROP SCHEMA IF EXISTS partman;
CREATE SCHEMA partman;
CREATE EXTENSION IF NOT EXISTS pg_partman WITH SCHEMA partman;
COMMENT ON EXTENSION pg_partman IS 'partitions';
CREATE TABLE partman.template_public_events (id bigint);
CREATE TABLE public.customers (id bigint NOT NULL, code character varying NOT NULL);
CREATE TABLE public.orders (id bigint NOT NULL, customer_code character varying);
ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);
CREATE INDEX index_orders_on_customer_code ON public.orders USING btree (customer_code);
CREATE UNIQUE INDEX index_customers_on_code ON public.customers USING btree (code);
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_code) REFERENCES public.customers(code);
",
    );
}

#[test]
fn a_foreign_key_waits_for_the_unique_key_it_references() {
    // Written in another file, earlier: the unique index moves ahead of it,
    // and so does the primary key that `REFERENCES t` without columns needs.
    insta::assert_snapshot!(load_order(&[
        ("a_keys.sql", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (code) REFERENCES customers (code);\nALTER TABLE orders ADD CONSTRAINT fk2 FOREIGN KEY (customer_id) REFERENCES customers;\n"),
        ("b_tables.sql", "CREATE TABLE customers (id int, code text);\nCREATE TABLE orders (code text, customer_id int);\n"),
        ("c_indexes.sql", "CREATE UNIQUE INDEX customers_code ON customers (code) WHERE code <> '';\nCREATE UNIQUE INDEX customers_code_all ON customers (code);\nALTER TABLE customers ADD PRIMARY KEY (id);\n"),
    ]), @r"
    schema/b_tables.sql:1:1 CREATE TABLE customers (id int, code text)
    schema/b_tables.sql:2:1 CREATE TABLE orders (code text, customer_id int)
    schema/c_indexes.sql:2:1 CREATE UNIQUE INDEX customers_code_all ON customers (code)
    schema/a_keys.sql:1:1 ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (code) REFERENCES customers (code)
    schema/c_indexes.sql:3:1 ALTER TABLE customers ADD PRIMARY KEY (id)
    schema/a_keys.sql:2:1 ALTER TABLE orders ADD CONSTRAINT fk2 FOREIGN KEY (customer_id) REFERENCES customers
    schema/c_indexes.sql:1:1 CREATE UNIQUE INDEX customers_code ON customers (code) WHERE code <> ''
    ");
}

#[test]
fn search_paths_set_in_a_file_resolve_its_names_and_only_its() {
    insta::assert_snapshot!(load_order(&[
        ("a.sql", "SET search_path = app;\nCREATE VIEW v AS SELECT * FROM t;\n"),
        ("b.sql", "CREATE TABLE t (id int);\n"),
        ("c.sql", "CREATE SCHEMA app;\nSET search_path = app, public;\nCREATE TABLE t (id int);\n"),
    ]), @r"
    schema/c.sql:1:1 CREATE SCHEMA app
    schema/c.sql:3:1 CREATE TABLE t (id int)
    schema/a.sql:2:1 CREATE VIEW v AS SELECT * FROM t
    schema/b.sql:1:1 CREATE TABLE t (id int)
    ");
}

#[test]
fn data_statements_are_set_aside_with_their_location() {
    let (_dir, schema) = schema_dir(&[(
        "a.sql",
        "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nCOPY t FROM stdin;\n1\n\\.\nSELECT pg_catalog.setval('s', 1);\nTRUNCATE t;\nBEGIN;\nCOMMIT;\n",
    )]);
    let source = load(&schema).unwrap();
    assert_eq!(source.statements.len(), 1);
    let ignored: Vec<String> = source
        .ignored
        .iter()
        .map(|i| format!("{}:{} {}", i.location.line, i.location.col, i.summary))
        .collect();
    assert_eq!(
        ignored,
        [
            "2:1 INSERT INTO t VALUES (1)",
            "3:1 COPY t FROM stdin",
            "6:1 SELECT pg_catalog.setval('s', 1)",
            "7:1 TRUNCATE t"
        ]
    );
    let strict = crate::load_with(
        &schema,
        &crate::Options {
            strict: true,
            ..crate::Options::default()
        },
    );
    assert!(
        matches!(strict, Err(SourceError::DataStatement { ref location, .. }) if location.line == 2),
        "{strict:?}"
    );
}

#[test]
fn ordering_is_linear_in_the_statements() {
    // Not a timing test (bench.py measures): the order of 50,000 unrelated
    // statements is the written one, and a chain written backwards is
    // reversed whole.
    let text: String = (0..50_000).map(|i| format!("SELECT {i};\n")).collect();
    let (_dir, schema) = schema_dir(&[("a.sql", &text)]);
    let source = load(&schema).unwrap();
    assert!(
        source
            .statements
            .windows(2)
            .all(|w| w[0].location.line < w[1].location.line)
    );
    let chain: String = (0..2_000)
        .rev()
        .map(|i| format!("CREATE VIEW v{i} AS SELECT * FROM v{};\n", i + 1))
        .chain(std::iter::once("CREATE TABLE v2000 (id int);\n".to_owned()))
        .collect();
    let (_dir, schema) = schema_dir(&[("a.sql", &chain)]);
    let source = load(&schema).unwrap();
    let first: Vec<&str> = source
        .statements
        .iter()
        .take(2)
        .map(|s| s.sql.as_str())
        .collect();
    assert_eq!(
        first,
        [
            "CREATE TABLE v2000 (id int)",
            "CREATE VIEW v1999 AS SELECT * FROM v2000"
        ]
    );
}

#[test]
fn search_path_values_fold_and_unquote_like_identifiers() {
    use crate::analyze::parse_search_path;
    assert_eq!(parse_search_path("\"$user\", public"), ["$user", "public"]);
    assert_eq!(
        parse_search_path("App, \"My \"\"Schema\"\"\" ,x"),
        ["app", "My \"Schema\"", "x"]
    );
    assert!(parse_search_path("").is_empty());
}

#[test]
fn transaction_boundaries_are_recognised_in_every_spelling() {
    let boundary = |sql: &str| {
        let statements = split(Path::new("t.sql"), &format!("{sql};")).unwrap();
        statements[0].transaction_boundary()
    };
    for sql in [
        "BEGIN",
        "begin",
        "-- Deploy x\n\nBEGIN",
        "START TRANSACTION",
        "BEGIN ISOLATION LEVEL SERIALIZABLE",
    ] {
        assert_eq!(boundary(sql), Some(Boundary::Begin), "{sql}");
    }
    for sql in ["COMMIT", "END", "ROLLBACK", "ABORT", "/* c */ commit work"] {
        assert_eq!(boundary(sql), Some(Boundary::End), "{sql}");
    }
    for sql in [
        "ROLLBACK TO SAVEPOINT a",
        "SAVEPOINT a",
        "CREATE TABLE begin_x (id int)",
        "SELECT 1",
        "DO $$ BEGIN END $$",
    ] {
        assert_eq!(boundary(sql), None, "{sql}");
    }
}

#[test]
fn a_script_runs_as_one_transaction_unless_it_commits_part_of_its_work() {
    let one =
        |text: &str| crate::runs_as_one_transaction(&split(Path::new("deploy.sql"), text).unwrap());
    // What gen writes outside online mode, and what sqitch users write.
    assert!(one("-- Deploy app:x to pg\n\nSET lock_timeout = '5s';\n\
         SELECT pg_catalog.set_config('search_path', 'app', false);\n\n\
         BEGIN;\n\nCREATE TABLE t (id int);\n\nCOMMIT;\n"));
    assert!(one("CREATE TABLE t (id int);\nCREATE INDEX ON t (id);\n"));
    // Online mode: a concurrent build, or a check validated in a
    // transaction of its own after the constraint was committed.
    assert!(!one("CREATE INDEX CONCURRENTLY i ON t (id);\n"));
    assert!(!one(
        "BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (id > 0) NOT VALID;\nCOMMIT;\n\
         ALTER TABLE t VALIDATE CONSTRAINT c;\n"
    ));
    assert!(!one(
        "ALTER TABLE t VALIDATE CONSTRAINT c;\nBEGIN;\nCOMMENT ON TABLE t IS 'x';\nCOMMIT;\n"
    ));
    assert!(!one(
        "BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;\n"
    ));
}

#[test]
fn role_statements_in_a_do_block_are_left_out_in_place() {
    let sql = "DO $$\nDECLARE r text = 'anon';\nBEGIN\n  EXECUTE 'grant ' || r || ' to authenticator';\n  grant postgres          to authenticator;\n  CREATE TABLE t (id int);\nEND$$;";
    let statements = split(Path::new("do.sql"), sql).unwrap();
    let out = statements[0]
        .without_role_statements()
        .expect("a role statement");
    assert_eq!(
        out,
        "DO $$\nDECLARE r text = 'anon';\nBEGIN\n  EXECUTE 'grant ' || r || ' to authenticator';\n  NULL                                    ;\n  CREATE TABLE t (id int);\nEND$$"
    );
    assert_eq!(out.len(), statements[0].sql.len());
    let plain = split(Path::new("do.sql"), "DO $$ BEGIN CREATE TABLE t (); END $$").unwrap();
    assert_eq!(plain[0].without_role_statements(), None);
    let table = split(Path::new("t.sql"), "CREATE TABLE t (id int)").unwrap();
    assert_eq!(table[0].without_role_statements(), None);
}

#[test]
fn custom_settings_are_found_where_they_are_set() {
    let sql = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET request.jwt.claim.id = %L', current_database(), '-1'); END $$;\n\
SET app.tenant = 'x';\n\
ALTER ROLE r SET search_path = a;\n\
CREATE TABLE reset (offset_set int);\n\
SELECT set_config('app.other', 'y', false);";
    let statements = split(Path::new("s.sql"), sql).unwrap();
    assert_eq!(
        crate::custom_settings(&statements)
            .into_iter()
            .collect::<Vec<_>>(),
        ["app.tenant", "request.jwt.claim.id"]
    );
}

#[test]
fn tablespaces_named_for_what_a_statement_stores() {
    let statements = split(
        Path::new("t.sql"),
        "CREATE TABLE a (id int PRIMARY KEY USING INDEX TABLESPACE ix_col, x int,\n\
         \x20   CONSTRAINT a_x UNIQUE (x) USING INDEX TABLESPACE ix_table) TABLESPACE data;\n\
         ALTER TABLE a ADD COLUMN y int UNIQUE USING INDEX TABLESPACE ix_added;\n\
         ALTER TABLE a ADD CONSTRAINT a_y EXCLUDE (y WITH =) USING INDEX TABLESPACE ix_exclude;\n\
         CREATE INDEX a_i ON a (x) TABLESPACE ix;\n\
         CREATE TABLE b (id int) TABLESPACE pg_default;\n",
    )
    .expect("splits");
    let found: Vec<String> = crate::tablespaces(&statements).into_iter().collect();
    assert_eq!(
        found,
        ["data", "ix", "ix_added", "ix_col", "ix_exclude", "ix_table"]
    );
}
