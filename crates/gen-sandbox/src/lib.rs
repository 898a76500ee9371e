//! A throwaway PostgreSQL server for one run of gen.
//!
//! One cluster per run, never one per side: callers [`Sandbox::start`] once,
//! then create the databases they need (typically two, `old` and `new`) and
//! load them concurrently.
//!
//! Three backends provide the server:
//!
//! * [`Backend::Local`] (the default) copies a cached `initdb` template into
//!   tmpfs and runs `postgres` as a child process on a private Unix socket.
//!   As root it runs the server as the `postgres` system user.
//! * [`Backend::Warm`] is the local backend kept running between runs: one
//!   server per user and installation, found again by the next run, stopped
//!   by a detached watcher after an idle period (see [`watch`]).
//! * [`Backend::Url`] uses an existing server and creates uniquely named
//!   scratch databases on it, dropped again at the end.
//! * [`Backend::Docker`] starts a container through testcontainers.
//!
//! Cleanup happens on [`Sandbox::shutdown`], which reports problems, and
//! otherwise when the [`Sandbox`] is dropped — including when a caller's work
//! future is dropped because Ctrl-C won a `tokio::select!`:
//!
//! ```no_run
//! # async fn run() -> Result<(), gen_sandbox::SandboxError> {
//! use gen_sandbox::{Backend, Sandbox};
//! let work = async {
//!     let sandbox = Sandbox::start(&Backend::default()).await?;
//!     let (old, new) = tokio::try_join!(
//!         sandbox.create_database("old"),
//!         sandbox.create_database("new"),
//!     )?;
//!     // … load and introspect `old` and `new` …
//!     sandbox.shutdown().await
//! };
//! tokio::select! {
//!     result = work => result?,
//!     _ = tokio::signal::ctrl_c() => {} // the sandbox was dropped: server stopped, files gone
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod conninfo;
mod docker;
mod error;
mod local;
mod warm;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Config, NoTls};

pub use conninfo::redact;
pub use error::{PgError, SandboxError};
pub use warm::{WarmStatus, status as warm_status, stop_all as stop_warm, watch};

/// The sandbox's own superuser: it makes the scratch databases and the
/// roles schema files mention, and runs the few statements that only a
/// superuser may (see [`LOADER`]).
pub const SUPERUSER: &str = "gen_sandbox";

/// The role schema files and replayed migrations run as, in a sandbox gen
/// runs itself (local, warm or Docker): no superuser, owner of the run's
/// scratch databases, member (with the admin option) of every role the
/// files mention. `postgres` because objects it creates are then owned as
/// they are when a deploy runs as `postgres`, and `ALTER … OWNER TO
/// postgres` in a dump means what it says.
pub const LOADER: &str = "postgres";

/// The PostgreSQL majors gen plans for: a sandbox of another major is
/// refused before anything is loaded into it.
pub const SUPPORTED_MAJORS: std::ops::RangeInclusive<u32> = 14..=18;

/// `17` from `17.2`, `17devel` or `170002` (`server_version_num`).
pub fn major_of(version: &str) -> Option<u32> {
    let digits: String = version.chars().take_while(char::is_ascii_digit).collect();
    let n: u32 = digits.parse().ok()?;
    Some(if n >= 100_000 { n / 10_000 } else { n })
}

/// Removes what this process's local sandboxes left on disk: for the
/// moment a signal ends the process, when a sandbox may still be copying
/// its template on a thread no `Drop` waits for.
pub fn remove_leftovers() {
    local::remove_own_runs();
}

/// How long cleanup of an existing server may take when it runs from `Drop`.
const DROP_CLEANUP_TIMEOUT: Duration = Duration::from_secs(15);

/// Where the throwaway server comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum Backend {
    /// A private cluster from locally installed server binaries.
    Local {
        /// The directory holding `initdb` and `postgres` (`--pg-bin`); found
        /// automatically when `None`.
        pg_bin: Option<PathBuf>,
        /// The major the server must be (`[sandbox] version`): binaries of
        /// that major are looked for; `None` takes whatever is found.
        version: Option<u32>,
    },
    /// The local backend's server kept running for the next run: scratch
    /// databases with unique names are made on it (or claimed ready-made)
    /// and dropped once the run's process has ended. A watcher process
    /// stops the server after `idle` without a run.
    Warm {
        /// As for [`Backend::Local`].
        pg_bin: Option<PathBuf>,
        /// As for [`Backend::Local`].
        version: Option<u32>,
        /// How long the server stays up without a run.
        idle: Duration,
        /// The program and arguments that run [`watch`]; the server
        /// directory and the bin directory are appended.
        watcher: Vec<std::ffi::OsString>,
    },
    /// An existing server; scratch databases are created on it and dropped
    /// afterwards. Needs a role allowed to create databases (and roles, if
    /// the schema grants to roles that do not exist there).
    Url {
        /// A `postgres://` URL or a libpq `key=value` string.
        url: String,
        /// The major the server must be, checked on connecting.
        version: Option<u32>,
    },
    /// A container started through the Docker engine.
    Docker {
        /// The image, `postgres:<version>` when `None`.
        image: Option<String>,
        /// The major the server must be; also picks the default image.
        version: Option<u32>,
    },
}

impl Backend {
    /// The local backend as the environment asks for it, the way gen's
    /// command line reads the same variables: `GEN_PG_BIN` (a bin
    /// directory) and `GEN_PG_VERSION` (a major). For tests and tools
    /// that start a sandbox without a project.
    pub fn local_from_env() -> Result<Backend, SandboxError> {
        let pg_bin = std::env::var_os("GEN_PG_BIN")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let version = match std::env::var("GEN_PG_VERSION") {
            Ok(v) if !v.is_empty() => {
                Some(
                    v.trim()
                        .parse::<u32>()
                        .map_err(|_| SandboxError::UnsupportedMajor {
                            what: "GEN_PG_VERSION".to_owned(),
                            version: v.clone(),
                        })?,
                )
            }
            _ => None,
        };
        Ok(Backend::Local { pg_bin, version })
    }

    /// Sets the major the server must be, unless the project set one.
    pub fn default_version(&mut self, major: u32) {
        match self {
            Backend::Local { version, .. }
            | Backend::Warm { version, .. }
            | Backend::Url { version, .. }
            | Backend::Docker { version, .. } => {
                version.get_or_insert(major);
            }
        }
    }

