//! The warm local backend: one server per user and PostgreSQL installation
//! that outlives a run of gen, so that the next run skips copying the
//! template and starting `postgres` (most of an uncached `gen check`).
//!
//! Everything lives in a private directory, `<tmpfs>/gen-<uid>/<key>/`,
//! where the key hashes the uid, the server binaries and the settings:
//!
//! * `lock`: runs hold a shared `flock` on it while they use the server;
//!   starting or stopping the server takes it exclusively, so two runs never
//!   start two servers and a server is never stopped under a run.
//! * `data/`, `sock/`: the cluster and its Unix socket (no TCP).
//! * `used`: its modification time is when a run last started or ended.
//! * `idle`: seconds without a run after which the server stops.
//! * `watcher.pid`, `watcher.log`, `postgres.log`.
//!
//! The server is the child of a small detached watcher process (gen run
//! again with a hidden subcommand, see [`crate::watch`]). The server gets
//! SIGQUIT when the watcher dies, so killing the watcher stops it. The
//! watcher stops the server after the idle period, drops the scratch
//! databases of runs that have ended, and keeps a few empty databases
//! ready that a run claims by renaming, which takes CREATE DATABASE off the
//! critical path.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _, PermissionsExt as _};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use nix::fcntl::{Flock, FlockArg};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Pid, geteuid};
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Config, NoTls};

use crate::error::SandboxError;
use crate::local::{self, Owner};

/// Empty databases the watcher keeps ready: a run takes two.
const POOL_SIZE: usize = 4;
/// Databases one run takes from the pool.
const RUN_TAKES: usize = 2;
/// Name prefix of ready databases.
pub(crate) const POOL_PREFIX: &str = "gen_pool_";
/// Name prefix of a ready database being made: runs claim only
/// [`POOL_PREFIX`] names, so none takes one before it is closed to PUBLIC.
const MAKING_PREFIX: &str = "gen_making_";
/// Name prefix of databases in use by a run (see `scratch_name`).
pub(crate) const SCRATCH_PREFIX: &str = "gen_scratch_";
/// How often the watcher looks at its server and at `used`.
const TICK: Duration = Duration::from_millis(50);
/// The custom setting that tells our server from anything else listening on
/// the socket: its value is the server directory.
const MARKER: &str = "gen.sandbox_dir";
/// Changes with anything that makes an older server unfit for reuse beyond
/// the binaries and the settings, which are hashed in already.
const KEY_VERSION: &str = "warm2";

/// How a warm server is found, started and kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Options {
    pub(crate) pg_bin: Option<PathBuf>,
    pub(crate) idle: Duration,
    pub(crate) watcher: Vec<OsString>,
}

/// Where one warm server lives.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub(crate) dir: PathBuf,
    bin_dir: PathBuf,
    owner: Option<Owner>,
}

impl Place {
    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }
    fn socket_dir(&self) -> PathBuf {
        self.dir.join("sock")
    }
    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
    fn config(&self) -> Config {
        let mut config = Config::new();
        config
            .host_path(self.socket_dir())
            .port(local::PORT)
            .user(crate::SUPERUSER)
            .dbname("postgres")
            .connect_timeout(Duration::from_secs(5));
        config
    }
}

