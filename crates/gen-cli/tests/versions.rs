//! PostgreSQL majors end to end through the `gen` binary: the project's
//! version picks the sandbox's server, majors gen does not support are
//! refused, targets of another major are warned about (refused under
//! `--strict`), a backup is taken by a pg_dump as new as the target, and
//! what PostgreSQL 18 adds beyond the model is named.
//!
//! These tests need server binaries of several majors: `scripts/install-deps`
//! installs every supported one (README, "PostgreSQL versions").

mod common;

use common::*;
use gen_sandbox::{Backend, Sandbox};

/// `gen` as [`run_gen`] runs it, the major left to the project's gen.toml
/// and the flags (scripts/test sets `GEN_PG_VERSION` for the suite).
fn run_gen(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    gen_cmd(dir)
        .env_remove("GEN_PG_VERSION")
        .args(args)
        .output()
        .expect("running gen")
}

fn project(version: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = version.to_string();
    let o = run_gen(
        dir.path(),
        &["--pg-version", &v, "init", "--project", "shop"],
    );
    assert_exit(&o, 0);
    let toml = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    assert!(toml.contains(&format!("\nversion = {v}\n")), "{toml}");
    dir
}

/// Panics with how to get a server of `major` when there is none.
async fn server(major: u32) -> Sandbox {
    Sandbox::start(&Backend::Local {
        pg_bin: None,
        version: Some(major),
    })
    .await
    .unwrap_or_else(|e| {
        panic!(
            "this test needs PostgreSQL {major} server binaries: {e}\nhint: {}\n(scripts/install-deps installs every supported major)",
            e.hint().unwrap_or("none")
        )
    })
}

/// `GRANT MAINTAIN` is PostgreSQL 17's: the project's version decides
/// whether the schema loads at all.
#[test]
fn the_project_version_picks_the_sandbox_major() {
    let dir = project(17);
    let p = dir.path();
    write(
        p,
        "schema/t.sql",
        "CREATE TABLE t (id int);\nGRANT MAINTAIN ON t TO PUBLIC;\n",
    );
    let o = run_gen(p, &["--sandbox-idle", "0", "add", "t"]);
    assert_exit(&o, 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/t.sql")).expect("deploy");
    assert!(
        deploy.contains("GRANT MAINTAIN ON TABLE public.t TO PUBLIC;"),
        "{deploy}"
    );
    assert_exit(&run_gen(p, &["--sandbox-idle", "0", "check"]), 0);

    // The same files on 16, by flag: its server has no such privilege.
    let o = run_gen(
        p,
        &[
            "--sandbox-idle",
            "0",
            "--pg-version",
            "16",
            "check",
            "--no-cache",
        ],
    );
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("maintain"), "{}", text(&o));
}

#[test]
fn an_unsupported_major_is_refused_naming_the_supported_ones() {
    let dir = project(15);
    let o = run_gen(dir.path(), &["--pg-version", "13", "check"]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("PostgreSQL 13 is not supported"), "{err}");
    assert!(err.contains("14 to 18"), "{err}");

    let toml = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
    write(
        dir.path(),
        "gen.toml",
        &toml.replace("version = 15", "version = 12"),
    );
    let o = run_gen(dir.path(), &["check"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("PostgreSQL 12 is not supported"),
        "{}",
        text(&o)
    );
}

/// A project planning for 17 meets a database of 16: reading it warns,
/// `--strict` refuses, a `--dev-url` of the wrong major is an error, and
/// a backup is taken by a pg_dump of at least 16.
#[test]
fn a_target_of_another_major_is_warned_about() {
    let dir = project(17);
    let p = dir.path();
    write(p, "schema/t.sql", "CREATE TABLE t (id int PRIMARY KEY);\n");
    assert_exit(&run_gen(p, &["--sandbox-idle", "0", "add", "t"]), 0);

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox = server(16).await;
        let db = sandbox.create_database("target").await.expect("database");
        let url = url(&db);

        let o = run_gen(
            p,
            &[
                "--sandbox-idle",
                "0",
                "diff",
                "--from",
                &url,
                "--to",
                "schema",
            ],
        );
        assert_exit(&o, 0);
        let err = stderr(&o);
        assert!(
            err.contains("warning: the database at")
                && err.contains("is PostgreSQL 16.")
                && err.contains("the project ([sandbox] version) is PostgreSQL 17"),
            "{err}"
        );

        let o = run_gen(
            p,
            &[
                "--sandbox-idle",
                "0",
                "--strict",
                "diff",
                "--from",
                &url,
                "--to",
                "schema",
            ],
        );
        assert_exit(&o, 2);
        assert!(stderr(&o).contains("is PostgreSQL 16."), "{}", text(&o));

        let o = run_gen(p, &["--dev-url", &url, "check", "--no-cache"]);
        assert_exit(&o, 2);
        assert!(
            stderr(&o).contains("but the project asks for PostgreSQL 17"),
            "{}",
            text(&o)
        );

        let backup = p.join("before.sql");
        let backup_arg = backup.to_string_lossy().into_owned();
        let o = run_gen(p, &["deploy", "--db", &url, "--backup", &backup_arg]);
        assert_exit(&o, 0);
        let err = stderr(&o);
        assert!(
            err.contains("warning: the database is PostgreSQL 16."),
            "{err}"
        );
        let dumped_by = err
            .split("by pg_dump ")
            .nth(1)
            .unwrap_or_else(|| panic!("which pg_dump is not said: {err}"));
        let major: u32 = dumped_by
            .split(['.', ' '])
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or_else(|| panic!("no version after pg_dump: {err}"));
        assert!(major >= 16, "a pg_dump older than the server: {err}");
        let dump = std::fs::read_to_string(&backup).expect("the backup");
        assert!(dump.contains("PostgreSQL database dump"), "{dump}");

        sandbox.shutdown().await.expect("shutdown");
    });
}

