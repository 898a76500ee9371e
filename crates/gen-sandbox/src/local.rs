//! The local backend: a private cluster copied from a cached template and run
//! as a child process on a Unix socket.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::{self, Read as _, Seek as _, SeekFrom};
use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::{Pid, User, geteuid};
use tempfile::TempDir;
use tokio_postgres::{Client, Config, NoTls};

use crate::error::SandboxError;

/// How long the server gets to accept its first connection.
pub(crate) const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an immediate shutdown may take before the server is killed.
pub(crate) const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// The socket file name depends on the port even without TCP; the socket
/// directory is private, so the default port never collides.
pub(crate) const PORT: u16 = 5432;
/// Name prefix of per-run directories, also used to find stale ones.
const RUN_PREFIX: &str = "gen-sandbox-";
/// File in a run directory holding the pid of the gen process that owns it.
const OWNER_FILE: &str = "gen.pid";

/// The user the server runs as when gen runs as root.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Owner {
    pub(crate) uid: u32,
    pub(crate) gid: u32,
}

/// A located PostgreSQL installation.
#[derive(Debug, Clone)]
pub(crate) struct Binaries {
    /// Directory holding `initdb`, `postgres`, `pg_dump`, `psql`.
    pub(crate) dir: PathBuf,
    /// `15.18`, from `postgres --version`.
    pub(crate) version: String,
}

/// Finds the server binaries: the explicit directory, then `initdb` on
/// `PATH`, then the newest `/usr/lib/postgresql/*/bin`, then `pg_config
/// --bindir`.
pub(crate) fn find_binaries(explicit: Option<&Path>) -> Result<Binaries, SandboxError> {
    let dir = match explicit {
        Some(dir) => {
            for program in ["initdb", "postgres"] {
                if !is_executable(&dir.join(program)) {
                    return Err(SandboxError::PgBinIncomplete {
                        dir: dir.to_owned(),
                        program,
                    });
                }
            }
            dir.to_owned()
        }
        None => search_binaries()?,
    };
    let version = server_version(&dir.join("postgres"))?;
    if !crate::major_of(&version).is_some_and(|m| crate::SUPPORTED_MAJORS.contains(&m)) {
        return Err(SandboxError::UnsupportedMajor {
            what: format!("the server in {}", dir.display()),
            version,
        });
    }
    Ok(Binaries { dir, version })
}

/// A client program (`pg_dump`) of at least major `at_least`, and its
/// version: from `explicit` when that is new enough, else from an
/// installation of that major or a newer one, else the one found first.
pub(crate) fn client_at_least(
    explicit: Option<&Path>,
    at_least: u32,
    program: &str,
) -> Result<(PathBuf, String), SandboxError> {
    let mut dirs: Vec<PathBuf> = explicit.map(Path::to_owned).into_iter().collect();
    for major in at_least.max(*crate::SUPPORTED_MAJORS.start())..=*crate::SUPPORTED_MAJORS.end() {
        dirs.extend(major_candidates(major));
    }
    if let Ok(dir) = search_binaries() {
        dirs.push(dir);
    }
    let mut seen = Vec::new();
    for dir in dirs {
        let path = dir.join(program);
        if !is_executable(&path) {
            continue;
        }
        let Ok(version) = server_version(&path) else {
            continue;
        };
        if crate::major_of(&version).is_some_and(|m| m >= at_least) {
            return Ok((path, version));
        }
        seen.push(format!("{} ({version})", path.display()));
    }
    Err(SandboxError::NoClientForMajor {
        program: program.to_owned(),
        major: at_least,
        seen,
    })
}

