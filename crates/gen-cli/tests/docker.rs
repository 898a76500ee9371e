//! The user's loop through `--sandbox docker`: the same plans, byte for
//! byte, as the local sandbox's, on the project's major and another, and
//! no container left behind.
//!
//! These need a Docker engine and the images `postgres:<major>`, which
//! `scripts/test` provides (it starts `dockerd` and builds the images from
//! the local binaries with `scripts/docker-images`) before it runs them
//! with `--ignored --test-threads 1` (they count the sandbox containers
//! on the engine); without an engine they fail and say so.

mod common;

use common::*;

fn project(dir: &std::path::Path) {
    let o = run_gen(dir, &["--pg-version", "15", "init", "--project", "shop"]);
    assert_exit(&o, 0);
    write(
        dir,
        "schema/app.sql",
        "CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL);\n\
         CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer (id),\n\
         \x20   total int CHECK (total >= 0));\n\
         CREATE INDEX orders_customer_id ON orders (customer_id);\n\
         CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;\n",
    );
}

/// The sandbox containers still there, by the label gen gives them.
fn sandbox_containers() -> String {
    let o = std::process::Command::new("docker")
        .args(["ps", "-aq", "--filter", "label=dev.gen.sandbox.pid"])
        .output()
        .expect("running docker (the Docker CLI)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

/// Builds `tag` from `postgres:15` with an entrypoint that runs `script`
/// instead of the server.
fn build_image(tag: &str, script: &str) {
    use std::io::Write as _;
    let mut build = std::process::Command::new("docker")
        .args(["build", "-q", "-t", tag, "-"])
        .env("DOCKER_BUILDKIT", "0")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("docker build");
    let dockerfile = format!("FROM postgres:15\nENTRYPOINT [\"/bin/sh\", \"-c\", {script:?}]\n");
    build
        .stdin
        .take()
        .expect("stdin")
        .write_all(dockerfile.as_bytes())
        .expect("Dockerfile");
    let built = build.wait_with_output().expect("docker build");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
}

/// Removes an image a test built or tagged.
fn remove_image(tag: &str) {
    let _ = std::process::Command::new("docker")
        .args(["rmi", "-f", tag])
        .output();
}

fn require_engine() {
    let ok = std::process::Command::new("docker")
        .arg("info")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "this test needs a running Docker engine and the postgres:<major> images: \
         scripts/test starts dockerd and runs scripts/docker-images"
    );
}

#[test]
#[ignore = "needs a Docker engine and the postgres images; scripts/test runs it after starting dockerd"]
fn the_loop_through_docker_plans_what_the_local_sandbox_plans() {
    require_engine();
    let local = tempfile::tempdir().expect("temp dir");
    let docker = tempfile::tempdir().expect("temp dir");
    project(local.path());
    project(docker.path());

    let o = run_gen(local.path(), &["--sandbox-idle", "0", "add", "first"]);
    assert_exit(&o, 0);
    let o = run_gen(docker.path(), &["--sandbox", "docker", "add", "first"]);
    assert_exit(&o, 0);
    assert!(
        stderr(&o).contains("starting a container from postgres:15"),
        "no progress line: {}",
        text(&o)
    );
    for script in ["deploy", "revert", "verify"] {
        let path = format!("migrations/{script}/first.sql");
        let a = std::fs::read(local.path().join(&path)).expect("local script");
        let b = std::fs::read(docker.path().join(&path)).expect("docker script");
        assert_eq!(
            a, b,
            "{path} differs between the local and docker sandboxes"
        );
    }

    let o = run_gen(docker.path(), &["--sandbox", "docker", "check"]);
    assert_exit(&o, 0);
    let o = run_gen(
        docker.path(),
        &[
            "--sandbox",
            "docker",
            "diff",
            "--from",
            "migrations",
            "--to",
            "schema",
            "--exit-code",
        ],
    );
    assert_exit(&o, 0);

    // Another major: its own image, and the same plan.
    let o = run_gen(
        docker.path(),
        &[
            "--sandbox",
            "docker",
            "--pg-version",
            "17",
            "diff",
            "--from",
            "migrations",
            "--to",
            "schema",
            "--exit-code",
        ],
    );
    assert_exit(&o, 0);
    assert!(
        stderr(&o).contains("starting a container from postgres:17"),
        "{}",
        text(&o)
    );

    assert_eq!(
        sandbox_containers(),
        "",
        "a sandbox container was left behind"
    );
}

/// `gen check` caches what it read in a container under the image's id,
/// not its name: the same name standing for another image is read anew.
#[test]
#[ignore = "needs a Docker engine and the postgres images; scripts/test runs it after starting dockerd"]
fn the_catalog_cache_follows_the_image_not_its_name() {
    require_engine();
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    project(p);
    assert_exit(&run_gen(p, &["--sandbox-idle", "0", "add", "first"]), 0);
    let tag = |from: &str| {
        let status = std::process::Command::new("docker")
            .args(["tag", from, "gen-test/swap:1"])
            .status()
            .expect("docker tag");
        assert!(status.success());
    };
    let check = || {
        run_gen(
            p,
            &[
                "--sandbox",
                "docker",
                "--docker-image",
                "gen-test/swap:1",
                "check",
            ],
        )
    };
    tag("postgres:15");
    let first = check();
    assert_exit(&first, 0);
    assert!(!stderr(&first).contains("(cached)"), "{}", text(&first));
    let second = check();
    assert_exit(&second, 0);
    assert!(stderr(&second).contains("(cached)"), "{}", text(&second));
    // The name now stands for PostgreSQL 17's image: read anew, and
    // refused, since the project plans for 15.
    tag("postgres:17");
    let third = check();
    remove_image("gen-test/swap:1");
    assert_exit(&third, 2);
    assert!(
        stderr(&third).contains("but the project asks for PostgreSQL 15"),
        "{}",
        text(&third)
    );
    assert_eq!(
        sandbox_containers(),
        "",
        "a sandbox container was left behind"
    );
}

/// An image whose server never comes up is an error naming the image, with
/// the container's own last words, and its container is removed.
#[test]
#[ignore = "needs a Docker engine and the postgres images; scripts/test runs it after starting dockerd"]
fn an_image_that_never_serves_is_a_clear_error() {
    require_engine();
    let dir = tempfile::tempdir().expect("temp dir");
    project(dir.path());
    build_image("gen-test/broken:1", "echo broken on purpose >&2; exit 3");

    let o = run_gen(
        dir.path(),
        &[
            "--sandbox",
            "docker",
            "--docker-image",
            "gen-test/broken:1",
            "check",
            "--no-cache",
        ],
    );
    remove_image("gen-test/broken:1");
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("gen-test/broken:1"), "{err}");
    assert!(
        err.contains("exited before its server accepted connections"),
        "{err}"
    );
    assert!(err.contains("broken on purpose"), "no log tail: {err}");
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(
        sandbox_containers(),
        "",
        "a sandbox container was left behind"
    );
}

