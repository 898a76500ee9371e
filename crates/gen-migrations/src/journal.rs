//! Writing the migration directory safely: one writer at a time, and a
//! change that becomes visible whole or not at all, even when the writer
//! is killed part-way.
//!
//! * [`DirLock`] is an exclusive `flock` on the directory itself (no lock
//!   file to commit or to leave behind). A second writer waits for it.
//! * A change's files (three scripts, the plan, the sum) are first written
//!   together into [`JOURNAL`], which appears in one rename; only then are
//!   they put in place, and the journal goes last. Whoever next takes the
//!   lock finds a journal left by a killed writer and finishes it, unless
//!   the directory has changed since, which is an error naming the change.
//! * Every file is written beside its target under a temporary name and
//!   renamed over it; temporary files a killed writer left are removed when
//!   the lock is taken. Files get the process's umask, as any file would.

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::dir::{PLAN_FILE, ScriptKind};
use crate::sum::{SUM_FILE, sha256_hex};
use crate::{MigrationError, validate_name};

/// The journal of a change being written, in the directory's root.
pub const JOURNAL: &str = ".gen-journal";

/// What a journal's first line says.
const JOURNAL_HEADER: &str = "gen journal 1";

/// Temporary files gen writes are `.gen-XXXXXX.tmp` beside their target.
const TMP_PREFIX: &str = ".gen-";
const TMP_SUFFIX: &str = ".tmp";

/// An exclusive lock on a migration directory, held until dropped.
#[derive(Debug)]
pub struct DirLock {
    _dir: File,
}

impl DirLock {
    /// Takes the lock on `root`, calling `on_wait` first if another process
    /// holds it, then finishes a change a killed writer left half-written
    /// and removes its temporary files.
    pub fn acquire(root: &Path, on_wait: impl FnOnce()) -> Result<DirLock, MigrationError> {
        let dir = File::open(root).map_err(|e| MigrationError::io("open", root, e))?;
        if !try_lock(&dir, root)? {
            on_wait();
            dir.lock()
                .map_err(|e| MigrationError::io("lock", root, e))?;
        }
        Self::taken(root, dir)
    }

    /// [`DirLock::acquire`] without waiting: `None` when another process
    /// holds the lock.
    pub fn try_acquire(root: &Path) -> Result<Option<DirLock>, MigrationError> {
        let dir = File::open(root).map_err(|e| MigrationError::io("open", root, e))?;
        if !try_lock(&dir, root)? {
            return Ok(None);
        }
        Self::taken(root, dir).map(Some)
    }

    /// The lock on `dir`, once what a killed writer left is dealt with.
    fn taken(root: &Path, dir: File) -> Result<DirLock, MigrationError> {
        recover(root)?;
        Ok(DirLock { _dir: dir })
    }
}

/// Takes the lock on the open directory `dir` if no other process holds
/// it; false if one does.
fn try_lock(dir: &File, root: &Path) -> Result<bool, MigrationError> {
    match dir.try_lock() {
        Ok(()) => Ok(true),
        Err(fs::TryLockError::WouldBlock) => Ok(false),
        Err(fs::TryLockError::Error(e)) => Err(MigrationError::io("lock", root, e)),
    }
}

/// One file a journal puts in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JournalFile {
    /// Relative to the directory's root, `/`-separated.
    pub rel: String,
    /// What it holds before the change: `None` when it does not exist. The
    /// journal on disk keeps its hash, to tell whether it is still so.
    pub before: Option<Vec<u8>>,
    pub bytes: Vec<u8>,
}

/// The files of one change, written whole before any of them is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Journal {
    pub change: String,
    pub files: Vec<JournalFile>,
}

/// A file as a journal on disk holds it.
struct Recorded {
    rel: String,
    before_hash: Option<String>,
    bytes: Vec<u8>,
}

impl Journal {
    fn render(&self) -> Vec<u8> {
        let mut out = format!("{JOURNAL_HEADER}\nchange {}\n", self.change).into_bytes();
        for f in &self.files {
            out.extend_from_slice(
                format!(
                    "file {} {} {}\n",
                    f.bytes.len(),
                    f.before
                        .as_deref()
                        .map_or_else(|| "-".to_owned(), sha256_hex),
                    f.rel
                )
                .as_bytes(),
            );
            out.extend_from_slice(&f.bytes);
            out.push(b'\n');
        }
        out
    }