/// Where binaries of `major` are installed by the usual packages: the
/// PostgreSQL project's Debian/Ubuntu packages, gen's own install script
/// (`/opt/gen/postgresql` as root, else the user's cache), the project's
/// RPMs and Homebrew.
fn major_candidates(major: u32) -> Vec<PathBuf> {
    let mut found = vec![
        PathBuf::from(format!("/usr/lib/postgresql/{major}/bin")),
        PathBuf::from(format!("/opt/gen/postgresql/{major}/bin")),
    ];
    if let Some(cache) = dirs::cache_dir() {
        found.push(cache.join(format!("gen/postgresql/{major}/bin")));
    }
    found.push(PathBuf::from(format!("/usr/pgsql-{major}/bin")));
    found.push(PathBuf::from(format!(
        "/opt/homebrew/opt/postgresql@{major}/bin"
    )));
    found.push(PathBuf::from(format!(
        "/usr/local/opt/postgresql@{major}/bin"
    )));
    found
}

/// The bin directory to start the server from: `explicit` as given (its
/// major is checked once the server runs), else, when the project names a
/// major, the first installation of that major; else `None`, for
/// [`find_binaries`] to search.
pub(crate) fn resolve(
    explicit: Option<&Path>,
    major: Option<u32>,
) -> Result<Option<PathBuf>, SandboxError> {
    let (None, Some(major)) = (explicit, major) else {
        return Ok(explicit.map(Path::to_owned));
    };
    let candidates = major_candidates(major);
    if let Some(dir) = candidates.iter().find(|d| has_server(d)) {
        return Ok(Some(dir.clone()));
    }
    // Elsewhere on PATH or behind pg_config, if it is that major.
    if let Ok(dir) = search_binaries()
        && server_version(&dir.join("postgres")).is_ok_and(|v| crate::major_of(&v) == Some(major))
    {
        return Ok(Some(dir));
    }
    let mut looked_in: Vec<String> = candidates.iter().map(|d| d.display().to_string()).collect();
    looked_in.push("initdb on PATH and pg_config --bindir".to_owned());
    Err(SandboxError::NoBinariesForMajor { major, looked_in })
}

/// Where [`find_binaries`] would find the server, and what identifies the
/// `postgres` binary there (size and modification time), without running
/// anything: cheap enough for a cache key.
pub(crate) fn binaries_fingerprint(explicit: Option<&Path>) -> Option<String> {
    let dir = match explicit {
        Some(dir) => dir.to_owned(),
        None => search_binaries().ok()?,
    };
    let meta = fs::metadata(dir.join("postgres")).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some(format!("{} {} {modified}", dir.display(), meta.len()))
}