    /// The major version the server must be, if the project says.
    pub fn version(&self) -> Option<u32> {
        match self {
            Backend::Local { version, .. }
            | Backend::Warm { version, .. }
            | Backend::Url { version, .. }
            | Backend::Docker { version, .. } => *version,
        }
    }
}

impl Default for Backend {
    fn default() -> Self {
        Self::Local {
            pg_bin: None,
            version: None,
        }
    }
}

impl fmt::Debug for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local { pg_bin, version } => f
                .debug_struct("Local")
                .field("pg_bin", pg_bin)
                .field("version", version)
                .finish(),
            Self::Warm {
                pg_bin,
                version,
                idle,
                ..
            } => f
                .debug_struct("Warm")
                .field("pg_bin", pg_bin)
                .field("version", version)
                .field("idle", idle)
                .finish(),
            Self::Url { url, version } => f
                .debug_struct("Url")
                .field("url", &redact(url))
                .field("version", version)
                .finish(),
            Self::Docker { image, version } => f
                .debug_struct("Docker")
                .field("image", image)
                .field("version", version)
                .finish(),
        }
    }
}

/// A running throwaway server. Dropping it stops the server (or drops the
/// scratch databases on an existing one) and removes every file it made.
pub struct Sandbox {
    inner: Option<Inner>,
}

struct Inner {
    server: Server,
    /// Connection settings for the maintenance database.
    admin_config: Config,
    admin: Client,
    server_version: String,
    server_version_num: u32,
    state: Mutex<Scratch>,
    /// How long one statement a schema file or migration holds may run.
    statement_timeout: Duration,
    /// Schema files run as [`LOADER`], not as the server's superuser: a
    /// server gen runs itself. A URL's server is the user's, loaded as the
    /// role the URL names.
    sealed: bool,
}

/// How long a statement loaded into the sandbox may run by default.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(60);

enum Server {
    Local(local::LocalServer),
    Warm(warm::WarmServer),
    Url,
    Docker(Box<docker::Container>),
}

/// What the sandbox made on a server it does not own, to undo at cleanup.
#[derive(Default)]
struct Scratch {
    databases: BTreeSet<String>,
    roles: BTreeSet<String>,
    /// Warm server: the roles the files' own `CREATE ROLE` statements
    /// make. Like every role a run uses there, each is held under a shared
    /// advisory lock ([`ROLE_IN_USE_KEY`]) until the run ends.
    statement_roles: BTreeSet<String>,
    /// Custom settings [`LOADER`] was allowed to set.
    settings: BTreeSet<String>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Sandbox");
        if let Some(inner) = &self.inner {
            let kind = match &inner.server {
                Server::Local(_) => "local",
                Server::Warm(_) => "warm",
                Server::Url => "url",
                Server::Docker(_) => "docker",
            };
            s.field("backend", &kind)
                .field("server", &conninfo::to_conninfo(&inner.admin_config, false))
                .field("version", &inner.server_version);
        }
        s.finish()
    }
}

/// How schema files run in a sandbox gen runs itself, as part of what a
/// snapshot of a catalog read there is keyed by: one read from a server
/// where files ran as its superuser (and could change it) is not trusted.
const SEALED: &str = "sealed=1";

/// What identifies the server `backend` would run, found without starting
/// it: the local binaries' version and place, or the Docker image's id,
/// and how files run there ([`LOADER`]). `None`
/// for a server URL, whose version can change behind the same address, and
/// when the local binaries cannot be found.
pub fn fingerprint(backend: &Backend) -> Option<String> {
    match backend {
        // The same binaries with the same settings: a snapshot read on
        // either is valid for the other.
        Backend::Local { pg_bin, version }
        | Backend::Warm {
            pg_bin, version, ..
        } => {
            let pg_bin = local::resolve(pg_bin.as_deref(), *version).ok()?;
            local::binaries_fingerprint(pg_bin.as_deref()).map(|f| format!("local {SEALED} {f}"))
        }
        // An image's name can stand for another image tomorrow: its id
        // says which one (none without an engine: nothing is cached).
        Backend::Docker { image, version } => {
            docker::image_id(&docker::image(image.as_deref(), *version))
                .map(|id| format!("docker {SEALED} {id}"))
        }
        Backend::Url { .. } => None,
    }
}

impl Sandbox {
    /// Starts (or connects to) a server for this run.
    pub async fn start(backend: &Backend) -> Result<Sandbox, SandboxError> {
        let (server, admin_config, admin) = match backend {
            Backend::Local { pg_bin, version } => {
                let pg_bin = local::resolve(pg_bin.as_deref(), *version)?;
                let (server, config, client) = local::LocalServer::start(pg_bin).await?;
                (Server::Local(server), config, client)
            }
            Backend::Warm {
                pg_bin,
                version,
                idle,
                watcher,
            } => {
                let options = warm::Options {
                    pg_bin: local::resolve(pg_bin.as_deref(), *version)?,
                    idle: *idle,
                    watcher: watcher.clone(),
                };
                let (server, config, client) = warm::attach(&options).await?;
                (Server::Warm(server), config, client)
            }
            Backend::Url { url, .. } => {
                let config = conninfo::parse(url)?;
                let client = connect_config(&config).await?;
                (Server::Url, config, client)
            }
            Backend::Docker { image, version } => {
                let image = docker::image(image.as_deref(), *version);
                let (container, config, client) = docker::start(&image).await?;
                (Server::Docker(Box::new(container)), config, client)
            }
        };
        // From here on a failure drops `sandbox`, which cleans up.
        let mut sandbox = Sandbox {
            inner: Some(Inner {
                server,
                admin_config,
                admin,
                server_version: String::new(),
                server_version_num: 0,
                state: Mutex::new(Scratch::default()),
                statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
                sealed: !matches!(backend, Backend::Url { .. }),
            }),
        };
        // One round trip: the version, and whether the loader role is made.
        let (version, version_num, loader) = {
            let inner = sandbox.inner()?;
            let warm = matches!(inner.server, Server::Warm(_));
            let row = inner
                .admin
                .query_typed(
                    &format!(
                        "SELECT current_setting('server_version'), \
                         current_setting('server_version_num')::int4, \
                         EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '{LOADER}'), \
                         ARRAY(SELECT DISTINCT db.datname::text FROM pg_catalog.pg_db_role_setting s \
                               JOIN pg_catalog.pg_database db ON db.oid = s.setdatabase \
                               JOIN pg_catalog.pg_roles r ON r.oid = s.setrole \
                               WHERE r.rolname = '{LOADER}')"
                    ),
                    &[],
                )
                .await
                .map_err(|e| query_error("reading the server version", e))?
                .into_iter()
                .next()
                .ok_or(SandboxError::Unexpected {
                    action: "reading the server version",
                })?;
            let full: String = row.get(0);
            let num: i32 = row.get(1);
            let loader = Loader {
                exists: row.get(2),
                databases_with_settings: row.get(3),
                shared: warm,
            };
            (
                full.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                u32::try_from(num).unwrap_or_default(),
                loader,
            )
        };
        let major = version_num / 10_000;
        let what = || match backend {
            Backend::Url { url, .. } => format!("the server at {}", redact(url)),
            Backend::Docker { image, version } => {
                format!("the image {}", docker::image(image.as_deref(), *version))
            }
            Backend::Local { .. } | Backend::Warm { .. } => "the sandbox's server".to_owned(),
        };
        if !SUPPORTED_MAJORS.contains(&major) {
            return Err(SandboxError::UnsupportedMajor {
                what: what(),
                version,
            });
        }
        if let Some(wanted) = backend.version().filter(|&w| w != major) {
            return Err(SandboxError::WrongMajor {
                what: what(),
                version,
                wanted,
            });
        }
        if let Some(inner) = sandbox.inner.as_mut() {
            inner.server_version = version;
            inner.server_version_num = version_num;
            if inner.sealed {
                inner
                    .admin
                    .batch_execute(&seal_sql(version_num, &loader))
                    .await
                    .map_err(|e| query_error(format!("preparing the role {LOADER}"), e))?;
            }
        }
        Ok(sandbox)
    }

