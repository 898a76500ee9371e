//! The local backend against real PostgreSQL binaries, and the URL backend
//! pointed at a local sandbox's server.

mod common;

use std::os::unix::fs::PermissionsExt as _;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{assert_cleaned_up, chain, children, start_local};
use gen_sandbox::{Backend, Sandbox, SandboxError, connect_url};

async fn tables(client: &tokio_postgres::Client) -> Vec<String> {
    client
        .query(
            "SELECT relname::text FROM pg_class WHERE relname LIKE 'only_%' AND relkind = 'r' ORDER BY 1",
            &[],
        )
        .await
        .expect("query")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_databases_load_concurrently_and_shutdown_cleans_up() {
    // Warm the template so the timing below is the per-run cost.
    start_local()
        .await
        .shutdown()
        .await
        .expect("warm-up shutdown");

    let started = Instant::now();
    let sandbox = start_local().await;
    let after_start = started.elapsed();
    let (old, new) = tokio::try_join!(
        sandbox.create_database("old"),
        sandbox.create_database("new")
    )
    .expect("create databases");
    let total = started.elapsed();
    eprintln!(
        "start: {after_start:?}, start + 2 x create_database: {total:?} (data dir {})",
        sandbox.data_dir().expect("local").display()
    );
    assert!(
        total < Duration::from_secs(5),
        "start + 2 databases took {total:?}"
    );

    assert_ne!(old.name(), new.name());
    assert!(old.name().starts_with("gen_scratch_old_"), "{}", old.name());
    assert!(
        sandbox
            .server_version()
            .starts_with(|c: char| c.is_ascii_digit())
            && sandbox.server_version().contains('.'),
        "{}",
        sandbox.server_version()
    );

    let (a, b) = tokio::try_join!(old.connect(), new.connect()).expect("connect");
    // Both sides work at the same time, and they are separate databases.
    let (ra, rb) = tokio::join!(
        a.batch_execute("CREATE TABLE only_old (id int PRIMARY KEY); SELECT pg_sleep(0.2)"),
        b.batch_execute("CREATE TABLE only_new (id text); SELECT pg_sleep(0.2)"),
    );
    ra.expect("load old");
    rb.expect("load new");
    assert_eq!(tables(&a).await, ["only_old"]);
    assert_eq!(tables(&b).await, ["only_new"]);

    // Encoding and collation are fixed, not inherited from the machine.
    let row = a
        .query_one(
            "SELECT pg_encoding_to_char(encoding), datcollate::text FROM pg_database WHERE datname = current_database()",
            &[],
        )
        .await
        .expect("query");
    assert_eq!(row.get::<_, String>(0), "UTF8");
    assert_eq!(row.get::<_, String>(1), "C");

    // The conninfo works for the libpq tools next to the server.
    let pg_dump = sandbox.bin_dir().expect("local backend").join("pg_dump");
    let out = Command::new(&pg_dump)
        .args(["--schema-only", "-d", &old.conninfo()])
        .output()
        .expect("run pg_dump");
    assert!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("CREATE TABLE public.only_old"));

    let pid = sandbox.server_pid().expect("local");
    let kids = children(pid);
    assert!(!kids.is_empty(), "a postmaster has auxiliary processes");
    let data_dir = sandbox.data_dir().expect("local").to_owned();
    sandbox.shutdown().await.expect("shutdown");
    assert_cleaned_up(pid, &kids, &data_dir);
    // Clients of a stopped server see their connection closed.
    assert!(a.simple_query("SELECT 1").await.is_err());
}

#[tokio::test]
async fn dropping_the_sandbox_stops_the_server_and_removes_its_files() {
    let sandbox = start_local().await;
    let db = sandbox.create_database("dropped").await.expect("create");
    let client = db.connect().await.expect("connect");
    client
        .batch_execute("CREATE TABLE t ()")
        .await
        .expect("query");
    let pid = sandbox.server_pid().expect("local");
    let kids = children(pid);
    let data_dir = sandbox.data_dir().expect("local").to_owned();
    assert!(data_dir.join("PG_VERSION").is_file());

    drop(sandbox);
    assert_cleaned_up(pid, &kids, &data_dir);
}