pub(crate) fn search_binaries() -> Result<PathBuf, SandboxError> {
    let mut looked_in = Vec::new();

    if let Some(path) = std::env::var_os("PATH") {
        for entry in std::env::split_paths(&path) {
            let initdb = entry.join("initdb");
            if !is_executable(&initdb) {
                continue;
            }
            // /usr/local/bin/initdb is often a symlink into the real bin
            // directory, which is also where pg_dump and psql live.
            if let Some(real_dir) = fs::canonicalize(&initdb)
                .ok()
                .and_then(|p| p.parent().map(Path::to_owned))
                && has_server(&real_dir)
            {
                return Ok(real_dir);
            }
            if has_server(&entry) {
                return Ok(entry);
            }
        }
        looked_in.push("initdb on PATH".to_owned());
    }

    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let key = version_key(name.to_str()?)?;
            let bin = entry.path().join("bin");
            has_server(&bin).then_some((key, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    looked_in.push("/usr/lib/postgresql/*/bin".to_owned());

    // Last, as it costs a process (a shell script on Debian). It may belong to the client-only package and point
    // at /usr/bin, so its answer counts only if the server is really there.
    match Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => {
            let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            if has_server(&dir) {
                return Ok(dir);
            }
            looked_in.push(format!("{} (from pg_config --bindir)", dir.display()));
        }
        _ => looked_in.push("pg_config --bindir (not available)".to_owned()),
    }

    Err(SandboxError::NoBinaries { looked_in })
}

/// `"15"` → `[15]`, `"9.6"` → `[9, 6]`; anything else is not a version dir.
fn version_key(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

pub(crate) fn has_server(dir: &Path) -> bool {
    is_executable(&dir.join("initdb")) && is_executable(&dir.join("postgres"))
}

pub(crate) fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Reads `15.18` out of `postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`.
fn server_version(postgres: &Path) -> Result<String, SandboxError> {
    let out = Command::new(postgres)
        .arg("--version")
        .output()
        .map_err(|source| SandboxError::Spawn {
            program: postgres.to_owned(),
            source,
        })?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    parse_version(&text).ok_or_else(|| SandboxError::UnknownVersion {
        program: postgres.to_owned(),
        output: text.trim().to_owned(),
    })
}

fn parse_version(text: &str) -> Option<String> {
    let rest = text.split_once("(PostgreSQL)")?.1;
    let version = rest.split_whitespace().next()?;
    // The version becomes part of a directory name.
    let clean = version
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.');
    (clean && version.starts_with(|c: char| c.is_ascii_digit())).then(|| version.to_owned())
}

/// Who should own the cluster: `None` when gen is not root, else the
/// `postgres` system user, because initdb and postgres refuse to run as root.
pub(crate) fn owner() -> Result<Option<Owner>, SandboxError> {
    if !geteuid().is_root() {
        return Ok(None);
    }
    match User::from_name("postgres") {
        Ok(Some(user)) => Ok(Some(Owner {
            uid: user.uid.as_raw(),
            gid: user.gid.as_raw(),
        })),
        _ => Err(SandboxError::NoUnprivilegedUser),
    }
}

/// Where per-run clusters live: tmpfs when there is a writable one, because
/// CREATE DATABASE is several times faster there than on disk even with
/// fsync off.
pub(crate) fn run_base() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && tempfile::Builder::new()
            .prefix(".gen-probe-")
            .tempdir_in(shm)
            .is_ok()
    {
        return shm.to_owned();
    }
    std::env::temp_dir()
}

/// Names what `ensure_template` makes beyond the server version: the initdb
/// options that shape the files. Change it with those options, or templates
/// made by an earlier gen (with 16 MB WAL segments, say) are reused forever.
pub(crate) const TEMPLATE_LAYOUT: &str = "w2";

/// `<cache>/gen/pg<version>-<layout>-template`.
pub(crate) fn template_path(cache_root: &Path, version: &str) -> PathBuf {
    cache_root
        .join("gen")
        .join(format!("pg{version}-{TEMPLATE_LAYOUT}-template"))
}

/// Returns the template data directory for this installation, running
/// initdb once if there is none yet.
///
/// Many gen processes (a parallel test suite) may get here at once. Each
/// builds its own copy next to the final path and renames it into place;
/// rename is atomic, so readers see either no template or a complete one,
/// and losers of the race throw their copy away and use the winner's.
pub(crate) fn ensure_template(
    cache_root: &Path,
    bins: &Binaries,
    owner: Option<Owner>,
    scratch_base: &Path,
) -> Result<PathBuf, SandboxError> {
    let path = template_path(cache_root, &bins.version);
    if path.join("PG_VERSION").is_file() {
        return Ok(path);
    }
    let parent = path.parent().unwrap_or(cache_root);
    fs::create_dir_all(parent).map_err(|source| SandboxError::Io {
        action: "creating the cache directory",
        path: parent.to_owned(),
        source,
    })?;

    // initdb runs in a scratch directory that the server user can reach:
    // root's cache directory usually is not traversable by `postgres`.
    let scratch = tempfile::Builder::new()
        .prefix("gen-initdb-")
        .tempdir_in(scratch_base)
        .map_err(|source| SandboxError::Io {
            action: "creating a directory for initdb in",
            path: scratch_base.to_owned(),
            source,
        })?;
    if let Some(owner) = owner {
        chown_tree(scratch.path(), owner)?;
    }
    let data = scratch.path().join("data");
    let initdb = bins.dir.join("initdb");
    let mut cmd = Command::new(&initdb);
    cmd.arg("-D")
        .arg(&data)
        .args([
            "-U",
            crate::SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            // 1 MB instead of 16 MB of preallocated WAL: the template is
            // copied on every run and the WAL was 40% of it (see
            // TEMPLATE_LAYOUT when changing these options).
            "--wal-segsize=1",
        ])
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .current_dir(scratch.path())
        .stdin(Stdio::null());
    if let Some(owner) = owner {
        cmd.uid(owner.uid).gid(owner.gid);
    }
    let out = cmd.output().map_err(|source| SandboxError::Spawn {
        program: initdb.clone(),
        source,
    })?;
    if !out.status.success() {
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        return Err(SandboxError::Initdb {
            status: out.status,
            output: last_lines(&text, 20),
        });
    }

    let staging = tempfile::Builder::new()
        .prefix(&format!(".pg{}-template.", bins.version))
        .tempdir_in(parent)
        .map_err(|source| SandboxError::Io {
            action: "creating a staging directory in",
            path: parent.to_owned(),
            source,
        })?;
    copy_tree(&data, staging.path()).map_err(|source| SandboxError::Io {
        action: "copying a new template to",
        path: staging.path().to_owned(),
        source,
    })?;
    match fs::rename(staging.path(), &path) {
        Ok(()) => {
            // Now owned by its final name; nothing left to remove.
            let _ = staging.keep();
            Ok(path)
        }
        Err(_) if path.join("PG_VERSION").is_file() => Ok(path),
        Err(source) => Err(SandboxError::Io {
            action: "moving a new template into place at",
            path,
            source,
        }),
    }
}

/// Copies a directory tree, keeping permission bits (Postgres insists on a
/// 0700 or 0750 data directory). `dst` may already exist.
pub(crate) fn copy_tree(src: &Path, dst: &Path) -> io::Result<()> {
    let mode = fs::metadata(src)?.permissions().mode();
    match fs::DirBuilder::new().mode(0o700).create(dst) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    fs::set_permissions(dst, fs::Permissions::from_mode(mode))?;
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let from = entry.path();
        let to = dst.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&from, &to)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&from)?, &to)?;
        } else if is_runtime_file(&entry.file_name()) {
            continue;
        } else {
            fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

/// Files a running server leaves behind that must not travel into a copy.
fn is_runtime_file(name: &OsStr) -> bool {
    name == "postmaster.pid" || name == "postmaster.opts"
}

/// Gives a whole tree to the server user.
pub(crate) fn chown_tree(path: &Path, owner: Owner) -> Result<(), SandboxError> {
    fn walk(path: &Path, owner: Owner) -> io::Result<()> {
        std::os::unix::fs::lchown(path, Some(owner.uid), Some(owner.gid))?;
        if fs::symlink_metadata(path)?.is_dir() {
            for entry in fs::read_dir(path)? {
                walk(&entry?.path(), owner)?;
            }
        }
        Ok(())
    }
    walk(path, owner).map_err(|source| SandboxError::Io {
        action: "handing over to the postgres user",
        path: path.to_owned(),
        source,
    })
}

/// Removes run directories whose gen process is gone: a gen killed with
/// SIGKILL cannot clean up after itself (its server still dies, through the
/// parent-death signal), so the next run does it.
pub(crate) fn sweep_stale_runs(base: &Path) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(RUN_PREFIX) {
            continue;
        }
        let dir = entry.path();
        // A directory without an owner file may be one being created right
        // now; only a recorded, dead owner proves it abandoned.
        let Some(owner) = fs::read_to_string(dir.join(OWNER_FILE))
            .ok()
            .and_then(|s| s.trim().parse::<i32>().ok())
        else {
            continue;
        };
        if !pid_alive(owner) && !server_alive(&dir.join("data")) {
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

/// Removes the run directories of this process: on Ctrl-C or SIGTERM a run
/// may be copying its template on a thread of its own, which no `Drop`
/// stops in time. Tries a few times, since that thread may still be
/// writing.
pub(crate) fn remove_own_runs() {
    let Ok(entries) = fs::read_dir(run_base()) else {
        return;
    };
    let me = std::process::id().to_string();
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(RUN_PREFIX) {
            continue;
        }
        let dir = entry.path();
        let ours = fs::read_to_string(dir.join(OWNER_FILE)).is_ok_and(|pid| pid.trim() == me);
        if !ours {
            continue;
        }
        for _ in 0..20 {
            if fs::remove_dir_all(&dir).is_ok() || !dir.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

/// Whether a process runs. A zombie counts as gone: an orphaned server that
/// already exited may wait a while for an init that is slow to reap it.
pub(crate) fn pid_alive(pid: i32) -> bool {
    if pid <= 0
        || matches!(
            kill(Pid::from_raw(pid), None),
            Err(nix::errno::Errno::ESRCH)
        )
    {
        return false;
    }
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name, which may
        // itself contain spaces and parentheses.
        Ok(stat) => !matches!(
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next()),
            Some("Z" | "X")
        ),
        Err(_) => true,
    }
}

pub(crate) fn server_alive(data: &Path) -> bool {
    fs::read_to_string(data.join("postmaster.pid"))
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.trim().parse::<i32>().ok()))
        .is_some_and(pid_alive)
}

