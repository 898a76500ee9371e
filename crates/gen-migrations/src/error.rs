//! The one error type of this crate.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong reading or writing a migration directory.
///
/// Messages are lowercase and carry no cause text of their own, so a caller can
/// print the `source()` chain after them; [`MigrationError::hint`] says what to
/// do next where there is something to do.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// A file system operation failed.
    #[error("cannot {action} {}", path.display())]
    Io {
        /// What was being done, e.g. `read` or `create directory`.
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },

    /// `sqitch.plan` does not follow Sqitch's plan grammar.
    #[error("{}:{line}: {message}", path.display())]
    PlanSyntax {
        /// The plan file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong on that line.
        message: String,
    },

    /// The plan uses a Sqitch feature gen does not handle.
    #[error("{}:{line}: {message}", path.display())]
    Unsupported {
        /// The plan file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The feature and where it is used.
        message: String,
    },

    /// A change, tag or project name breaks Sqitch's naming rules.
    #[error("invalid {kind} name \"{name}\": {reason}")]
    InvalidName {
        /// `change`, `tag` or `project`.
        kind: &'static str,
        /// The rejected name.
        name: String,
        /// Which rule it breaks.
        reason: &'static str,
    },

    /// A dependency string is not `[!][project:]change[@tag]`, `@tag` or a change id.
    #[error("\"{spec}\" is not a valid dependency specification")]
    InvalidDependency {
        /// The rejected specification.
        spec: String,
    },

    /// A new change requires a change the plan does not contain.
    #[error("change \"{change}\" requires unknown change \"{required}\"")]
    UnknownRequirement {
        /// The change being added.
        change: String,
        /// The missing requirement.
        required: String,
    },

    /// The planner's name or email cannot be written into a plan line.
    #[error("invalid planner {field} \"{value}\": {reason}")]
    InvalidPlanner {
        /// `name` or `email`.
        field: &'static str,
        /// The rejected value.
        value: String,
        /// Why it cannot be used.
        reason: &'static str,
    },

    /// A timestamp is not `YYYY-MM-DDTHH:MM:SSZ` or names no real instant.
    #[error("invalid timestamp \"{value}\" in {source_name}: expected YYYY-MM-DDTHH:MM:SSZ")]
    InvalidTimestamp {
        /// Where the value came from, e.g. `GEN_PLANNED_AT`.
        source_name: &'static str,
        /// The rejected value.
        value: String,
    },

    /// `add_change` refuses to overwrite anything.
    #[error("change \"{name}\" already exists")]
    ChangeExists {
        /// The change name.
        name: String,
        /// The file that already exists, when the clash is on disk rather than in the plan.
        path: Option<PathBuf>,
    },

    /// `init` found a plan already there.
    #[error("{} already exists", path.display())]
    AlreadyInitialized {
        /// The existing plan file.
        path: PathBuf,
    },

    /// `open` found no plan.
    #[error("{} does not exist", path.display())]
    NotInitialized {
        /// The missing plan file.
        path: PathBuf,
    },

    /// The plan file on disk changed after it was read, so writing would lose someone's edit.
    #[error("{} changed on disk since it was read", path.display())]
    PlanChanged {
        /// The plan file.
        path: PathBuf,
    },

    /// A change a killed writer left half-written cannot be finished.
    #[error("{} holds a change that was interrupted while being written, and cannot be finished: {reason}", path.display())]
    Interrupted {
        /// The journal.
        path: PathBuf,
        /// Why it cannot be finished.
        reason: String,
    },

    /// A planned change has no deploy script to hash.
    #[error("deploy script {} of change \"{change}\" is missing", path.display())]
    MissingScript {
        /// The change.
        change: String,
        /// The missing script.
        path: PathBuf,
    },

    /// `gen.sum`'s total does not match its lines: it was edited by hand or a
    /// merge was resolved without rehashing. Appending to it would hide that.
    #[error("{} does not match its total line", path.display())]
    SumOutOfDate {
        /// The sum file.
        path: PathBuf,
    },

    /// `gen.sum` is not a sum file.
    #[error("{}:{line}: {message}", path.display())]
    SumSyntax {
        /// The sum file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong on that line.
        message: String,
        /// Whether the line is a git conflict marker, which has its own hint.
        conflict: bool,
    },
    /// A statement on the target database failed.
    #[error("{action}: {message}")]
    Database {
        /// What was being done.
        action: String,
        /// The server's message (with SQLSTATE and detail) or the client's.
        message: String,
    },

    /// The registry is of a release gen does not read.
    #[error("the sqitch registry is release {found}; gen reads and writes release 1.1")]
    RegistryRelease {
        /// The release found.
        found: String,
    },

    /// The project is registered with another URI than the plan's.
    #[error(
        "project \"{project}\" is registered in the database with URI {}, but sqitch.plan says {}",
        show_uri(registered),
        show_uri(planned)
    )]
    ProjectUri {
        /// The project.
        project: String,
        /// The URI in the registry.
        registered: Option<String>,
        /// The URI in the plan.
        planned: Option<String>,
    },

    /// The plan's URI belongs to another project in the registry.
    #[error(
        "cannot register project \"{project}\" with URI {uri}: project \"{other}\" already uses that URI"
    )]
    UriTaken {
        /// The plan's project.
        project: String,
        /// The URI.
        uri: String,
        /// The project registered with it.
        other: String,
    },

    /// The registry's deployed changes are not the plan's first changes.
    #[error("the database has deployed change {change} ({id}) as number {position} of project \"{project}\", but sqitch.plan has {} there", planned.as_deref().unwrap_or("no change"))]
    RegistryDisagrees {
        /// The project.
        project: String,
        /// 1-based position of the first disagreeing change.
        position: usize,
        /// Its name in the registry.
        change: String,
        /// Its id in the registry.
        id: String,
        /// The plan's change at that position.
        planned: Option<String>,
    },

    /// A requirement resolves to no change that is planned before it or deployed.
    #[error("change \"{change}\" requires \"{required}\", which is not deployed")]
    UnresolvedRequirement {
        /// The change.
        change: String,
        /// The requirement.
        required: String,
    },

    /// A change to deploy conflicts with one that is deployed.
    #[error("change \"{change}\" conflicts with \"{conflict}\", which is deployed")]
    ConflictDeployed {
        /// The change.
        change: String,
        /// The conflicting change.
        conflict: String,
    },

    /// `add_tag` found the tag already planned.
    #[error("tag @{name} already exists in sqitch.plan")]
    TagExists {
        /// The tag name.
        name: String,
    },

    /// `add_tag` on a plan without changes.
    #[error("sqitch.plan has no change to tag")]
    NothingToTag,

    /// A `--to`/`--require` target names no change or tag in the plan.
    #[error("sqitch.plan has no change or tag \"{target}\"")]
    UnknownTarget {
        /// The target as given.
        target: String,
    },
}

