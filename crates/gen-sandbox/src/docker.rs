//! The Docker backend: a `postgres` container through testcontainers.

use std::time::{Duration, Instant};

use testcontainers::core::wait::LogWaitStrategy;
use testcontainers::core::{IntoContainerPort as _, WaitFor};
use testcontainers::runners::AsyncRunner as _;
use testcontainers::{ContainerAsync, GenericImage, ImageExt as _};
use tokio_postgres::{Client, Config, NoTls};

use crate::error::SandboxError;

/// The major of the image used when neither an image nor a version is
/// given: the one the local backend is tested with by default.
const DEFAULT_MAJOR: u32 = 15;

/// The image to run: the one given, else `postgres:<version>`.
pub(crate) fn image(image: Option<&str>, version: Option<u32>) -> String {
    match image {
        Some(image) => image.to_owned(),
        None => format!("postgres:{}", version.unwrap_or(DEFAULT_MAJOR)),
    }
}

/// How long to wait for the Docker engine to answer a ping.
const PING_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the container gets to accept connections after its log says so.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A running container; removed when dropped.
pub(crate) type Container = ContainerAsync<GenericImage>;

/// Splits `registry:5000/postgres:15` into name and tag; the tag defaults to
/// `latest` like the Docker CLI.
pub(crate) fn split_image(image: &str) -> (&str, &str) {
    match image.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name, tag),
        _ => (image, "latest"),
    }
}

/// Asks the engine for a sign of life first, so a missing engine is reported
/// as such, at once, instead of as a failed image pull or container start.
async fn check_engine() -> Result<(), SandboxError> {
    let unavailable = |source: Box<dyn std::error::Error + Send + Sync>| {
        SandboxError::DockerUnavailable { source }
    };
    let ping = async {
        let docker = testcontainers::core::client::docker_client_instance()
            .await
            .map_err(|e| unavailable(Box::new(e)))?;
        docker.ping().await.map_err(|e| unavailable(Box::new(e)))?;
        Ok(())
    };
    match tokio::time::timeout(PING_TIMEOUT, ping).await {
        Ok(result) => result,
        Err(elapsed) => Err(unavailable(Box::new(elapsed))),
    }
}

/// Starts a container and connects to its `postgres` database.
pub(crate) async fn start(image: &str) -> Result<(Container, Config, Client), SandboxError> {
    check_engine().await?;
    let container_err =
        |source: Box<dyn std::error::Error + Send + Sync>| SandboxError::Container {
            image: image.to_owned(),
            source,
        };
    let (name, tag) = split_image(image);
    // The official image logs "ready" twice on first start: once for the
    // temporary server that runs its init scripts, once for the real one.
    let ready = WaitFor::log(
        LogWaitStrategy::stderr("database system is ready to accept connections").with_times(2),
    );
    let container = GenericImage::new(name, tag)
        .with_exposed_port(5432.tcp())
        .with_wait_for(ready)
        .with_env_var("POSTGRES_HOST_AUTH_METHOD", "trust")
        .with_cmd([
            "postgres",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "TimeZone=UTC",
        ])
        .start()
        .await
        .map_err(|e| container_err(Box::new(e)))?;
    let host = container
        .get_host()
        .await
        .map_err(|e| container_err(Box::new(e)))?;
    let port = container
        .get_host_port_ipv4(5432.tcp())
        .await
        .map_err(|e| container_err(Box::new(e)))?;

    let mut config = Config::new();
    config
        .host(host.to_string())
        .port(port)
        .user("postgres")
        .dbname("postgres");
    // Port forwarding can lag the log line by a moment.
    let deadline = Instant::now() + CONNECT_TIMEOUT;
    loop {
        match config.connect(NoTls).await {
            Ok((client, connection)) => {
                tokio::spawn(connection);
                return Ok((container, config, client));
            }
            Err(e) if Instant::now() >= deadline => {
                return Err(SandboxError::Connect {
                    target: crate::conninfo::to_conninfo(&config, false),
                    source: e.into(),
                });
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_image_references() {
        assert_eq!(split_image("postgres:15"), ("postgres", "15"));
        assert_eq!(split_image("postgres"), ("postgres", "latest"));
        assert_eq!(
            split_image("localhost:5000/pg/postgres:16.2"),
            ("localhost:5000/pg/postgres", "16.2")
        );
        assert_eq!(
            split_image("localhost:5000/postgres"),
            ("localhost:5000/postgres", "latest")
        );
    }
}