/// The directory holding this user's warm servers: `gen-<uid>` in
/// `$GEN_SANDBOX_DIR` if set (tests use it to get servers of their own),
/// else on tmpfs.
pub(crate) fn user_dir() -> PathBuf {
    let base = std::env::var_os("GEN_SANDBOX_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(local::run_base, PathBuf::from);
    base.join(format!("gen-{}", geteuid().as_raw()))
}

/// Finds where the warm server for `pg_bin` lives, creating the private
/// directories on the way. Runs nothing: the key comes from the binaries'
/// place, size and modification time.
pub(crate) fn place(pg_bin: Option<&Path>) -> Result<Place, SandboxError> {
    let bin_dir = match pg_bin {
        Some(dir) => {
            for program in ["initdb", "postgres"] {
                if !local::is_executable(&dir.join(program)) {
                    return Err(SandboxError::PgBinIncomplete {
                        dir: dir.to_owned(),
                        program,
                    });
                }
            }
            dir.to_owned()
        }
        None => local::search_binaries()?,
    };
    let owner = local::owner()?;
    let fingerprint = local::binaries_fingerprint(Some(&bin_dir)).unwrap_or_default();
    let settings = local::server_settings(Path::new("")).join("\n");
    let key = fnv1a(&format!(
        "{KEY_VERSION}\n{}\n{fingerprint}\n{}\n{settings}",
        geteuid().as_raw(),
        local::TEMPLATE_LAYOUT
    ));
    let version = bin_dir
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'))
        .unwrap_or("pg");
    let user = user_dir();
    // `GEN_SANDBOX_DIR` may name a directory not made yet.
    if let Some(base) = user.parent() {
        fs::create_dir_all(base).map_err(SandboxError::io("creating", base))?;
    }
    private_dir(&user, owner)?;
    let dir = user.join(format!("{version}-{key:016x}"));
    private_dir(&dir, owner)?;
    Ok(Place {
        dir,
        bin_dir,
        owner,
    })
}

/// Creates `path` as a 0700 directory, or checks that the existing one is a
/// real directory of ours that nobody else can enter: on a shared tmpfs
/// another user could have made it first.
fn private_dir(path: &Path, owner: Option<Owner>) -> Result<(), SandboxError> {
    if fs::symlink_metadata(path).is_err() {
        // Made under a private name, handed over, then renamed into place:
        // a concurrent run must never see it before it has its final owner.
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("dir");
        let tmp = path.with_file_name(format!(
            ".{name}.{}.{:08x}",
            std::process::id(),
            crate::random_u32()
        ));
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&tmp)
            .map_err(SandboxError::io("creating", path))?;
        if let Some(owner) = owner {
            std::os::unix::fs::lchown(&tmp, Some(owner.uid), Some(owner.gid))
                .map_err(SandboxError::io("handing over to the postgres user", path))?;
        }
        // Another run's directory may have won the race: then it is used.
        if fs::rename(&tmp, path).is_err() {
            let _ = fs::remove_dir(&tmp);
        }
    }
    let meta = fs::symlink_metadata(path).map_err(SandboxError::io("reading", path))?;
    // As root the server user owns the tree, so that it can reach its
    // data directory; root itself can enter anything.
    let expected = owner.map_or(geteuid().as_raw(), |o| o.uid);
    let reason = if !meta.is_dir() {
        Some("it is not a directory")
    } else if meta.uid() != expected {
        Some("it belongs to another user")
    } else if meta.permissions().mode() & 0o077 != 0 {
        Some("others can enter it")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(SandboxError::UnsafeDirectory {
            path: path.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// 64-bit FNV-1a: a stable hash (std's may change between releases, and the
/// key must not, or every new build would start a server of its own).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A run's hold on the warm server: a shared lock that keeps it from being
/// stopped. Releasing it records the time, which restarts the idle period.
#[derive(Debug)]
pub(crate) struct WarmServer {
    place: Place,
    data_dir: PathBuf,
    lock: Option<Flock<File>>,
    pid: u32,
}

impl WarmServer {
    pub(crate) fn bin_dir(&self) -> &Path {
        &self.place.bin_dir
    }

    pub(crate) fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub(crate) fn pid(&self) -> u32 {
        self.pid
    }

    /// Ends this run's use of the server: touches `used` and drops the lock.
    /// The watcher drops the run's databases once its process has exited.
    pub(crate) fn release(&mut self) {
        if let Some(lock) = self.lock.take() {
            touch(&self.place.file("used"));
            drop(lock);
        }
    }
}

impl Drop for WarmServer {
    fn drop(&mut self) {
        self.release();
    }
}

/// Attaches to the warm server, starting it first if it is not running.
pub(crate) async fn attach(
    options: &Options,
) -> Result<(WarmServer, Config, Client), SandboxError> {
    let pg_bin = options.pg_bin.clone();
    let idle = options.idle;
    let (place, lock) = blocking(move || {
        let place = place(pg_bin.as_deref())?;
        write_idle(&place, idle)?;
        let lock = lock_file(&place, FlockArg::LockShared)?;
        Ok((place, lock))
    })
    .await?;
    if let Some((client, pid)) = connect(&place).await {
        touch(&place.file("used"));
        let server = WarmServer {
            data_dir: place.data_dir(),
            place: place.clone(),
            lock: Some(lock),
            pid,
        };
        return Ok((server, place.config(), client));
    }
    // Not running (or not answering): start it, holding the lock exclusively.
    let lock = relock(lock, FlockArg::LockExclusive).await?;
    let (client, pid) = match connect(&place).await {
        // Another run started it while we waited for the lock.
        Some(found) => found,
        None => start(&place, options).await?,
    };
    touch(&place.file("used"));
    let lock = relock(lock, FlockArg::LockShared).await?;
    let server = WarmServer {
        data_dir: place.data_dir(),
        place: place.clone(),
        lock: Some(lock),
        pid,
    };
    Ok((server, place.config(), client))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SandboxError> + Send + 'static,
) -> Result<T, SandboxError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SandboxError::Io {
            action: "preparing the warm server (task failed) in",
            path: user_dir(),
            source: io::Error::other(e.to_string()),
        })?
}

fn lock_file(place: &Place, arg: FlockArg) -> Result<Flock<File>, SandboxError> {
    let path = place.file("lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| SandboxError::Io {
            action: "opening",
            path: path.clone(),
            source,
        })?;
    Flock::lock(file, arg).map_err(|(_, errno)| SandboxError::Io {
        action: "locking",
        path,
        source: errno.into(),
    })
}

/// Converts the lock between shared and exclusive. Not atomic (flock(2)
/// drops the old lock first), which is harmless here: the watcher also
/// checks `used`, touched before every conversion.
async fn relock(lock: Flock<File>, arg: FlockArg) -> Result<Flock<File>, SandboxError> {
    tokio::task::spawn_blocking(move || lock.relock(arg).map(|()| lock))
        .await
        .map_err(|e| io::Error::other(e.to_string()))
        .and_then(|r| r.map_err(io::Error::from))
        .map_err(|source| SandboxError::Io {
            action: "locking",
            path: user_dir(),
            source,
        })
}

/// A client to our server, and its postmaster's pid, if it is running and
/// really ours.
async fn connect(place: &Place) -> Option<(Client, u32)> {
    let (client, connection) = place.config().connect(NoTls).await.ok()?;
    tokio::spawn(connection);
    let row = client
        .query_typed("SELECT current_setting($1, true)", &[(&MARKER, Type::TEXT)])
        .await
        .ok()?
        .into_iter()
        .next()?;
    let marker: Option<String> = row.get(0);
    if marker.as_deref() != place.dir.to_str() {
        return None;
    }
    let pid = postmaster_pid(&place.data_dir())?;
    Some((client, pid))
}

fn postmaster_pid(data_dir: &Path) -> Option<u32> {
    read_pid(&data_dir.join("postmaster.pid"))
}

fn touch(path: &Path) {
    if let Ok(file) = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
    {
        let _ = file.set_modified(SystemTime::now());
    }
}

fn write_idle(place: &Place, idle: Duration) -> Result<(), SandboxError> {
    let path = place.file("idle");
    let text = idle.as_secs().to_string();
    if fs::read_to_string(&path).is_ok_and(|t| t == text) {
        return Ok(());
    }
    // Written whole and renamed, so the watcher never reads half a number.
    let tmp = place.file(&format!("idle.{}", std::process::id()));
    fs::write(&tmp, &text)
        .and_then(|()| fs::rename(&tmp, &path))
        .map_err(|source| SandboxError::Io {
            action: "writing",
            path,
            source,
        })
}

fn read_idle(place: &Place) -> Duration {
    fs::read_to_string(place.file("idle"))
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .map_or(Duration::from_secs(600), Duration::from_secs)
}

/// Starts the server through a new watcher; the caller holds the lock
/// exclusively.
async fn start(place: &Place, options: &Options) -> Result<(Client, u32), SandboxError> {
    let prepared = place.clone();
    let watcher = options.watcher.clone();
    let mut child = blocking(move || {
        stop_locked(&prepared);
        let bins = local::find_binaries(Some(&prepared.bin_dir))?;
        let base = local::run_base();
        let cache_root = dirs::cache_dir().unwrap_or_else(std::env::temp_dir);
        let template = local::ensure_template(&cache_root, &bins, prepared.owner, &base)?;
        let data = prepared.data_dir();
        let sock = prepared.socket_dir();
        local::copy_tree(&template, &data)
            .map_err(SandboxError::io("copying the template to", &data))?;
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&sock)
            .map_err(SandboxError::io("creating", &sock))?;
        if let Some(owner) = prepared.owner {
            local::chown_tree(&data, owner)?;
            local::chown_tree(&sock, owner)?;
        }
        spawn_watcher(&prepared, &watcher)
    })
    .await?;

    let log = place.file("postgres.log");
    let deadline = Instant::now() + local::STARTUP_TIMEOUT;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let mut log_tail = local::log_tail(&log);
            if log_tail.is_empty() {
                log_tail = local::log_tail(&place.file("watcher.log"));
            }
            return Err(SandboxError::ServerExited { status, log_tail });
        }
        if let Some(found) = connect(place).await {
            // The watcher outlives this process; nobody waits for it here.
            drop(child);
            return Ok(found);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(SandboxError::StartTimeout {
                waited: local::STARTUP_TIMEOUT,
                log_tail: local::log_tail(&log),
            });
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Starts the watcher in a session of its own with no terminal and no
/// inherited output: a caller waiting for gen's stdout to close (a hook
/// runner, CI) must not wait for the watcher too.
fn spawn_watcher(place: &Place, watcher: &[OsString]) -> Result<Child, SandboxError> {
    let Some((program, args)) = watcher.split_first() else {
        return Err(SandboxError::Spawn {
            program: PathBuf::new(),
            source: io::Error::other("no watcher program configured"),
        });
    };
    let log_path = place.file("watcher.log");
    let (log, log_err) = local::log_files(&log_path)?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .arg(&place.dir)
        .arg(&place.bin_dir)
        .current_dir(&place.dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err);
    new_session(&mut cmd);
    let child = cmd.spawn().map_err(|source| SandboxError::Spawn {
        program: PathBuf::from(program),
        source,
    })?;
    let pid_path = place.file("watcher.pid");
    fs::write(&pid_path, child.id().to_string()).map_err(|source| SandboxError::Io {
        action: "writing",
        path: pid_path,
        source,
    })?;
    Ok(child)
}

#[allow(unsafe_code)]
fn new_session(cmd: &mut Command) {
    // SAFETY: setsid(2) is async-signal-safe and the closure touches no
    // locks or allocations.
    unsafe {
        cmd.pre_exec(|| nix::unistd::setsid().map(drop).map_err(io::Error::from));
    }
}

/// Whether `pid` runs a program whose command line mentions `needle`: a pid
/// read from a file may since have been reused by something else.
fn runs_with(pid: i32, needle: &Path) -> bool {
    if !local::pid_alive(pid) {
        return false;
    }
    let Ok(cmdline) = fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let needle = needle.as_os_str().as_encoded_bytes();
    cmdline.windows(needle.len()).any(|w| w == needle)
}

/// The pid on the first line of a pid file (postgres's, or the watcher's).
fn read_pid<T: std::str::FromStr>(path: &Path) -> Option<T> {
    fs::read_to_string(path)
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

/// Stops whatever runs in `place` and removes the cluster; the caller holds
/// the lock exclusively. Returns the postmaster's pid if one was running.
pub(crate) fn stop_locked(place: &Place) -> Option<u32> {
    let data = place.data_dir();
    let watcher = read_pid(&place.file("watcher.pid")).filter(|&p| runs_with(p, &place.dir));
    let server = read_pid(&data.join("postmaster.pid")).filter(|&p| runs_with(p, &data));
    if let Some(pid) = watcher {
        // Its server gets SIGQUIT (immediate shutdown) when it dies.
        let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
    } else if let Some(pid) = server {
        let _ = kill(Pid::from_raw(pid), Signal::SIGQUIT);
    }
    let deadline = Instant::now() + local::STOP_TIMEOUT;
    for pid in watcher.into_iter().chain(server) {
        while local::pid_alive(pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        if local::pid_alive(pid) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }
    // A postmaster killed outright leaves its children running for a
    // moment, still writing into the data directory; a removal that races
    // them leaves files behind, among them a postmaster.pid naming a pid
    // that may linger as a zombie, which the next server then takes for a
    // live one. So the removal is retried until the directory is gone.
    while fs::remove_dir_all(&data).is_err() && data.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = fs::remove_dir_all(place.socket_dir());
    let _ = fs::remove_file(place.file("watcher.pid"));
    server.and_then(|p| u32::try_from(p).ok())
}

/// What `gen sandbox status` reports about one warm server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarmStatus {
    /// Its directory.
    pub dir: PathBuf,
    /// The postmaster's pid, when it runs.
    pub pid: Option<u32>,
    /// How long it stays up without a run.
    pub idle: Duration,
    /// How long since a run last started or ended.
    pub since_used: Option<Duration>,
}

/// Every warm server directory of this user.
fn places() -> Vec<Place> {
    let owner = local::owner().ok().flatten();
    let mut dirs: Vec<PathBuf> = fs::read_dir(user_dir())
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| Place {
            dir,
            bin_dir: PathBuf::new(),
            owner,
        })
        .collect()
}

/// The warm servers of this user and whether they run.
pub fn status() -> Vec<WarmStatus> {
    places()
        .into_iter()
        .map(|place| {
            let data = place.data_dir();
            let pid = read_pid(&data.join("postmaster.pid"))
                .filter(|&p| runs_with(p, &data))
                .and_then(|p| u32::try_from(p).ok());
            let since_used = fs::metadata(place.file("used"))
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok());
            WarmStatus {
                idle: read_idle(&place),
                dir: place.dir,
                pid,
                since_used,
            }
        })
        .collect()
}