    fn inner(&self) -> Result<&Inner, SandboxError> {
        // `inner` is only ever taken by `shutdown(self)` and `drop`, after
        // which no `&self` method can run; this is a typed fallback.
        self.inner.as_ref().ok_or_else(|| SandboxError::Cleanup {
            problems: vec!["the sandbox was already shut down".to_owned()],
        })
    }

    /// Creates an empty database with a unique name containing `label`, from
    /// `template0` with UTF8 encoding and the C locale, so both sides of a
    /// comparison start identical whatever the server's defaults.
    pub async fn create_database(&self, label: &str) -> Result<Database, SandboxError> {
        let inner = self.inner()?;
        let name = scratch_name(label);
        // Recorded before it exists: if this future is dropped half-way the
        // database may still appear, and cleanup uses IF EXISTS anyway.
        lock(&inner.state).databases.insert(name.clone());
        let mut config = inner.admin_config.clone();
        config.dbname(&name);
        // The warm server's watcher keeps empty databases made exactly as
        // below ready: renaming one is far cheaper than creating one.
        let loader = inner.sealed.then(|| {
            let mut loader = config.clone();
            loader.user(LOADER);
            loader
        });
        let claimed = matches!(inner.server, Server::Warm(_))
            && warm::claim(&inner.admin, &name).await.is_some();
        if !claimed {
            // Copying files is about twice as fast as WAL-logging the
            // template, but it forces checkpoints: fine on our own server,
            // rude on someone else's.
            let file_copy = !matches!(inner.server, Server::Url);
            let owner = inner.sealed.then_some(LOADER);
            let sql = create_database_sql(&name, inner.server_version_num, file_copy, owner);
            if let Err(e) = inner.admin.batch_execute(&sql).await {
                lock(&inner.state).databases.remove(&name);
                return Err(query_error(format!("creating database {name}"), e));
            }
        }
        if inner.sealed {
            hand_over(
                &inner.admin,
                &config,
                &name,
                inner.server_version_num,
                claimed,
            )
            .await?;
        }
        Ok(Database {
            name,
            config,
            loader,
        })
    }

    /// Drops a database made by [`Sandbox::create_database`], ending any
    /// sessions still connected to it.
    pub async fn drop_database(&self, db: &Database) -> Result<(), SandboxError> {
        let inner = self.inner()?;
        drop_database_on(
            &inner.admin,
            &inner.admin_config,
            &db.name,
            inner.server_version_num,
        )
        .await?;
        lock(&inner.state).databases.remove(&db.name);
        Ok(())
    }

    /// Creates each role that does not exist yet, as `NOLOGIN`.
    ///
    /// Roles are cluster-wide, so schema files that `GRANT` to roles need
    /// them before loading. `public`, `current_user`, `current_role` and
    /// `session_user` are keywords, not roles, and are skipped. On the URL
    /// backend the roles created here are dropped again at cleanup (unless
    /// something else on that server has come to depend on them). In a
    /// sealed sandbox [`LOADER`] is made a member of each, with the admin
    /// option: files give objects to them (`OWNER TO`), create objects as
    /// them (`SET ROLE`) and grant them to one another.
    pub async fn create_roles(&self, roles: &[String]) -> Result<(), SandboxError> {
        self.make_roles(roles, true).await
    }

    /// [`Sandbox::create_roles`] for the roles the files' own `CREATE
    /// ROLE` statements make, which a sealed sandbox does not run: on the
    /// warm server these go again at the end of the run, as they would
    /// with a throwaway cluster, where roles made for mentions stay for
    /// other runs.
    pub async fn create_statement_roles(&self, roles: &[String]) -> Result<(), SandboxError> {
        self.make_roles(roles, false).await
    }

