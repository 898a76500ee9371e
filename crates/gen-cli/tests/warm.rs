//! The local sandbox's warm server, end to end through the `gen` binary
//! against real Postgres: reuse between runs, one server for concurrent
//! first starts, idle stop, recovery after a crash, cleanup of databases
//! that killed runs left behind, `gen sandbox stop`, and the throwaway
//! cluster of `GEN_SANDBOX_IDLE=0`.
//!
//! Each test gets warm servers of its own through `GEN_SANDBOX_DIR`, so
//! that stopping or killing one cannot disturb another test.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tokio_postgres::NoTls;

const OLD: &str = "CREATE TABLE public.items (id int PRIMARY KEY);\n";
const NEW: &str = "CREATE TABLE public.items (id int PRIMARY KEY, name text);\n";

/// A project with two schema files and a private place for warm servers.
struct Env {
    dir: tempfile::TempDir,
    base: PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let base = dir.path().join("servers");
        std::fs::create_dir(&base).expect("mkdir");
        // As root the server runs as `postgres`, which must be able to pass
        // through to its directory.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::fs::write(dir.path().join("old.sql"), OLD).expect("write");
        std::fs::write(dir.path().join("new.sql"), NEW).expect("write");
        Env { dir, base }
    }

    fn cmd(&self, idle: &str) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gen"));
        cmd.current_dir(self.dir.path())
            .env_remove("GEN_CONFIG")
            .env_remove("GEN_DEV_URL")
            .env_remove("GEN_SANDBOX")
            .env("GEN_SANDBOX_DIR", &self.base)
            .env("GEN_SANDBOX_IDLE", idle)
            .env("NO_COLOR", "1");
        cmd
    }

    fn run(&self, idle: &str, args: &[&str]) -> Output {
        output_within(self.cmd(idle).args(args), Duration::from_secs(120))
    }

    /// `gen diff` of the two files, checked.
    fn diff(&self, idle: &str) {
        let o = self.run(idle, &["diff", "--from", "old.sql", "--to", "new.sql"]);
        assert_ok(&o);
        assert!(
            stdout(&o).contains("ADD COLUMN name text"),
            "{}",
            stdout(&o)
        );
    }

    /// `n` runs of `gen diff --from old.sql --to <to>` started at once,
    /// with their output.
    fn diff_at_once(&self, n: usize, to: &str) -> Vec<Output> {
        let children: Vec<_> = (0..n)
            .map(|_| {
                self.cmd("600")
                    .args(["diff", "--from", "old.sql", "--to", to])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawning gen")
            })
            .collect();
        children
            .into_iter()
            .map(|child| child.wait_with_output().expect("waiting for gen"))
            .collect()
    }

    /// The one server directory under the base.
    fn server_dir(&self) -> PathBuf {
        let user = std::fs::read_dir(&self.base)
            .expect("read base")
            .flatten()
            .next()
            .expect("a user directory")
            .path();
        let dirs: Vec<PathBuf> = std::fs::read_dir(user)
            .expect("read user dir")
            .flatten()
            .map(|e| e.path())
            .collect();
        assert_eq!(dirs.len(), 1, "{dirs:?}");
        dirs.into_iter().next().expect("one")
    }

    /// The postmaster pid `gen sandbox status` reports, if it runs.
    fn status_pid(&self) -> Option<i32> {
        let o = self.run("600", &["sandbox", "status"]);
        assert_ok(&o);
        let text = stdout(&o);
        text.lines()
            .find_map(|l| l.strip_prefix("running: pid "))
            .and_then(|rest| rest.split(',').next())
            .map(|pid| pid.parse().expect("pid"))
    }

    async fn client(&self) -> tokio_postgres::Client {
        let mut config = tokio_postgres::Config::new();
        config
            .host_path(self.server_dir().join("sock"))
            .port(5432)
            .user(gen_sandbox::SUPERUSER)
            .dbname("postgres");
        let (client, connection) = config.connect(NoTls).await.expect("connecting");
        tokio::spawn(connection);
        client
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = self
            .cmd("600")
            .args(["sandbox", "stop"])
            .stdout(Stdio::null())
            .status();
    }
}

/// Runs a command to completion, failing if its output does not close in
/// time: a watcher that kept gen's stdout or stderr open would hang here.
fn output_within(cmd: &mut Command, limit: Duration) -> Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running gen");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    rx.recv_timeout(limit)
        .expect("gen's output did not close in time")
        .expect("waiting for gen")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[track_caller]
fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "gen failed ({})\nstdout:\n{}\nstderr:\n{}",
        o.status,
        stdout(o),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !matches!(
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next()),
            Some("Z" | "X")
        )
    })
}