/// Stops every warm server of this user, waiting for runs in progress to
/// finish first. Returns the directories and pids of those that ran.
pub fn stop_all() -> Result<Vec<(PathBuf, u32)>, SandboxError> {
    let mut stopped = Vec::new();
    for place in places() {
        let lock = lock_file(&place, FlockArg::LockExclusive)?;
        if let Some(pid) = stop_locked(&place) {
            stopped.push((place.dir.clone(), pid));
        }
        drop(lock);
    }
    Ok(stopped)
}

/// The watcher: runs the warm server in `args[0]` with the binaries in
/// `args[1]` as its child, until the server has been idle long enough or
/// dies. Meant to run as a process of its own, started by a run of gen.
pub fn watch(args: &[OsString]) -> Result<(), SandboxError> {
    let [dir, bin_dir] = args else {
        return Err(SandboxError::Spawn {
            program: PathBuf::from("watcher"),
            source: io::Error::other("expected a server directory and a bin directory"),
        });
    };
    let place = Place {
        dir: PathBuf::from(dir),
        bin_dir: PathBuf::from(bin_dir),
        owner: local::owner()?,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| SandboxError::Io {
            action: "starting the async runtime for",
            path: place.dir.clone(),
            source,
        })?;
    // The server is spawned from this, the main thread, which lives as long
    // as the process: the parent-death signal follows the thread.
    let mut server = spawn_server(&place)?;
    let result = runtime.block_on(watch_server(&place, &mut server));
    let _ = local::stop_child(&mut server);
    result
}