/// A running private cluster. Dropping it stops the server and deletes its
/// files.
#[derive(Debug)]
pub(crate) struct LocalServer {
    child: Option<Child>,
    keeper: Option<Keeper>,
    run_dir: Option<TempDir>,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    bin_dir: PathBuf,
    pid: u32,
}

/// The thread that spawned the server. Linux delivers the parent-death signal
/// when the *thread* that forked the child exits, not the process, so that
/// thread must live exactly as long as the server should; a runtime worker or
/// blocking-pool thread could exit underneath it.
#[derive(Debug)]
struct Keeper {
    release: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

/// Everything prepared on disk before the server starts.
struct Prepared {
    run_dir: TempDir,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    log_path: PathBuf,
    bins: Binaries,
    owner: Option<Owner>,
}

impl LocalServer {
    /// Prepares a data directory, starts `postgres` and waits until it
    /// accepts connections; returns the server and a client to its
    /// `postgres` database.
    pub(crate) async fn start(
        pg_bin: Option<PathBuf>,
    ) -> Result<(Self, Config, Client), SandboxError> {
        let prepared = tokio::task::spawn_blocking(move || prepare(pg_bin.as_deref()))
            .await
            .map_err(|e| SandboxError::Io {
                action: "preparing the data directory (task failed) in",
                path: std::env::temp_dir(),
                source: io::Error::other(e.to_string()),
            })??;
        let log_path = prepared.log_path.clone();
        let mut server = spawn_postgres(prepared)?;

        let mut config = Config::new();
        config
            .host_path(&server.socket_dir)
            .port(PORT)
            .user(crate::SUPERUSER)
            .dbname("postgres");

        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Some(child) = server.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                return Err(SandboxError::ServerExited {
                    status,
                    log_tail: log_tail(&log_path),
                });
            }
            if let Ok((client, connection)) = config.connect(NoTls).await {
                tokio::spawn(connection);
                return Ok((server, config, client));
            }
            if Instant::now() >= deadline {
                return Err(SandboxError::StartTimeout {
                    waited: STARTUP_TIMEOUT,
                    log_tail: log_tail(&log_path),
                });
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Where `pg_dump` and `psql` live.
    pub(crate) fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// The cluster's data directory.
    pub(crate) fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The postmaster's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.pid
    }