#[track_caller]
fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &Path) -> Vec<i32> {
    let needle = needle.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&needle))
                && alive(*pid)
        })
        .collect()
}

async fn database_names(client: &tokio_postgres::Client, prefix: &str) -> Vec<String> {
    client
        .query(
            "SELECT datname::text FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1",
            &[&prefix],
        )
        .await
        .expect("listing databases")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn a_second_run_reuses_the_server_and_stop_ends_it() {
    let env = Env::new();
    env.diff("600");
    let first = env.status_pid().expect("a server runs after the first run");
    env.diff("600");
    assert_eq!(
        env.status_pid(),
        Some(first),
        "the second run started another server"
    );

    let o = env.run("600", &["sandbox", "stop"]);
    assert_ok(&o);
    assert!(
        stdout(&o).contains(&format!("stopped: pid {first}")),
        "{}",
        stdout(&o)
    );
    wait_until("the server has exited", Duration::from_secs(10), || {
        !alive(first)
    });
    assert_eq!(env.status_pid(), None);
    assert!(!env.server_dir().join("data").exists());
    assert_eq!(processes_mentioning(&env.base), Vec::<i32>::new());

    let o = env.run("600", &["sandbox", "stop"]);
    assert_ok(&o);
    assert_eq!(stdout(&o), "no warm server running\n");
}

#[test]
fn concurrent_first_runs_share_one_server() {
    let env = Env::new();
    for o in env.diff_at_once(4, "new.sql") {
        assert_ok(&o);
        assert!(
            stdout(&o).contains("ADD COLUMN name text"),
            "{}",
            stdout(&o)
        );
    }
    let log = std::fs::read_to_string(env.server_dir().join("postgres.log")).expect("log");
    assert_eq!(
        log.matches("database system is ready to accept connections")
            .count(),
        1,
        "{log}"
    );
    let postmasters: Vec<i32> = processes_mentioning(&env.server_dir().join("data"))
        .into_iter()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| c.starts_with(b"/") && String::from_utf8_lossy(&c).contains("-D"))
        })
        .collect();
    assert_eq!(postmasters.len(), 1, "{postmasters:?}");
}

#[test]
fn an_idle_server_stops_itself() {
    let env = Env::new();
    env.diff("1");
    let pid = env.status_pid().expect("a server runs");
    wait_until(
        "the idle server has stopped",
        Duration::from_secs(20),
        || !alive(pid),
    );
    wait_until("its files are gone", Duration::from_secs(5), || {
        !env.server_dir().join("data").exists()
    });
    // The watcher removes the files, then exits: give a loaded machine a
    // moment between the two, and then nothing of it may be left.
    wait_until("no process of it is left", Duration::from_secs(5), || {
        processes_mentioning(&env.base).is_empty()
    });
    assert_eq!(processes_mentioning(&env.base), Vec::<i32>::new());
    // And the next run starts a new one.
    env.diff("1");
}

#[test]
fn a_killed_server_is_replaced_by_the_next_run() {
    let env = Env::new();
    env.diff("600");
    let pid = env.status_pid().expect("a server runs");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill -9");
    wait_until("the server is gone", Duration::from_secs(10), || {
        !alive(pid)
    });
    env.diff("600");
    let new = env.status_pid().expect("a new server runs");
    assert_ne!(new, pid);
    env.diff("600");
    assert_eq!(env.status_pid(), Some(new));
}

