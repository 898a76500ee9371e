//! End-to-end tests of loading schema files as real applications write
//! them: pg_dump's own shape, session settings, data statements, psql
//! meta-commands and the errors for what cannot load.

mod common;
use common::*;

/// A fresh project directory with `gen init` run in it.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run_gen(dir.path(), &["init", "--project", "shop"]);
    assert_exit(&o, 0);
    dir
}

/// A `db/structure.sql` as pg_dump writes it with `--clean --if-exists`:
/// the drops come first and must run before what they drop is created; a
/// foreign key follows the unique index it needs; `\restrict` lines,
/// settings, comments on extensions, owned sequences, rows and `setval`.
const STRUCTURE: &str = r#"--
-- PostgreSQL database dump
--

\restrict k3Jq9

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

ALTER TABLE IF EXISTS ONLY public.orders DROP CONSTRAINT IF EXISTS fk_orders_customer;
DROP INDEX IF EXISTS public.index_customers_on_code;
DROP TABLE IF EXISTS public.orders;
DROP TABLE IF EXISTS public.customers;
DROP TABLE IF EXISTS ext.tagged;
DROP EXTENSION IF EXISTS citext;
DROP SCHEMA IF EXISTS ext;

CREATE SCHEMA ext;

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA ext;

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';

SET default_tablespace = '';

CREATE TABLE ext.tagged (
    name ext.citext NOT NULL
);

CREATE TABLE public.customers (
    id bigint NOT NULL,
    code character varying NOT NULL
);

CREATE SEQUENCE public.customers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.customers_id_seq OWNED BY public.customers.id;

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_code character varying
);

ALTER TABLE ONLY public.customers ALTER COLUMN id SET DEFAULT nextval('public.customers_id_seq'::regclass);

COPY public.customers (id, code) FROM stdin;
1	ACME
2	INITECH
\.

SELECT pg_catalog.setval('public.customers_id_seq', 2, true);

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

CREATE INDEX index_orders_on_customer_code ON public.orders USING btree (customer_code);

CREATE UNIQUE INDEX index_customers_on_code ON public.customers USING btree (code);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_code) REFERENCES public.customers(code);

INSERT INTO "schema_migrations" (version) VALUES
('20240101000000');

\unrestrict k3Jq9
"#;

#[test]
fn a_pg_dump_with_clean_if_exists_loads_as_written() {
    let dir = project();
    write(dir.path(), "schema/structure.sql", STRUCTURE);
    let o = run_gen(dir.path(), &["add", "first"]);
    assert_exit(&o, 0);
    let err = stderr(&o);
    // Rows are not schema: each data statement is named where it is.
    assert!(
        err.contains("schema/structure.sql:60:1: data statement ignored: COPY public.customers (id, code) FROM stdin"),
        "{err}"
    );
    assert!(
        err.contains(
            "schema/structure.sql:65:1: data statement ignored: SELECT pg_catalog.setval("
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "schema/structure.sql:80:1: data statement ignored: INSERT INTO \"schema_migrations\""
        ),
        "{err}"
    );
    // A setting from a newer major is left out, said where.
    assert!(
        err.contains("schema/structure.sql:10:1: setting ignored: unrecognized configuration parameter \"transaction_timeout\""),
        "{err}"
    );
    let deploy = std::fs::read_to_string(dir.path().join("migrations/deploy/first.sql"))
        .expect("deploy written");
    for expected in [
        "CREATE EXTENSION citext WITH SCHEMA ext",
        "CREATE TABLE ext.tagged",
        "REFERENCES public.customers(code)",
        "CREATE UNIQUE INDEX index_customers_on_code",
    ] {
        assert!(deploy.contains(expected), "{expected} missing:\n{deploy}");
    }
    let o = run_gen(dir.path(), &["check"]);
    assert_exit(&o, 0);
}

#[test]
fn data_statements_are_warnings_or_with_strict_errors() {
    let dir = project();
    write(
        dir.path(),
        "schema/app.sql",
        "CREATE TABLE plans (id int PRIMARY KEY, name text);\n\nINSERT INTO plans VALUES (1, 'free');\n",
    );
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 0);
    assert!(
        stderr(&o).contains(
            "warning: schema/app.sql:3:1: data statement ignored: INSERT INTO plans VALUES (1, 'free')"
        ),
        "{}",
        text(&o)
    );
    assert!(
        stdout(&o).contains("CREATE TABLE public.plans"),
        "{}",
        text(&o)
    );

    let before = snapshot(dir.path());
    let o = run_gen(dir.path(), &["add", "plans", "--strict"]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("schema/app.sql:3:1: data statement in a schema file: INSERT INTO plans"),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(before, snapshot(dir.path()));

    let mut config = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    config.push_str("\n[load]\nstrict = true\n");
    write(dir.path(), "gen.toml", &config);
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("data statement in a schema file"),
        "{}",
        text(&o)
    );
}

