//! The Docker backend where no Docker engine runs: the failure must be quick
//! and say what to do.

mod common;

use std::time::{Duration, Instant};

use gen_sandbox::{Backend, Sandbox, SandboxError};

#[tokio::test]
async fn no_docker_engine_is_a_clear_fast_error() {
    // These assertions describe a machine without Docker; where an engine
    // answers, the backend is expected to work instead.
    if std::path::Path::new("/var/run/docker.sock").exists()
        || std::env::var_os("DOCKER_HOST").is_some()
    {
        let sandbox = Sandbox::start(&Backend::Docker {
            image: None,
            version: None,
        })
        .await
        .unwrap_or_else(|e| {
            panic!(
                "docker backend with an engine present: {}",
                common::chain(&e)
            )
        });
        let db = sandbox.create_database("docker").await.expect("create");
        db.connect().await.expect("connect");
        sandbox.shutdown().await.expect("shutdown");
        return;
    }
    for image in [None, Some("postgres:16".to_owned())] {
        let started = Instant::now();
        let err = Sandbox::start(&Backend::Docker {
            image,
            version: None,
        })
        .await
        .expect_err("no engine");
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
        assert!(
            matches!(err, SandboxError::DockerUnavailable { .. }),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "no Docker engine is reachable");
        let hint = err.hint().expect("hint");
        assert!(
            hint.contains("start Docker or use the local backend"),
            "{hint}"
        );
        // The cause says what the client tried.
        assert!(std::error::Error::source(&err).is_some());
    }
}