#[tokio::test(flavor = "multi_thread")]
async fn databases_of_ended_and_killed_runs_are_dropped() {
    let env = Env::new();
    env.diff("600");
    let client = env.client().await;
    // A run killed half-way leaves its databases, named with its pid.
    let mut dead = Command::new("true").spawn().expect("spawn");
    let dead_pid = dead.id();
    dead.wait().expect("wait");
    let leaked = format!("gen_scratch_old_{dead_pid}_0_abcdef");
    client
        .batch_execute(&format!("CREATE DATABASE {leaked}"))
        .await
        .expect("create leaked database");
    env.diff("600");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = database_names(&client, "gen_scratch_").await;
        if left.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "still there: {left:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The pool of ready databases is topped up again.
    let deadline = Instant::now() + Duration::from_secs(20);
    while database_names(&client, "gen_pool_").await.len() < 4 {
        assert!(Instant::now() < deadline, "the pool was not refilled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Creating a ready database takes CPU from the run that just claimed some:
/// while a run is going the pool is kept at what one more run takes, and
/// filled once no run is left.
#[tokio::test(flavor = "multi_thread")]
async fn the_pool_is_topped_up_once_runs_are_over() {
    let env = Env::new();
    env.diff("600");
    let client = env.client().await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while database_names(&client, "gen_pool_").await.len() < 4 {
        assert!(Instant::now() < deadline, "the pool was not filled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A run in progress: a database named with a live process's pid.
    let mut run = Command::new("sleep").arg("60").spawn().expect("spawn");
    let live = format!("gen_scratch_old_{}_0_abcdef", run.id());
    client
        .batch_execute(&format!("CREATE DATABASE {live}"))
        .await
        .expect("create a live run's database");
    // It took three of the four ready databases, and said it started.
    for name in database_names(&client, "gen_pool_").await.iter().take(3) {
        client
            .batch_execute(&format!("DROP DATABASE {name}"))
            .await
            .expect("take a ready database");
    }
    std::fs::File::options()
        .write(true)
        .open(env.server_dir().join("used"))
        .and_then(|f| f.set_modified(std::time::SystemTime::now()))
        .expect("touch used");
    let deadline = Instant::now() + Duration::from_secs(20);
    while database_names(&client, "gen_pool_").await.len() < 2 {
        assert!(Instant::now() < deadline, "the pool was not kept at two");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Twenty ticks of the watcher later, still two while the run goes on.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(database_names(&client, "gen_pool_").await.len(), 2);
    run.kill().expect("end the run");
    run.wait().expect("wait");
    let deadline = Instant::now() + Duration::from_secs(20);
    while database_names(&client, "gen_pool_").await.len() < 4
        || !database_names(&client, "gen_scratch_").await.is_empty()
    {
        assert!(Instant::now() < deadline, "the pool was not refilled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn idle_zero_leaves_nothing_running() {
    let env = Env::new();
    env.diff("0");
    assert!(
        std::fs::read_dir(&env.base)
            .expect("read base")
            .next()
            .is_none(),
        "a throwaway run made a warm server directory"
    );
    assert_eq!(processes_mentioning(&env.base), Vec::<i32>::new());
    assert_eq!(
        stdout(&env.run("0", &["sandbox", "status"])),
        "no warm server running\n"
    );
}

/// `GEN_SANDBOX_DIR` naming a directory not made yet: gen makes it.
#[test]
fn a_missing_sandbox_dir_is_made() {
    let env = Env::new();
    std::fs::remove_dir(&env.base).expect("rmdir");
    env.diff("600");
    assert!(env.server_dir().is_dir());
}

/// Several runs at once that all pre-create the same new roles: none may
/// fail with "already exists" or "tuple concurrently updated".
#[test]
fn concurrent_runs_create_the_same_roles() {
    let env = Env::new();
    env.diff("600");
    let schema = "CREATE TABLE public.items (id int PRIMARY KEY);\n\
                  GRANT SELECT ON public.items TO reader_a, reader_b, reader_c;\n\
                  GRANT INSERT ON public.items TO writer_a;\n";
    std::fs::write(env.dir.path().join("granted.sql"), schema).expect("write");
    for o in env.diff_at_once(4, "granted.sql") {
        assert_ok(&o);
        assert!(
            stdout(&o).contains("GRANT SELECT ON TABLE public.items TO reader_a"),
            "{}",
            stdout(&o)
        );
    }
}

/// What earlier runs leave on the shared server (roles with privileges,
/// default privileges, owned objects in their own databases) must not
/// change what a later run reads: its output equals a throwaway cluster's,
/// owners included.
#[test]
fn earlier_runs_do_not_change_what_later_runs_read() {
    let env = Env::new();
    let polluting = "CREATE SCHEMA app;\n\
         ALTER SCHEMA app OWNER TO app_owner;\n\
         ALTER DEFAULT PRIVILEGES FOR ROLE app_owner GRANT SELECT ON TABLES TO app_reader;\n\
         ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO app_reader;\n\
         ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO app_reader;\n\
         CREATE TABLE app.t (id int);\n\
         ALTER TABLE app.t OWNER TO app_owner;\n\
         GRANT app_owner TO app_reader;\n";
    std::fs::write(env.dir.path().join("polluting.sql"), polluting).expect("write");
    let later = "CREATE SCHEMA app;\n\
         CREATE TABLE app.t (id int);\n\
         CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n\
         GRANT SELECT ON app.t TO app_other;\n";
    std::fs::write(env.dir.path().join("later.sql"), later).expect("write");
    let empty = env.dir.path().join("empty.sql");
    std::fs::write(&empty, "").expect("write");

    let args = [
        "diff",
        "--owners",
        "--format",
        "json",
        "--from",
        "empty.sql",
        "--to",
        "later.sql",
    ];
    let fresh = env.run("0", &args);
    assert_ok(&fresh);
    let o = env.run(
        "600",
        &[
            "diff",
            "--owners",
            "--from",
            "empty.sql",
            "--to",
            "polluting.sql",
        ],
    );
    assert_ok(&o);
    let warm = env.run("600", &args);
    assert_ok(&warm);
    assert_eq!(stdout(&warm), stdout(&fresh));
    assert!(stdout(&warm).contains("app_other"), "{}", stdout(&warm));
}

/// A role a schema file creates itself is gone after the run, as on a
/// throwaway cluster: the next run's `CREATE ROLE` must not find it.
#[tokio::test(flavor = "multi_thread")]
async fn roles_created_by_schema_files_do_not_outlive_the_run() {
    let env = Env::new();
    let schema = "CREATE ROLE app_login LOGIN;\n\
                  CREATE TABLE public.t (id int);\n\
                  GRANT SELECT ON public.t TO app_login, app_reader;\n";
    std::fs::write(env.dir.path().join("roles.sql"), schema).expect("write");
    std::fs::write(env.dir.path().join("empty.sql"), "").expect("write");
    for _ in 0..2 {
        let o = env.run("600", &["diff", "--from", "empty.sql", "--to", "roles.sql"]);
        assert_ok(&o);
        assert!(
            stdout(&o).contains("GRANT SELECT ON TABLE public.t TO app_login"),
            "{}",
            stdout(&o)
        );
    }
    let client = env.client().await;
    let roles: Vec<String> = client
        .query(
            "SELECT rolname::text FROM pg_roles WHERE rolname LIKE 'app\\_%' ORDER BY 1",
            &[],
        )
        .await
        .expect("listing roles")
        .iter()
        .map(|r| r.get(0))
        .collect();
    // The role gen created for the GRANT stays for later runs.
    assert_eq!(roles, ["app_reader"]);
}

/// Runs that overlap on the warm server: one that ends while others are
/// loading must leave the roles they use alone, even a role another
/// run's `CREATE ROLE` made; the last run holding a statement's role
/// drops it.
#[tokio::test(flavor = "multi_thread")]
async fn a_run_ending_leaves_the_roles_of_overlapping_runs_alone() {
    let env = Env::new();
    env.diff("600");
    std::fs::write(env.dir.path().join("empty.sql"), "").expect("write");
    std::fs::write(
        env.dir.path().join("plain.sql"),
        "SELECT pg_sleep(1);\nCREATE TABLE public.t (id int);\n",
    )
    .expect("write");
    // The grant comes after the pause: the role must still be there then.
    for (file, pause) in [("roles_short.sql", "1.5"), ("roles_long.sql", "3")] {
        std::fs::write(
            env.dir.path().join(file),
            format!(
                "CREATE ROLE app_login LOGIN;\nCREATE TABLE public.t (id int);\n\
                 SELECT pg_sleep({pause});\nGRANT SELECT ON public.t TO app_login;\n"
            ),
        )
        .expect("write");
    }
    let mut children = Vec::new();
    for file in ["plain.sql", "roles_short.sql", "roles_long.sql"] {
        children.push((
            file,
            env.cmd("600")
                .args(["diff", "--from", "empty.sql", "--to", file])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawning gen"),
        ));
        std::thread::sleep(Duration::from_millis(400));
    }
    for (file, child) in children {
        let o = child.wait_with_output().expect("waiting for gen");
        assert_ok(&o);
        if file != "plain.sql" {
            assert!(
                stdout(&o).contains("GRANT SELECT ON TABLE public.t TO app_login"),
                "{file}: {}",
                stdout(&o)
            );
        }
    }
    let client = env.client().await;
    let left = client
        .query("SELECT FROM pg_roles WHERE rolname = 'app_login'", &[])
        .await
        .expect("listing roles");
    assert!(left.is_empty(), "the statement's role outlived every run");
}

/// The idle period also comes from `--sandbox-idle` and from `[sandbox]
/// idle` in gen.toml; the flag wins over the file.
#[test]
fn idle_comes_from_the_flag_and_from_gen_toml() {
    let env = Env::new();
    let args = ["diff", "--from", "old.sql", "--to", "new.sql"];
    std::fs::write(env.dir.path().join("gen.toml"), "[sandbox]\nidle = 0\n").expect("write");
    let mut cmd = env.cmd("600");
    cmd.env_remove("GEN_SANDBOX_IDLE").args(args);
    assert_ok(&output_within(&mut cmd, Duration::from_secs(120)));
    assert!(
        std::fs::read_dir(&env.base)
            .expect("read base")
            .next()
            .is_none(),
        "idle = 0 in gen.toml made a warm server"
    );
    let mut cmd = env.cmd("600");
    cmd.env_remove("GEN_SANDBOX_IDLE")
        .args(["--sandbox-idle", "600"])
        .args(args);
    assert_ok(&output_within(&mut cmd, Duration::from_secs(120)));
    assert!(
        env.status_pid().is_some(),
        "--sandbox-idle 600 kept no server"
    );
}
