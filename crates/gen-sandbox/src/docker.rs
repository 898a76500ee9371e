//! The Docker backend: a `postgres` container through testcontainers.

use std::time::{Duration, Instant};

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
/// How long a started container gets to accept connections.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

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

/// The id of `image` as the engine has it (`sha256:…`), or `None` when no
/// engine answers or it has no such image. Asked on a thread of its own, so
/// that a caller on any runtime (or none) can wait for it.
pub(crate) fn image_id(image: &str) -> Option<String> {
    let image = image.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        runtime.block_on(async {
            let docker = tokio::time::timeout(
                PING_TIMEOUT,
                testcontainers::core::client::docker_client_instance(),
            )
            .await
            .ok()?
            .ok()?;
            let inspect = tokio::time::timeout(PING_TIMEOUT, docker.inspect_image(&image))
                .await
                .ok()?
                .ok()?;
            inspect.id
        })
    })
    .join()
    .ok()
    .flatten()
}

/// The label every sandbox container carries, with the pid of the gen
/// process that started it: a container whose process is gone (killed
/// before it could remove it) is removed by the next run.
const LABEL: &str = "dev.gen.sandbox.pid";

/// Removes the sandbox containers whose gen process no longer runs.
async fn sweep() {
    use testcontainers::bollard::query_parameters::{
        ListContainersOptions, RemoveContainerOptions,
    };
    let Ok(docker) = testcontainers::core::client::docker_client_instance().await else {
        return;
    };
    let filters = std::collections::HashMap::from([("label".to_owned(), vec![LABEL.to_owned()])]);
    let Ok(containers) = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..ListContainersOptions::default()
        }))
        .await
    else {
        return;
    };
    for c in containers {
        let pid = c
            .labels
            .as_ref()
            .and_then(|l| l.get(LABEL))
            .and_then(|p| p.parse::<i32>().ok());
        let (Some(id), Some(pid)) = (c.id, pid) else {
            continue;
        };
        if !crate::local::pid_alive(pid) {
            let _ = docker
                .remove_container(
                    &id,
                    Some(RemoveContainerOptions {
                        force: true,
                        v: true,
                        ..RemoveContainerOptions::default()
                    }),
                )
                .await;
        }
    }
}

/// Starts a container and connects to its `postgres` database. Ready means
/// a connection succeeds, whatever the image logs.
pub(crate) async fn start(image: &str) -> Result<(Container, Config, Client), SandboxError> {
    check_engine().await?;
    sweep().await;
    let container_err =
        |source: Box<dyn std::error::Error + Send + Sync>| SandboxError::Container {
            image: image.to_owned(),
            source,
        };
    let (name, tag) = split_image(image);
    eprintln!("starting a container from {image} for the sandbox…");
    let container = GenericImage::new(name, tag)
        .with_exposed_port(5432.tcp())
        .with_wait_for(WaitFor::Nothing)
        .with_label(LABEL, std::process::id().to_string())
        .with_env_var("POSTGRES_HOST_AUTH_METHOD", "trust")
        // The image's superuser is the sandbox's own; `postgres` is the
        // role schema files run as (see `LOADER`).
        .with_env_var("POSTGRES_USER", crate::SUPERUSER)
        .with_env_var("POSTGRES_DB", "postgres")
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
    let address = async {
        let host = container.get_host().await?;
        let port = container.get_host_port_ipv4(5432.tcp()).await?;
        testcontainers::core::error::Result::Ok((host, port))
    };
    let (host, port) = match address.await {
        Ok(address) => address,
        // A container that stopped at once has no port to reach.
        Err(_) if container.is_running().await.is_ok_and(|running| !running) => {
            let log = log_tail(&container).await;
            let _ = container.rm().await;
            return Err(SandboxError::ContainerExited {
                image: image.to_owned(),
                log,
            });
        }
        Err(e) => return Err(container_err(Box::new(e))),
    };

    let mut config = Config::new();
    config
        .host(host.to_string())
        .port(port)
        .user(crate::SUPERUSER)
        .dbname("postgres")
        .connect_timeout(Duration::from_secs(2));
    // The image's own start (initdb, a first server for init scripts) runs
    // before the server answers: ready is when a connection succeeds.
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        match config.connect(NoTls).await {
            Ok((client, connection)) => {
                tokio::spawn(connection);
                return Ok((container, config, client));
            }
            Err(_) if Instant::now() < deadline => {
                if container.is_running().await.is_ok_and(|running| !running) {
                    let log = log_tail(&container).await;
                    let _ = container.rm().await;
                    return Err(SandboxError::ContainerExited {
                        image: image.to_owned(),
                        log,
                    });
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => {
                let log = log_tail(&container).await;
                let _ = container.rm().await;
                return Err(SandboxError::ContainerTimeout {
                    image: image.to_owned(),
                    waited: STARTUP_TIMEOUT,
                    log,
                    source: e.into(),
                });
            }
        }
    }
}

/// The last lines the container wrote, for an error: asked of the engine
/// by count, so a chatty container costs no more than a quiet one.
async fn log_tail(container: &Container) -> String {
    use futures_util::StreamExt as _;
    use testcontainers::bollard::query_parameters::LogsOptions;
    let Ok(docker) = testcontainers::core::client::docker_client_instance().await else {
        return String::new();
    };
    let options = LogsOptions {
        stdout: true,
        stderr: true,
        tail: "20".to_owned(),
        ..LogsOptions::default()
    };
    let mut logs = docker.logs(container.id(), Some(options));
    let mut text = String::new();
    while let Some(Ok(chunk)) = logs.next().await {
        text.push_str(&String::from_utf8_lossy(&chunk.into_bytes()));
    }
    text.trim_end().to_owned()
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