    async fn make_roles(&self, roles: &[String], for_mentions: bool) -> Result<(), SandboxError> {
        let inner = self.inner()?;
        let mut wanted = BTreeSet::new();
        for role in roles {
            if is_role_keyword(role) {
                continue;
            }
            validate_role_name(role)?;
            wanted.insert(role.as_str());
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = wanted.iter().copied().collect();
        if matches!(inner.server, Server::Warm(_)) {
            // Held until this run ends: a run ending meanwhile keeps the
            // roles its own statements made while another run uses them.
            inner
                .admin
                .query_typed(
                    &format!(
                        "SELECT pg_catalog.pg_advisory_lock_shared({ROLE_IN_USE_KEY}, pg_catalog.hashtext(r)) \
                         FROM unnest($1::text[]) r"
                    ),
                    &[(&names, Type::TEXT_ARRAY)],
                )
                .await
                .map_err(|e| query_error("marking roles in use", e))?;
            if !for_mentions {
                lock(&inner.state)
                    .statement_roles
                    .extend(names.iter().map(|r| (*r).to_owned()));
            }
        }
        let existing = existing_roles(&inner.admin, &names).await?;
        if !names.iter().all(|r| existing.contains(*r)) {
            // The admin connection is shared by concurrent callers, whose
            // statements would land inside this transaction: it gets its own.
            let client = connect_config(&inner.admin_config).await?;
            let created = create_missing_roles(&client, &names, for_mentions).await?;
            lock(&inner.state).roles.extend(created);
        }
        if inner.sealed {
            let members: Vec<String> = names
                .iter()
                .filter(|r| **r != LOADER)
                .map(|r| format!("GRANT {} TO {LOADER} WITH ADMIN OPTION;\n", quote_ident(r)))
                .collect();
            if !members.is_empty() {
                // Runs at the same moment grant the same memberships:
                // serialised as role creation is ("tuple concurrently
                // updated" otherwise), in one query, which no other
                // caller's statement on this connection can come between.
                inner
                    .admin
                    .batch_execute(&format!(
                        "BEGIN;\nSELECT pg_catalog.pg_advisory_xact_lock({ROLES_LOCK_KEY});\n{}COMMIT",
                        members.concat()
                    ))
                    .await
                    .map_err(|e| query_error(format!("granting roles to {LOADER}"), e))?;
            }
        }
        Ok(())
    }

    /// Lets [`LOADER`] set these custom settings (`app.tenant`) for its
    /// database or role, as `ALTER DATABASE … SET` in a file does: from
    /// PostgreSQL 15 on only a superuser may, unless granted. Names the
    /// server knows as its own or a module's, and gen's own (`gen.…`), are
    /// left alone; grants on the
    /// warm server are taken back at the end of the run.
    pub async fn allow_settings(&self, names: &[String]) -> Result<(), SandboxError> {
        let inner = self.inner()?;
        if !inner.sealed || inner.server_version_num < 150_000 || names.is_empty() {
            return Ok(());
        }
        let unknown: Vec<String> = inner
            .admin
            .query_typed(
                "SELECT n FROM unnest($1::text[]) AS n \
                 WHERE NOT starts_with(n, 'gen.') \
                   AND NOT EXISTS (SELECT FROM pg_catalog.pg_settings s WHERE lower(s.name) = n)",
                &[(&names, Type::TEXT_ARRAY)],
            )
            .await
            .map_err(|e| query_error("looking up settings", e))?
            .iter()
            .map(|row| row.get(0))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let grants: String = unknown
            .iter()
            .map(|n| format!("GRANT SET ON PARAMETER {} TO {LOADER};\n", quote_ident(n)))
            .collect();
        // Serialised with other runs' grants, as role memberships are.
        inner
            .admin
            .batch_execute(&format!(
                "BEGIN;\nSELECT pg_catalog.pg_advisory_xact_lock({ROLES_LOCK_KEY});\n{grants}COMMIT"
            ))
            .await
            .map_err(|e| query_error(format!("letting {LOADER} set custom settings"), e))?;
        lock(&inner.state).settings.extend(unknown);
        Ok(())
    }

    /// Makes each tablespace that does not exist yet, in place (inside the
    /// server's own data directory, `allow_in_place_tablespaces`: no path a
    /// schema file names is ever touched), usable by [`LOADER`].
    /// Tablespaces are cluster-wide: on the warm server they stay for
    /// other runs, as roles made for mentions do. A URL's server is the
    /// user's: its tablespaces must exist already.
    pub async fn create_tablespaces(&self, names: &[String]) -> Result<(), SandboxError> {
        let inner = self.inner()?;
        if names.is_empty() || matches!(inner.server, Server::Url) {
            return Ok(());
        }
        let missing: Vec<String> = inner
            .admin
            .query_typed(
                "SELECT n FROM unnest($1::text[]) AS n \
                 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_tablespace t WHERE t.spcname = n)",
                &[(&names, Type::TEXT_ARRAY)],
            )
            .await
            .map_err(|e| query_error("looking up tablespaces", e))?
            .iter()
            .map(|row| row.get(0))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        // CREATE TABLESPACE runs outside a transaction block: on a
        // connection of its own. Two runs may race to make one; the
        // second finds it made.
        let client = connect_config(&inner.admin_config).await?;
        client
            .batch_execute("SET allow_in_place_tablespaces = on")
            .await
            .map_err(|e| query_error("allowing tablespaces in place", e))?;
        for name in &missing {
            let quoted = quote_ident(name);
            let made = client
                .batch_execute(&format!("CREATE TABLESPACE {quoted} LOCATION ''"))
                .await;
            match made {
                Ok(()) => {}
                // Another run (or the other side of this one) made it
                // meanwhile: the catalog's unique index may say so first.
                Err(e)
                    if e.code() == Some(&SqlState::DUPLICATE_OBJECT)
                        || e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {}
                Err(e) => return Err(query_error(format!("making tablespace {name}"), e)),
            }
            if inner.sealed {
                client
                    .batch_execute(&format!("GRANT CREATE ON TABLESPACE {quoted} TO {LOADER}"))
                    .await
                    .map_err(|e| query_error(format!("granting tablespace {name}"), e))?;
            }
        }
        Ok(())
    }

    /// The server's version, e.g. `15.18`.
    pub fn server_version(&self) -> &str {
        self.inner
            .as_ref()
            .map_or("", |inner| inner.server_version.as_str())
    }

    /// How long one statement loaded into the sandbox (from a schema file
    /// or a replayed migration) may run before it is cancelled.
    pub fn statement_timeout(&self) -> Duration {
        self.inner
            .as_ref()
            .map_or(DEFAULT_STATEMENT_TIMEOUT, |inner| inner.statement_timeout)
    }

    /// Sets [`Sandbox::statement_timeout`].
    pub fn set_statement_timeout(&mut self, limit: Duration) {
        if let Some(inner) = self.inner.as_mut() {
            inner.statement_timeout = limit;
        }
    }

    /// The server's version as a number, e.g. `150018`.
    pub fn server_version_num(&self) -> u32 {
        self.inner
            .as_ref()
            .map_or(0, |inner| inner.server_version_num)
    }

    /// Local backend: the directory holding `pg_dump`, `psql` and friends of
    /// exactly the running server's version.
    pub fn bin_dir(&self) -> Option<&Path> {
        match &self.inner.as_ref()?.server {
            Server::Local(server) => Some(server.bin_dir()),
            Server::Warm(server) => Some(server.bin_dir()),
            _ => None,
        }
    }

    /// Local backend: the cluster's data directory (removed at cleanup, or
    /// when the warm server stops).
    pub fn data_dir(&self) -> Option<&Path> {
        match &self.inner.as_ref()?.server {
            Server::Local(server) => Some(server.data_dir()),
            Server::Warm(server) => Some(server.data_dir()),
            _ => None,
        }
    }

    /// Local backend: the process id of the postmaster.
    pub fn server_pid(&self) -> Option<u32> {
        match &self.inner.as_ref()?.server {
            Server::Local(server) => Some(server.pid()),
            Server::Warm(server) => Some(server.pid()),
            _ => None,
        }
    }

    /// A `postgres://` URL of the server's maintenance database, password
    /// included; a local sandbox's Unix socket directory is percent-encoded
    /// into the host. Another sandbox can use it as [`Backend::Url`].
    pub fn url(&self) -> String {
        self.inner.as_ref().map_or_else(String::new, |inner| {
            conninfo::to_url(&inner.admin_config, true)
        })
    }

    /// The same as [`Sandbox::url`] as a libpq `key=value` string.
    pub fn conninfo(&self) -> String {
        self.inner.as_ref().map_or_else(String::new, |inner| {
            conninfo::to_conninfo(&inner.admin_config, true)
        })
    }

    /// Stops the server (or drops the scratch databases and roles on an
    /// existing one) and removes its files, reporting anything that could not
    /// be cleaned up. Dropping the sandbox does the same silently.
    pub async fn shutdown(mut self) -> Result<(), SandboxError> {
        let Some(inner) = self.inner.take() else {
            return Ok(());
        };
        let Inner {
            server,
            admin,
            admin_config,
            server_version_num,
            state,
            ..
        } = inner;
        let scratch = state.into_inner().unwrap_or_else(|e| e.into_inner());
        let problems = match server {
            Server::Local(mut server) => {
                drop(admin);
                tokio::task::spawn_blocking(move || server.stop())
                    .await
                    .unwrap_or_else(|e| Err(vec![format!("stopping postgres: {e}")]))
                    .err()
                    .unwrap_or_default()
            }
            Server::Warm(mut server) => {
                let mut problems =
                    drop_statement_roles(&admin, &admin_config, &scratch, server_version_num).await;
                if !scratch.settings.is_empty() {
                    let revokes: String = scratch
                        .settings
                        .iter()
                        .map(|n| {
                            format!(
                                "REVOKE SET ON PARAMETER {} FROM {LOADER};\n",
                                quote_ident(n)
                            )
                        })
                        .collect();
                    if let Err(e) = admin.batch_execute(&revokes).await {
                        problems.push(format!("taking back custom settings: {}", PgError::from(e)));
                    }
                }
                drop(admin);
                // The watcher drops the scratch databases once this process
                // has exited: off the critical path, and certain to happen
                // even if it is killed.
                server.release();
                problems
            }
            Server::Url => {
                let problems =
                    cleanup_existing(&admin, &admin_config, &scratch, server_version_num).await;
                drop(admin);
                problems
            }
            Server::Docker(container) => {
                drop(admin);
                match container.rm().await {
                    Ok(()) => Vec::new(),
                    Err(e) => vec![format!("removing the container: {e}")],
                }
            }
        };
        if problems.is_empty() {
            Ok(())
        } else {
            Err(SandboxError::Cleanup { problems })
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let Some(inner) = self.inner.take() else {
            return;
        };
        let Inner {
            server,
            admin,
            admin_config,
            server_version_num,
            state,
            ..
        } = inner;
        drop(admin);
        match server {
            // Its own Drop stops the server and removes the files.
            Server::Local(server) => drop(server),
            // Releases the lock; the watcher drops the databases.
            Server::Warm(server) => drop(server),
            Server::Url => {
                let scratch = state.into_inner().unwrap_or_else(|e| e.into_inner());
                if scratch.databases.is_empty() && scratch.roles.is_empty() {
                    return;
                }
                // Drop cannot await, and the caller's runtime may be the very
                // thread blocked here, so cleanup gets a thread, a runtime
                // and a connection of its own.
                let cleanup = std::thread::spawn(move || {
                    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    runtime.block_on(async {
                        let work = async {
                            if let Ok(client) = connect_config(&admin_config).await {
                                cleanup_existing(
                                    &client,
                                    &admin_config,
                                    &scratch,
                                    server_version_num,
                                )
                                .await;
                            }
                        };
                        let _ = tokio::time::timeout(DROP_CLEANUP_TIMEOUT, work).await;
                    });
                });
                let _ = cleanup.join();
            }
            Server::Docker(container) => {
                // testcontainers removes the container from its Drop, which
                // needs a runtime context.
                if tokio::runtime::Handle::try_current().is_ok() {
                    drop(container);
                } else if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    let _guard = runtime.enter();
                    drop(container);
                }
            }
        }
    }
}

/// Runs on a shared server (the warm one, or a URL's) may create the same
/// roles at the same moment, and concurrent CREATE ROLEs of one name fail
/// with a unique violation or "tuple concurrently updated" rather than
/// "already exists". A transaction-scoped advisory lock serialises them;
/// each run looks again once it holds the lock. Returns the roles made.
async fn create_missing_roles(
    client: &Client,
    names: &[&str],
    for_mentions: bool,
) -> Result<Vec<String>, SandboxError> {
    client
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({ROLES_LOCK_KEY})"
        ))
        .await
        .map_err(|e| query_error("waiting for other runs creating roles", e))?;
    let existing = existing_roles(client, names).await?;
    let mut created = Vec::new();
    for role in names.iter().filter(|r| !existing.contains(**r)) {
        let quoted = quote_ident(role);
        client
            .batch_execute(&if for_mentions {
                format!(
                    "CREATE ROLE {quoted} NOLOGIN; COMMENT ON ROLE {quoted} IS '{ROLE_COMMENT}'"
                )
            } else {
                format!("CREATE ROLE {quoted} NOLOGIN")
            })
            .await
            .map_err(|e| query_error(format!("creating role {role}"), e))?;
        created.push((*role).to_owned());
    }
    client
        .batch_execute("COMMIT")
        .await
        .map_err(|e| query_error("creating roles", e))?;
    Ok(created)
}