fn show_uri(uri: &Option<String>) -> String {
    uri.as_deref()
        .map_or_else(|| "none".to_owned(), str::to_owned)
}

impl MigrationError {
    /// The next step for the user, where there is one.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Self::ChangeExists { .. } => Some(
                "pick another name for the change; gen never overwrites a planned change or its scripts",
            ),
            Self::InvalidName { .. } => Some(
                "use letters, digits and `_`, optionally `-`, `.` or `/` between them, e.g. `add_users` or `users/add_email`",
            ),
            Self::InvalidDependency { .. } => Some(
                "write a requirement as `change`, `change@tag`, `@tag`, `project:change` or `!change` for a conflict",
            ),
            Self::UnknownRequirement { .. } => {
                Some("a change can only require changes that are already in sqitch.plan")
            }
            Self::InvalidPlanner { .. } => Some(
                "set SQITCH_FULLNAME and SQITCH_EMAIL (or git's user.name and user.email) to values without `<`, `>` or `#`",
            ),
            Self::InvalidTimestamp { .. } => Some("e.g. GEN_PLANNED_AT=2026-11-21T12:00:00Z"),
            Self::AlreadyInitialized { .. } => {
                Some("the migration directory is already set up; add changes to it instead")
            }
            Self::NotInitialized { .. } => Some("run `gen init` to create the migration directory"),
            Self::PlanChanged { .. } => Some("run the command again so it reads the new plan"),
            Self::Interrupted { .. } => Some(
                "compare the journal with the directory, restore what should be there from version control, then remove the journal",
            ),
            Self::Unsupported { .. } => Some(
                "gen does not handle reworked changes yet; manage this plan with sqitch directly",
            ),
            Self::MissingScript { .. } => Some(
                "restore the script from version control, or remove the change from sqitch.plan",
            ),
            Self::SumSyntax { conflict: true, .. } => Some(
                "two branches both added changes: keep both entries in sqitch.plan in the order they should deploy, then run `gen rehash`",
            ),
            Self::SumSyntax { .. } => Some("run `gen rehash` to rewrite gen.sum from the scripts"),
            Self::SumOutOfDate { .. } => Some(
                "review the scripts (`gen check` lists what changed), then run `gen rehash` and add the change again",
            ),
            Self::Database { .. } => None,
            Self::ConflictDeployed { .. } => {
                Some("revert the conflicting change first, or fix the conflict in sqitch.plan")
            }
            Self::TagExists { .. } => Some("pick another tag name; tags are never moved"),
            Self::NothingToTag => Some("add a change with `gen add` first"),
            Self::RegistryRelease { .. } => Some(
                "upgrade the registry with `sqitch upgrade`, or use the gen release that matches it",
            ),
            Self::ProjectUri { .. } | Self::UriTaken { .. } => Some(
                "this database belongs to another project; check the URL, or the %uri in sqitch.plan",
            ),
            Self::RegistryDisagrees { .. } => Some(
                "the database was deployed from another version of the migrations; check out that version (`sqitch status` shows what it has)",
            ),
            Self::UnresolvedRequirement { .. } => {
                Some("deploy the required change first, or fix the requirement in sqitch.plan")
            }
            Self::UnknownTarget { .. } => Some("name a change or a tag (`@v1.2`) from sqitch.plan"),
            Self::Io { .. } | Self::PlanSyntax { .. } => None,
        }
    }

    pub(crate) fn database(action: &str, e: &tokio_postgres::Error) -> Self {
        let message = match e.as_db_error() {
            Some(db) => {
                let mut m = format!("{} (SQLSTATE {})", db.message(), db.code().code());
                if let Some(detail) = db.detail() {
                    m.push_str(&format!(": {detail}"));
                }
                m
            }
            None => e.to_string(),
        };
        Self::Database {
            action: action.to_owned(),
            message,
        }
    }

    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
