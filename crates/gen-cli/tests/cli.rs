//! End-to-end tests of the `gen` binary: the user's loop (init, add, check,
//! diff), bad input with its exit codes and messages, and the real `sqitch`
//! deploying, verifying and reverting what gen wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::*;
use gen_sandbox::{Backend, Sandbox};

/// A fresh project directory with `gen init` run in it.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run_gen(dir.path(), &["init", "--project", "shop"]);
    assert_exit(&o, 0);
    dir
}

#[test]
fn init_scaffolds_and_refuses_twice() {
    let dir = project();
    for p in [
        "gen.toml",
        "schema",
        "migrations/sqitch.plan",
        "migrations/sqitch.conf",
    ] {
        assert!(dir.path().join(p).exists(), "{p} missing");
    }
    let o = run_gen(dir.path(), &["init"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    // git keeps schema/ (a file in it), and the [plan] section gen.toml
    // carries commented out is valid once uncommented.
    assert!(dir.path().join("schema/README.md").is_file());
    let config = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    let mut in_plan = false;
    let mut uncommented = String::new();
    for line in config.lines() {
        if line == "# [plan]" {
            in_plan = true;
        } else if !line.starts_with('#') {
            in_plan = false;
        }
        let line = if in_plan {
            line.strip_prefix("# ").unwrap_or(line)
        } else {
            line
        };
        uncommented.push_str(line);
        uncommented.push('\n');
    }
    assert!(
        uncommented.contains("\n[plan]\nowners = false"),
        "{uncommented}"
    );
    write(dir.path(), "gen.toml", &uncommented);
    assert_exit(&run_gen(dir.path(), &["check"]), 0);
}

#[test]
fn unknown_flag_is_trouble() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run_gen(dir.path(), &["add", "x", "--no-such-flag"]);
    assert_exit(&o, 2);
}

/// Two `gen add` at once in one project: the second waits for the first,
/// then plans against what it wrote, so no change is lost and the
/// directory stays whole. Files get the umask, and names never leave the
/// script directories.
#[test]
fn two_adds_at_once_never_lose_a_change() {
    let dir = project();
    let p = dir.path();
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE items (id int PRIMARY KEY);\n",
    );
    let children: Vec<_> = ["one", "two"]
        .iter()
        .map(|name| {
            gen_cmd(p)
                .args(["add", name])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawning gen")
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("waiting for gen"))
        .collect();
    let plan = std::fs::read_to_string(p.join("migrations/sqitch.plan")).expect("plan");
    let mut added = 0;
    for (name, o) in ["one", "two"].iter().zip(&outputs) {
        assert_exit(o, 0);
        if stderr(o).contains(&format!("added {name} to")) {
            added += 1;
            assert!(plan.contains(&format!("\n{name} ")), "{name} lost:\n{plan}");
        } else {
            assert!(stderr(o).contains("no changes"), "{}", stderr(o));
        }
    }
    assert_eq!(added, 1, "{plan}");
    assert_exit(&run_gen(p, &["check"]), 0);

    let umask = std::fs::read_to_string("/proc/self/status")
        .expect("status")
        .lines()
        .find_map(|l| l.strip_prefix("Umask:"))
        .map(|v| u32::from_str_radix(v.trim(), 8).expect("octal"))
        .expect("umask");
    for (rel, _) in snapshot(&p.join("migrations")) {
        let path = p.join("migrations").join(&rel);
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&path).expect("stat").permissions(),
        ) & 0o777;
        assert_eq!(mode, 0o666 & !umask, "{}", rel.display());
    }

    write(
        p,
        "schema/app.sql",
        "CREATE TABLE items (id int PRIMARY KEY, name text);\n",
    );
    let before = snapshot(p);
    let o = run_gen(p, &["add", "a/../b"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("stay inside deploy/"), "{}", stderr(&o));
    assert_eq!(snapshot(p), before);
}

