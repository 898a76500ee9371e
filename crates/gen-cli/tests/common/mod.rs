//! What the end-to-end test files share: running the `gen` binary in a
//! project directory with a fixed planner and clock, reading its output,
//! snapshots of a directory, and the real `sqitch` against a scratch
//! database of the local sandbox.
//!
//! Each test file uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use gen_sandbox::Database;

pub mod fixtures;

/// `gen` in `dir`, isolated from the caller's settings: no config, sandbox
/// or database from the environment, a fixed planner and timestamp, and a
/// catalog cache of this project's own, so no earlier run can answer.
pub fn gen_cmd(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gen"));
    let cache = std::env::temp_dir()
        .join("gen-tests-cache")
        .join(dir.file_name().unwrap_or(dir.as_os_str()));
    cmd.current_dir(dir)
        .env_remove("GEN_CONFIG")
        .env_remove("GEN_DEV_URL")
        .env_remove("GEN_SANDBOX")
        .env_remove("GEN_DB")
        .env("SQITCH_FULLNAME", "Test Planner")
        .env("SQITCH_EMAIL", "planner@example.com")
        .env("GEN_PLANNED_AT", "2026-01-02T03:04:05Z")
        .env("NO_COLOR", "1")
        .env("GEN_CACHE_DIR", cache)
        .stdin(Stdio::null());
    cmd
}

pub fn run_gen(dir: &Path, args: &[&str]) -> Output {
    gen_cmd(dir).args(args).output().expect("running gen")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Both streams, for assertion messages.
pub fn text(o: &Output) -> String {
    format!("stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o))
}

#[track_caller]
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "expected exit {code}\n{}",
        text(o)
    );
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Every file under `dir`, relative to it, with its contents: to prove
/// nothing changed, or that two runs wrote the same bytes.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("under dir").to_path_buf();
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

/// The tests that use the real sqitch fail, never skip, without it.
pub fn require_sqitch() {
    assert!(
        Command::new("sqitch")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "sqitch is not installed: run scripts/install-deps (Debian package sqitch, libdbd-pg-perl)"
    );
}

/// The socket directory of a scratch database of the local sandbox.
fn socket_dir(db: &Database) -> String {
    db.conninfo()
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("host="))
        .expect("socket directory in conninfo")
        .trim_matches('\'')
        .to_owned()
}

/// A `postgres://` URL for a scratch database, as a user would pass `--db`:
/// as the sandbox's superuser, as production often deploys as one.
pub fn url(db: &Database) -> String {
    format!(
        "postgres://{}@/{}?host={}",
        gen_sandbox::SUPERUSER,
        db.name(),
        socket_dir(db)
    )
}

/// A sqitch target for a scratch database, as its superuser.
pub fn sqitch_target(db: &Database) -> String {
    format!(
        "db:pg://{}@/{}?host={}",
        gen_sandbox::SUPERUSER,
        db.name(),
        socket_dir(db)
    )
}

/// Runs sqitch on the project's migrations against `target`, with no user
/// or system configuration and a committer of its own; must succeed.
pub fn run_sqitch(p: &Path, target: &str, args: &[&str]) -> String {
    let o = Command::new("sqitch")
        .arg("--chdir")
        .arg(p.join("migrations"))
        .args(args)
        .arg(target)
        .env("SQITCH_USER_CONFIG", "/dev/null")
        .env("SQITCH_SYSTEM_CONFIG", "/dev/null")
        .env("SQITCH_FULLNAME", "Sqitch User")
        .env("SQITCH_EMAIL", "sqitch@example.com")
        .env("SQITCH_PAGER", "cat")
        .stdin(Stdio::null())
        .output()
        .expect("sqitch");
    assert!(o.status.success(), "sqitch {args:?} failed:\n{}", text(&o));
    stdout(&o)
}
