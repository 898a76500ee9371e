//! Schema files are untrusted input: what they try against the machine,
//! other servers and later runs fails, and says why. Each test is one
//! attack; gen runs as the user would, on the local sandbox.

mod common;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use common::*;

/// A project whose schema is `sql`, and a directory anyone may write to,
/// where an attack that worked would leave a file (the sandbox's server
/// runs as another OS user when gen runs as root).
fn project(sql: &str) -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run_gen(dir.path(), &["init", "--project", "victim"]);
    assert_exit(&o, 0);
    let drop = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(drop.path(), std::fs::Permissions::from_mode(0o1777)).expect("chmod");
    let sql = sql.replace("{drop}", &drop.path().display().to_string());
    std::fs::write(dir.path().join("schema/attack.sql"), sql).expect("write");
    (dir, drop)
}

/// `gen check` (and `gen add`) fail on the attack, at its statement, with
/// a reason; nothing lands in the drop directory or the migrations.
#[track_caller]
fn refused(dir: &Path, drop: &Path, at: &str, because: &str) {
    for command in [&["check", "--no-cache"][..], &["add", "attack"]] {
        let o = run_gen(dir, command);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(err.contains(at), "{command:?} does not name {at}: {err}");
        assert!(
            err.contains(because),
            "{command:?} does not say {because:?}: {err}"
        );
    }
    assert!(
        std::fs::read_dir(drop).expect("drop dir").next().is_none(),
        "the attack left a file"
    );
    assert!(!dir.join("migrations/deploy/attack.sql").exists());
}

#[test]
fn copy_to_program_does_not_run() {
    let (dir, drop) = project(
        "CREATE TABLE t (id int);\n\
         DO $$ BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'id > {drop}/pwned'); END $$;\n",
    );
    refused(
        dir.path(),
        drop.path(),
        "schema/attack.sql:2:1",
        "pg_execute_server_program",
    );
}

#[test]
fn files_cannot_be_written_read_or_listed() {
    for (sql, because) in [
        (
            "DO $$ BEGIN EXECUTE format('COPY (SELECT 1) TO %L', '{drop}/out.txt'); END $$;\n",
            "pg_write_server_files",
        ),
        (
            "DO $$ BEGIN EXECUTE 'CREATE VIEW leak AS SELECT ' || quote_literal(pg_read_file('/etc/passwd')) || '::text AS x'; END $$;\n",
            "permission denied for function pg_read_file",
        ),
        (
            "DO $$ BEGIN EXECUTE 'CREATE VIEW leak AS SELECT ' || quote_literal((SELECT string_agg(f, ',') FROM pg_ls_dir('/root') f)) || '::text AS x'; END $$;\n",
            "permission denied for function pg_ls_dir",
        ),
    ] {
        let (dir, drop) = project(sql);
        refused(dir.path(), drop.path(), "schema/attack.sql:1:1", because);
    }
}

/// A foreign table reads a file only through its wrapper's handler, which
/// the sandbox takes away while loading; the file's text never shows.
#[test]
fn foreign_tables_read_nothing() {
    let (dir, drop) = project(
        "CREATE EXTENSION file_fdw;\n\
         CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;\n\
         CREATE FOREIGN TABLE secrets (line text) SERVER files OPTIONS (filename '/etc/passwd');\n\
         DO $$ BEGIN RAISE EXCEPTION 'leaked: %', (SELECT string_agg(line, ',') FROM secrets); END $$;\n",
    );
    refused(
        dir.path(),
        drop.path(),
        "schema/attack.sql:4:1",
        "has no handler",
    );
    let o = run_gen(dir.path(), &["check", "--no-cache"]);
    assert!(!stderr(&o).contains("root:"), "{}", stderr(&o));
}

/// A function in an untrusted language is created (so the plan has it)
/// but never runs in the sandbox; one in C is refused outright.
#[test]
fn untrusted_functions_never_run() {
    let (dir, drop) = project(
        "CREATE EXTENSION plperlu;\n\
         CREATE FUNCTION pwn() RETURNS void LANGUAGE plperlu AS $$ open(my $f, '>', '{drop}/pwned'); $$;\n\
         SELECT pwn();\n",
    );
    refused(
        dir.path(),
        drop.path(),
        "schema/attack.sql:3:1",
        "never runs them",
    );
    // Without the call it loads, and is planned.
    std::fs::write(
        dir.path().join("schema/attack.sql"),
        "CREATE EXTENSION plperlu;\n\
         CREATE FUNCTION kept() RETURNS int LANGUAGE plperlu AS $$ return 1; $$;\n",
    )
    .expect("write");
    let o = run_gen(dir.path(), &["add", "kept"]);
    assert_exit(&o, 0);
    let deploy = std::fs::read_to_string(dir.path().join("migrations/deploy/kept.sql"))
        .expect("deploy script");
    assert!(deploy.contains("LANGUAGE plperlu"), "{deploy}");

    let (dir, drop) = project(
        "CREATE FUNCTION connect_u(text) RETURNS text LANGUAGE c AS '$libdir/dblink', 'dblink_connect_u';\n",
    );
    refused(
        dir.path(),
        drop.path(),
        "schema/attack.sql:1:1",
        "only an extension can bring one",
    );
}