#[test]
fn add_check_diff_loop() {
    let dir = project();
    let p = dir.path();
    // Files reference each other out of order: the loader orders them.
    write(
        p,
        "schema/b_orders.sql",
        "CREATE TABLE app.orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES app.customers (id),\n  total numeric(12,2) NOT NULL DEFAULT 0\n);\nCREATE INDEX orders_customer_idx ON app.orders (customer_id);\n",
    );
    write(
        p,
        "schema/a_customers.sql",
        "CREATE TABLE app.customers (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL UNIQUE\n);\nCOMMENT ON TABLE app.customers IS 'people who buy';\n",
    );
    write(p, "schema/0_schema.sql", "CREATE SCHEMA app;\n");

    let o = run_gen(p, &["check"]);
    assert_exit(&o, 1);
    assert!(
        stdout(&o).contains("CREATE TABLE app.orders"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("gen add"), "{}", stderr(&o));

    let o = run_gen(p, &["add", "initial", "-n", "first tables"]);
    assert_exit(&o, 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/initial.sql")).expect("deploy");
    assert!(
        deploy.starts_with("-- Deploy shop:initial to pg\n-- first tables\n"),
        "{deploy}"
    );
    assert!(deploy.contains("BEGIN;") && deploy.trim_end().ends_with("COMMIT;"));
    let schema_at = deploy.find("CREATE SCHEMA app;").expect("schema");
    let customers_at = deploy
        .find("CREATE TABLE app.customers")
        .expect("customers");
    let orders_at = deploy.find("CREATE TABLE app.orders").expect("orders");
    let fk_at = deploy.find("FOREIGN KEY (customer_id)").expect("fk");
    assert!(schema_at < customers_at && customers_at < fk_at && orders_at < fk_at);
    let plan = std::fs::read_to_string(p.join("migrations/sqitch.plan")).expect("plan");
    assert!(
        plan.contains(
            "initial 2026-01-02T03:04:05Z Test Planner <planner@example.com> # first tables"
        ),
        "{plan}"
    );
    assert!(p.join("migrations/verify/initial.sql").is_file());
    assert!(p.join("migrations/revert/initial.sql").is_file());

    // In sync now.
    let o = run_gen(p, &["check"]);
    assert_exit(&o, 0);

    // Nothing to add: no files, exit 0.
    let before = snapshot(p);
    let o = run_gen(p, &["add", "nothing"]);
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("no changes"), "{}", stderr(&o));
    assert_eq!(before, snapshot(p));

    // Edit the schema: check finds drift, diff shows it, add writes it.
    write(
        p,
        "schema/a_customers.sql",
        "CREATE TABLE app.customers (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL UNIQUE,\n  name text\n);\nCOMMENT ON TABLE app.customers IS 'people who buy';\n",
    );
    let o = run_gen(p, &["check"]);
    assert_exit(&o, 1);
    // Per object, a unified diff of its whole definition on each side.
    let out = stdout(&o);
    assert!(
        out.contains("--- migrations (table app.customers)\n+++ schema (table app.customers)\n"),
        "{out}"
    );
    assert!(out.contains("\n+    name text,\n"), "{out}");
    assert!(out.contains("\n     email text NOT NULL,\n"), "{out}");
    let o = run_gen(p, &["diff"]);
    assert_exit(&o, 0);
    assert_eq!(
        stdout(&o),
        "-- Hazards:\n--   access-exclusive-lock on table app.customers: takes an ACCESS EXCLUSIVE lock on app.customers: reads and writes wait until the deploy commits\n\nALTER TABLE app.customers ADD COLUMN name text;\n"
    );
    let o = run_gen(p, &["diff", "--format", "json"]);
    assert_exit(&o, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(doc["steps"][0]["object"]["kind"], "column");
    assert_eq!(
        doc["steps"][0]["locks"],
        serde_json::json!([{"relation": "app.customers", "mode": "ACCESS EXCLUSIVE"}])
    );
    assert_eq!(
        doc["revert"][0]["sql"],
        "ALTER TABLE app.customers DROP COLUMN name;"
    );
    let o = run_gen(p, &["add", "customer_name"]);
    assert_exit(&o, 0);
    let o = run_gen(p, &["check"]);
    assert_exit(&o, 0);

    // The same name again is refused before anything runs.
    let before = snapshot(p);
    let o = run_gen(p, &["add", "customer_name"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(before, snapshot(p));

    // Same inputs, same bytes: a second project gets identical scripts.
    let twin = project();
    for (rel, bytes) in snapshot(&p.join("schema")) {
        let rel = Path::new("schema").join(rel);
        write(
            twin.path(),
            &rel.to_string_lossy(),
            &String::from_utf8_lossy(&bytes),
        );
    }
    write(
        twin.path(),
        "schema/a_customers.sql",
        "CREATE TABLE app.customers (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL UNIQUE\n);\nCOMMENT ON TABLE app.customers IS 'people who buy';\n",
    );
    assert_exit(
        &run_gen(twin.path(), &["add", "initial", "-n", "first tables"]),
        0,
    );
    for kind in ["deploy", "revert", "verify"] {
        let rel = format!("migrations/{kind}/initial.sql");
        assert_eq!(
            std::fs::read(p.join(&rel)).expect("ours"),
            std::fs::read(twin.path().join(&rel)).expect("twin"),
            "{rel} differs between identical runs"
        );
    }
}

#[test]
fn syntax_error_points_at_file_line_col() {
    let dir = project();
    write(
        dir.path(),
        "schema/bad.sql",
        "CREATE TABLE ok (id int);\nCREATE TABLE broken (id int,, name text);\n",
    );
    let before = snapshot(dir.path());
    let o = run_gen(dir.path(), &["add", "x"]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("schema/bad.sql:2:29"), "{err}");
    assert!(err.contains("syntax error"), "{err}");
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn rejected_statement_points_at_file_line_col() {
    let dir = project();
    write(
        dir.path(),
        "schema/t.sql",
        "CREATE TABLE a (id int PRIMARY KEY);\n\nCREATE TABLE b (a_id int REFERENCES a (nope));\n",
    );
    let o = run_gen(dir.path(), &["add", "x"]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("schema/t.sql:3:"), "{err}");
    assert!(err.contains("\"nope\""), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert!(!dir.path().join("migrations/deploy/x.sql").exists());
}

#[test]
fn missing_schema_directory_is_trouble_with_hint() {
    let dir = project();
    std::fs::remove_dir_all(dir.path().join("schema")).expect("rmdir");
    let o = run_gen(dir.path(), &["add", "x"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("hint:"), "{}", stderr(&o));
}

#[test]
fn no_migrations_directory_hints_init() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run_gen(dir.path(), &["add", "x"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("gen init"), "{}", stderr(&o));
}

#[test]
fn invalid_change_name_is_refused() {
    let dir = project();
    let o = run_gen(dir.path(), &["add", "has space"]);
    assert_exit(&o, 2);
}

#[test]
fn unreachable_database_hides_password() {
    let dir = project();
    let url = "postgres://alice:s3cr3t-pass@127.0.0.1:1/db";
    let o = run_gen(dir.path(), &["diff", "--from", url, "--to", "schema"]);
    assert_exit(&o, 2);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains("s3cr3t-pass"), "{all}");
    assert!(all.contains("hint:"), "{all}");
    let o = run_gen(dir.path(), &["check", "--dev-url", url]);
    assert_exit(&o, 2);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains("s3cr3t-pass"), "{all}");
}

#[test]
fn missing_server_binaries_are_trouble_with_hint() {
    let dir = project();
    let o = run_gen(dir.path(), &["check", "--pg-bin", "/nonexistent/bin"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("hint:"), "{}", stderr(&o));
}

#[test]
fn docker_without_engine_is_trouble_with_hint() {
    let dir = project();
    let o = gen_cmd(dir.path())
        .args(["check", "--sandbox", "docker"])
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .output()
        .expect("gen");
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("hint:"), "{}", stderr(&o));
}

/// A key's index keeps its storage parameters and tablespace, which the
/// server's definition of the constraint leaves out; what an extension
/// made (citext brings operators, casts and operator classes, plpgsql its
/// language) is the extension's, never planned.
#[test]
fn key_index_storage_is_planned_and_extension_members_are_not() {
    let dir = project();
    write(
        dir.path(),
        "schema/t.sql",
        "CREATE EXTENSION citext;\n\
         CREATE TABLE t (id int, x int,\n\
             CONSTRAINT t_pkey PRIMARY KEY (id) WITH (fillfactor = 70) USING INDEX TABLESPACE fast);\n",
    );
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(
        out.contains(
            "CONSTRAINT t_pkey PRIMARY KEY (id) WITH (fillfactor=70) USING INDEX TABLESPACE fast\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("needs-tablespace on table public.t: the index of constraint t_pkey on public.t is stored in tablespace fast, which must exist on the target"),
        "{out}"
    );
    for member in ["OPERATOR", "CAST", "LANGUAGE"] {
        assert!(
            !out.contains(member),
            "an extension's {member} planned: {out}"
        );
    }
}

/// A project that listed objects of a kind gen once refused (operator
/// families) to manage them by hand goes on doing so.
#[test]
fn ignored_objects_are_neither_planned_nor_an_error() {
    let dir = project();
    write(
        dir.path(),
        "schema/t.sql",
        "CREATE TABLE t (id int);\nCREATE OPERATOR FAMILY public.fam USING btree;\n",
    );
    let toml = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    write(
        dir.path(),
        "gen.toml",
        &format!("{toml}\n[ignore]\nobjects = [\"operator family public.*\"]\n"),
    );
    let o = run_gen(dir.path(), &["add", "x"]);
    assert_exit(&o, 0);
    let deploy =
        std::fs::read_to_string(dir.path().join("migrations/deploy/x.sql")).expect("deploy");
    assert!(deploy.contains("CREATE TABLE public.t"), "{deploy}");
    assert!(!deploy.contains("fam"), "{deploy}");
}

#[test]
fn ignore_pattern_without_identity_is_trouble() {
    let dir = project();
    let toml = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    write(
        dir.path(),
        "gen.toml",
        &format!("{toml}\n[ignore]\nobjects = [\"rules\"]\n"),
    );
    let before = snapshot(dir.path());
    let o = run_gen(dir.path(), &["add", "x"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("kind identity"), "{}", stderr(&o));
    assert!(stderr(&o).contains("hint:"), "{}", stderr(&o));
    assert_eq!(before, snapshot(dir.path()));
}

/// A plan that drops a table and a column: deletes data.
fn hazardous_project() -> tempfile::TempDir {
    let dir = project();
    write(
        dir.path(),
        "schema/t.sql",
        "CREATE TABLE t (id int, gone text);\n",
    );
    assert_exit(&run_gen(dir.path(), &["add", "first"]), 0);
    write(dir.path(), "schema/t.sql", "CREATE TABLE t (id int);\n");
    dir
}

#[test]
fn data_deleting_plan_is_refused_unless_allowed() {
    let dir = hazardous_project();
    let before = snapshot(dir.path());
    let o = run_gen(dir.path(), &["add", "second"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains("deletes-data on column public.t.gone"),
        "{err}"
    );
    assert!(err.contains("--allow-hazard deletes-data"), "{err}");
    assert_eq!(
        before,
        snapshot(dir.path()),
        "a refused plan writes nothing"
    );

    // gen diff prints the plan for review, then refuses the same way.
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("DROP COLUMN gone"), "{}", stdout(&o));
    let o = run_gen(dir.path(), &["diff", "--allow-hazard", "deletes-data"]);
    assert_exit(&o, 0);

    let o = run_gen(
        dir.path(),
        &["add", "second", "--allow-hazard", "deletes-data"],
    );
    assert_exit(&o, 0);
    let deploy =
        std::fs::read_to_string(dir.path().join("migrations/deploy/second.sql")).expect("deploy");
    assert!(
        deploy.starts_with("-- Deploy shop:second to pg\n--\n-- Hazards:\n--   deletes-data on column public.t.gone"),
        "{deploy}"
    );
}

#[test]
fn gen_toml_can_allow_a_hazard() {
    let dir = hazardous_project();
    let toml = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    write(
        dir.path(),
        "gen.toml",
        &format!("{toml}\n[plan]\nallow_hazards = [\"deletes-data\"]\n"),
    );
    assert_exit(&run_gen(dir.path(), &["add", "second"]), 0);
}

#[test]
fn unknown_hazard_name_is_trouble() {
    let dir = hazardous_project();
    let before = snapshot(dir.path());
    let o = run_gen(
        dir.path(),
        &["add", "second", "--allow-hazard", "drops-data"],
    );
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("deletes-data, rewrites-table"),
        "{}",
        stderr(&o)
    );
    let toml = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    write(
        dir.path(),
        "gen.toml",
        &format!("{toml}\n[plan]\nallow_hazards = [\"everything\"]\n"),
    );
    let o = run_gen(dir.path(), &["add", "second"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("unknown hazard \"everything\""),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("hint:"), "{}", stderr(&o));
    write(dir.path(), "gen.toml", &toml);
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn diff_exit_code_says_whether_anything_differs() {
    let dir = project();
    write(dir.path(), "schema/t.sql", "CREATE TABLE t (id int);\n");
    let o = run_gen(dir.path(), &["diff", "--exit-code"]);
    assert_exit(&o, 1);
    assert_exit(&run_gen(dir.path(), &["diff"]), 0);
    assert_exit(&run_gen(dir.path(), &["add", "first"]), 0);
    assert_exit(&run_gen(dir.path(), &["diff", "--exit-code"]), 0);
}

/// `gen diff --format markdown|json` on a fixed pair, compared with the
/// files under tests/review/ (GEN_BLESS=1 rewrites them).
#[test]
fn review_formats_match_their_snapshots() {
    let review = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/review");
    let dir = tempfile::tempdir().expect("temp dir");
    for (format, file) in [("markdown", "diff.md"), ("json", "diff.json")] {
        let o = run_gen(
            dir.path(),
            &[
                "diff",
                "--from",
                review.join("old.sql").to_str().expect("utf-8 path"),
                "--to",
                review.join("new.sql").to_str().expect("utf-8 path"),
                "--format",
                format,
                "--allow-hazard",
                "deletes-data",
            ],
        );
        assert_exit(&o, 0);
        let actual = stdout(&o);
        let path = review.join(file);
        if std::env::var_os("GEN_BLESS").is_some() {
            std::fs::write(&path, &actual).expect("writing snapshot");
            continue;
        }
        let expected = std::fs::read_to_string(&path).expect("snapshot (GEN_BLESS=1 writes it)");
        assert_eq!(
            expected,
            actual,
            "{} differs from gen's output",
            path.display()
        );
    }
}

/// Online mode's scripts, partly outside transactions, deploy, verify and
/// revert with the real sqitch, and the result is what the schema says.
#[test]
fn sqitch_deploys_online_migrations() {
    require_sqitch();
    let dir = project();
    let p = dir.path();
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE customer (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total int);\n",
    );
    assert_exit(&run_gen(p, &["add", "tables"]), 0);
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer (id), total int CHECK (total >= 0));\nCREATE INDEX orders_customer_id ON orders (customer_id);\n",
    );
    assert_exit(&run_gen(p, &["add", "online", "--online"]), 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/online.sql")).expect("deploy");
    assert!(deploy.contains("CREATE INDEX CONCURRENTLY"), "{deploy}");
    assert!(deploy.contains("-- gen: not transactional"), "{deploy}");
    // Replaying it (statement by statement) matches the schema files.
    assert_exit(&run_gen(p, &["check", "--no-cache"]), 0);
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer (id), total int CHECK (total >= 0));\nCREATE INDEX orders_customer_id ON orders (customer_id);\n",
    );

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox = Sandbox::start(&Backend::local_from_env().expect("GEN_PG_BIN, GEN_PG_VERSION"))
            .await
            .expect("a local Postgres for sqitch (install postgresql)");
        let db = sandbox.create_database("sqitch").await.expect("database");
        let target = sqitch_target(&db);
        let sqitch = |args: &[&str]| run_sqitch(p, &target, args);
        sqitch(&["deploy"]);
        sqitch(&["verify"]);
        let client = db.connect().await.expect("connect");
        client
            .batch_execute("INSERT INTO public.customer VALUES (1, 'a@example.com'); INSERT INTO public.orders VALUES (1, 1, 10);")
            .await
            .expect("rows fit the new constraints");
        drop(client);
        // The deployed database plans to nothing against the schema files.
        let url = format!(
            "postgres://{}@/{}?host={}",
            gen_sandbox::SUPERUSER,
            db.name(),
            target.rsplit_once("host=").expect("host").1
        );
        let o = run_gen(p, &["diff", "--from", &url, "--to", "schema", "--exit-code"]);
        assert_exit(&o, 0);
        sqitch(&["revert", "-y", "--to", "tables"]);
        sqitch(&["verify"]);
        sqitch(&["deploy"]);
        sqitch(&["verify"]);
        sandbox.shutdown().await.expect("shutdown");
    });
}

const RENAME_OLD: &str = "CREATE SCHEMA legacy;
CREATE SEQUENCE legacy.ticket_no;
CREATE TYPE legacy.mood AS ENUM ('ok', 'meh');
CREATE DOMAIN legacy.mail_text AS text CHECK (VALUE LIKE '%@%');
CREATE FUNCTION legacy.shout(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(t) $$;
CREATE TABLE legacy.customers (
    id bigint PRIMARY KEY,
    mail text NOT NULL CONSTRAINT customers_mail_check CHECK (mail LIKE '%@%'),
    ticket bigint DEFAULT nextval('legacy.ticket_no'),
    mood legacy.mood DEFAULT 'meh',
    backup legacy.mail_text
);
CREATE INDEX customers_mail_idx ON legacy.customers (mail);
CREATE VIEW legacy.customer_mails AS SELECT id, mail FROM legacy.customers;
CREATE MATERIALIZED VIEW legacy.customer_count AS SELECT count(*) AS n FROM legacy.customers;
";

const RENAME_NEW: &str = "CREATE SCHEMA crm;
CREATE SEQUENCE crm.ticket_number;
CREATE TYPE crm.feeling AS ENUM ('ok', 'so-so');
CREATE DOMAIN crm.email_text AS text CHECK (VALUE LIKE '%@%');
CREATE FUNCTION crm.yell(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(t) $$;
CREATE TABLE crm.clients (
    id bigint PRIMARY KEY,
    email text NOT NULL CONSTRAINT clients_email_check CHECK (email LIKE '%@%'),
    ticket bigint DEFAULT nextval('crm.ticket_number'),
    mood crm.feeling DEFAULT 'so-so',
    backup crm.email_text
);
CREATE INDEX clients_email_idx ON crm.clients (email);
CREATE VIEW crm.client_emails AS SELECT id, email FROM crm.clients;
CREATE MATERIALIZED VIEW crm.client_count AS SELECT count(*) AS n FROM crm.clients;
";

const RENAMES: [&str; 13] = [
    "schema:legacy=crm",
    "table:crm.customers=clients",
    "constraint:crm.clients.customers_pkey=clients_pkey",
    "column:crm.clients.mail=email",
    "constraint:crm.clients.customers_mail_check=clients_email_check",
    "index:crm.customers_mail_idx=clients_email_idx",
    "sequence:crm.ticket_no=ticket_number",
    "view:crm.customer_mails=client_emails",
    "materialized-view:crm.customer_count=client_count",
    "type:crm.mood=feeling",
    "enum-value:crm.feeling.meh=so-so",
    "domain:crm.mail_text=email_text",
    "function:crm.shout(text)=yell",
];

/// Every rename kind keeps its data through a real sqitch deploy and
/// revert, and the deployed database matches the schema files.
#[test]
fn renames_keep_data() {
    require_sqitch();
    let dir = project();
    let p = dir.path();
    write(p, "schema/app.sql", RENAME_OLD);
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    write(p, "schema/app.sql", RENAME_NEW);
    // Without the flags the plan drops data and is refused.
    assert_exit(&run_gen(p, &["add", "second"]), 1);
    let mut args = vec!["add", "second"];
    for r in RENAMES {
        args.extend(["--rename", r]);
    }
    let o = run_gen(p, &args);
    assert_exit(&o, 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/second.sql")).expect("deploy");
    // The view is rebuilt, since its output column is renamed too; nothing
    // that holds data is dropped.
    assert!(!deploy.contains("deletes-data"), "{deploy}");
    assert!(deploy.contains("DROP VIEW crm.client_emails;"), "{deploy}");
    assert!(
        deploy.contains("ALTER SCHEMA legacy RENAME TO crm;"),
        "{deploy}"
    );

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox = Sandbox::start(&Backend::local_from_env().expect("GEN_PG_BIN, GEN_PG_VERSION"))
            .await
            .expect("a local Postgres for sqitch (install postgresql)");
        let db = sandbox.create_database("renames").await.expect("database");
        let target = sqitch_target(&db);
        let sqitch = |args: &[&str]| run_sqitch(p, &target, args);
        sqitch(&["deploy", "--to", "first"]);
        let client = db.connect().await.expect("connect");
        client
            .batch_execute(
                "INSERT INTO legacy.customers (id, mail, backup) VALUES (1, 'a@x', 'a@y'), (2, 'b@x', 'b@y'), (3, 'c@x', 'c@y');
                 REFRESH MATERIALIZED VIEW legacy.customer_count;",
            )
            .await
            .expect("rows");
        sqitch(&["deploy"]);
        // Earlier changes' verify scripts check the names they created.
        sqitch(&["verify", "--from", "second"]);
        let count = |sql: &'static str| {
            let client = &client;
            async move {
                client
                    .query_one(sql, &[])
                    .await
                    .expect(sql)
                    .get::<_, i64>(0)
            }
        };
        assert_eq!(
            count("SELECT count(*) FROM crm.clients WHERE email LIKE '%@x'").await,
            3
        );
        assert_eq!(count("SELECT count(*) FROM crm.client_emails").await, 3);
        assert_eq!(count("SELECT n FROM crm.client_count").await, 3);
        assert_eq!(count("SELECT max(ticket) FROM crm.clients").await, 3);
        assert_eq!(count("SELECT count(*) FROM crm.clients WHERE mood = 'so-so' AND backup LIKE '%@y' AND crm.yell(email) LIKE '%@X'").await, 3);
        let url = format!(
            "postgres://{}@/{}?host={}",
            gen_sandbox::SUPERUSER,
            db.name(),
            target.rsplit_once("host=").expect("host").1
        );
        let o = run_gen(
            p,
            &["diff", "--from", &url, "--to", "schema", "--exit-code"],
        );
        assert_exit(&o, 0);
        sqitch(&["revert", "-y", "--to", "first"]);
        sqitch(&["verify"]);
        assert_eq!(
            count("SELECT count(*) FROM legacy.customers WHERE mail LIKE '%@x'").await,
            3
        );
        drop(client);
        sandbox.shutdown().await.expect("shutdown");
    });
}

#[test]
fn drop_and_create_of_one_shape_suggests_a_rename() {
    let dir = project();
    let p = dir.path();
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE a (id int, note text);\nCREATE TABLE t (id int, mail text);\nCREATE INDEX t_mail ON t (mail);\n",
    );
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE b (id int, note text);\nCREATE TABLE t (id int, email text);\nCREATE INDEX t_mail ON t (id);\nCREATE INDEX t_id ON t (id);\n",
    );
    let o = run_gen(p, &["diff"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("--rename table:public.a=b"), "{err}");
    assert!(err.contains("--rename column:public.t.mail=email"), "{err}");
}

/// `gen check --db` reads a live database: drift against the schema files
/// or against what it has deployed, exit 1; trouble exit 2; the URL is
/// never printed.
#[test]
fn check_db_finds_drift_in_a_live_database() {
    require_sqitch();
    let dir = project();
    let p = dir.path();
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE t (id int PRIMARY KEY);\n",
    );
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox =
            Sandbox::start(&Backend::local_from_env().expect("GEN_PG_BIN, GEN_PG_VERSION"))
                .await
                .expect("a local Postgres (install postgresql)");
        let db = sandbox.create_database("live").await.expect("database");
        let target = sqitch_target(&db);
        run_sqitch(p, &target, &["deploy"]);
        let url = format!(
            "postgres://{}@/{}?host={}",
            gen_sandbox::SUPERUSER,
            db.name(),
            target.rsplit_once("host=").expect("host").1
        );
        let check = |extra: &[&str]| {
            let mut args = vec!["check", "--db", url.as_str()];
            args.extend(extra);
            let o = run_gen(p, &args);
            assert!(!stdout(&o).contains(&url) && !stderr(&o).contains(&url));
            o
        };
        assert_exit(&check(&[]), 0);
        assert_exit(&check(&["--against", "deployed"]), 0);

        let client = db.connect().await.expect("connect");
        client
            .batch_execute("ALTER TABLE public.t ADD COLUMN hotfix text")
            .await
            .expect("hand edit");
        let o = check(&[]);
        assert_exit(&o, 1);
        assert!(
            stdout(&o).contains("+    hotfix text") || stdout(&o).contains("-    hotfix text"),
            "{}",
            stdout(&o)
        );
        let o = check(&["--format", "json"]);
        assert_exit(&o, 1);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        assert_eq!(doc["ok"], false);
        assert_eq!(doc["drift"][0]["object"]["kind"], "table");
        client
            .batch_execute("ALTER TABLE public.t DROP COLUMN hotfix")
            .await
            .expect("undo");

        // A change written but not deployed: drift against the schema files,
        // none against what the database says it has deployed.
        write(
            p,
            "schema/app.sql",
            "CREATE TABLE t (id int PRIMARY KEY, n int);\n",
        );
        assert_exit(&run_gen(p, &["add", "second"]), 0);
        assert_exit(&check(&[]), 1);
        assert_exit(&check(&["--against", "deployed"]), 0);
        run_sqitch(p, &target, &["deploy"]);
        assert_exit(&check(&["--against", "deployed"]), 0);
        assert_exit(&check(&[]), 0);
        drop(client);
        sandbox.shutdown().await.expect("shutdown");
    });

    let secret = "postgres://gen:s3cret-pw@127.0.0.1:1/app";
    let o = run_gen(p, &["check", "--db", secret]);
    assert_exit(&o, 2);
    assert!(!stderr(&o).contains("s3cret-pw"), "{}", stderr(&o));
    let o = run_gen(p, &["check", "--against", "deployed"]);
    assert_exit(&o, 2);
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GEN", env!("CARGO_BIN_EXE_gen"))
        .env_remove("GEN_CONFIG")
        .output()
        .expect("git (run scripts/install-deps)")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("repository root")
        .to_path_buf()
}