    /// Stops the server (immediate shutdown, then SIGKILL if it lingers) and
    /// removes its directories. Safe to call more than once.
    pub(crate) fn stop(&mut self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if let Some(mut child) = self.child.take()
            && let Err(e) = stop_child(&mut child)
        {
            problems.push(format!("stopping postgres (pid {}): {e}", self.pid));
        }
        if let Some(keeper) = self.keeper.take() {
            drop(keeper.release);
            let _ = keeper.thread.join();
        }
        if let Some(run_dir) = self.run_dir.take() {
            let path = run_dir.path().to_owned();
            remove_databases_in_parallel(&self.data_dir);
            if let Err(e) = run_dir.close() {
                problems.push(format!("removing {}: {e}", path.display()));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Removes the database directories of a stopped cluster on as many threads
/// as there are cores. After a big schema they hold tens of thousands of
/// relation files, and unlinking them one thread at a time was most of the
/// time shutdown took (0.22 s of 0.3 s for two databases of 1000 tables);
/// unlinks in different directories run in parallel. Best effort: whatever
/// is left is removed, and reported, with the rest of the run directory.
fn remove_databases_in_parallel(data_dir: &Path) {
    let Ok(entries) = fs::read_dir(data_dir.join("base")) else {
        return;
    };
    let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    // Scratch databases have the highest oids and the most files: first.
    dirs.sort_by_key(|d| {
        std::cmp::Reverse(
            d.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.parse::<u32>().ok()),
        )
    });
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(dirs.len());
    if threads < 2 {
        return;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(dir) =
                    dirs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    let _ = fs::remove_dir_all(dir);
                }
            });
        }
    });
}