    fn parse(bytes: &[u8]) -> Option<(String, Vec<Recorded>)> {
        fn line<'a>(rest: &mut &'a [u8]) -> Option<&'a str> {
            let end = rest.iter().position(|&b| b == b'\n')?;
            let text = std::str::from_utf8(&rest[..end]).ok()?;
            *rest = &rest[end + 1..];
            Some(text)
        }
        let mut rest = bytes;
        if line(&mut rest)? != JOURNAL_HEADER {
            return None;
        }
        let change = line(&mut rest)?.strip_prefix("change ")?.to_owned();
        let mut files = Vec::new();
        while let Some(header) = line(&mut rest) {
            let mut parts = header.strip_prefix("file ")?.splitn(3, ' ');
            let len: usize = parts.next()?.parse().ok()?;
            let before_hash = match parts.next()? {
                "-" => None,
                hash => Some(hash.to_owned()),
            };
            let rel = parts.next()?.to_owned();
            if rest.len() < len + 1 || rest[len] != b'\n' {
                return None;
            }
            files.push(Recorded {
                rel,
                before_hash,
                bytes: rest[..len].to_vec(),
            });
            rest = &rest[len + 1..];
        }
        Some((change, files))
    }

    /// Whether `rel` is a file a journal of `change` may write: the plan,
    /// the sum, or one of the change's own scripts. A journal is read from
    /// the working tree, so it never names anything else.
    fn may_write(change: &str, rel: &str) -> bool {
        rel == PLAN_FILE
            || rel == SUM_FILE
            || ScriptKind::ALL
                .iter()
                .any(|k| k.relative_path(change) == rel)
    }
}

/// Writes `journal` and then its files. On an error the files written so
/// far are put back as they were and the journal is removed; if the
/// process dies instead, the next [`DirLock`] finishes the change.
pub(crate) fn commit(root: &Path, journal: &Journal) -> Result<(), MigrationError> {
    let journal_path = root.join(JOURNAL);
    write_replace(&journal_path, &journal.render())?;
    sync_dir(root)?;
    let mut done: Vec<&JournalFile> = Vec::new();
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for f in &journal.files {
            crate::dir::failpoint(&f.rel)?;
            let path = root.join(&f.rel);
            let parent = path.parent().unwrap_or(root);
            create_dirs(root, parent, &mut made_dirs)?;
            if f.before.is_none() {
                // Never over a file someone made meanwhile.
                write_new(&path, &f.bytes)?;
            } else {
                write_replace(&path, &f.bytes)?;
            }
            done.push(f);
        }
        crate::dir::failpoint("journal")?;
        retire(root, journal.files.iter().map(|f| f.rel.as_str()))
    })();
    if let Err(e) = result {
        // Best effort: the error that caused the roll-back is the one to
        // report.
        for f in done.into_iter().rev() {
            let path = root.join(&f.rel);
            let _ = match &f.before {
                Some(bytes) => write_replace(&path, bytes),
                None => fs::remove_file(&path).map_err(|e| MigrationError::io("remove", &path, e)),
            };
        }
        for dir in made_dirs.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        let _ = fs::remove_file(&journal_path);
        return Err(e);
    }
    Ok(())
}

/// Finishes a change a killed writer left in [`JOURNAL`], and removes
/// temporary files. Runs under the lock.
fn recover(root: &Path) -> Result<(), MigrationError> {
    let journal_path = root.join(JOURNAL);
    if let Some(bytes) = read_optional(&journal_path)? {
        let stuck = |reason: String| MigrationError::Interrupted {
            path: journal_path.clone(),
            reason,
        };
        let (change, files) = Journal::parse(&bytes)
            .ok_or_else(|| stuck("it is not a journal gen wrote".to_owned()))?;
        validate_name("change", &change)
            .map_err(|_| stuck(format!("it names no valid change (\"{change}\")")))?;
        for f in &files {
            if !Journal::may_write(&change, &f.rel) {
                return Err(stuck(format!(
                    "it would write {}, outside change \"{change}\"",
                    f.rel
                )));
            }
            let now = read_optional(&root.join(&f.rel))?;
            let as_before = match (&now, &f.before_hash) {
                (None, None) => true,
                (Some(now), Some(hash)) => sha256_hex(now) == *hash,
                _ => false,
            };
            if !as_before && now.as_deref() != Some(f.bytes.as_slice()) {
                return Err(stuck(format!(
                    "{} changed after change \"{change}\" was interrupted",
                    f.rel
                )));
            }
        }
        for f in &files {
            let path = root.join(&f.rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| MigrationError::io("create directory", parent, e))?;
            }
            write_replace(&path, &f.bytes)?;
        }
        retire(root, files.iter().map(|f| f.rel.as_str()))?;
    }
    remove_temporary_files(root)
}