/// What marks a role gen created because schema files mention it, as
/// opposed to one a schema file's own `CREATE ROLE` made.
const ROLE_COMMENT: &str = "created by gen for schema files";

/// Warm server: drops the roles the files' own `CREATE ROLE` statements
/// make, so that later runs do not find them, as they would not on a
/// throwaway cluster. A role goes only when no other run holds it (each
/// run holds the roles it uses under a shared advisory lock until it
/// ends) and gen did not make it for mentions in schema files, which
/// other runs may be using. The run's databases hold privileges granted
/// to the roles, so those go first, here rather than in the watcher.
async fn drop_statement_roles(
    client: &Client,
    config: &Config,
    scratch: &Scratch,
    version_num: u32,
) -> Vec<String> {
    if scratch.statement_roles.is_empty() {
        return Vec::new();
    }
    let mut problems = drop_databases(client, config, &scratch.databases, version_num).await;
    for role in &scratch.statement_roles {
        let dropped = drop_role_if_unheld(client, role).await;
        problems.extend(role_problem(client, role, dropped).await);
    }
    problems
}

/// Lets go of `role` and drops it if no other run holds it, under the
/// lock that role creation takes: a run that starts to hold it meanwhile
/// waits, then finds it gone and makes it again.
async fn drop_role_if_unheld(client: &Client, role: &str) -> Result<(), tokio_postgres::Error> {
    client
        .batch_execute(&format!(
            "BEGIN; SELECT pg_catalog.pg_advisory_xact_lock({ROLES_LOCK_KEY})"
        ))
        .await?;
    let unheld: bool = client
        .query_one(
            &format!(
                "SELECT pg_catalog.pg_advisory_unlock_shared({ROLE_IN_USE_KEY}, pg_catalog.hashtext($1)) \
                   AND pg_catalog.pg_try_advisory_xact_lock({ROLE_IN_USE_KEY}, pg_catalog.hashtext($1)) \
                   AND NOT EXISTS (SELECT FROM pg_catalog.pg_authid r \
                                   JOIN pg_catalog.pg_shdescription d \
                                     ON d.objoid = r.oid AND d.classoid = 'pg_catalog.pg_authid'::pg_catalog.regclass \
                                   WHERE r.rolname = $1 AND d.description = $2)"
            ),
            &[&role, &ROLE_COMMENT],
        )
        .await?
        .get(0);
    let drop = if unheld {
        format!("DROP ROLE IF EXISTS {}; ", quote_ident(role))
    } else {
        String::new()
    };
    client.batch_execute(&format!("{drop}COMMIT")).await
}