/// A project in a fresh git repository with one change committed.
fn git_project() -> tempfile::TempDir {
    let dir = project();
    let p = dir.path();
    assert_exit(&git(p, &["init", "-q"]), 0);
    write(p, "schema/app.sql", "CREATE TABLE t (id int);\n");
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    assert_exit(&git(p, &["add", "-A"]), 0);
    assert_exit(&git(p, &["commit", "-q", "-m", "first"]), 0);
    dir
}

#[test]
fn git_hook_refuses_a_commit_whose_schema_and_migrations_disagree() {
    let dir = git_project();
    let p = dir.path();
    std::fs::copy(
        repo_root().join("hooks/pre-commit"),
        p.join(".git/hooks/pre-commit"),
    )
    .expect("installing the hook");
    // Staged schema edit without a migration: refused.
    write(p, "schema/app.sql", "CREATE TABLE t (id int, n int);\n");
    assert_exit(&git(p, &["add", "schema"]), 0);
    let o = git(p, &["commit", "-q", "-m", "drift"]);
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("gen check failed"), "{}", stderr(&o));
    // With the change added it goes through.
    assert_exit(&run_gen(p, &["add", "second"]), 0);
    assert_exit(&git(p, &["add", "-A"]), 0);
    assert_exit(&git(p, &["commit", "-q", "-m", "second"]), 0);
    // What is staged counts, not the working tree: an unstaged edit does not
    // block an unrelated commit.
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE t (id int, n int, m int);\n",
    );
    write(p, "notes.txt", "unrelated\n");
    assert_exit(&git(p, &["add", "notes.txt"]), 0);
    assert_exit(&git(p, &["commit", "-q", "-m", "notes"]), 0);
    // An edited committed script is refused too.
    write(p, "schema/app.sql", "CREATE TABLE t (id int, n int);\n");
    let deploy = p.join("migrations/deploy/first.sql");
    let text = std::fs::read_to_string(&deploy).expect("deploy");
    std::fs::write(&deploy, format!("{text}-- edited\n")).expect("edit");
    assert_exit(&git(p, &["add", "-A"]), 0);
    assert_ne!(
        git(p, &["commit", "-q", "-m", "edit"]).status.code(),
        Some(0)
    );
}