/// Makes the journal's files (`rels`) durable where they are, then
/// removes the journal, durably too: the change is done.
fn retire<'a>(root: &Path, rels: impl Iterator<Item = &'a str>) -> Result<(), MigrationError> {
    let mut dirs: Vec<PathBuf> = rels
        .filter_map(|rel| root.join(rel).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        sync_dir(&dir)?;
    }
    let journal = root.join(JOURNAL);
    fs::remove_file(&journal).map_err(|e| MigrationError::io("remove", &journal, e))?;
    sync_dir(root)
}

/// Creates `dir` and its missing parents below `root`, noting each made.
fn create_dirs(root: &Path, dir: &Path, made: &mut Vec<PathBuf>) -> Result<(), MigrationError> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d == root || d.exists() {
            break;
        }
        missing.push(d.to_owned());
        cur = d.parent();
    }
    fs::create_dir_all(dir).map_err(|e| MigrationError::io("create directory", dir, e))?;
    missing.reverse();
    made.extend(missing);
    Ok(())
}

/// Removes temporary files a killed writer left: gen's own
/// (`.gen-XXXXXX.tmp`) and those of earlier versions (`.tmpXXXXXX`), in
/// the root and under the script directories.
fn remove_temporary_files(root: &Path) -> Result<(), MigrationError> {
    let mut dirs = vec![root.to_path_buf()];
    let mut stack: Vec<PathBuf> = ScriptKind::ALL
        .iter()
        .map(|k| root.join(k.dir_name()))
        .collect();
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(MigrationError::io("read directory", &dir, e)),
        };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(entry.path());
            }
        }
        dirs.push(dir);
    }
    for dir in dirs {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_temporary(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
                let path = entry.path();
                fs::remove_file(&path).map_err(|e| MigrationError::io("remove", &path, e))?;
            }
        }
    }
    Ok(())
}

fn is_temporary(name: &str) -> bool {
    let ours = name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX);
    // tempfile's default name: `.tmp` and six letters or digits.
    let legacy = name.len() == 10
        && name
            .strip_prefix(".tmp")
            .is_some_and(|r| r.chars().all(|c| c.is_ascii_alphanumeric()));
    ours || legacy
}

pub(crate) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, MigrationError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(MigrationError::io("read", path, e)),
    }
}

/// A temporary file beside `path` holding `bytes`, flushed to disk, so the
/// rename that follows publishes complete contents or nothing. Created
/// with mode 0666, which the umask narrows as for any new file.
fn staged(path: &Path, bytes: &[u8]) -> Result<NamedTempFile, MigrationError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .suffix(TMP_SUFFIX)
        .permissions(fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(|e| MigrationError::io("create a temporary file in", dir, e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| MigrationError::io("write", tmp.path(), e))?;
    Ok(tmp)
}

/// Writes a file that must not exist yet.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<(), MigrationError> {
    staged(path, bytes)?
        .persist_noclobber(path)
        .map_err(|e| MigrationError::io("create", path, e.error))?;
    Ok(())
}

/// Replaces a file's contents in one rename.
pub(crate) fn write_replace(path: &Path, bytes: &[u8]) -> Result<(), MigrationError> {
    staged(path, bytes)?
        .persist(path)
        .map_err(|e| MigrationError::io("replace", path, e.error))?;
    Ok(())
}

