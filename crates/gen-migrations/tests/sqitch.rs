//! The real `sqitch` is the oracle: it must read the plans gen writes, give
//! the change ids gen computes, reject the plans gen rejects, and deploy,
//! verify and revert a gen migration directory against a real Postgres.
//!
//! Needs `sqitch` with its Postgres driver (`apt-get install sqitch
//! libdbd-pg-perl`) and PostgreSQL server binaries; fails, never skips,
//! without them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use gen_migrations::{
    MigrationDir, NewChange, SQITCH_CONF, ScriptKind, Signature, SqitchPlan, script_hash,
};

fn require_sqitch() {
    let ok = Command::new("sqitch")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "this test needs the real sqitch: install it with `apt-get install sqitch libdbd-pg-perl`"
    );
}

/// `sqitch` isolated from the user's and system's configuration.
fn sqitch(dir: &Path) -> Command {
    let mut cmd = Command::new("sqitch");
    cmd.current_dir(dir)
        .env("SQITCH_USER_CONFIG", "/dev/null")
        .env("SQITCH_SYSTEM_CONFIG", "/dev/null")
        .env("SQITCH_FULLNAME", "Test Runner")
        .env("SQITCH_EMAIL", "runner@example.com")
        .env("SQITCH_PAGER", "cat")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn planner(at: &str) -> Signature {
    Signature::new("Jane Doe", "jane@example.com", at.parse().unwrap()).unwrap()
}

fn write_project(dir: &Path, plan: &str) {
    fs::write(dir.join("sqitch.conf"), SQITCH_CONF).unwrap();
    fs::write(dir.join("sqitch.plan"), plan).unwrap();
}

#[test]
fn change_ids_match_sqitch() {
    require_sqitch();
    let tmp = tempfile::tempdir().unwrap();
    let text = "%syntax-version=1.0.0\n\
%project=flipr\n\
%uri=HTTPS://Example.COM:443\n\
\n\
appschema 2013-12-30T23:49:00Z Marge N. O’Vera <marge@example.com> # Add schema for all flipr objects.\n\
users [appschema] 2013-12-30T23:57:36Z Marge N. O’Vera <marge@example.com> # Two\\nlines \\\\ and ünïcode\n\
@v1.0.0-dev1 2013-12-31T00:05:11Z Marge N. O’Vera <marge@example.com> # Tag v1.0.0-dev1.\n\
\n\
flips [appschema users !legacy other:thing flipr:users] 2013-12-31T00:08:21Z Marge  <marge@example.com>\n\
no_note 2014-01-01T00:00:00Z Bob <bob@example.com>\n";
    write_project(tmp.path(), text);
    let plan = SqitchPlan::parse(text, Path::new("sqitch.plan")).unwrap();
    assert_eq!(plan.render(), text);

    let out = run(sqitch(tmp.path()).args(["plan", "--format", "format:%H %n"]));
    let sqitch_ids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.trim().to_owned())
        .collect();
    let ours: Vec<String> = plan
        .change_ids()
        .into_iter()
        .map(|(c, id)| format!("{id} {}", c.name))
        .collect();
    assert_eq!(ours, sqitch_ids);

    // The project without a uri gives different ids, equal to sqitch's too.
    let no_uri = text.replace("%uri=HTTPS://Example.COM:443\n", "");
    write_project(tmp.path(), &no_uri);
    let plan = SqitchPlan::parse(&no_uri, Path::new("sqitch.plan")).unwrap();
    let out = run(sqitch(tmp.path()).args(["plan", "--format", "format:%H"]));
    let sqitch_ids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_owned)
        .collect();
    let ours: Vec<String> = plan.change_ids().into_iter().map(|(_, id)| id).collect();
    assert_eq!(ours, sqitch_ids);
}