fn prepare(pg_bin: Option<&Path>) -> Result<Prepared, SandboxError> {
    let bins = find_binaries(pg_bin)?;
    let owner = owner()?;
    let base = run_base();
    sweep_stale_runs(&base);
    let cache_root = dirs::cache_dir().unwrap_or_else(std::env::temp_dir);
    let template = ensure_template(&cache_root, &bins, owner, &base)?;

    let run_dir = tempfile::Builder::new()
        .prefix(RUN_PREFIX)
        .tempdir_in(&base)
        .map_err(|source| SandboxError::Io {
            action: "creating the run directory in",
            path: base.clone(),
            source,
        })?;
    let owner_file = run_dir.path().join(OWNER_FILE);
    fs::write(&owner_file, std::process::id().to_string())
        .map_err(SandboxError::io("writing", &owner_file))?;
    let data_dir = run_dir.path().join("data");
    let socket_dir = run_dir.path().join("sock");
    copy_tree(&template, &data_dir)
        .map_err(SandboxError::io("copying the template to", &data_dir))?;
    fs::DirBuilder::new()
        .mode(0o700)
        .create(&socket_dir)
        .map_err(SandboxError::io("creating", &socket_dir))?;
    let log_path = run_dir.path().join("postgres.log");
    if let Some(owner) = owner {
        chown_tree(run_dir.path(), owner)?;
    }
    Ok(Prepared {
        run_dir,
        data_dir,
        socket_dir,
        log_path,
        bins,
        owner,
    })
}