/// Makes the renames in `dir` durable.
fn sync_dir(dir: &Path) -> Result<(), MigrationError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| MigrationError::io("sync", dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MigrationDir, NewChange, Signature};

    fn snapshot(root: &Path) -> Vec<(String, Vec<u8>, u32)> {
        let mut files = Vec::new();
        let mut stack = vec![root.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
                    files.push((rel, fs::read(&path).unwrap(), mode));
                }
            }
        }
        files.sort();
        files
    }

    fn change(name: &str) -> NewChange {
        NewChange {
            name: name.into(),
            note: String::new(),
            requires: vec![],
            deploy: format!("CREATE TABLE {};\n", name.replace('/', "_")),
            revert: "SELECT 2;\n".into(),
            verify: "SELECT 3;\n".into(),
            planner: Signature::new("J", "j@x", "2026-11-21T12:00:00Z".parse().unwrap()).unwrap(),
        }
    }

    /// The directory with `first` planned, and the journal of adding
    /// `more/second` to it, as `commit` would write it.
    fn interrupted() -> (tempfile::TempDir, PathBuf, Journal) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("migrations");
        let mut dir = MigrationDir::init(&root, "demo").unwrap();
        dir.add_change(change("first")).unwrap();
        // What a whole write leaves, recorded through a copy.
        let copy = tmp.path().join("copy");
        fs::create_dir(&copy).unwrap();
        for (rel, bytes, _) in snapshot(&root) {
            let path = copy.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        let mut other = MigrationDir::open(&copy).unwrap();
        other.add_change(change("more/second")).unwrap();
        let files = ["deploy", "revert", "verify"]
            .iter()
            .map(|k| format!("{k}/more/second.sql"))
            .chain([PLAN_FILE.to_owned(), SUM_FILE.to_owned()])
            .map(|rel| JournalFile {
                before: read_optional(&root.join(&rel)).unwrap(),
                bytes: fs::read(copy.join(&rel)).unwrap(),
                rel,
            })
            .collect();
        (
            tmp,
            root,
            Journal {
                change: "more/second".into(),
                files,
            },
        )
    }

    /// A writer killed at any instant of the write phase: before the
    /// journal, with the journal and any number of its files in place, or
    /// with all of them and the journal not yet removed. The next lock
    /// leaves the old state or the new one, never a temporary file.
    #[test]
    fn a_write_killed_at_any_instant_is_finished_or_never_happened() {
        let (_tmp, root, journal) = interrupted();
        let old = snapshot(&root);
        // Killed while staging the journal: a temporary file, no journal.
        fs::write(root.join(".gen-abc123.tmp"), b"half").unwrap();
        fs::write(root.join("deploy/.tmpAbC123"), b"from an earlier gen").unwrap();
        drop(DirLock::acquire(&root, || {}).unwrap());
        assert_eq!(snapshot(&root), old);

        commit(&root, &journal).unwrap();
        let new = snapshot(&root);
        assert!(new.iter().any(|(rel, ..)| rel == "deploy/more/second.sql"));
        for applied in 0..=journal.files.len() {
            let (_tmp, root, journal) = interrupted();
            fs::write(root.join(JOURNAL), journal.render()).unwrap();
            for f in &journal.files[..applied] {
                let path = root.join(&f.rel);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                write_replace(&path, &f.bytes).unwrap();
            }
            fs::write(root.join("verify/.gen-x1y2z3.tmp"), b"half").unwrap();
            let dir = MigrationDir::open_locked(&root, || {}).unwrap();
            assert_eq!(snapshot(&root), new, "killed after {applied} file(s)");
            assert_eq!(dir.plan().changes().count(), 2);
            assert_eq!(dir.check_sum().unwrap(), vec![]);
        }
    }

    /// A journal the directory no longer agrees with is never applied over
    /// what the user wrote since: it is an error naming the change.
    #[test]
    fn an_interrupted_write_over_later_edits_is_refused() {
        let (_tmp, root, journal) = interrupted();
        fs::write(root.join(JOURNAL), journal.render()).unwrap();
        fs::write(root.join(PLAN_FILE), "%project=demo\n\n").unwrap();
        let err = MigrationDir::open_locked(&root, || {}).unwrap_err();
        assert!(
            err.to_string()
                .contains("sqitch.plan changed after change \"more/second\" was interrupted"),
            "{err}"
        );
        assert_eq!(
            fs::read_to_string(root.join(PLAN_FILE)).unwrap(),
            "%project=demo\n\n"
        );
        // A journal naming a file outside its change is refused too.
        let mut evil = journal.clone();
        evil.files[0].rel = "../../outside.sql".into();
        fs::write(root.join(JOURNAL), evil.render()).unwrap();
        let err = DirLock::acquire(&root, || {}).unwrap_err();
        assert!(err.to_string().contains("outside change"), "{err}");
    }

    /// A second writer waits for the first and is told so.
    #[test]
    fn a_second_writer_waits_for_the_first() {
        let (_tmp, root, _) = interrupted();
        let first = MigrationDir::open_locked(&root, || {}).unwrap();
        let waited = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let second = {
            let (root, waited) = (root.clone(), waited.clone());
            std::thread::spawn(move || {
                let mut dir = MigrationDir::open_locked(&root, || {
                    waited.store(true, std::sync::atomic::Ordering::SeqCst);
                })
                .unwrap();
                dir.add_change(change("third")).unwrap();
                dir.plan().changes().count()
            })
        };
        let mut first = first;
        std::thread::sleep(std::time::Duration::from_millis(200));
        first.add_change(change("second")).unwrap();
        drop(first);
        // The second read the plan only once the first was done.
        assert_eq!(second.join().unwrap(), 3);
        assert!(waited.load(std::sync::atomic::Ordering::SeqCst));
    }

    /// New files get the process's umask, as any file would.
    #[test]
    fn files_are_written_with_the_umask() {
        let (_tmp, root, _) = interrupted();
        let umask = fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|v| u32::from_str_radix(v.trim(), 8).unwrap())
            .unwrap();
        for (rel, _, mode) in snapshot(&root) {
            assert_eq!(mode, 0o666 & !umask, "{rel}");
        }
    }
}