#[tokio::test]
async fn a_work_future_dropped_by_select_cleans_up() {
    // The shape callers use for Ctrl-C: the work loses a select! and is dropped.
    let (tx, rx) = tokio::sync::oneshot::channel();
    let work = async move {
        let sandbox = start_local().await;
        let db = sandbox.create_database("work").await.expect("create");
        let _client = db.connect().await.expect("connect");
        let pid = sandbox.server_pid().expect("local");
        let _ = tx.send((
            pid,
            children(pid),
            sandbox.data_dir().expect("local").to_owned(),
        ));
        std::future::pending::<()>().await;
    };
    let (pid, kids, data_dir) = tokio::select! {
        _ = work => unreachable!("work never finishes"),
        seen = async { rx.await.expect("work reports its server") } => seen,
    };
    assert_cleaned_up(pid, &kids, &data_dir);
}

#[tokio::test]
async fn drop_database_ends_sessions_and_removes_it() {
    let sandbox = start_local().await;
    let db = sandbox.create_database("gone").await.expect("create");
    let client = db.connect().await.expect("connect");
    sandbox
        .drop_database(&db)
        .await
        .expect("drop with a session open");
    assert!(client.simple_query("SELECT 1").await.is_err());
    let admin = connect_url(&sandbox.url()).await.expect("connect admin");
    let left = admin
        .query(
            "SELECT 1 FROM pg_database WHERE datname = $1",
            &[&db.name()],
        )
        .await
        .expect("query");
    assert!(left.is_empty());
    sandbox.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn roles_are_created_once_and_shared_by_databases() {
    let sandbox = start_local().await;
    let roles = ["app_reader", "App Writer", "public"].map(String::from);
    sandbox.create_roles(&roles).await.expect("create roles");
    // Idempotent: existing roles are left alone.
    sandbox
        .create_roles(&roles)
        .await
        .expect("create roles again");
    let db = sandbox.create_database("roles").await.expect("create");
    let client = db.connect().await.expect("connect");
    client
        .batch_execute(
            "CREATE TABLE t (); GRANT SELECT ON t TO app_reader; GRANT ALL ON t TO \"App Writer\"",
        )
        .await
        .expect("grant to the created roles");
    let row = client
        .query_one(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'app_reader'",
            &[],
        )
        .await
        .expect("query");
    assert!(!row.get::<_, bool>(0), "roles are NOLOGIN");

    let err = sandbox
        .create_roles(&[String::new()])
        .await
        .expect_err("empty role name");
    assert!(
        matches!(err, SandboxError::InvalidRoleName { .. }),
        "{err:?}"
    );
    sandbox.shutdown().await.expect("shutdown");
}

/// Both connection-string forms of the local server, used as the URL
/// backend: scratch databases and the roles it created disappear at cleanup,
/// by `shutdown` and by plain drop, and pre-existing roles stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn url_backend_creates_and_removes_scratch_databases_and_roles() {
    let host = start_local().await;
    let admin = connect_url(&host.conninfo())
        .await
        .expect("connect to host");
    admin
        .batch_execute("CREATE ROLE preexisting NOLOGIN")
        .await
        .expect("create role");
    assert!(
        host.url()
            .starts_with(&format!("postgres://{}@%2F", gen_sandbox::SUPERUSER)),
        "{}",
        host.url()
    );

    let forms = [
        (host.url(), true),
        (host.conninfo(), false),
        (host.url(), false),
    ];
    for (i, (url, explicit_shutdown)) in forms.into_iter().enumerate() {
        let remote = Sandbox::start(&Backend::Url {
            url: url.clone(),
            version: None,
        })
        .await
        .unwrap_or_else(|e| panic!("url backend on {url}: {}", chain(&e)));
        assert_eq!(remote.server_version(), host.server_version());
        assert!(remote.bin_dir().is_none() && remote.server_pid().is_none());
        let (a, b) = tokio::try_join!(remote.create_database("old"), remote.create_database("new"))
            .expect("create scratch databases");
        let created = format!("made_by_run_{i}");
        remote
            .create_roles(&["preexisting".to_owned(), created.clone()])
            .await
            .expect("create roles");
        // A grant in a scratch database: the role can only go after it.
        let client = a.connect().await.expect("connect scratch");
        client
            .batch_execute(&format!(
                "CREATE TABLE t (); GRANT SELECT ON t TO {created}, preexisting"
            ))
            .await
            .expect("grant");
        let names = [a.name().to_owned(), b.name().to_owned()];
        let exists = |sql: &'static str, name: String| {
            let admin = &admin;
            async move {
                !admin
                    .query(sql, &[&name])
                    .await
                    .expect("query host")
                    .is_empty()
            }
        };
        const DB: &str = "SELECT 1 FROM pg_database WHERE datname = $1";
        const ROLE: &str = "SELECT 1 FROM pg_roles WHERE rolname = $1";
        for name in &names {
            assert!(exists(DB, name.clone()).await, "{name} was created");
        }
        assert!(exists(ROLE, created.clone()).await);

        if explicit_shutdown {
            remote.shutdown().await.expect("shutdown url sandbox");
        } else {
            drop(remote);
        }
        for name in &names {
            assert!(!exists(DB, name.clone()).await, "{name} was dropped");
        }
        assert!(
            !exists(ROLE, created.clone()).await,
            "{created} was dropped"
        );
        assert!(
            exists(ROLE, "preexisting".to_owned()).await,
            "preexisting stays"
        );
        // The host server itself is untouched.
        assert!(host.server_pid().is_some_and(common::running));
    }
    host.shutdown().await.expect("shutdown host");
}