#[test]
fn pre_commit_framework_runs_the_gen_check_hook() {
    let dir = git_project();
    let p = dir.path();
    // The hook repository: this project's hook definition, committed in a
    // repository of its own (this checkout need not be a git repository).
    let hooks = tempfile::tempdir().expect("hook repository");
    std::fs::copy(
        repo_root().join(".pre-commit-hooks.yaml"),
        hooks.path().join(".pre-commit-hooks.yaml"),
    )
    .expect("copying .pre-commit-hooks.yaml");
    assert_exit(&git(hooks.path(), &["init", "-q"]), 0);
    assert_exit(&git(hooks.path(), &["add", "-A"]), 0);
    assert_exit(&git(hooks.path(), &["commit", "-q", "-m", "hooks"]), 0);
    let home = tempfile::tempdir().expect("pre-commit home");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_gen"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = || {
        Command::new("pre-commit")
            .current_dir(p)
            .args(["try-repo"])
            .arg(hooks.path())
            .args(["gen-check", "--all-files"])
            .env("PRE_COMMIT_HOME", home.path())
            .env("PATH", &path)
            .env_remove("GEN_CONFIG")
            .output()
            .expect("pre-commit is not installed: run scripts/install-deps")
    };
    let o = run();
    assert_exit(&o, 0);
    write(p, "schema/app.sql", "CREATE TABLE t (id int, n int);\n");
    let o = run();
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("gen check"), "{}", stdout(&o));
}