async fn existing_roles(client: &Client, names: &[&str]) -> Result<BTreeSet<String>, SandboxError> {
    Ok(client
        .query_typed(
            "SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1)",
            &[(&names, Type::TEXT_ARRAY)],
        )
        .await
        .map_err(|e| query_error("looking up roles", e))?
        .iter()
        .map(|row| row.get(0))
        .collect())
}

/// The first key of the shared advisory lock each run on the warm server
/// holds on every role it uses (the second is the name's hash): "gens".
const ROLE_IN_USE_KEY: i32 = 0x6765_6e73;

/// The advisory lock key that serialises role creation: "genroles" in ASCII,
/// unlikely to collide with keys an application on a URL server uses.
const ROLES_LOCK_KEY: i64 = 0x6765_6e72_6f6c_6573;

/// `CREATE DATABASE` for a scratch database: from `template0` with UTF8 and
/// the C locale, so both sides of a comparison start identical whatever the
/// server's defaults; owned by `owner` when given.
pub(crate) fn create_database_sql(
    name: &str,
    version_num: u32,
    file_copy: bool,
    owner: Option<&str>,
) -> String {
    let mut sql = format!("CREATE DATABASE {}", quote_ident(name));
    if let Some(owner) = owner {
        sql.push_str(&format!(" OWNER {}", quote_ident(owner)));
    }
    sql.push_str(" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    if version_num >= 150_000 {
        sql.push_str(" LOCALE_PROVIDER libc");
        if file_copy {
            sql.push_str(" STRATEGY FILE_COPY");
        }
    }
    sql
}

/// What a server holds of [`LOADER`] before a run: whether the role
/// exists, and the databases where it has settings of its own.
struct Loader {
    exists: bool,
    databases_with_settings: Vec<String>,
    /// Other runs use the server at the same time (the warm one).
    shared: bool,
}

/// The statements that bring [`LOADER`] to exactly what it may do,
/// whatever an earlier run's statements made of it (a role may change its
/// own settings and password), and close the maintenance databases to it.
/// It may create roles only from PostgreSQL 16 on, where `CREATEROLE`
/// manages just the roles it has the admin option on; before, it would let
/// a role grant itself any role, `pg_execute_server_program` included.
fn seal_sql(version_num: u32, loader: &Loader) -> String {
    let (roles, self_grant) = if version_num >= 160_000 {
        // BYPASSRLS only so that it may create roles with it; and it may
        // act as the roles it makes (give them objects), as a superuser
        // would.
        (
            "CREATEROLE BYPASSRLS",
            format!("ALTER ROLE {LOADER} SET createrole_self_grant = 'set, inherit';\n"),
        )
    } else {
        ("NOCREATEROLE NOBYPASSRLS", String::new())
    };
    let mut sql = format!("BEGIN;\nSELECT pg_catalog.pg_advisory_xact_lock({ROLES_LOCK_KEY});\n");
    if !loader.exists && loader.shared {
        // Another run may have made it since it was looked for.
        sql.push_str(&format!(
            "DO $gen$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '{LOADER}') THEN CREATE ROLE {LOADER}; END IF; END $gen$;\n"
        ));
    } else if !loader.exists {
        sql.push_str(&format!("CREATE ROLE {LOADER};\n"));
    }
    sql.push_str(&format!(
        "ALTER ROLE {LOADER} LOGIN NOSUPERUSER NOCREATEDB {roles} NOREPLICATION INHERIT CONNECTION LIMIT -1 PASSWORD NULL VALID UNTIL 'infinity';\n\
         ALTER ROLE {LOADER} RESET ALL;\n{self_grant}"
    ));
    for db in &loader.databases_with_settings {
        sql.push_str(&format!(
            "ALTER ROLE {LOADER} IN DATABASE {} RESET ALL;\n",
            quote_ident(db)
        ));
    }
    sql.push_str("REVOKE CONNECT, TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC;\nCOMMIT");
    sql
}