#[test]
fn settings_hold_to_the_end_of_their_file() {
    let dir = project();
    // `a.sql` sets its own search path; `b.sql`, loaded later, does not
    // inherit it, and its unqualified table lands in public.
    write(
        dir.path(),
        "schema/a.sql",
        "CREATE SCHEMA app;\nSET search_path = app;\nCREATE TABLE t (id int);\nCREATE VIEW v AS SELECT id FROM t;\n",
    );
    write(dir.path(), "schema/b.sql", "CREATE TABLE t (name text);\n");
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 0);
    let plan = stdout(&o);
    assert!(
        plan.contains("CREATE TABLE app.t (\n    id integer"),
        "{plan}"
    );
    assert!(
        plan.contains("CREATE TABLE public.t (\n    name text"),
        "{plan}"
    );
    assert!(plan.contains("FROM app.t"), "{plan}");
}

#[test]
fn the_load_section_sets_up_every_file_and_the_replayed_migrations() {
    let dir = project();
    let mut config = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    config.push_str("\n[load]\nsearch_path = \"app, public\"\n");
    write(dir.path(), "gen.toml", &config);
    write(dir.path(), "schema/0_schema.sql", "CREATE SCHEMA app;\n");
    // Unqualified names resolve through the project's search path, also
    // across files: the view's file sorts before the table's.
    write(
        dir.path(),
        "schema/1_view.sql",
        "CREATE VIEW names AS SELECT name FROM people;\n",
    );
    write(
        dir.path(),
        "schema/2_table.sql",
        "CREATE TABLE people (name text);\n",
    );
    let o = run_gen(dir.path(), &["add", "people"]);
    assert_exit(&o, 0);
    let deploy = std::fs::read_to_string(dir.path().join("migrations/deploy/people.sql"))
        .expect("deploy written");
    // Generated SQL stays schema-qualified, and no setting is written where
    // the plan creates no routine.
    assert!(deploy.contains("CREATE TABLE app.people"), "{deploy}");
    assert!(deploy.contains("CREATE VIEW app.names AS"), "{deploy}");
    assert!(!deploy.contains("set_config"), "{deploy}");
    // A `LANGUAGE sql` body is checked against the search path when the
    // deploy creates it: the script sets the project's.
    write(
        dir.path(),
        "schema/3_count.sql",
        "CREATE FUNCTION count_people() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM people';\n",
    );
    let o = run_gen(dir.path(), &["add", "count"]);
    assert_exit(&o, 0);
    let deploy = std::fs::read_to_string(dir.path().join("migrations/deploy/count.sql"))
        .expect("deploy written");
    assert!(
        deploy.contains(
            "SELECT pg_catalog.set_config('search_path', 'app, public', false); -- [load] in gen.toml"
        ),
        "{deploy}"
    );
    let o = run_gen(dir.path(), &["check"]);
    assert_exit(&o, 0);

    let mut config = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    config.push_str("no_such_setting = \"1\"\n");
    write(dir.path(), "gen.toml", &config);
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o)
            .contains("gen.toml: [load]: unrecognized configuration parameter \"no_such_setting\""),
        "{}",
        text(&o)
    );
}

#[test]
fn a_shell_meta_command_is_refused_where_it_is() {
    let dir = project();
    write(
        dir.path(),
        "schema/app.sql",
        "CREATE TABLE t (id int);\n\\! touch pwned\n",
    );
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains(
            "schema/app.sql:2:1: psql meta-command \\! is not supported: it runs a shell command"
        ),
        "{err}"
    );
    assert!(!dir.path().join("pwned").exists());
}

#[test]
fn a_missing_name_is_said_to_be_created_nowhere() {
    let dir = project();
    write(
        dir.path(),
        "schema/app.sql",
        "CREATE TABLE t (id int);\nCREATE VIEW v AS SELECT * FROM orders;\n",
    );
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("schema/app.sql:2:32: relation \"orders\" does not exist"),
        "{err}"
    );
    assert!(
        err.contains("hint: no statement in the schema files creates orders"),
        "{err}"
    );
    assert!(!err.contains("order of files"), "{err}");
}