/// A cached check starts no server; any edit to any input is a new key,
/// so a stale snapshot never hides drift.
#[test]
fn cached_check_never_hides_drift() {
    let dir = project();
    let p = dir.path();
    write(p, "schema/app.sql", "CREATE TABLE t (id int);\n");
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    let check = |args: &[&str]| {
        let mut all = vec!["check"];
        all.extend(args);
        let o = run_gen(p, &all);
        (o.status.code(), stderr(&o).contains("(cached)"))
    };
    assert_eq!(check(&[]), (Some(0), false));
    assert_eq!(check(&[]), (Some(0), true));
    // A check that matched is remembered as such: its report comes whole
    // without the catalogs being read.
    let o = run_gen(p, &["check", "--format", "json"]);
    assert_exit(&o, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["cached"], true);
    assert_eq!(doc["plan"], serde_json::json!([]));
    assert_eq!(doc["drift"], serde_json::json!([]));
    assert_eq!(check(&["--no-cache"]), (Some(0), false));

    // A schema edit: drift found, whatever was cached.
    write(p, "schema/app.sql", "CREATE TABLE t (id int, n int);\n");
    assert_eq!(check(&[]).0, Some(1));
    assert_eq!(check(&[]).0, Some(1), "drift is found again from the cache");
    // A new file in the schema directory is an input too.
    write(p, "schema/app.sql", "CREATE TABLE t (id int);\n");
    assert_eq!(check(&[]), (Some(0), true));
    write(p, "schema/more.sql", "CREATE TABLE u (id int);\n");
    assert_eq!(check(&[]).0, Some(1));
    std::fs::remove_file(p.join("schema/more.sql")).expect("remove");
    assert_eq!(check(&[]), (Some(0), true));

    // An edited migration script fails the check (integrity) and is a new key.
    let deploy = p.join("migrations/deploy/first.sql");
    let original = std::fs::read_to_string(&deploy).expect("deploy");
    std::fs::write(
        &deploy,
        original.replace(
            "CREATE TABLE public.t (\n    id integer\n);",
            "CREATE TABLE public.t (\n    id bigint\n);",
        ),
    )
    .expect("edit");
    let o = run_gen(p, &["check"]);
    assert_exit(&o, 1);
    assert!(!stderr(&o).contains("(cached)"));
    std::fs::write(&deploy, &original).expect("restore");
    assert_eq!(check(&[]), (Some(0), true));

    // Settings are inputs: a changed gen.toml is a new key.
    let toml = std::fs::read_to_string(p.join("gen.toml")).expect("gen.toml");
    write(
        p,
        "gen.toml",
        &format!("{toml}\n[ignore]\nobjects = [\"rule *\"]\n"),
    );
    assert_eq!(check(&[]), (Some(0), false));
}

