//! The migration directory on disk and the one way gen changes it.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::journal::{
    self, DirLock, Journal, JournalFile, read_optional, write_new, write_replace,
};
use crate::plan::validate_name;
use crate::sum::{SUM_FILE, SumFile, SumLine, SumProblem, sha256_hex};
use crate::{Dependency, MigrationError, PlanChange, Signature, SqitchPlan, Tag};

/// File name of the plan inside the migration directory.
pub const PLAN_FILE: &str = "sqitch.plan";

/// File name of Sqitch's configuration inside the migration directory.
pub const CONFIG_FILE: &str = "sqitch.conf";

/// What `init` writes to `sqitch.conf`: enough for `sqitch` run inside the
/// directory (or with `--chdir`) to find the plan and scripts, and nothing
/// that belongs to one machine (targets stay on the command line or in the
/// user's own config).
pub const SQITCH_CONF: &str = "[core]\n\tengine = pg\n\tplan_file = sqitch.plan\n\ttop_dir = .\n";

/// Which of a change's three scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScriptKind {
    /// `deploy/<name>.sql`: applies the change.
    Deploy,
    /// `revert/<name>.sql`: undoes it.
    Revert,
    /// `verify/<name>.sql`: fails unless the change is in place.
    Verify,
}

impl ScriptKind {
    /// All three, in the order Sqitch lists them and gen.sum records them.
    pub const ALL: [ScriptKind; 3] = [Self::Deploy, Self::Revert, Self::Verify];

    /// The directory holding scripts of this kind.
    pub fn dir_name(self) -> &'static str {
        match self {
            Self::Deploy => "deploy",
            Self::Revert => "revert",
            Self::Verify => "verify",
        }
    }

    /// `deploy/<change>.sql`, with `/` separators whatever the platform, as
    /// recorded in gen.sum.
    pub fn relative_path(self, change: &str) -> String {
        format!("{}/{change}.sql", self.dir_name())
    }
}

/// A change for [`MigrationDir::add_change`] to plan and write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewChange {
    /// Change name (Sqitch's rules; `/` makes subdirectories).
    pub name: String,
    /// Note written after `#` on the plan line; surrounding whitespace is trimmed.
    pub note: String,
    /// Requirements, each `change`, `change@tag`, `@tag`, `project:change`,
    /// or `!change` for a conflict.
    pub requires: Vec<String>,
    /// Deploy script text.
    pub deploy: String,
    /// Revert script text.
    pub revert: String,
    /// Verify script text.
    pub verify: String,
    /// Who plans the change and when.
    pub planner: Signature,
}

/// A Sqitch migration directory: `sqitch.conf`, `sqitch.plan`, `deploy/`,
/// `revert/`, `verify/` and gen's `gen.sum`.
#[derive(Clone, Debug)]
pub struct MigrationDir {
    root: PathBuf,
    plan: SqitchPlan,
    /// The plan file's text when it was read, to notice edits made since.
    plan_text: String,
    /// Held from [`MigrationDir::open_locked`] on: no other gen writes
    /// the directory until this is dropped.
    lock: Option<Arc<DirLock>>,
}

impl MigrationDir {
    /// Creates the directory for `project`: config, empty plan, script
    /// directories and sum file. Refuses if `sqitch.plan` exists; keeps an
    /// existing `sqitch.conf`.
    pub fn init(root: &Path, project: &str) -> Result<MigrationDir, MigrationError> {
        validate_name("project", project)?;
        let plan_path = root.join(PLAN_FILE);
        if plan_path.exists() {
            return Err(MigrationError::AlreadyInitialized { path: plan_path });
        }
        for kind in ScriptKind::ALL {
            let dir = root.join(kind.dir_name());
            fs::create_dir_all(&dir)
                .map_err(|e| MigrationError::io("create directory", &dir, e))?;
        }
        let conf = root.join(CONFIG_FILE);
        if !conf.exists() {
            write_new(&conf, SQITCH_CONF.as_bytes())?;
        }
        let sum_path = root.join(SUM_FILE);
        if !sum_path.exists() {
            write_new(&sum_path, SumFile::render(&[]).as_bytes())?;
        }
        let plan = SqitchPlan::new(project, None);
        let plan_text = plan.render();
        // Last, so a failure above leaves no plan and `init` can be rerun.
        write_new(&plan_path, plan_text.as_bytes()).map_err(|e| match e {
            MigrationError::Io { source, .. } if source.kind() == io::ErrorKind::AlreadyExists => {
                MigrationError::AlreadyInitialized {
                    path: plan_path.clone(),
                }
            }
            e => e,
        })?;
        Ok(MigrationDir {
            root: root.to_owned(),
            plan,
            plan_text,
            lock: None,
        })
    }