fn spawn_postgres(prepared: Prepared) -> Result<LocalServer, SandboxError> {
    let Prepared {
        run_dir,
        data_dir,
        socket_dir,
        log_path,
        bins,
        owner,
    } = prepared;
    let (log, log_err) = log_files(&log_path)?;
    let program = bins.dir.join("postgres");
    let mut cmd = Command::new(&program);
    cmd.arg("-D").arg(&data_dir);
    for setting in server_settings(&socket_dir) {
        cmd.arg("-c").arg(setting);
    }
    cmd.current_dir(run_dir.path())
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        // Out of the terminal's process group: Ctrl-C goes to gen alone,
        // which then shuts the server down in order instead of racing it.
        .process_group(0);
    if let Some(owner) = owner {
        cmd.uid(owner.uid).gid(owner.gid);
    }
    set_parent_death_signal(&mut cmd);

    let (child_tx, child_rx) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("gen-sandbox-postgres".to_owned())
        .spawn(move || {
            let _ = child_tx.send(cmd.spawn());
            // Returns once the server has been stopped and the sender dropped.
            let _ = released.recv();
        })
        .map_err(|source| SandboxError::Spawn {
            program: program.clone(),
            source,
        })?;
    let keeper = Keeper { release, thread };
    let spawned = child_rx
        .recv()
        .unwrap_or_else(|_| Err(io::Error::other("spawning thread exited")));
    let child = match spawned {
        Ok(child) => child,
        Err(source) => {
            drop(keeper.release);
            let _ = keeper.thread.join();
            return Err(SandboxError::Spawn { program, source });
        }
    };
    Ok(LocalServer {
        pid: child.id(),
        child: Some(child),
        keeper: Some(keeper),
        run_dir: Some(run_dir),
        data_dir,
        socket_dir,
        bin_dir: bins.dir,
    })
}

/// A fresh log file at `path`, opened twice: for a child's stdout and its
/// stderr.
pub(crate) fn log_files(path: &Path) -> Result<(File, File), SandboxError> {
    let log = File::create(path).map_err(|source| SandboxError::Io {
        action: "creating",
        path: path.to_path_buf(),
        source,
    })?;
    let log_err = log.try_clone().map_err(|source| SandboxError::Io {
        action: "opening",
        path: path.to_path_buf(),
        source,
    })?;
    Ok((log, log_err))
}

/// The settings every sandbox server runs with, the warm one included, so
/// that what a run loads and reads cannot depend on which kind it got.
pub(crate) fn server_settings(socket_dir: &Path) -> Vec<String> {
    vec![
        "listen_addresses=".to_owned(),
        format!("unix_socket_directories={}", socket_dir.display()),
        format!("port={PORT}"),
        // A throwaway cluster needs no durability.
        "fsync=off".to_owned(),
        "synchronous_commit=off".to_owned(),
        "full_page_writes=off".to_owned(),
        "shared_buffers=32MB".to_owned(),
        "max_connections=50".to_owned(),
        // Schema files load as one transaction, which holds a lock on every
        // relation it creates (about 15 per table with its indexes, TOAST
        // table and identity sequence) until it commits, and both sides load
        // at once. The default lock table (64 per connection slot) runs out
        // of shared memory at about 1000 tables; this holds about 2400
        // tables a side, for 27 MB more shared memory and some 8 ms more
        // startup.
        "max_locks_per_transaction=1024".to_owned(),
        "autovacuum=off".to_owned(),
        "jit=off".to_owned(),
        // Dynamic shared memory as files in the data directory instead of
        // /dev/shm segments: even a server killed with SIGKILL then leaves
        // nothing outside the directory we remove.
        "dynamic_shared_memory_type=mmap".to_owned(),
        // Rendered defaults (timestamptz literals, dates) and messages must
        // not depend on the machine.
        "TimeZone=UTC".to_owned(),
        "DateStyle=ISO, MDY".to_owned(),
        "lc_messages=C".to_owned(),
    ]
}