#[tokio::test]
async fn connection_errors_never_show_the_password() {
    // Nothing listens on port 1 of the loopback interface.
    let targets = [
        "postgres://gen:hunter2@127.0.0.1:1/db?connect_timeout=5",
        "host=127.0.0.1 port=1 user=gen password=hunter2 dbname=db connect_timeout=5",
        "postgres://gen:hunter2@127.0.0.1:notaport/db",
    ];
    for target in targets {
        let err = match connect_url(target).await {
            Ok(_) => panic!("{target} connected"),
            Err(e) => e,
        };
        let text = format!("{}\n{err:?}\n{:?}", chain(&err), err.hint());
        assert!(!text.contains("hunter2"), "password leaked: {text}");
        assert!(err.hint().is_some(), "{text}");

        let err = Sandbox::start(&Backend::Url {
            url: target.to_owned(),
            version: None,
        })
        .await
        .expect_err("no server there");
        let text = format!("{}\n{err:?}", chain(&err));
        assert!(!text.contains("hunter2"), "password leaked: {text}");
    }
    let Err(err) = connect_url(targets[0]).await else {
        panic!("connected to port 1");
    };
    assert!(
        err.to_string().contains("gen:***@127.0.0.1") || err.to_string().contains("password=***"),
        "{err}"
    );
}

#[tokio::test]
async fn a_server_that_dies_at_startup_is_reported_with_its_log_and_cleaned_up() {
    // Make sure the real template exists, so only the fake `postgres` runs.
    let real = start_local().await;
    let real_bin = real.bin_dir().expect("local").to_owned();
    real.shutdown().await.expect("shutdown");

    let fake = tempfile::tempdir().expect("tempdir");
    // As root the server runs as `postgres`, which must reach the script.
    std::fs::set_permissions(fake.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let script = format!(
        "#!/bin/sh\n\
         if [ \"$1\" = --version ]; then exec '{}' --version; fi\n\
         echo \"FATAL:  fake failure for the test, data dir $2\" >&2\n\
         exit 3\n",
        real_bin.join("postgres").display()
    );
    for name in ["postgres", "initdb"] {
        let path = fake.path().join(name);
        std::fs::write(&path, &script).expect("write script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let err = Sandbox::start(&Backend::Local {
        pg_bin: Some(fake.path().to_owned()),
        version: None,
    })
    .await
    .expect_err("fake server exits");
    let text = err.to_string();
    assert!(matches!(err, SandboxError::ServerExited { .. }), "{err:?}");
    assert!(text.contains("fake failure for the test"), "{text}");
    assert!(err.hint().is_some());
    // The run directory named in the log is gone again.
    let data_dir = text
        .split("data dir ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("log names the data dir");
    assert!(
        !std::path::Path::new(data_dir).exists(),
        "{data_dir} left behind"
    );
}
