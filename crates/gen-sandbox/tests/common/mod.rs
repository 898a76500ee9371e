//! Helpers shared by the integration tests: starting a local sandbox with a
//! loud failure, and looking at processes through /proc.

#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use gen_sandbox::{Backend, Sandbox, SandboxError};

/// The local backend, with `GEN_PG_BIN` as `--pg-bin` and
/// `GEN_PG_VERSION` as `--pg-version` when set.
pub fn local_backend() -> Backend {
    Backend::local_from_env().unwrap_or_else(|e| panic!("{e}"))
}

/// Panics with the error, its causes and the hint: these tests need a real
/// server and must never pass without one.
pub fn need_postgres(err: SandboxError) -> ! {
    panic!(
        "this test needs PostgreSQL server binaries: {}\nhint: {}\n\
         (on Debian: apt-get install postgresql; or set GEN_PG_BIN to a directory with initdb and postgres)",
        chain(&err),
        err.hint().unwrap_or("none")
    )
}

/// Starts a local sandbox or fails the test loudly.
pub async fn start_local() -> Sandbox {
    match Sandbox::start(&local_backend()).await {
        Ok(sandbox) => sandbox,
        Err(err) => need_postgres(err),
    }
}

/// The error and all its sources, as one string.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Whether a process exists and is not a zombie.
pub fn running(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !matches!(
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next()),
            Some("Z" | "X")
        ),
        Err(_) => false,
    }
}

/// Running processes whose parent is `pid`: a postmaster's backends and
/// auxiliary processes.
pub fn children(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|s| s.parse::<u32>().ok());
        if ppid == Some(pid) && running(child) {
            found.push(child);
        }
    }
    found
}

/// Running processes whose command line mentions `needle` (a postmaster
/// started with `-D <data dir>`).
pub fn processes_mentioning(needle: &Path) -> Vec<u32> {
    let needle = needle.as_os_str().as_encoded_bytes();
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(cmdline) = fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        if cmdline.windows(needle.len()).any(|w| w == needle) && running(pid) {
            found.push(pid);
        }
    }
    found
}

/// Waits until `pid` no longer runs; false on timeout.
pub fn wait_gone(pid: u32, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if !running(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    !running(pid)
}

/// Asserts that a postmaster, its children and its files are all gone.
pub fn assert_cleaned_up(pid: u32, kids: &[u32], data_dir: &Path) {
    assert!(!running(pid), "postmaster {pid} still runs");
    for kid in kids {
        assert!(
            wait_gone(*kid, Duration::from_secs(5)),
            "server child process {kid} of {pid} still runs"
        );
    }
    assert!(
        processes_mentioning(data_dir).is_empty(),
        "a process still mentions {}",
        data_dir.display()
    );
    assert!(!data_dir.exists(), "{} still exists", data_dir.display());
    let run_dir = data_dir.parent().expect("data dir has a parent");
    assert!(!run_dir.exists(), "{} still exists", run_dir.display());
}