/// Trouble in the migrations directory is exit 2 with the place named,
/// never confused with drift (exit 1).
#[test]
fn broken_migrations_are_trouble_not_drift() {
    let dir = project();
    let p = dir.path();
    write(p, "schema/app.sql", "CREATE TABLE t (id int);\n");
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    let check = |args: &[&str]| {
        let mut all = vec!["check", "--no-cache"];
        all.extend(args);
        run_gen(p, &all)
    };

    // A script that no longer replays: its file, line and the server's message.
    let deploy = p.join("migrations/deploy/first.sql");
    let original = std::fs::read_to_string(&deploy).expect("deploy");
    std::fs::write(
        &deploy,
        original.replace("CREATE TABLE public.t", "CREATE TABLE public.missing.t"),
    )
    .expect("edit");
    assert_exit(&run_gen(p, &["rehash"]), 0);
    let o = check(&[]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("deploy/first.sql:"), "{}", stderr(&o));
    std::fs::write(&deploy, &original).expect("restore");
    assert_exit(&run_gen(p, &["rehash"]), 0);
    assert_exit(&check(&[]), 0);

    // A corrupt plan file.
    let plan = p.join("migrations/sqitch.plan");
    let text = std::fs::read_to_string(&plan).expect("plan");
    std::fs::write(&plan, format!("{text}this is not a plan line @@@\n")).expect("corrupt");
    let o = check(&[]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("sqitch.plan"), "{}", stderr(&o));
    std::fs::write(&plan, &text).expect("restore");

    // A corrupt sum file.
    let sum = p.join("migrations/gen.sum");
    std::fs::write(&sum, "garbage\n").expect("corrupt");
    let o = check(&[]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("gen.sum:1:"), "{}", stderr(&o));
}