    /// [`MigrationDir::open`] under the directory's lock, held until the
    /// value is dropped: what a command that writes the directory (`gen
    /// add`, `gen tag`, `gen rehash`) opens it with, before it reads
    /// anything, so that a second such command waits (`on_wait` is called
    /// first) and then reads the plan the first one left.
    pub fn open_locked(
        root: &Path,
        on_wait: impl FnOnce(),
    ) -> Result<MigrationDir, MigrationError> {
        let plan_path = root.join(PLAN_FILE);
        if !plan_path.is_file() {
            return Err(MigrationError::NotInitialized { path: plan_path });
        }
        let lock = DirLock::acquire(root, on_wait)?;
        let mut dir = Self::read(root)?;
        dir.lock = Some(Arc::new(lock));
        Ok(dir)
    }

    /// Reads the directory at `root` by parsing its `sqitch.plan`. A change
    /// a killed `gen add` left half-written is finished first, unless
    /// another gen holds the directory.
    ///
    /// Plans with reworked changes are refused: gen's script paths and sum
    /// file assume one script set per change name.
    pub fn open(root: &Path) -> Result<MigrationDir, MigrationError> {
        if root.join(journal::JOURNAL).exists() {
            drop(DirLock::try_acquire(root)?);
        }
        Self::read(root)
    }