/// dblink from the sandbox cannot log in to another server over its Unix
/// socket: a role without superuser must give a password, and the other
/// server is left as it was.
#[test]
fn other_servers_are_out_of_reach() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let victim = runtime.block_on(async {
        gen_sandbox::Sandbox::start(&gen_sandbox::Backend::local_from_env().expect("backend"))
            .await
            .expect("a local Postgres to stand in for another server (install postgresql)")
    });
    let conninfo = victim.conninfo();
    let (dir, drop) = project(&format!(
        "CREATE EXTENSION dblink;\n\
         DO $$ BEGIN PERFORM dblink_exec({}, 'CREATE TABLE pwned (id int)'); END $$;\n",
        gen_model::Literal(&conninfo)
    ));
    refused(dir.path(), drop.path(), "schema/attack.sql:2:1", "password");
    let untouched = runtime.block_on(async {
        let admin = gen_sandbox::connect_url(&conninfo).await.expect("connect");
        let n: i64 = admin
            .query_one("SELECT count(*) FROM pg_class WHERE relname = 'pwned'", &[])
            .await
            .expect("query")
            .get(0);
        n == 0
    });
    assert!(untouched, "the other server has the attacker's table");
    runtime.block_on(victim.shutdown()).expect("shutdown");
}

/// A foreign-data wrapper's validator runs as the superuser that creates
/// the wrapper (as soon as it has options): one a schema file wrote is
/// refused before it can run.
#[test]
fn a_wrappers_functions_must_come_from_an_extension() {
    let (dir, drop) = project(
        "CREATE FUNCTION check_options(text[], oid) RETURNS void LANGUAGE plpgsql AS $f$\n\
         BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'id > {drop}/pwned'); END $f$;\n\
         CREATE FOREIGN DATA WRAPPER sneaky VALIDATOR check_options OPTIONS (mode 'x');\n",
    );
    refused(
        dir.path(),
        drop.path(),
        "schema/attack.sql:3:1",
        "check_options is a function a schema file wrote",
    );
}

/// What reaches beyond the database a schema describes is refused by name
/// before anything loads.
#[test]
fn server_wide_statements_are_refused() {
    for (sql, because) in [
        ("ALTER SYSTEM SET archive_command = 'id';\n", "ALTER SYSTEM"),
        (
            "CREATE DATABASE other;\n",
            "the sandbox's databases are its own",
        ),
        ("LOAD 'auto_explain';\n", "LOAD loads a library"),
        (
            "SET SESSION AUTHORIZATION nobody;\n",
            "SET SESSION AUTHORIZATION",
        ),
        (
            "ALTER TABLE t OWNER TO gen_sandbox;\n",
            "the sandbox's superuser owns nothing",
        ),
    ] {
        let (dir, drop) = project(&format!("CREATE TABLE t (id int);\n{sql}"));
        refused(dir.path(), drop.path(), "schema/attack.sql:2:1", because);
    }
}

/// Runs of one warm server: one project's files change its loading role,
/// plant an event trigger and try the sandbox's superuser; the next
/// project's plan is byte for byte what a throwaway sandbox gives.
#[test]
fn a_run_leaves_nothing_for_the_next() {
    let warm = tempfile::tempdir().expect("warm server directory");
    let gen_warm = |p: &Path, args: &[&str]| {
        gen_cmd(p)
            .env("GEN_SANDBOX_DIR", warm.path())
            .args(args)
            .output()
            .expect("running gen")
    };
    let (attacker, _drop) = project(
        "ALTER ROLE postgres NOSUPERUSER;\n\
         DO $$ BEGIN EXECUTE 'ALTER ROLE postgres SET search_path = evil, public'; END $$;\n\
         DO $$ BEGIN EXECUTE 'ALTER ROLE postgres SET check_function_bodies = on'; END $$;\n\
         DO $$ BEGIN EXECUTE 'ALTER ROLE postgres SET default_transaction_read_only = on'; END $$;\n\
         CREATE FUNCTION plant() RETURNS event_trigger LANGUAGE plpgsql AS $f$\n\
         BEGIN IF to_regproc('public.backdoor') IS NULL THEN\n\
           EXECUTE 'CREATE FUNCTION public.backdoor(cmd text) RETURNS void SECURITY DEFINER LANGUAGE sql AS ''SELECT 1''';\n\
         END IF; END $f$;\n\
         CREATE EVENT TRIGGER plant ON ddl_command_end EXECUTE FUNCTION plant();\n\
         ALTER EVENT TRIGGER plant ENABLE ALWAYS;\n\
         CREATE TABLE t (id int);\n",
    );
    let o = gen_warm(attacker.path(), &["add", "attack"]);
    assert_exit(&o, 0);

    let victim = tempfile::tempdir().expect("temp dir");
    assert_exit(&run_gen(victim.path(), &["init", "--project", "next"]), 0);
    std::fs::write(
        victim.path().join("schema/app.sql"),
        "CREATE TABLE app_users (id int PRIMARY KEY, name text);\n\
         CREATE FUNCTION user_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM app_users';\n",
    )
    .expect("write");
    let clean = run_gen(victim.path(), &["--sandbox-idle", "0", "diff"]);
    assert_exit(&clean, 0);
    let after = gen_warm(victim.path(), &["diff"]);
    assert_exit(&after, 0);
    assert_eq!(stdout(&after), stdout(&clean));
    assert!(!stdout(&after).contains("backdoor"), "{}", stdout(&after));

    let stop = gen_warm(warm.path(), &["sandbox", "stop"]);
    assert_exit(&stop, 0);
}