#[test]
fn bad_renames_are_trouble() {
    let dir = project();
    let p = dir.path();
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE a (id int);\nCREATE VIEW v AS SELECT 1 AS x;\n",
    );
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    write(
        p,
        "schema/app.sql",
        "CREATE TABLE b (id int);\nCREATE VIEW w AS SELECT 1 AS x;\n",
    );
    let before = snapshot(p);
    for (flag, expected) in [
        ("tabel:public.a=b", "unknown kind"),
        ("table:public.nope=b", "does not exist"),
        ("table:public.a=nope", "has no table public.nope"),
        ("table:public.v=w", "has no table public.v to rename"),
        ("column:public.a=b", "with 3 part(s)"),
        ("function:public.f=g", "argument types"),
    ] {
        let o = run_gen(p, &["add", "second", "--rename", flag]);
        assert_exit(&o, 2);
        assert!(stderr(&o).contains(expected), "{flag}: {}", stderr(&o));
        assert_eq!(before, snapshot(p), "{flag}: nothing written");
    }
}

#[test]
fn sqitch_deploys_verifies_and_reverts_gen_migrations() {
    require_sqitch();
    let dir = project();
    let p = dir.path();
    write(
        p,
        "schema/app.sql",
        "CREATE SCHEMA app;\nCREATE TABLE app.users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\n",
    );
    assert_exit(&run_gen(p, &["add", "users"]), 0);
    write(
        p,
        "schema/app.sql",
        "CREATE SCHEMA app;\nCREATE TABLE app.users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, name varchar(100));\nCREATE INDEX users_email_idx ON app.users (email);\n",
    );
    assert_exit(&run_gen(p, &["add", "user_names"]), 0);

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox =
            Sandbox::start(&Backend::local_from_env().expect("GEN_PG_BIN, GEN_PG_VERSION"))
                .await
                .expect("a local Postgres for sqitch (install postgresql)");
        let db = sandbox.create_database("sqitch").await.expect("database");
        let target = sqitch_target(&db);
        let sqitch = |args: &[&str]| run_sqitch(p, &target, args);
        sqitch(&["deploy"]);
        sqitch(&["verify"]);
        let client = db.connect().await.expect("connect");
        let n: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'users_email_idx'",
                &[],
            )
            .await
            .expect("query")
            .get(0);
        assert_eq!(n, 1);
        sqitch(&["revert", "-y", "--to", "users"]);
        sqitch(&["verify"]);
        sqitch(&["revert", "-y"]);
        let n: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_namespace WHERE nspname = 'app'",
                &[],
            )
            .await
            .expect("query")
            .get(0);
        assert_eq!(n, 0, "revert to the start removes everything");
        drop(client);
        sandbox.shutdown().await.expect("shutdown");
    });
}

#[test]
fn empty_change_writes_blank_scripts() {
    let dir = project();
    let o = run_gen(
        dir.path(),
        &[
            "add",
            "backfill",
            "--empty",
            "-n",
            "hand-written data change",
        ],
    );
    assert_exit(&o, 0);
    let deploy =
        std::fs::read_to_string(dir.path().join("migrations/deploy/backfill.sql")).expect("deploy");
    assert!(
        deploy.contains("BEGIN;") && deploy.contains("COMMIT;"),
        "{deploy}"
    );
    assert!(dir.path().join("migrations/revert/backfill.sql").is_file());
    assert!(dir.path().join("migrations/verify/backfill.sql").is_file());
    let plan = std::fs::read_to_string(dir.path().join("migrations/sqitch.plan")).expect("plan");
    assert!(plan.contains("backfill 2026-01-02T03:04:05Z"), "{plan}");
}

#[test]
fn check_reports_json_and_config_moves_directories() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    assert_exit(&run_gen(p, &["init", "--project", "cfg"]), 0);
    // Settings can live elsewhere and name other directories.
    std::fs::rename(p.join("schema"), p.join("db")).expect("rename");
    write(
        p,
        "conf/gen.toml",
        "[project]\nschema = \"../db\"\nmigrations = \"../migrations\"\n",
    );
    write(p, "db/t.sql", "CREATE TABLE t (id int PRIMARY KEY);\n");
    let o = run_gen(
        p,
        &["check", "--config", "conf/gen.toml", "--format", "json"],
    );
    assert_exit(&o, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["drift"][0]["object"]["kind"], "table");
    assert_exit(&run_gen(p, &["add", "t", "--config", "conf/gen.toml"]), 0);
    let o = run_gen(
        p,
        &["check", "--config", "conf/gen.toml", "--format", "json"],
    );
    assert_exit(&o, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(doc["ok"], true);
    let o = run_gen(p, &["check", "--config", "conf/missing.toml"]);
    assert_exit(&o, 2);
}

#[test]
fn docker_image_flag_reaches_the_docker_backend() {
    let dir = project();
    let o = gen_cmd(dir.path())
        .args([
            "check",
            "--sandbox",
            "docker",
            "--docker-image",
            "postgres:16",
        ])
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .output()
        .expect("gen");
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("Docker"), "{}", stderr(&o));
}

/// `--dev-url` uses an existing server: scratch databases are created there
/// and dropped afterwards.
#[test]
fn dev_url_uses_an_existing_server_and_cleans_up() {
    let dir = project();
    write(
        dir.path(),
        "schema/t.sql",
        "CREATE TABLE t (id int PRIMARY KEY);\n",
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let server =
            Sandbox::start(&Backend::local_from_env().expect("GEN_PG_BIN, GEN_PG_VERSION"))
                .await
                .expect("a local Postgres to stand in for a dev server (install postgresql)");
        let url = server.url();
        let o = run_gen(dir.path(), &["add", "t", "--dev-url", &url]);
        assert_exit(&o, 0);
        let o = run_gen(dir.path(), &["check", "--dev-url", &url]);
        assert_exit(&o, 0);
        let client = gen_sandbox::connect_url(&url).await.expect("connect");
        let left: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_database WHERE datname LIKE 'gen_scratch_%'",
                &[],
            )
            .await
            .expect("query")
            .get(0);
        assert_eq!(left, 0, "scratch databases were left behind");
        drop(client);
        server.shutdown().await.expect("shutdown");
    });
}