/// Gives a scratch database to [`LOADER`]: a claimed ready database is the
/// superuser's until now, and before PostgreSQL 15 the bootstrap superuser
/// owns each database's `public` schema, which the role must own as
/// `postgres` does on a server where it is that superuser.
async fn hand_over(
    admin: &Client,
    config: &Config,
    name: &str,
    version_num: u32,
    claimed: bool,
) -> Result<(), SandboxError> {
    if claimed {
        admin
            .batch_execute(&format!(
                "ALTER DATABASE {} OWNER TO {LOADER}",
                quote_ident(name)
            ))
            .await
            .map_err(|e| query_error(format!("handing database {name} to {LOADER}"), e))?;
    }
    if version_num < 150_000 {
        let client = connect_config(config).await?;
        client
            .batch_execute(&format!("ALTER SCHEMA public OWNER TO {LOADER}"))
            .await
            .map_err(|e| query_error(format!("handing database {name} to {LOADER}"), e))?;
    }
    Ok(())
}

/// Drops scratch databases, then the roles this run created (a role cannot
/// be dropped while a database still holds privileges granted to it).
async fn cleanup_existing(
    client: &Client,
    config: &Config,
    scratch: &Scratch,
    version_num: u32,
) -> Vec<String> {
    let mut problems = drop_databases(client, config, &scratch.databases, version_num).await;
    for role in &scratch.roles {
        // Under the lock that role creation takes: two sessions dropping
        // one role at the same moment (both sides of a run found it new)
        // fail with "tuple concurrently deleted" instead of one finding it
        // gone.
        let drop = format!(
            "BEGIN; SELECT pg_advisory_xact_lock({ROLES_LOCK_KEY}); DROP ROLE IF EXISTS {}; COMMIT",
            quote_ident(role)
        );
        let dropped = client.batch_execute(&drop).await;
        problems.extend(role_problem(client, role, dropped).await);
    }
    problems
}

/// Drops the run's scratch databases, reporting what could not be dropped.
async fn drop_databases(
    client: &Client,
    config: &Config,
    databases: &BTreeSet<String>,
    version_num: u32,
) -> Vec<String> {
    let mut problems = Vec::new();
    for name in databases {
        if let Err(e) = drop_database_on(client, config, name, version_num).await {
            problems.push(e.to_string() + &source_suffix(&e));
        }
    }
    problems
}

/// What to report of dropping `role` in a transaction: nothing when it
/// went, or when another run came to depend on it meanwhile (it is in
/// use, so it stays); else the error, after the transaction is rolled back.
async fn role_problem(
    client: &Client,
    role: &str,
    dropped: Result<(), tokio_postgres::Error>,
) -> Option<String> {
    let e = dropped.err()?;
    let _ = client.batch_execute("ROLLBACK").await;
    (e.code() != Some(&SqlState::DEPENDENT_OBJECTS_STILL_EXIST))
        .then(|| format!("dropping role {role}: {}", PgError::from(e)))
}

fn source_suffix(e: &SandboxError) -> String {
    std::error::Error::source(e).map_or_else(String::new, |s| format!(": {s}"))
}

async fn drop_database_on(
    client: &Client,
    config: &Config,
    name: &str,
    version_num: u32,
) -> Result<(), SandboxError> {
    match drop_database_once(client, name, version_num).await {
        // A database that holds a subscription cannot be dropped: they
        // go first (the sandbox's never made a slot).
        Err(e) if e.code() == Some(&SqlState::OBJECT_IN_USE) => {
            drop_subscriptions(config, name).await?;
            drop_database_once(client, name, version_num).await
        }
        result => result,
    }
    .map_err(|e| query_error(format!("dropping database {name}"), e))
}

/// SQL that disables each subscription of the current database named in
/// `names` (every one when `names` is empty) and lets go of its
/// replication slot, so that dropping it never reaches for the publisher
/// to drop the slot (a sandbox's subscriptions never made one). `names`
/// are written as they are: quote them as SQL literals.
pub fn release_slots_sql(names: &[String]) -> String {
    let named = if names.is_empty() {
        String::new()
    } else {
        format!("subname IN ({}) AND ", names.join(", "))
    };
    format!(
        "DO $gen_release$ DECLARE s text; BEGIN \
         FOR s IN SELECT subname FROM pg_catalog.pg_subscription \
             WHERE {named}subslotname IS NOT NULL \
               AND subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) \
         LOOP \
             EXECUTE pg_catalog.format('ALTER SUBSCRIPTION %I DISABLE', s); \
             EXECUTE pg_catalog.format('ALTER SUBSCRIPTION %I SET (slot_name = NONE)', s); \
         END LOOP; END $gen_release$"
    )
}

/// Drops every subscription of database `name`, letting go of its slot
/// first, so that the server never reaches for the publisher.
pub(crate) async fn drop_subscriptions(config: &Config, name: &str) -> Result<(), SandboxError> {
    let mut config = config.clone();
    config.dbname(name);
    let client = connect_config(&config).await?;
    let drop = "DO $gen_drop$ DECLARE s text; BEGIN \
        FOR s IN SELECT subname FROM pg_catalog.pg_subscription \
            WHERE subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) \
        LOOP \
            EXECUTE pg_catalog.format('DROP SUBSCRIPTION %I', s); \
        END LOOP; END $gen_drop$";
    client
        .batch_execute(&format!("{}; {drop}", release_slots_sql(&[])))
        .await
        .map_err(|e| query_error(format!("dropping the subscriptions of database {name}"), e))
}

async fn drop_database_once(
    client: &Client,
    name: &str,
    version_num: u32,
) -> Result<(), tokio_postgres::Error> {
    let quoted = quote_ident(name);
    if version_num >= 130_000 {
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
            .await
    } else {
        // Before 13 there is no FORCE: end the sessions by hand first.
        match client
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                &[&name],
            )
            .await
        {
            Ok(_) => {
                client
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {quoted}"))
                    .await
            }
            Err(e) => Err(e),
        }
    }
}

/// A database inside a sandbox. Cheap to clone; it carries connection
/// settings, not a connection.
#[derive(Clone)]
pub struct Database {
    name: String,
    /// As the superuser.
    config: Config,
    /// As [`LOADER`], in a sealed sandbox.
    loader: Option<Config>,
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Database")
            .field("name", &self.name)
            .field("conninfo", &self.redacted())
            .finish()
    }
}

impl Database {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Opens a new connection as the server's superuser (or the URL's
    /// role); its background task is spawned on the current tokio runtime
    /// and ends when the client is dropped. For reading the catalog and for
    /// trusted SQL: untrusted statements go through
    /// [`Database::connect_loader`].
    pub async fn connect(&self) -> Result<Client, SandboxError> {
        connect_config(&self.config).await
    }