/// Ctrl-C while a container serves the run removes the container; so
/// does the next run for one whose gen was killed outright.
#[test]
#[ignore = "needs a Docker engine and the postgres images; scripts/test runs it after starting dockerd"]
fn interrupted_and_killed_runs_leave_no_container() {
    require_engine();
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    project(p);
    write(
        p,
        "schema/slow.sql",
        "DO $$ BEGIN PERFORM pg_sleep(60); END $$;\n",
    );
    // Waits until the run has a container, then stops gen with `signal`.
    let run_until_container = |signal: &str| {
        let mut child = gen_cmd(p)
            .args(["--sandbox", "docker", "check", "--no-cache"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("running gen");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while sandbox_containers().is_empty() {
            assert!(std::time::Instant::now() < deadline, "no container started");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        // Into the slow statement.
        std::thread::sleep(std::time::Duration::from_secs(3));
        let status = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        child.wait().expect("gen ends");
    };

    run_until_container("-INT");
    assert_eq!(sandbox_containers(), "", "Ctrl-C left a container behind");

    run_until_container("-KILL");
    assert_ne!(
        sandbox_containers(),
        "",
        "a killed gen's container is still there until the next run"
    );
    write(p, "schema/slow.sql", "");
    let o = run_gen(
        p,
        &[
            "--sandbox",
            "docker",
            "diff",
            "--from",
            "migrations",
            "--to",
            "schema",
        ],
    );
    assert_exit(&o, 0);
    assert_eq!(
        sandbox_containers(),
        "",
        "the next run did not sweep the killed run's container"
    );
}

/// An image the engine does not have and cannot pull is an error naming
/// it (the registry here is a closed local port: nothing leaves the
/// machine); a container that runs but never serves is given up on after
/// the startup timeout, with its log; neither leaves a container behind.
#[test]
#[ignore = "needs a Docker engine and the postgres images; scripts/test runs it after starting dockerd"]
fn a_missing_image_and_a_server_that_never_answers_are_clear_errors() {
    require_engine();
    let dir = tempfile::tempdir().expect("temp dir");
    project(dir.path());

    let o = run_gen(
        dir.path(),
        &[
            "--sandbox",
            "docker",
            "--docker-image",
            "localhost:1/gen-test/absent:1",
            "check",
            "--no-cache",
        ],
    );
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("could not start a container from image localhost:1/gen-test/absent:1"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");

    build_image(
        "gen-test/silent:1",
        "echo listening nowhere >&2; while :; do sleep 1; done",
    );
    let started = std::time::Instant::now();
    let o = run_gen(
        dir.path(),
        &[
            "--sandbox",
            "docker",
            "--docker-image",
            "gen-test/silent:1",
            "check",
            "--no-cache",
        ],
    );
    remove_image("gen-test/silent:1");
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("did not accept connections within 60 s"),
        "{err}"
    );
    assert!(err.contains("listening nowhere"), "no log tail: {err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(120),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        sandbox_containers(),
        "",
        "a sandbox container was left behind"
    );
}