/// Plans both parsers must refuse, each with the line sqitch names.
#[test]
fn sqitch_rejects_what_gen_rejects_on_the_same_line() {
    require_sqitch();
    let ts = "2026-11-21T12:00:00Z J <j@x>";
    let head = "%syntax-version=1.0.0\n%project=demo\n\n";
    let bodies = [
        format!("a {ts}\nb\n"),
        format!("a {ts}\nb J <j@x>\n"),
        "a 2026-11-21T12:00:00Z\n".to_owned(),
        format!(".x {ts}\n"),
        format!("foo[bar] {ts}\n"),
        format!("HEAD {ts}\n"),
        format!("@v1 {ts}\n"),
        format!("a {ts}\n@v1 {ts}\nb {ts}\n@v1 {ts}\n"),
        format!("a {ts}\n@v/x {ts}\n"),
        format!("a {ts}\n@v1 [a] {ts}\n"),
        format!("a {ts}\n\nb {ts}\na {ts}\n"),
        format!("a {ts}\nb [a a] {ts}\n"),
        "#\n".to_owned(),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for body in bodies {
        let text = format!("{head}{body}");
        let ours = SqitchPlan::parse(&text, Path::new("sqitch.plan"))
            .expect_err(&format!("gen accepted:\n{text}"))
            .to_string();
        write_project(tmp.path(), &text);
        let out = sqitch(tmp.path()).arg("plan").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "sqitch accepted:\n{text}");
        let line = ours
            .strip_prefix("sqitch.plan:")
            .and_then(|rest| rest.split(':').next())
            .unwrap();
        assert!(
            stderr.contains(&format!("at line {line}:")),
            "gen says {ours:?}, sqitch says {stderr:?}"
        );
    }

    // Errors sqitch reports without a line (a dependency naming nothing
    // crashes it); gen names the change's line.
    for (body, says) in [
        (
            format!("a [c] {ts}\nb {ts}\nc {ts}\n"),
            "planned 2 changes before required change \"c\"",
        ),
        (format!("a {ts}\nb [a:] {ts}\n"), "Depend object must have"),
    ] {
        let text = format!("{head}{body}");
        write_project(tmp.path(), &text);
        let out = sqitch(tmp.path()).arg("plan").output().unwrap();
        assert!(!out.status.success(), "sqitch accepted:\n{text}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(says));
        assert!(SqitchPlan::parse(&text, Path::new("sqitch.plan")).is_err());
    }
}

#[test]
fn gen_and_sqitch_can_take_turns_on_one_plan() {
    require_sqitch();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("migrations");
    let mut dir = MigrationDir::init(&root, "demo").unwrap();
    dir.add_change(change("users", &[], "2026-11-21T12:00:00Z"))
        .unwrap();
    run(sqitch(&root).args(["tag", "v1", "-n", "First release"]));
    run(sqitch(&root).args(["add", "by_sqitch", "-r", "users", "-n", "Added by sqitch"]));

    let text = fs::read_to_string(root.join("sqitch.plan")).unwrap();
    let mut dir = MigrationDir::open(&root).unwrap();
    assert_eq!(dir.plan().render(), text);
    dir.add_change(change(
        "posts",
        &["by_sqitch", "users@v1"],
        "2026-11-21T12:05:00Z",
    ))
    .unwrap();
    let after = fs::read_to_string(root.join("sqitch.plan")).unwrap();
    assert!(after.starts_with(&text), "gen rewrote lines it did not add");

    let out = run(sqitch(&root).args(["plan", "--format", "format:%n"]));
    let names = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = names
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(names, ["users", "by_sqitch", "posts"]);
}

fn change(name: &str, requires: &[&str], at: &str) -> NewChange {
    NewChange {
        name: name.into(),
        note: format!("Add {name}"),
        requires: requires.iter().map(|r| (*r).to_owned()).collect(),
        deploy: format!("BEGIN;\nCREATE TABLE {name} (id int PRIMARY KEY);\nCOMMIT;\n"),
        revert: format!("BEGIN;\nDROP TABLE {name};\nCOMMIT;\n"),
        verify: format!(
            "SELECT 1/COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '{name}';\n"
        ),
        planner: planner(at),
    }
}

#[test]
fn sqitch_deploys_verifies_and_reverts_a_gen_directory() {
    require_sqitch();
    let pg = Cluster::start();
    pg.psql("postgres", "CREATE DATABASE gen_sqitch");
    let target = pg.target("gen_sqitch");

    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("migrations");
    let mut dir = MigrationDir::init(&root, "demo").unwrap();
    dir.add_change(change("users", &[], "2026-11-21T12:00:00Z"))
        .unwrap();
    let mut posts = change("posts", &["users"], "2026-11-21T12:01:00Z");
    posts.deploy =
        "CREATE TABLE posts (id int PRIMARY KEY, user_id int NOT NULL REFERENCES users);\n".into();
    posts.revert = "DROP TABLE posts;\n".into();
    dir.add_change(posts).unwrap();
    assert_eq!(dir.check_sum().unwrap(), vec![]);
    // gen does not tag; sqitch does, and gen must still agree on the ids.
    run(sqitch(&root).args(["tag", "v1.0", "-n", "First release"]));
    let dir = MigrationDir::open(&root).unwrap();

    // From the parent with --chdir, and from inside the directory.
    run(sqitch(tmp.path()).args(["--chdir", "migrations", "deploy", &target]));
    run(sqitch(&root).args(["verify", &target]));
    assert_eq!(
        pg.psql("gen_sqitch", "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'"),
        "posts,users"
    );

    // Sqitch's registry holds the ids and script hashes gen computes.
    let registry = pg.psql(
        "gen_sqitch",
        "SELECT string_agg(change_id || ' ' || change || ' ' || script_hash, E'\\n' ORDER BY committed_at) FROM sqitch.changes",
    );
    let expected: Vec<String> = dir
        .plan()
        .change_ids()
        .into_iter()
        .map(|(c, id)| {
            let deploy = fs::read(dir.script_path(ScriptKind::Deploy, &c.name)).unwrap();
            format!("{id} {} {}", c.name, script_hash(&deploy))
        })
        .collect();
    assert_eq!(registry, expected.join("\n"));
    let tags = pg.psql(
        "gen_sqitch",
        "SELECT string_agg(tag_id || ' ' || tag || ' ' || change_id, E'\\n' ORDER BY committed_at) FROM sqitch.tags",
    );
    let expected: Vec<String> = dir
        .plan()
        .tag_ids()
        .into_iter()
        .map(|(tag, id, change_id)| format!("{id} @{} {change_id}", tag.name))
        .collect();
    assert_eq!(tags, expected.join("\n"));
    assert_eq!(expected.len(), 1);

    // A verify script that fails makes sqitch verify fail: the scripts are real checks.
    pg.psql("gen_sqitch", "ALTER TABLE posts RENAME TO posts_moved");
    let out = sqitch(&root).args(["verify", &target]).output().unwrap();
    assert!(!out.status.success(), "verify passed with posts missing");
    pg.psql("gen_sqitch", "ALTER TABLE posts_moved RENAME TO posts");

    run(sqitch(&root).args(["revert", "-y", &target]));
    assert_eq!(
        pg.psql(
            "gen_sqitch",
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ),
        "0"
    );
    // `sqitch status` exits 1 when nothing is deployed; its words are the check.
    let out = sqitch(&root).args(["status", &target]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("No changes deployed"));
}

/// A throwaway Postgres cluster on a private socket directory, stopped on drop.
struct Cluster {
    dir: tempfile::TempDir,
    bindir: PathBuf,
    as_postgres: bool,
    server: Child,
}

impl Cluster {
    fn start() -> Cluster {
        let bindir = pg_bindir();
        let as_postgres = is_root();
        // tmpfs where there is one: initdb and CREATE DATABASE are much faster there.
        let base = if Path::new("/dev/shm").is_dir() {
            "/dev/shm"
        } else {
            "/tmp"
        };
        let dir = tempfile::Builder::new()
            .prefix("gen-migrations-pg.")
            .tempdir_in(base)
            .unwrap();
        if as_postgres {
            // initdb refuses to run as root.
            let (uid, gid) = postgres_ids();
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        }
        let data = dir.path().join("data");
        let mut cluster = Cluster {
            server: Command::new("true").spawn().unwrap(),
            dir,
            bindir,
            as_postgres,
        };
        run(cluster.server_command("initdb").arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        ]));
        let log = fs::File::create(cluster.dir.path().join("server.log")).unwrap();
        let _ = cluster.server.wait();
        cluster.server = cluster
            .server_command("postgres")
            .arg("-D")
            .arg(&data)
            .arg("-k")
            .arg(cluster.dir.path())
            .args(["-c", "listen_addresses=", "-c", "fsync=off"])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = Command::new(cluster.bindir.join("pg_isready"))
                .arg("-h")
                .arg(cluster.dir.path())
                .arg("-q")
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                break cluster;
            }
            if let Ok(Some(status)) = cluster.server.try_wait() {
                panic!(
                    "postgres exited with {status}:\n{}",
                    fs::read_to_string(cluster.dir.path().join("server.log")).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "postgres did not start within 30s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn server_command(&self, program: &str) -> Command {
        let program = self.bindir.join(program);
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        }
    }

    fn target(&self, db: &str) -> String {
        format!("db:pg://postgres@/{db}?host={}", self.dir.path().display())
    }

    fn psql(&self, db: &str, sql: &str) -> String {
        let out = run(Command::new(self.bindir.join("psql"))
            .arg("-h")
            .arg(self.dir.path())
            .args([
                "-U",
                "postgres",
                "-d",
                db,
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ]));
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .server_command("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.server.wait();
    }
}

fn pg_bindir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GEN_TEST_PG_BINDIR") {
        return dir.into();
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).unwrap_or_else(|| {
        panic!(
            "this test needs PostgreSQL server binaries: `apt-get install postgresql`, \
             or point GEN_TEST_PG_BINDIR at a directory holding initdb and postgres"
        )
    })
}

fn is_root() -> bool {
    let out = run(Command::new("id").arg("-u"));
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn postgres_ids() -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "running as root needs a `postgres` system user for initdb (apt-get install postgresql creates one)"
        );
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    };
    (id("-u"), id("-g"))
}