#[test]
fn edited_script_fails_check_until_rehashed() {
    let dir = project();
    let p = dir.path();
    write(p, "schema/t.sql", "CREATE TABLE t (id int PRIMARY KEY);\n");
    assert_exit(&run_gen(p, &["add", "t"]), 0);
    assert_exit(&run_gen(p, &["check"]), 0);
    let deploy = p.join("migrations/deploy/t.sql");
    let text = std::fs::read_to_string(&deploy).expect("deploy");
    std::fs::write(&deploy, text.replace("COMMIT;", "-- reviewed\nCOMMIT;")).expect("edit");
    let o = run_gen(p, &["check"]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("deploy/t.sql"), "{}", stderr(&o));
    assert_exit(&run_gen(p, &["rehash"]), 0);
    assert_exit(&run_gen(p, &["check"]), 0);
}

/// Grants are always planned; owners only with `--owners` or
/// `[plan] owners = true`, since a new object belongs to whoever runs the
/// migration.
#[test]
fn owners_are_planned_only_on_request() {
    let dir = project();
    let p = dir.path();
    write(
        p,
        "schema/t.sql",
        "CREATE TABLE t (id int);\nALTER TABLE t OWNER TO app_owner;\nGRANT SELECT ON t TO app_reader;\n",
    );
    assert_exit(&run_gen(p, &["add", "first"]), 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/first.sql")).expect("deploy");
    assert!(
        deploy.contains("GRANT SELECT ON TABLE public.t TO app_reader;"),
        "{deploy}"
    );
    assert!(!deploy.contains("OWNER TO"), "{deploy}");
    assert_exit(&run_gen(p, &["check"]), 0);

    let o = run_gen(p, &["check", "--owners"]);
    assert_exit(&o, 1);
    assert!(
        stdout(&o).contains("ALTER TABLE public.t OWNER TO app_owner;"),
        "{}",
        stdout(&o)
    );

    let config = std::fs::read_to_string(p.join("gen.toml")).expect("gen.toml");
    write(p, "gen.toml", &format!("{config}\n[plan]\nowners = true\n"));
    assert_exit(&run_gen(p, &["add", "owners"]), 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/owners.sql")).expect("deploy");
    assert!(
        deploy.contains("ALTER TABLE public.t OWNER TO app_owner;"),
        "{deploy}"
    );
    assert_exit(&run_gen(p, &["check"]), 0);
}

/// A password written in a schema file reaches no migration, no output
/// format, no error and no cached catalog: the plan reads it from a psql
/// variable, and says so.
#[test]
fn a_planted_password_is_never_written_or_printed() {
    const PLANTED: &str = "planted-s3cret-42";
    let dir = project();
    let mapping = format!(
        "CREATE EXTENSION postgres_fdw;\n\
         CREATE SERVER warehouse FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'dw.internal');\n\
         CREATE USER MAPPING FOR PUBLIC SERVER warehouse OPTIONS (user 'reader', password '{PLANTED}');\n\
         CREATE SUBSCRIPTION feed CONNECTION 'host=primary.internal password={PLANTED} dbname=app'\n\
             PUBLICATION events WITH (connect = false);\n"
    );
    write(dir.path(), "schema/fdw.sql", &mapping);
    let mut printed = Vec::new();
    let o = run_gen(dir.path(), &["add", "warehouse"]);
    assert_exit(&o, 0);
    printed.push(text(&o));
    let deploy = std::fs::read_to_string(dir.path().join("migrations/deploy/warehouse.sql"))
        .expect("deploy script");
    assert!(
        deploy.contains("password :'gen_secret_warehouse_public_password'")
            && deploy.contains(
                "'host=primary.internal dbname=app password='\n    :'gen_secret_feed_password'"
            )
            && deploy.contains("needs-secret"),
        "{deploy}"
    );
    let empty = tempfile::tempdir().expect("temp dir");
    let from = empty.path().to_str().expect("utf-8 path");
    for format in ["sql", "json", "markdown"] {
        let o = run_gen(
            dir.path(),
            &["diff", "--from", from, "--to", "schema", "--format", format],
        );
        assert_exit(&o, 0);
        printed.push(text(&o));
    }
    let o = run_gen(dir.path(), &["check"]);
    assert_exit(&o, 0);
    printed.push(text(&o));
    // A statement the server rejects is shown in the error, its secret not.
    write(
        dir.path(),
        "schema/fdw.sql",
        &mapping.replace("password '", "bogus 'x', password '"),
    );
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("bogus"), "{}", stderr(&o));
    printed.push(text(&o));
    write(
        dir.path(),
        "schema/fdw.sql",
        &mapping.replace("(connect = false)", "(connect = false, bogus = 1)"),
    );
    let o = run_gen(dir.path(), &["diff"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("bogus"), "{}", stderr(&o));
    printed.push(text(&o));
    for output in &printed {
        assert!(
            !output.contains(PLANTED),
            "the password was printed:\n{output}"
        );
    }
    let cache = std::env::temp_dir()
        .join("gen-tests-cache")
        .join(dir.path().file_name().expect("a name"));
    for root in [dir.path(), cache.as_path()] {
        for (path, bytes) in snapshot(root) {
            if path.starts_with("schema") {
                continue;
            }
            assert!(
                !String::from_utf8_lossy(&bytes).contains(PLANTED),
                "the password was written to {}",
                path.display()
            );
        }
    }
}

/// A step over a second says what it is doing on stderr, where stderr is
/// a terminal (run under `script`, which gives gen one), and never where
/// it is a pipe.
#[test]
fn slow_steps_say_what_they_do_on_a_terminal_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    write(p, "empty.sql", "");
    write(
        p,
        "slow.sql",
        "SELECT pg_sleep(1.5);\nCREATE TABLE t (id int);\n",
    );
    let args = ["diff", "--from", "empty.sql", "--to", "slow.sql"];
    let piped = run_gen(p, &args);
    assert_exit(&piped, 0);
    assert!(
        !stderr(&piped).contains("gen: loading"),
        "{}",
        stderr(&piped)
    );

    let base = gen_cmd(p);
    let mut cmd = Command::new("script");
    cmd.current_dir(p).args([
        "-qec",
        &format!("{} {}", env!("CARGO_BIN_EXE_gen"), args.join(" ")),
        "/dev/null",
    ]);
    for (key, value) in base.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    let o = cmd
        .output()
        .expect("running gen under script (util-linux's, in bsdutils)");
    assert_exit(&o, 0);
    let seen = text(&o);
    assert!(
        seen.contains("gen: loading the schema files") && seen.contains(" s\r\n"),
        "{seen}"
    );
}