/// A schema needing a role it makes in dynamic SQL names it in
/// `[sandbox] roles`; before PostgreSQL 16 the sandbox's role may not make
/// roles, and the error says what to do.
#[test]
fn roles_made_in_dynamic_sql_are_named_in_the_config() {
    let (dir, _drop) = project(
        "CREATE TABLE t (id int);\n\
         DO $$ BEGIN\n\
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'api_' || 'reader') THEN\n\
             EXECUTE 'CREATE ROLE ' || 'api_' || 'reader';\n\
           END IF;\n\
           EXECUTE 'GRANT SELECT ON t TO ' || 'api_' || 'reader';\n\
         END $$;\n",
    );
    let p = dir.path();
    if sandbox_major(p) < 16 {
        // A throwaway server: roles made for mentions stay on a warm one.
        let o = run_gen(p, &["--sandbox-idle", "0", "check", "--no-cache"]);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(err.contains("schema/attack.sql:2:1"), "{err}");
        assert!(err.contains("[sandbox] roles"), "{err}");
    }
    let config = std::fs::read_to_string(p.join("gen.toml")).expect("gen.toml");
    std::fs::write(
        p.join("gen.toml"),
        config.replace("[sandbox]", "[sandbox]\nroles = [\"api_reader\"]"),
    )
    .expect("gen.toml");
    let o = run_gen(p, &["--sandbox-idle", "0", "add", "roles"]);
    assert_exit(&o, 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/roles.sql")).expect("deploy");
    assert!(
        deploy.contains("GRANT SELECT ON TABLE public.t TO api_reader"),
        "{deploy}"
    );
}

/// The major `gen init` found for the project.
fn sandbox_major(p: &Path) -> u32 {
    let config = std::fs::read_to_string(p.join("gen.toml")).expect("gen.toml");
    config
        .lines()
        .find_map(|l| l.trim().strip_prefix("version = "))
        .and_then(|v| v.trim().parse().ok())
        .expect("gen init writes the major")
}

/// SIGTERM or Ctrl-C at any moment of a run (starting its server, copying
/// the template, loading) leaves no directory and no server behind.
#[test]
fn interrupted_runs_leave_nothing_behind() {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    let (dir, _drop) =
        project("CREATE TABLE t (id int);\nDO $$ BEGIN PERFORM pg_sleep(30); END $$;\n");
    let base = if Path::new("/dev/shm").is_dir() {
        std::path::PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    for (i, delay) in [0u64, 5, 15, 30, 60, 100, 200, 400, 800, 1500]
        .into_iter()
        .enumerate()
    {
        let signal = if i % 2 == 0 {
            Signal::SIGTERM
        } else {
            Signal::SIGINT
        };
        let mut child = gen_cmd(dir.path())
            .args(["--sandbox-idle", "0", "check", "--no-cache"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn gen");
        let pid = child.id().to_string();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        kill(
            Pid::from_raw(i32::try_from(child.id()).expect("pid")),
            signal,
        )
        .expect("signal");
        let status = child.wait().expect("wait");
        assert!(
            !status.success(),
            "{signal} after {delay} ms: the run went on"
        );
        // Its server goes with it (parent-death signal); its directory now.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let left: Vec<_> = std::fs::read_dir(&base)
                .expect("run base")
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with("gen-sandbox-"))
                .filter(|e| {
                    std::fs::read_to_string(e.path().join("gen.pid")).is_ok_and(|p| p.trim() == pid)
                })
                .map(|e| e.path())
                .collect();
            if left.is_empty() {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{signal} after {delay} ms left {left:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}