/// Arranges for the server to get SIGQUIT (immediate shutdown, which also
/// ends its backends and frees shared memory) if the thread that started it
/// dies, so even a SIGKILLed gen leaves no server running.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub(crate) fn set_parent_death_signal(cmd: &mut Command) {
    // SAFETY: the closure runs in the forked child before exec, where only
    // async-signal-safe operations are allowed. It makes a single prctl(2)
    // system call and touches no locks or allocations. std runs it after the
    // uid/gid change, which matters because changing credentials clears the
    // parent-death signal.
    unsafe {
        cmd.pre_exec(|| nix::sys::prctl::set_pdeathsig(Signal::SIGQUIT).map_err(io::Error::from));
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn set_parent_death_signal(_cmd: &mut Command) {}

/// SIGQUIT asks the postmaster for an immediate shutdown: it kills its
/// backends and exits without a checkpoint, which is all a throwaway cluster
/// needs.
pub(crate) fn stop_child(child: &mut Child) -> io::Result<ExitStatus> {
    if let Some(status) = child.try_wait()? {
        return Ok(status);
    }
    let pid = Pid::from_raw(i32::try_from(child.id()).map_err(io::Error::other)?);
    match kill(pid, Signal::SIGQUIT) {
        Ok(()) | Err(nix::errno::Errno::ESRCH) => {}
        Err(e) => return Err(e.into()),
    }
    let deadline = Instant::now() + STOP_TIMEOUT;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill()?;
    child.wait()
}

pub(crate) fn log_tail(path: &Path) -> String {
    let Ok(mut file) = File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(8192)));
    let mut text = String::new();
    let mut bytes = Vec::new();
    if file.read_to_end(&mut bytes).is_ok() {
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    last_lines(&text, 20)
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_server_versions() {
        assert_eq!(
            parse_version("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n").as_deref(),
            Some("15.18")
        );
        assert_eq!(
            parse_version("postgres (PostgreSQL) 17devel").as_deref(),
            Some("17devel")
        );
        assert_eq!(parse_version("postgres (PostgreSQL) ../x"), None);
        assert_eq!(parse_version("something else"), None);
    }

    #[test]
    fn orders_version_directories_numerically() {
        let mut keys = [version_key("9.6"), version_key("15"), version_key("10")];
        keys.sort();
        assert_eq!(keys.last(), Some(&Some(vec![15])));
        assert_eq!(version_key("15beta"), None);
    }

    #[test]
    fn a_major_installed_nowhere_is_an_error_saying_where_it_looked_and_how_to_get_it() {
        // No machine has PostgreSQL 99 in any of the usual places.
        let err = resolve(None, Some(99)).expect_err("no PostgreSQL 99 anywhere");
        assert!(
            matches!(&err, SandboxError::NoBinariesForMajor { major: 99, looked_in }
                if looked_in.iter().any(|p| p == "/usr/lib/postgresql/99/bin")),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("no PostgreSQL 99 server binaries found"),
            "{err}"
        );
        let hint = err.hint().expect("hint");
        assert!(
            hint.contains("apt.postgresql.org") && hint.contains("--sandbox docker"),
            "{hint}"
        );
        // An explicit directory is taken as given; its major is checked once
        // its server runs.
        assert_eq!(
            resolve(Some(Path::new("/somewhere/bin")), Some(99)).expect("as given"),
            Some(PathBuf::from("/somewhere/bin"))
        );
    }

    #[test]
    fn explicit_bin_dir_without_server_is_an_error_with_a_hint() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = find_binaries(Some(dir.path())).expect_err("empty dir");
        assert!(
            matches!(
                err,
                SandboxError::PgBinIncomplete {
                    program: "initdb",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains(&dir.path().display().to_string()));
        assert!(err.hint().is_some_and(|h| h.contains("initdb")));
    }

    #[test]
    fn copy_tree_keeps_modes_and_skips_runtime_files() {
        let src = tempfile::tempdir().expect("tempdir");
        let dst = tempfile::tempdir().expect("tempdir");
        fs::create_dir(src.path().join("base")).expect("mkdir");
        fs::write(src.path().join("base/1"), b"x").expect("write");
        fs::write(src.path().join("postmaster.pid"), b"1").expect("write");
        fs::set_permissions(src.path(), fs::Permissions::from_mode(0o750)).expect("chmod");
        let to = dst.path().join("copy");
        copy_tree(src.path(), &to).expect("copy");
        assert_eq!(fs::read(to.join("base/1")).expect("read"), b"x");
        assert!(!to.join("postmaster.pid").exists());
        let mode = fs::metadata(&to).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o750);
    }
}