#[test]
fn a_role_created_by_the_schema_files_does_not_collide_on_later_runs() {
    let dir = project();
    write(
        dir.path(),
        "schema/app.sql",
        "CREATE ROLE gen_test_loader_reader NOLOGIN;\nCREATE TABLE t (id int);\nGRANT SELECT ON t TO gen_test_loader_reader;\n",
    );
    let o = run_gen(dir.path(), &["add", "first"]);
    assert_exit(&o, 0);
    // The migrations side grants to the role too: both sides, and every
    // later run on the same warm server, find it made already.
    for args in [
        &["check", "--no-cache"][..],
        &["diff", "--exit-code"],
        &["check"],
    ] {
        let o = run_gen(dir.path(), args);
        assert_exit(&o, 0);
    }
}

#[test]
fn a_change_creates_the_roles_it_needs_and_its_revert_drops_them() {
    require_sqitch();
    let dir = project();
    let p = dir.path();
    write(
        p,
        "schema/app.sql",
        "CREATE ROLE gen_test_role_reader WITH NOLOGIN PASSWORD 'hunter2';\n\
         CREATE TABLE t (id int);\n\
         GRANT SELECT ON t TO gen_test_role_reader;\n",
    );
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    let read = |kind: &str, name: &str| {
        std::fs::read_to_string(p.join(format!("migrations/{kind}/{name}.sql"))).expect("script")
    };
    let deploy = read("deploy", "first");
    assert!(
        deploy.contains("IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'gen_test_role_reader') THEN\n        CREATE ROLE gen_test_role_reader WITH NOLOGIN;"),
        "{deploy}"
    );
    // The role goes before the grant that needs it; no password is copied.
    assert!(
        deploy.find("CREATE ROLE") < deploy.find("GRANT SELECT"),
        "{deploy}"
    );
    for script in [&deploy, &read("revert", "first"), &read("verify", "first")] {
        assert!(!script.contains("hunter2"), "{script}");
    }
    assert!(read("revert", "first").contains("DROP ROLE IF EXISTS gen_test_role_reader;"));
    assert!(read("verify", "first").contains("role gen_test_role_reader is missing"));

    // A later change that needs the role again does not create it again.
    write(
        p,
        "schema/app.sql",
        "CREATE ROLE gen_test_role_reader WITH NOLOGIN PASSWORD 'hunter2';\n\
         CREATE TABLE t (id int);\n\
         GRANT SELECT ON t TO gen_test_role_reader;\n\
         CREATE TABLE u (id int);\n\
         GRANT SELECT ON u TO gen_test_role_reader;\n",
    );
    assert_exit(&run_gen(p, &["add", "second"]), 0);
    assert!(!read("deploy", "second").contains("CREATE ROLE"));
    assert_exit(&run_gen(p, &["check"]), 0);

    // On a server that has never seen the role, the deploy makes it, the
    // verify checks it, and the revert takes it away again.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox = gen_sandbox::Sandbox::start(
            &gen_sandbox::Backend::local_from_env().expect("GEN_PG_BIN, GEN_PG_VERSION"),
        )
        .await
        .expect("a local Postgres for sqitch (install postgresql)");
        let db = sandbox.create_database("roles").await.expect("database");
        let target = sqitch_target(&db);
        let client = db.connect().await.expect("connect");
        let exists = || async {
            client
                .query_one(
                    "SELECT count(*) FROM pg_roles WHERE rolname = 'gen_test_role_reader'",
                    &[],
                )
                .await
                .expect("query")
                .get::<_, i64>(0)
        };
        assert_eq!(exists().await, 0);
        run_sqitch(p, &target, &["deploy"]);
        run_sqitch(p, &target, &["verify"]);
        assert_eq!(exists().await, 1);
        run_sqitch(p, &target, &["revert", "-y"]);
        assert_eq!(exists().await, 0);
        drop(client);
        sandbox.shutdown().await.expect("shutdown");
    });
}

#[test]
fn roles_managed_elsewhere_are_left_out_of_changes() {
    let dir = project();
    let p = dir.path();
    let mut config = std::fs::read_to_string(p.join("gen.toml")).expect("gen.toml");
    config.push_str("\n[plan]\nroles = false\n");
    write(p, "gen.toml", &config);
    write(
        p,
        "schema/app.sql",
        "CREATE ROLE gen_test_role_elsewhere NOLOGIN;\nCREATE TABLE t (id int);\nGRANT SELECT ON t TO gen_test_role_elsewhere;\n",
    );
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/first.sql")).expect("deploy");
    assert!(!deploy.contains("CREATE ROLE"), "{deploy}");
    assert!(
        deploy.contains("GRANT SELECT ON TABLE public.t TO gen_test_role_elsewhere;"),
        "{deploy}"
    );
}