    fn read(root: &Path) -> Result<MigrationDir, MigrationError> {
        let plan_path = root.join(PLAN_FILE);
        let plan_text = match fs::read_to_string(&plan_path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(MigrationError::NotInitialized { path: plan_path });
            }
            Err(e) => return Err(MigrationError::io("read", &plan_path, e)),
        };
        let plan = SqitchPlan::parse(&plan_text, &plan_path)?;
        if let Some(change) = plan.reworked() {
            return Err(MigrationError::Unsupported {
                path: plan_path,
                line: change.line().unwrap_or(0),
                message: format!("change \"{}\" is reworked (planned twice)", change.name),
            });
        }
        Ok(MigrationDir {
            root: root.to_owned(),
            plan,
            plan_text,
            lock: None,
        })
    }

    /// The directory's lock for a write: none new when this value holds
    /// it already.
    fn lock_for_write(&self) -> Result<Option<DirLock>, MigrationError> {
        match self.lock {
            Some(_) => Ok(None),
            None => DirLock::acquire(&self.root, || {}).map(Some),
        }
    }

    /// The directory holding `sqitch.plan`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The parsed plan.
    pub fn plan(&self) -> &SqitchPlan {
        &self.plan
    }

    /// Where the `kind` script of `change` lives.
    pub fn script_path(&self, kind: ScriptKind, change: &str) -> PathBuf {
        self.root
            .join(kind.dir_name())
            .join(format!("{change}.sql"))
    }

    /// Every change's deploy script, in plan order: what replaying the
    /// migrations runs.
    pub fn deploy_scripts(&self) -> Vec<(String, PathBuf)> {
        self.plan
            .changes()
            .map(|c| {
                (
                    c.name.clone(),
                    self.script_path(ScriptKind::Deploy, &c.name),
                )
            })
            .collect()
    }

    /// Plans `new` and writes its scripts, atomically: either the three
    /// scripts, the plan entry and the sum lines all land, or the directory
    /// is left as it was, also when the process is killed part-way (the
    /// next gen to take the lock finishes the change).
    ///
    /// Never overwrites: a change of that name in the plan, or any of its
    /// script paths already taken, is [`MigrationError::ChangeExists`].
    pub fn add_change(&mut self, new: NewChange) -> Result<&PlanChange, MigrationError> {
        let name = new.name.clone();
        self.add_changes(vec![new])?;
        match self.plan.entries.last() {
            Some(crate::Entry::Change(c)) if c.name == name => Ok(c),
            // add_changes appends the change last.
            _ => unreachable!("the change was just appended"),
        }
    }

    /// Adds several changes, in order, as one write: their scripts, plan
    /// entries and sum lines become visible together or not at all. Each
    /// may require the ones before it.
    pub fn add_changes(&mut self, news: Vec<NewChange>) -> Result<(), MigrationError> {
        let _lock = self.lock_for_write()?;
        let plan_path = self.root.join(PLAN_FILE);
        let on_disk = fs::read_to_string(&plan_path)
            .map_err(|e| MigrationError::io("read", &plan_path, e))?;
        if on_disk != self.plan_text {
            return Err(MigrationError::PlanChanged { path: plan_path });
        }
        // The sum grows by the new lines only: re-hashing existing scripts
        // here would quietly bless an edit that check_sum should report.
        let sum_path = self.root.join(SUM_FILE);
        let old_sum = read_optional(&sum_path)?;
        let mut sum_lines = match &old_sum {
            Some(bytes) => {
                let text = String::from_utf8_lossy(bytes);
                let sum = SumFile::parse(&text, &sum_path)?;
                if !sum.total_ok {
                    return Err(MigrationError::SumOutOfDate { path: sum_path });
                }
                sum.lines
            }
            None => Vec::new(),
        };
        let mut plan = self.plan.clone();
        let mut files: Vec<JournalFile> = Vec::new();
        for new in &news {
            validate_name("change", &new.name)?;
            if plan.changes().any(|c| c.name == new.name) {
                return Err(MigrationError::ChangeExists {
                    name: new.name.clone(),
                    path: None,
                });
            }
            let scripts = [
                (ScriptKind::Deploy, new.deploy.as_str()),
                (ScriptKind::Revert, new.revert.as_str()),
                (ScriptKind::Verify, new.verify.as_str()),
            ];
            for (kind, text) in scripts {
                let path = self.script_path(kind, &new.name);
                // symlink_metadata: a dangling link or a directory squatting
                // on the name counts as taken too.
                if fs::symlink_metadata(&path).is_ok() {
                    return Err(MigrationError::ChangeExists {
                        name: new.name.clone(),
                        path: Some(path),
                    });
                }
                sum_lines.push(SumLine {
                    hash: sha256_hex(text.as_bytes()),
                    path: kind.relative_path(&new.name),
                });
                files.push(JournalFile {
                    rel: kind.relative_path(&new.name),
                    before: None,
                    bytes: text.as_bytes().to_vec(),
                });
            }
            let dependencies = resolve_requires(&plan, &new.name, &new.requires)?;
            plan.push_change(PlanChange::new(
                new.name.clone(),
                dependencies,
                new.planner.clone(),
                new.note.trim(),
            ));
        }
        let plan_text = plan.render();
        files.push(JournalFile {
            rel: PLAN_FILE.to_owned(),
            before: Some(self.plan_text.as_bytes().to_vec()),
            bytes: plan_text.as_bytes().to_vec(),
        });
        files.push(JournalFile {
            rel: SUM_FILE.to_owned(),
            before: old_sum,
            bytes: SumFile::render(&sum_lines).into_bytes(),
        });
        let names: Vec<&str> = news.iter().map(|n| n.name.as_str()).collect();
        let journal = Journal {
            change: names.join(", "),
            files,
        };
        journal::commit(&self.root, &journal).map_err(|e| match e {
            MigrationError::Io {
                action: "create",
                source,
                path,
            } if source.kind() == io::ErrorKind::AlreadyExists => MigrationError::ChangeExists {
                name: names.join(", "),
                path: Some(path),
            },
            e => e,
        })?;
        self.plan = plan;
        self.plan_text = plan_text;
        Ok(())
    }

    /// Tags a change in `sqitch.plan` (the last one when `change` is
    /// `None`), as `sqitch tag` does: the tag line goes right after the
    /// change and the tags already on it. The plan is replaced atomically;
    /// the sum file does not cover the plan, so it stays as it is.
    pub fn add_tag(
        &mut self,
        name: &str,
        note: &str,
        planner: Signature,
        change: Option<&str>,
    ) -> Result<&Tag, MigrationError> {
        let name = name.strip_prefix('@').unwrap_or(name);
        validate_name("tag", name)?;
        let _lock = self.lock_for_write()?;
        if self.plan.tags().any(|t| t.name == name) {
            return Err(MigrationError::TagExists {
                name: name.to_owned(),
            });
        }
        let index = match change {
            Some(c) => self
                .plan
                .changes()
                .position(|x| x.name == c)
                .ok_or_else(|| MigrationError::UnknownTarget {
                    target: c.to_owned(),
                })?,
            None => self
                .plan
                .changes()
                .count()
                .checked_sub(1)
                .ok_or(MigrationError::NothingToTag)?,
        };
        let plan_path = self.root.join(PLAN_FILE);
        let on_disk = fs::read_to_string(&plan_path)
            .map_err(|e| MigrationError::io("read", &plan_path, e))?;
        if on_disk != self.plan_text {
            return Err(MigrationError::PlanChanged { path: plan_path });
        }
        // The entry after the change and the tags already on it.
        let mut seen = 0;
        let mut at = self.plan.entries.len();
        for (i, entry) in self.plan.entries.iter().enumerate() {
            if let crate::Entry::Change(_) = entry {
                if seen == index + 1 {
                    at = i;
                    break;
                }
                seen += 1;
            }
        }
        while at > 0 && matches!(self.plan.entries[at - 1], crate::Entry::Blank(_)) {
            at -= 1;
        }
        let mut plan = self.plan.clone();
        plan.entries
            .insert(at, crate::Entry::Tag(Tag::new(name, planner, note.trim())));
        let plan_text = plan.render();
        write_replace(&plan_path, plan_text.as_bytes())?;
        self.plan = plan;
        self.plan_text = plan_text;
        match &self.plan.entries[at] {
            crate::Entry::Tag(t) => Ok(t),
            _ => unreachable!("the tag was just inserted"),
        }
    }

    /// Compares `gen.sum` with the plan and the script files.
    pub fn check_sum(&self) -> Result<Vec<SumProblem>, MigrationError> {
        let sum_path = self.root.join(SUM_FILE);
        let Some(bytes) = read_optional(&sum_path)? else {
            return Ok(vec![SumProblem::NoSumFile]);
        };
        let text = String::from_utf8_lossy(&bytes);
        let sum = SumFile::parse(&text, &sum_path)?;
        let mut problems = Vec::new();
        if !sum.total_ok {
            problems.push(SumProblem::TotalMismatch);
        }
        let listed: std::collections::BTreeMap<&str, &str> = sum
            .lines
            .iter()
            .map(|l| (l.path.as_str(), l.hash.as_str()))
            .collect();
        let mut planned = BTreeSet::new();
        for change in self.plan.changes() {
            let paths: Vec<(ScriptKind, String)> = ScriptKind::ALL
                .iter()
                .map(|&k| (k, k.relative_path(&change.name)))
                .collect();
            planned.extend(paths.iter().map(|(_, p)| p.clone()));
            if !paths.iter().any(|(_, p)| listed.contains_key(p.as_str())) {
                problems.push(SumProblem::Unlisted {
                    change: change.name.clone(),
                });
                continue;
            }
            for (kind, rel) in &paths {
                let file = self.script_path(*kind, &change.name);
                let contents = read_optional(&file)?;
                match (listed.get(rel.as_str()), contents) {
                    (Some(hash), Some(bytes)) => {
                        if sha256_hex(&bytes) != *hash {
                            problems.push(SumProblem::Edited { path: rel.into() });
                        }
                    }
                    (Some(_), None) => problems.push(SumProblem::Missing { path: rel.into() }),
                    (None, Some(_)) => problems.push(SumProblem::Added { path: rel.into() }),
                    (None, None) => {}
                }
            }
        }
        for path in listed.keys() {
            if !planned.contains(*path) {
                problems.push(SumProblem::Unplanned {
                    path: (*path).into(),
                });
            }
        }
        for rel in self.script_files()? {
            if !planned.contains(&rel) && !listed.contains_key(rel.as_str()) {
                problems.push(SumProblem::Added { path: rel.into() });
            }
        }
        Ok(problems)
    }

    /// Rewrites `gen.sum` from the scripts as they are now: the step after a
    /// reviewed edit or after resolving a merge of two branches' changes.
    pub fn rehash(&self) -> Result<(), MigrationError> {
        let _lock = self.lock_for_write()?;
        let mut lines = Vec::new();
        for change in self.plan.changes() {
            for kind in ScriptKind::ALL {
                let path = self.script_path(kind, &change.name);
                match read_optional(&path)? {
                    Some(bytes) => lines.push(SumLine {
                        hash: sha256_hex(&bytes),
                        path: kind.relative_path(&change.name),
                    }),
                    None if kind == ScriptKind::Deploy => {
                        return Err(MigrationError::MissingScript {
                            change: change.name.clone(),
                            path,
                        });
                    }
                    // Sqitch runs without revert or verify scripts; so does the sum.
                    None => {}
                }
            }
        }
        let sum_path = self.root.join(SUM_FILE);
        write_replace(&sum_path, SumFile::render(&lines).as_bytes())
    }

    /// Every file under deploy/, revert/ and verify/ as `kind/…/name.sql`,
    /// sorted; dot files (editor and temp files) are not scripts.
    fn script_files(&self) -> Result<Vec<String>, MigrationError> {
        let mut out = Vec::new();
        for kind in ScriptKind::ALL {
            walk(&self.root.join(kind.dir_name()), kind.dir_name(), &mut out)?;
        }
        out.sort();
        Ok(out)
    }
}