    /// Opens a new connection as [`LOADER`] in a sealed sandbox, else as
    /// [`Database::connect`] does. Schema files and replayed migrations run
    /// on it.
    pub async fn connect_loader(&self) -> Result<Client, SandboxError> {
        connect_config(self.loader.as_ref().unwrap_or(&self.config)).await
    }

    /// Whether schema files run as [`LOADER`] here, with the superuser
    /// ([`Database::connect`]) for what only a superuser may do.
    pub fn is_sealed(&self) -> bool {
        self.loader.is_some()
    }

    /// A libpq `key=value` string for `psql -d` and `pg_dump -d`. Contains
    /// the password, if there is one: never show it, use
    /// [`Database::redacted`].
    pub fn conninfo(&self) -> String {
        conninfo::to_conninfo(&self.config, true)
    }

    /// The connection string for messages, without any password.
    pub fn redacted(&self) -> String {
        conninfo::to_conninfo(&self.config, false)
    }
}

/// Connects to an arbitrary server given as a `postgres://` URL or a libpq
/// `key=value` string (used for `gen diff --from postgres://…`). The
/// connection task is spawned on the current runtime. Errors never contain
/// the password.
pub async fn connect_url(url: &str) -> Result<Client, SandboxError> {
    connect_config(&conninfo::parse(url)?).await
}

/// The major of the server binaries the local backend would use without a
/// version: `pg_bin`'s, else the first found; `None` when there are none.
pub fn local_major(pg_bin: Option<&Path>) -> Option<u32> {
    local::find_binaries(pg_bin)
        .ok()
        .and_then(|b| major_of(&b.version))
}

/// A client program (`pg_dump`) at least as new as a server of major
/// `at_least`, as pg_dump requires, and its version: `pg_bin`'s when new
/// enough, else one of the installations gen knows of for that major or a
/// newer one.
pub fn client_program_at_least(
    pg_bin: Option<&Path>,
    at_least: u32,
    program: &str,
) -> Result<(PathBuf, String), SandboxError> {
    local::client_at_least(pg_bin, at_least, program)
}

/// A connection string for libpq tools split in two: the `key=value`
/// conninfo without the password, for the command line where `ps` shows
/// it, and the password, for `PGPASSWORD`.
pub fn libpq_target(target: &str) -> Result<(String, Option<String>), SandboxError> {
    let config = conninfo::parse(target)?;
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let mut info = conninfo::to_conninfo(&config, false);
    if password.is_some() {
        // to_conninfo masks the password; drop the masked pair instead.
        info = info
            .split(' ')
            .filter(|kv| !kv.starts_with("password="))
            .collect::<Vec<_>>()
            .join(" ");
    }
    Ok((info, password))
}

async fn connect_config(config: &Config) -> Result<Client, SandboxError> {
    let (client, connection) = config
        .connect(NoTls)
        .await
        .map_err(|e| SandboxError::Connect {
            target: conninfo::to_conninfo(config, false),
            source: e.into(),
        })?;
    tokio::spawn(connection);
    Ok(client)
}

fn query_error(action: impl Into<String>, e: tokio_postgres::Error) -> SandboxError {
    SandboxError::Query {
        action: action.into(),
        source: e.into(),
    }
}

fn lock(state: &Mutex<Scratch>) -> std::sync::MutexGuard<'_, Scratch> {
    // The data is a pair of name sets; a panic elsewhere cannot leave them
    // half-updated, so a poisoned lock is still usable.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// `gen_scratch_<label>_<pid>_<n>_<random>`: unique across processes and
/// runs sharing one server, and recognisable if something is ever left
/// behind.
pub(crate) fn scratch_name(label: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let label: String = label
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(16)
        .collect();
    let label = if label.is_empty() {
        "db".to_owned()
    } else {
        label
    };
    format!(
        "gen_scratch_{label}_{}_{n}_{:06x}",
        std::process::id(),
        random_u32() & 0xff_ffff
    )
}

/// A random number without a dependency: std seeds every `RandomState`
/// from the operating system's randomness.
pub(crate) fn random_u32() -> u32 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish() as u32
}

fn is_role_keyword(role: &str) -> bool {
    ["public", "current_user", "current_role", "session_user"]
        .iter()
        .any(|k| role.eq_ignore_ascii_case(k))
}

fn validate_role_name(role: &str) -> Result<(), SandboxError> {
    let reason = if role.is_empty() {
        "empty"
    } else if role.len() > 63 {
        "longer than 63 bytes"
    } else if role.contains('\0') {
        "contains a NUL character"
    } else if role == SUPERUSER {
        "the sandbox's own superuser"
    } else if role.starts_with("pg_") {
        "reserved for the server's predefined roles"
    } else {
        return Ok(());
    };
    Err(SandboxError::InvalidRoleName {
        name: role.to_owned(),
        reason,
    })
}

/// Quotes an identifier the way `quote_ident()` does when quoting is needed;
/// always quoting is simpler and equally valid.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_names_are_unique_valid_identifiers() {
        let a = scratch_name("Old side!");
        let b = scratch_name("old side");
        assert_ne!(a, b);
        assert!(a.starts_with("gen_scratch_oldside_"), "{a}");
        assert!(a.len() <= 63, "{a}");
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{a}"
        );
        assert!(scratch_name("").starts_with("gen_scratch_db_"));
        assert!(scratch_name(&"x".repeat(100)).len() <= 63);
    }

    #[test]
    fn handles_can_be_shared_across_tasks() {
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<Sandbox>();
        shareable::<Database>();
        shareable::<SandboxError>();
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn majors_read_from_versions_and_version_numbers() {
        assert_eq!(major_of("17.2"), Some(17));
        assert_eq!(major_of("18devel"), Some(18));
        assert_eq!(major_of("170002"), Some(17));
        assert_eq!(major_of("9.6.24"), Some(9));
        assert_eq!(major_of("x"), None);
    }

    #[test]
    fn backend_debug_hides_passwords() {
        let backend = Backend::Url {
            url: "postgres://u:hunter2@h/db".to_owned(),
            version: None,
        };
        let text = format!("{backend:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("u:***@h"), "{text}");
    }

    #[test]
    fn rejects_impossible_role_names() {
        assert!(validate_role_name("").is_err());
        assert!(validate_role_name(&"r".repeat(64)).is_err());
        assert!(validate_role_name("app_reader").is_ok());
        assert!(is_role_keyword("PUBLIC"));
    }
}