fn spawn_server(place: &Place) -> Result<Child, SandboxError> {
    let log_path = place.file("postgres.log");
    let (log, log_err) = local::log_files(&log_path)?;
    let program = place.bin_dir.join("postgres");
    let mut cmd = Command::new(&program);
    cmd.arg("-D").arg(place.data_dir());
    for setting in local::server_settings(&place.socket_dir()) {
        cmd.arg("-c").arg(setting);
    }
    cmd.arg("-c")
        .arg(format!("{MARKER}={}", place.dir.display()))
        .current_dir(&place.dir)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err);
    if let Some(owner) = place.owner {
        cmd.uid(owner.uid).gid(owner.gid);
    }
    local::set_parent_death_signal(&mut cmd);
    cmd.spawn()
        .map_err(|source| SandboxError::Spawn { program, source })
}

async fn watch_server(place: &Place, server: &mut Child) -> Result<(), SandboxError> {
    let used_path = place.file("used");
    let mut client: Option<Client> = None;
    let mut seen: Option<SystemTime> = None;
    let mut pending = true;
    let mut opened = BTreeSet::new();
    loop {
        if let Ok(Some(status)) = server.try_wait() {
            eprintln!("postgres exited ({status})");
            return Ok(());
        }
        let used = fs::metadata(&used_path).and_then(|m| m.modified()).ok();
        let idle_for = used.and_then(|t| t.elapsed().ok()).unwrap_or_default();
        if idle_for >= read_idle(place) && stop_if_idle(place, server) {
            return Ok(());
        }
        if client.as_ref().is_none_or(Client::is_closed) {
            client = connect(place).await.map(|(c, _)| c);
        }
        if let Some(c) = &client
            && (pending || used != seen)
        {
            seen = used;
            // Throwaway runs of this user that were killed (or interrupted
            // half-way through copying their template) left directories
            // behind: gone here too, not only at the next throwaway run.
            local::sweep_stale_runs(&local::run_base());
            pending = match maintain(place, c, &mut opened).await {
                Ok(pending) => pending,
                Err(e) => {
                    eprintln!("maintenance: {}", crate::error::PgError::from(e));
                    true
                }
            };
        }
        tokio::time::sleep(TICK).await;
    }
}