/// The dependencies `requires` names for change `name`, each a change or
/// tag of `plan` already (Sqitch's `_check_dependencies`).
fn resolve_requires(
    plan: &SqitchPlan,
    name: &str,
    requires: &[String],
) -> Result<Vec<Dependency>, MigrationError> {
    let mut deps: Vec<Dependency> = Vec::new();
    for spec in requires {
        let dep = Dependency::parse(spec.trim())
            .ok_or_else(|| MigrationError::InvalidDependency { spec: spec.clone() })?;
        if deps.contains(&dep) {
            continue;
        }
        // Sqitch's `_check_dependencies`: a requirement in this project
        // must already be planned; conflicts may name anything.
        if !dep.conflicts && dep.is_local_to(&plan.project) && !is_planned(plan, &dep) {
            return Err(MigrationError::UnknownRequirement {
                change: name.to_owned(),
                required: dep.key_name(),
            });
        }
        deps.push(dep);
    }
    Ok(deps)
}

/// Whether `dep` names a change (or a change before a tag) of `plan`.
fn is_planned(plan: &SqitchPlan, dep: &Dependency) -> bool {
    let change_pos = |n: &str| {
        plan.entries
            .iter()
            .position(|e| matches!(e, crate::Entry::Change(c) if c.name == n))
    };
    let tag_pos = |n: &str| {
        plan.entries
            .iter()
            .position(|e| matches!(e, crate::Entry::Tag(t) if t.name == n))
    };
    match (&dep.change, &dep.tag) {
        (Some(c), Some(t)) => {
            matches!((change_pos(c), tag_pos(t)), (Some(c), Some(t)) if c < t)
        }
        (Some(c), None) => change_pos(c).is_some(),
        (None, Some(t)) => tag_pos(t).is_some(),
        (None, None) => false,
    }
}

fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) -> Result<(), MigrationError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        // git does not keep empty directories, so a fresh clone may lack them.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(MigrationError::io("read directory", dir, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| MigrationError::io("read directory", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let file_type = entry
            .file_type()
            .map_err(|e| MigrationError::io("inspect", &path, e))?;
        let child = format!("{rel}/{name}");
        if file_type.is_dir() {
            walk(&path, &child, out)?;
        } else {
            out.push(child);
        }
    }
    Ok(())
}

#[cfg(test)]
thread_local! {
    /// The `add_change` step that unit tests make fail.
    static FAIL_AT: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// Lets unit tests fail `add_change` before any step, including those no file
/// system trick can break for root (replacing the plan or the sum file).
pub(crate) fn failpoint(step: &str) -> Result<(), MigrationError> {
    #[cfg(test)]
    if FAIL_AT.with(|f| f.get()) == Some(step) {
        return Err(MigrationError::io(
            "write",
            step,
            io::Error::other("injected failure"),
        ));
    }
    let _ = step;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![root.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                if path.is_dir() {
                    files.push((format!("{rel}/"), Vec::new()));
                    stack.push(path);
                } else {
                    files.push((rel, fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    }

    #[test]
    fn a_failure_at_any_step_restores_the_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("migrations");
        let mut dir = MigrationDir::init(&root, "demo").unwrap();
        let planner = Signature::new("J", "j@x", "2026-11-21T12:00:00Z".parse().unwrap()).unwrap();
        let new = |name: &str| NewChange {
            name: name.into(),
            note: String::new(),
            requires: vec![],
            deploy: "SELECT 1;\n".into(),
            revert: "SELECT 2;\n".into(),
            verify: "SELECT 3;\n".into(),
            planner: planner.clone(),
        };
        dir.add_change(new("first")).unwrap();
        let before = snapshot(&root);
        for step in [
            "deploy/nested/second.sql",
            "revert/nested/second.sql",
            "verify/nested/second.sql",
            "sqitch.plan",
            "gen.sum",
            "journal",
        ] {
            FAIL_AT.with(|f| f.set(Some(step)));
            let err = dir.add_change(new("nested/second")).unwrap_err();
            FAIL_AT.with(|f| f.set(None));
            assert!(err.to_string().contains(step), "{step}: {err}");
            assert_eq!(
                snapshot(&root),
                before,
                "failing at {step} left changes behind"
            );
            assert_eq!(dir.plan().changes().count(), 1);
        }
        dir.add_change(new("nested/second")).unwrap();
        assert_eq!(dir.check_sum().unwrap(), vec![]);
    }

    #[test]
    fn tags_go_after_their_change_and_are_never_duplicated() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("migrations");
        let mut dir = MigrationDir::init(&root, "demo").unwrap();
        let planner = Signature::new("J", "j@x", "2026-11-21T12:00:00Z".parse().unwrap()).unwrap();
        assert!(matches!(
            dir.add_tag("v0", "", planner.clone(), None),
            Err(MigrationError::NothingToTag)
        ));
        for name in ["first", "second"] {
            dir.add_change(NewChange {
                name: name.into(),
                note: String::new(),
                requires: vec![],
                deploy: "SELECT 1;\n".into(),
                revert: "SELECT 2;\n".into(),
                verify: "SELECT 3;\n".into(),
                planner: planner.clone(),
            })
            .unwrap();
        }
        let sum = fs::read(root.join(SUM_FILE)).unwrap();
        dir.add_tag("@v1", "One.", planner.clone(), Some("first"))
            .unwrap();
        dir.add_tag("v2", "", planner.clone(), None).unwrap();
        dir.add_tag("v1.1", "", planner.clone(), Some("first"))
            .unwrap();
        let text = fs::read_to_string(root.join(PLAN_FILE)).unwrap();
        let lines: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("first"))
            .collect();
        assert_eq!(
            lines,
            [
                "first 2026-11-21T12:00:00Z J <j@x>",
                "@v1 2026-11-21T12:00:00Z J <j@x> # One.",
                "@v1.1 2026-11-21T12:00:00Z J <j@x>",
                "second 2026-11-21T12:00:00Z J <j@x>",
                "@v2 2026-11-21T12:00:00Z J <j@x>",
            ]
        );
        // Read back by a fresh open, and the sum file untouched.
        assert_eq!(
            MigrationDir::open(&root).unwrap().plan().entries,
            dir.plan().entries
        );
        assert_eq!(fs::read(root.join(SUM_FILE)).unwrap(), sum);
        assert!(matches!(
            dir.add_tag("v2", "", planner.clone(), None),
            Err(MigrationError::TagExists { .. })
        ));
        assert!(matches!(
            dir.add_tag("v3", "", planner.clone(), Some("nope")),
            Err(MigrationError::UnknownTarget { .. })
        ));
        assert!(dir.add_tag("bad tag", "", planner, None).is_err());
    }
}
