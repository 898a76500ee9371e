//! Cleanup when gen is interrupted or killed, and template creation by many
//! processes at once. Each case runs a copy of this test binary as the "gen"
//! process (see `helper_process`), so signals hit a real separate process.
//!
//! The file has its own `main` (`harness = false`): started with
//! `GEN_SANDBOX_TEST_HELPER` set it is that helper, otherwise it runs the
//! tests, so no test has to stand by ignored to serve as the helper.

mod common;

use std::io::{BufRead as _, BufReader};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_cleaned_up, children, running, start_local, wait_gone};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const MODE: &str = "GEN_SANDBOX_TEST_HELPER";

/// Not a test on its own: the body of the helper processes. `hold` starts a
/// sandbox with a busy database, prints `READY <pid> <data dir>` and waits
/// for Ctrl-C the way the CLI does; `once` starts one, uses it and shuts it
/// down.
fn main() -> std::process::ExitCode {
    if let Ok(mode) = std::env::var(MODE) {
        tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(helper_process(&mode));
        return std::process::ExitCode::SUCCESS;
    }
    let args = libtest_mimic::Arguments::from_args();
    let tests: [(&str, fn()); 3] = [
        (
            "ctrl_c_leaves_no_server_and_no_files",
            ctrl_c_leaves_no_server_and_no_files,
        ),
        (
            "a_killed_gen_takes_its_server_along_and_the_next_run_removes_the_files",
            a_killed_gen_takes_its_server_along_and_the_next_run_removes_the_files,
        ),
        (
            "concurrent_first_runs_build_one_template",
            concurrent_first_runs_build_one_template,
        ),
    ];
    let trials = tests
        .into_iter()
        .map(|(name, f)| {
            libtest_mimic::Trial::test(name, move || {
                f();
                Ok(())
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

async fn helper_process(mode: &str) {
    // Installed before anything else so an early SIGINT is not fatal.
    let mut interrupt =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).expect("signal");
    match mode {
        "hold" => {
            let work = async {
                let sandbox = start_local().await;
                let db = sandbox.create_database("held").await.expect("create");
                let client = db.connect().await.expect("connect");
                client
                    .batch_execute("CREATE TABLE t ()")
                    .await
                    .expect("query");
                println!(
                    "READY {} {}",
                    sandbox.server_pid().expect("local"),
                    sandbox.data_dir().expect("local").display()
                );
                std::future::pending::<()>().await;
            };
            // Should the test die first, its end of our stdin closes: stop
            // then too, so no helper outlives a failed test. A plain thread,
            // because the runtime would wait for a blocking task at exit.
            let (orphan_tx, orphaned) = tokio::sync::oneshot::channel::<()>();
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
                let _ = orphan_tx.send(());
            });
            tokio::select! {
                _ = work => {}
                _ = interrupt.recv() => println!("INTERRUPTED"),
                _ = orphaned => println!("ORPHANED"),
                _ = tokio::time::sleep(Duration::from_secs(120)) => panic!("never interrupted"),
            }
        }
        "once" => {
            let sandbox = start_local().await;
            let db = sandbox.create_database("once").await.expect("create");
            db.connect()
                .await
                .expect("connect")
                .simple_query("SELECT 1")
                .await
                .expect("query");
            sandbox.shutdown().await.expect("shutdown");
            println!("DONE");
        }
        other => panic!("unknown helper mode {other}"),
    }
}

fn helper(mode: &str) -> Command {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.env(MODE, mode)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // Its own process group, like a terminal's foreground job.
        .process_group(0);
    cmd
}

/// Reads the helper's stdout until `READY`, returning postmaster pid and data dir.
fn wait_ready(child: &mut Child) -> (u32, PathBuf) {
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next() {
        let line = line.expect("read helper output");
        if let Some((_, rest)) = line.split_once("READY ") {
            let (pid, dir) = rest.split_once(' ').expect("pid and dir");
            // Keep reading so the helper can still print its results.
            std::thread::spawn(move || lines.for_each(drop));
            return (pid.parse().expect("pid"), PathBuf::from(dir));
        }
    }
    panic!(
        "helper exited before its sandbox was ready: {:?}",
        child.wait()
    );
}

fn wait_exit(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!("helper did not exit within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn ctrl_c_leaves_no_server_and_no_files() {
    let mut child = helper("hold").spawn().expect("spawn helper");
    let (pid, data_dir) = wait_ready(&mut child);
    assert!(running(pid));
    let kids = children(pid);
    // What a terminal does on Ctrl-C: SIGINT to the whole foreground group.
    let group = Pid::from_raw(-i32::try_from(child.id()).expect("pid"));
    kill(group, Signal::SIGINT).expect("send SIGINT");
    let status = wait_exit(&mut child, Duration::from_secs(20));
    assert!(status.success(), "helper exited with {status}");
    assert_cleaned_up(pid, &kids, &data_dir);
}

fn a_killed_gen_takes_its_server_along_and_the_next_run_removes_the_files() {
    let mut child = helper("hold").spawn().expect("spawn helper");
    let (pid, data_dir) = wait_ready(&mut child);
    let kids = children(pid);
    child.kill().expect("SIGKILL helper");
    child.wait().expect("reap helper");
    // No Drop ran; the parent-death signal stops the server.
    assert!(
        wait_gone(pid, Duration::from_secs(15)),
        "postmaster {pid} outlived its killed parent"
    );
    for kid in &kids {
        assert!(
            wait_gone(*kid, Duration::from_secs(15)),
            "backend {kid} outlived it"
        );
    }
    assert!(data_dir.exists(), "nothing could remove the files yet");

    // The next run sweeps directories whose owner is dead.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox = start_local().await;
        sandbox.shutdown().await.expect("shutdown");
    });
    assert!(
        !data_dir.parent().expect("run dir").exists(),
        "stale run directory {} was not removed",
        data_dir.display()
    );
}

fn concurrent_first_runs_build_one_template() {
    let cache = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    let mut helpers: Vec<Child> = (0..3)
        .map(|_| {
            helper("once")
                .env("XDG_CACHE_HOME", cache.path())
                .spawn()
                .expect("spawn helper")
        })
        .collect();
    for child in &mut helpers {
        let status = wait_exit(child, Duration::from_secs(120));
        assert!(status.success(), "a helper failed: {status}");
    }
    eprintln!("3 concurrent cold starts: {:?}", started.elapsed());
    let gen_dir = cache.path().join("gen");
    let entries: Vec<String> = std::fs::read_dir(&gen_dir)
        .expect("cache dir exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries.len(), 1, "expected one template, found {entries:?}");
    assert!(
        entries[0].starts_with("pg") && entries[0].ends_with("-template"),
        "{entries:?}"
    );
    assert!(Path::new(&gen_dir.join(&entries[0]).join("PG_VERSION")).is_file());
}