/// Stops the server if no run holds the lock and none has started since
/// the idle period was found over.
fn stop_if_idle(place: &Place, server: &mut Child) -> bool {
    let Ok(file) = OpenOptions::new().write(true).open(place.file("lock")) else {
        return false;
    };
    let Ok(lock) = Flock::lock(file, FlockArg::LockExclusiveNonblock) else {
        return false;
    };
    let idle_for = fs::metadata(place.file("used"))
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .unwrap_or_default();
    if idle_for < read_idle(place) {
        return false;
    }
    let _ = local::stop_child(server);
    let _ = fs::remove_dir_all(place.data_dir());
    let _ = fs::remove_dir_all(place.socket_dir());
    let _ = fs::remove_file(place.file("watcher.pid"));
    drop(lock);
    true
}

/// Drops the scratch databases of runs whose process has ended and tops up
/// the pool of ready databases. Returns whether scratch databases of live
/// processes remain, to look again soon.
///
/// The first session in a database builds the relation cache from the
/// catalogs and saves it (pg_internal.init, kept through the rename that
/// claims the database); later sessions load it, a few milliseconds sooner.
/// So once no run is going (it would wait for the CPU this takes), each
/// ready database is opened once; `opened` remembers which. Best effort: a
/// database nobody has opened works the same.
async fn maintain(
    place: &Place,
    client: &Client,
    opened: &mut BTreeSet<String>,
) -> Result<bool, tokio_postgres::Error> {
    let rows = client
        .query(
            "SELECT datname::text FROM pg_database \
             WHERE starts_with(datname, $1) OR starts_with(datname, $2) \
                OR starts_with(datname, $3)",
            &[&SCRATCH_PREFIX, &POOL_PREFIX, &MAKING_PREFIX],
        )
        .await?;
    let mut pending = false;
    let mut pool = BTreeSet::new();
    for row in rows {
        let name: String = row.get(0);
        if name.starts_with(POOL_PREFIX) {
            pool.insert(name);
            continue;
        }
        if name.starts_with(MAKING_PREFIX) {
            // Only this watcher makes them, one at a time: a leftover of
            // one that stopped half-way.
            client
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    crate::quote_ident(&name)
                ))
                .await?;
            continue;
        }
        match scratch_owner(&name) {
            Some(pid) if local::pid_alive(pid) => pending = true,
            _ => {
                let drop = format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    crate::quote_ident(&name)
                );
                match client.batch_execute(&drop).await {
                    // It holds a subscription: that goes first.
                    Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::OBJECT_IN_USE) => {
                        if crate::drop_subscriptions(&place.config(), &name)
                            .await
                            .is_ok()
                        {
                            client.batch_execute(&drop).await?;
                        }
                    }
                    result => result?,
                }
            }
        }
    }
    // Creating a database copies a template's files: while a run is going
    // that takes CPU and disk from it, so the pool is only topped up below
    // what one run takes until the run is over.
    let target = if pending { RUN_TAKES } else { POOL_SIZE };
    while pool.len() < target {
        let name = crate::scratch_name("pool").replacen(SCRATCH_PREFIX, POOL_PREFIX, 1);
        let making = name.replacen(POOL_PREFIX, MAKING_PREFIX, 1);
        client
            .batch_execute(&crate::create_database_sql(&making, 150_000, true, None))
            .await?;
        // The superuser's until a run claims it: no run may reach into a
        // database another will be given. Closed before it takes a name
        // runs claim: a run altering a database this revoke is updating
        // would fail with "tuple concurrently updated".
        client
            .batch_execute(&format!(
                "REVOKE CONNECT, TEMPORARY ON DATABASE {making} FROM PUBLIC;\n\
                 ALTER DATABASE {making} RENAME TO {ready}",
                making = crate::quote_ident(&making),
                ready = crate::quote_ident(&name),
            ))
            .await?;
        pool.insert(name);
    }
    opened.retain(|name| pool.contains(name));
    if !pending {
        let unopened: Vec<String> = pool.difference(opened).cloned().collect();
        for name in unopened {
            let mut config = place.config();
            config.dbname(&name);
            if let Ok((ready, connection)) = config.connect(NoTls).await {
                let connection = tokio::spawn(connection);
                let _ = ready.batch_execute("").await;
                drop(ready);
                let _ = connection.await;
            }
            opened.insert(name);
        }
    }
    Ok(pending)
}

