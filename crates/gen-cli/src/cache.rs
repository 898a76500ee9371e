//! Catalog snapshots of `gen check`, cached under a hash of every input.
//!
//! The key covers the contents of every file under the schema and
//! migrations directories, the server that would read them (local binaries'
//! version and place, or the Docker image), this gen executable (its path,
//! size and modification time: a rebuild is a new key) and the settings
//! that shape a catalog. Any edit to any of them is a different key, so a
//! stale snapshot can never hide drift; an unchanged repository's check
//! starts no server at all. A URL sandbox is never cached: the server
//! behind an address can change without gen seeing it.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use gen_model::Catalog;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::config::Config;

/// Bumped whenever what is stored changes shape.
const FORMAT: &str = "gen-catalog-cache 1";

/// Snapshots kept: every state of every repository checked would otherwise
/// stay forever (about 150 KB each for the bundled example). The least
/// recently used go first.
const KEEP: usize = 64;

/// The two sides of a check, as read and reconciled.
#[derive(Debug, Serialize, Deserialize)]
pub struct Snapshot {
    /// The migrations, replayed.
    pub old: Catalog,
    /// The schema files, loaded.
    pub new: Catalog,
}

/// Where snapshots live: `$GEN_CACHE_DIR`, else the user's cache directory.
fn dir() -> Option<PathBuf> {
    std::env::var_os("GEN_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::cache_dir().map(|d| d.join("gen").join("catalogs")))
}

/// The key for `gen check` on this project, or `None` when it cannot be
/// cached.
pub fn key(config: &Config) -> anyhow::Result<Option<String>> {
    let Some(server) = gen_sandbox::fingerprint(&config.backend) else {
        return Ok(None);
    };
    let mut h = Sha256::new();
    let mut field = |label: &str, bytes: &[u8]| {
        h.update(label.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field("format", FORMAT.as_bytes());
    field("gen", env!("CARGO_PKG_VERSION").as_bytes());
    let exe = std::env::current_exe().context("locating the gen executable")?;
    let meta = std::fs::metadata(&exe).with_context(|| format!("reading {}", exe.display()))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    field(
        "exe",
        format!("{} {} {modified}", exe.display(), meta.len()).as_bytes(),
    );
    field("server", server.as_bytes());
    field("ignore", format!("{:?}", config.ignore).as_bytes());
    // Owners are left out of both catalogs unless they are compared.
    field("owners", if config.owners { b"1" } else { b"0" });
    field("load", format!("{:?}", config.load).as_bytes());
    for (label, root) in [
        ("schema", &config.schema),
        ("migrations", &config.migrations),
    ] {
        // Exactly the files a load reads, refused alike when one is not a
        // regular file (a FIFO would block here, /dev/zero never end). A
        // missing path is reported by the load itself.
        let which = if label == "schema" {
            gen_source::Files::Sql
        } else {
            gen_source::Files::All
        };
        let files = match gen_source::input_files(root, which) {
            Ok(files) => files,
            Err(gen_source::SourceError::NotFound { .. }) => Vec::new(),
            Err(e) => return Err(gen_load::source_error(e)),
        };
        field(label, root.display().to_string().as_bytes());
        for path in files {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            field("path", path.display().to_string().as_bytes());
            field("contents", &bytes);
        }
    }
    let digest = h.finalize();
    Ok(Some(digest.iter().map(|b| format!("{b:02x}")).collect()))
}

/// The snapshot stored under `key`, if any. A damaged file counts as none.
/// A snapshot read is marked as used, so pruning keeps it.
pub fn load(key: &str) -> Option<Snapshot> {
    let path = dir()?.join(format!("{key}.json"));
    let bytes = std::fs::read(&path).ok()?;
    let snapshot = serde_json::from_slice(&bytes).ok()?;
    let _ = set_modified(&path, std::time::SystemTime::now());
    Some(snapshot)
}

/// Whether the catalogs stored under `key` were found to match: then a
/// check need not read them. The marker is only ever written beside its
/// snapshot, and goes with it; reading it marks the snapshot as used.
pub fn is_clean(key: &str) -> bool {
    let Some(dir) = dir() else {
        return false;
    };
    let snapshot = dir.join(format!("{key}.json"));
    let clean = dir.join(format!("{key}.clean")).is_file() && snapshot.is_file();
    if clean {
        let _ = set_modified(&snapshot, std::time::SystemTime::now());
    }
    clean
}

/// Records that the catalogs stored under `key` match (see [`is_clean`]).
pub fn store_clean(key: &str) {
    let Some(dir) = dir() else {
        return;
    };
    if !dir.join(format!("{key}.json")).is_file() {
        return;
    }
    if let Err(e) = std::fs::write(dir.join(format!("{key}.clean")), b"") {
        eprintln!("warning: caching the check in {}: {e}", dir.display());
    }
}

/// Sets a file's modification time: when a snapshot was last used.
fn set_modified(path: &Path, time: std::time::SystemTime) -> std::io::Result<()> {
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(time)
}

/// Stores a snapshot under `key`, atomically; failing to cache is not an
/// error worth failing a check for.
pub fn store(key: &str, snapshot: &Snapshot) {
    let Some(dir) = dir() else {
        return;
    };
    let write = || -> anyhow::Result<()> {
        std::fs::create_dir_all(&dir)?;
        // Unbuffered, the serializer made a system call per token: some
        // 64,000 for the bundled example, longer than reading its catalogs.
        let mut out = std::io::BufWriter::new(tempfile::NamedTempFile::new_in(&dir)?);
        serde_json::to_writer(&mut out, snapshot)?;
        let tmp = out
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        tmp.persist(dir.join(format!("{key}.json")))?;
        prune(&dir, KEEP)?;
        Ok(())
    };
    if let Err(e) = write() {
        eprintln!("warning: caching the catalogs in {}: {e:#}", dir.display());
    }
}

/// Removes all but the `keep` most recently used snapshots in `dir`
/// (files named `<64 hex digits>.json`; nothing else there is touched).
fn prune(dir: &Path, keep: usize) -> std::io::Result<()> {
    let mut snapshots = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let is_snapshot = name.to_str().is_some_and(|n| {
            n.strip_suffix(".json")
                .is_some_and(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit()))
        });
        if !is_snapshot {
            continue;
        }
        // A file removed meanwhile (a concurrent prune) is simply skipped.
        if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
            snapshots.push((modified, entry.path()));
        }
    }
    if snapshots.len() <= keep {
        return Ok(());
    }
    // Newest first; ties broken by name, so the outcome is deterministic.
    snapshots.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (_, path) in snapshots.drain(keep..) {
        // Its clean marker first: a marker never outlives its snapshot.
        for path in [path.with_extension("clean"), path] {
            if let Err(e) = std::fs::remove_file(&path)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                return Err(e);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use gen_model::{
        Acl, Catalog, DefaultObjects, DefaultPrivileges, Grant, Grantee, ObjectId, Policy,
        PolicyCommand, QualifiedName, RowSecurity,
    };

    use super::{Snapshot, prune, set_modified};

    /// Security maps are keyed by identities, not strings: they must come
    /// back from JSON as they went in.
    #[test]
    fn security_catalog_round_trips() {
        let table = QualifiedName::new("app", "t");
        let mut c = Catalog::default();
        c.row_security.insert(
            table.clone(),
            RowSecurity {
                enabled: true,
                forced: false,
            },
        );
        c.policies.insert(
            (table.clone(), "p".into()),
            Policy {
                table: table.clone(),
                name: "p".into(),
                permissive: false,
                command: PolicyCommand::Update,
                roles: vec![Grantee::Public, Grantee::Role("r".into())],
                using: Some("true".into()),
                check: None,
                comment: Some("c".into()),
            },
        );
        let grant = Grant {
            grantee: Grantee::Role("r".into()),
            privilege: "SELECT".into(),
            grantable: true,
        };
        c.privileges.insert(
            ObjectId::Column {
                table: table.clone(),
                column: "id".into(),
            },
            Acl {
                grants: vec![grant.clone()],
                initial: Vec::new(),
            },
        );
        let defaults = ObjectId::DefaultPrivileges {
            role: "o".into(),
            schema: Some("app".into()),
            objects: DefaultObjects::Sequences,
        };
        c.default_privileges.insert(
            defaults,
            DefaultPrivileges {
                role: "o".into(),
                schema: Some("app".into()),
                objects: DefaultObjects::Sequences,
                grants: vec![grant],
                initial: Vec::new(),
            },
        );
        c.owners.insert(ObjectId::Table { name: table }, "o".into());
        let snapshot = Snapshot {
            old: c.clone(),
            new: Catalog::default(),
        };
        let json = serde_json::to_string(&snapshot).expect("serializing");
        let back: Snapshot = serde_json::from_str(&json).expect("deserializing");
        assert_eq!(back.old, c);
    }

    /// Only the most recently used snapshots stay; nothing else in the
    /// directory is touched.
    #[test]
    fn pruning_keeps_the_most_recently_used_snapshots() {
        let dir = tempfile::tempdir().expect("temp dir");
        let base = std::time::SystemTime::now() - std::time::Duration::from_secs(1000);
        let mut names = Vec::new();
        for i in 0..5u8 {
            let name = format!("{}.json", format!("{i:x}").repeat(64));
            let path = dir.path().join(&name);
            std::fs::write(&path, "{}").expect("write");
            set_modified(
                &path,
                base + std::time::Duration::from_secs(u64::from(i) * 10),
            )
            .expect("set mtime");
            names.push(name);
        }
        // The oldest was read again: it counts as just used.
        set_modified(&dir.path().join(&names[0]), std::time::SystemTime::now()).expect("set mtime");
        for other in ["notes.txt", "side.json", "abc.json"] {
            std::fs::write(dir.path().join(other), "x").expect("write");
        }
        // Clean markers go with their snapshots.
        let marker = |i: usize| names[i].replace(".json", ".clean");
        for i in [1, 4] {
            std::fs::write(dir.path().join(marker(i)), "").expect("write");
        }
        prune(dir.path(), 2).expect("prune");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
            .collect();
        left.sort();
        let mut expected = vec![
            names[0].clone(),
            names[4].clone(),
            marker(4),
            "abc.json".to_owned(),
            "notes.txt".to_owned(),
            "side.json".to_owned(),
        ];
        expected.sort();
        assert_eq!(left, expected);
        // Under the limit, nothing goes.
        prune(dir.path(), 2).expect("prune again");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 6);
    }
}