/// What PostgreSQL 18 adds to constraints is planned, as the server
/// writes it: temporal keys, NOT ENFORCED checks, not-null constraints
/// that are NOT VALID or NO INHERIT. What an extension made (btree_gist's
/// operator classes) is the extension's, never planned.
#[test]
fn pg18_constraints_are_planned() {
    let dir = project(18);
    let p = dir.path();
    write(
        p,
        "schema/t.sql",
        "CREATE EXTENSION btree_gist;\n\
         CREATE TABLE rooms (id int, during tstzrange,\n\
         \x20   CONSTRAINT rooms_pkey PRIMARY KEY (id, during WITHOUT OVERLAPS));\n\
         CREATE TABLE t (a int CONSTRAINT a_positive CHECK (a > 0) NOT ENFORCED,\n\
         \x20   b int CONSTRAINT b_required NOT NULL NO INHERIT, c int);\n\
         ALTER TABLE t ADD CONSTRAINT c_required NOT NULL c NOT VALID;\n",
    );
    let o = run_gen(p, &["--sandbox-idle", "0", "add", "x"]);
    assert_exit(&o, 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/x.sql")).expect("deploy");
    for written in [
        "CONSTRAINT rooms_pkey PRIMARY KEY (id, during WITHOUT OVERLAPS)",
        "b integer CONSTRAINT b_required NOT NULL NO INHERIT",
        "ALTER TABLE public.t ADD CONSTRAINT a_positive CHECK ((a > 0)) NOT ENFORCED;",
        "ALTER TABLE public.t ADD CONSTRAINT c_required NOT NULL c NOT VALID;",
    ] {
        assert!(deploy.contains(written), "{written} not planned: {deploy}");
    }
    assert!(
        !deploy.contains("OPERATOR"),
        "an extension's members planned: {deploy}"
    );
    let o = run_gen(p, &["--sandbox-idle", "0", "check"]);
    assert_exit(&o, 0);
}

/// Without a version gen says which major it planned with; `gen init
/// --from-db` writes the database's major, and its sandbox runs it.
#[test]
fn the_major_used_is_said_and_init_from_db_takes_the_databases() {
    let dir = project(15);
    let p = dir.path();
    let toml = std::fs::read_to_string(p.join("gen.toml")).expect("gen.toml");
    write(p, "gen.toml", &toml.replace("\nversion = 15\n", "\n"));
    write(p, "schema/t.sql", "CREATE TABLE t (id int);\n");
    let o = run_gen(p, &["--sandbox-idle", "0", "add", "t"]);
    assert_exit(&o, 0);
    let err = stderr(&o);
    assert!(
        err.contains("note: planned with PostgreSQL ") && err.contains("set [sandbox] version"),
        "{err}"
    );

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox = server(16).await;
        let db = sandbox.create_database("live").await.expect("database");
        let client = db.connect().await.expect("connect");
        client
            .batch_execute("CREATE TABLE public.accounts (id int PRIMARY KEY)")
            .await
            .expect("live schema");
        let fresh = tempfile::tempdir().expect("temp dir");
        let o = run_gen(
            fresh.path(),
            &["--sandbox-idle", "0", "init", "--from-db", &url(&db)],
        );
        assert_exit(&o, 0);
        let toml = std::fs::read_to_string(fresh.path().join("gen.toml")).expect("gen.toml");
        assert!(toml.contains("\nversion = 16\n"), "{toml}");
        drop(client);
        sandbox.shutdown().await.expect("shutdown");
    });
}