/// `gen` with a deadline: a schema input that blocks or never ends must
/// be refused at once, so a run that outlives the deadline is a failure
/// (and is killed rather than left hanging).
fn run_gen_within(dir: &std::path::Path, args: &[&str], seconds: u64) -> std::process::Output {
    use std::io::Read as _;
    let mut child = gen_cmd(dir)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("running gen");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().expect("waiting for gen") {
            let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
            child
                .stdout
                .take()
                .expect("stdout")
                .read_to_end(&mut stdout)
                .expect("stdout");
            child
                .stderr
                .take()
                .expect("stderr")
                .read_to_end(&mut stderr)
                .expect("stderr");
            return std::process::Output {
                status,
                stdout,
                stderr,
            };
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gen {args:?} ran past {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A device, a FIFO, a dangling link or a link loop under schema/ is exit
/// 2 naming it, in `gen add` and `gen check` alike (the cache key reads
/// the same files the load does), and nothing is written.
#[test]
fn special_files_under_schema_are_refused_by_every_command() {
    use std::os::unix::fs::symlink;
    /// A name, what makes the entry, what the error says.
    type Case<'a> = (&'a str, &'a dyn Fn(&std::path::Path), &'a str);
    let cases: [Case<'_>; 4] = [
        (
            "zz.sql",
            &|p| symlink("/dev/zero", p.join("schema/zz.sql")).expect("link"),
            "schema/zz.sql is a character device",
        ),
        (
            "pipe.sql",
            &|p| {
                let status = std::process::Command::new("mkfifo")
                    .arg(p.join("schema/pipe.sql"))
                    .status()
                    .expect("mkfifo");
                assert!(status.success());
            },
            "schema/pipe.sql is a FIFO",
        ),
        (
            "gone.sql",
            &|p| symlink(p.join("schema/nowhere.sql"), p.join("schema/gone.sql")).expect("link"),
            "schema/gone.sql is a dangling symbolic link",
        ),
        (
            "a.sql",
            &|p| {
                symlink(p.join("schema/b.sql"), p.join("schema/a.sql")).expect("link");
                symlink(p.join("schema/a.sql"), p.join("schema/b.sql")).expect("link");
            },
            "is a symbolic link loop",
        ),
    ];
    for (name, make, said) in cases {
        let dir = project();
        let p = dir.path();
        write(p, "schema/t.sql", "CREATE TABLE t (id int);\n");
        make(p);
        let before = snapshot_without_special(p);
        for command in [
            &["add", "x"][..],
            &["check"],
            &["diff", "--from", "migrations", "--to", "schema"],
        ] {
            let o = run_gen_within(p, command, 60);
            assert_exit(&o, 2);
            assert!(
                stderr(&o).contains(said),
                "{name}, gen {command:?}: {}",
                text(&o)
            );
            assert!(stderr(&o).contains("hint:"), "{}", text(&o));
        }
        assert_eq!(before, snapshot_without_special(p), "{name}: files changed");
    }
}

/// The regular files of a project, as [`snapshot`] lists them, reading
/// nothing that is not one.
fn snapshot_without_special(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("list") {
            let entry = entry.expect("entry");
            let t = entry.file_type().expect("type");
            if t.is_dir() {
                walk(&entry.path(), out);
            } else {
                out.push(entry.path());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// A statement that never ends is cancelled at the statement timeout, with
/// an error naming it; the file's own `SET statement_timeout = 0` cannot
/// lift the limit, and a timeout of 0 is refused.
#[test]
fn a_statement_that_never_ends_is_cancelled_at_the_timeout() {
    let dir = project();
    let p = dir.path();
    write(
        p,
        "schema/t.sql",
        "SET statement_timeout = 0;\nCREATE TABLE t (id int);\nDO $$ BEGIN PERFORM pg_sleep(1000); END $$;\n",
    );
    for command in [&["add", "x"][..], &["check", "--no-cache"]] {
        let mut args = vec!["--statement-timeout", "2"];
        args.extend_from_slice(command);
        let started = std::time::Instant::now();
        let o = run_gen_within(p, &args, 60);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(
            err.contains("schema/t.sql:3:1: the statement ran past the statement timeout (2 s)"),
            "{err}"
        );
        assert!(err.contains("statement_timeout"), "no hint: {err}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "took {:?}",
            started.elapsed()
        );
    }
    assert!(!p.join("migrations/deploy/x.sql").exists());

    let o = run_gen(p, &["--statement-timeout", "0", "check"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("run forever"), "{}", text(&o));
}