/// The pid in `gen_scratch_<label>_<pid>_<n>_<random>`.
fn scratch_owner(name: &str) -> Option<i32> {
    let mut parts = name.rsplitn(4, '_');
    let (_random, _n, pid) = (parts.next()?, parts.next()?, parts.next()?);
    pid.parse().ok()
}

/// Claims a ready database by renaming it; `None` when the pool is empty
/// (or every ready database was claimed by someone else first).
pub(crate) async fn claim(client: &Client, name: &str) -> Option<()> {
    let rows = client
        .query_typed(
            "SELECT datname::text FROM pg_database WHERE starts_with(datname, $1) \
             ORDER BY random()",
            &[(&POOL_PREFIX, Type::TEXT)],
        )
        .await
        .ok()?;
    for row in rows {
        let ready: String = row.get(0);
        let sql = format!(
            "ALTER DATABASE {} RENAME TO {}",
            crate::quote_ident(&ready),
            crate::quote_ident(name)
        );
        if client.batch_execute(&sql).await.is_ok() {
            return Some(());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pid_out_of_scratch_names() {
        assert_eq!(
            scratch_owner("gen_scratch_old_side_4242_0_a1b2c3"),
            Some(4242)
        );
        assert_eq!(scratch_owner("gen_scratch_x_12_3_ffffff"), Some(12));
        assert_eq!(scratch_owner("gen_scratch_broken"), None);
    }

    #[test]
    fn the_key_hash_is_stable() {
        // Pinned: a different value would orphan every running server.
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn refuses_a_directory_others_can_enter() {
        let dir = tempfile::tempdir().expect("tempdir");
        let open = dir.path().join("open");
        fs::create_dir(&open).expect("mkdir");
        fs::set_permissions(&open, fs::Permissions::from_mode(0o755)).expect("chmod");
        let owner = local::owner().expect("owner");
        if owner.is_some() {
            // As root the directory must belong to the server user instead.
            std::os::unix::fs::lchown(&open, owner.map(|o| o.uid), None).expect("chown");
        }
        let err = private_dir(&open, owner).expect_err("0755 directory");
        assert!(err.to_string().contains("others can enter it"), "{err}");
        let fine = dir.path().join("fine");
        private_dir(&fine, owner).expect("new private directory");
        private_dir(&fine, owner).expect("existing private directory");
    }
}
