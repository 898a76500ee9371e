//! The migration directory gen writes, in Sqitch's layout so the real `sqitch`
//! deploys, verifies and reverts it:
//!
//! ```text
//! migrations/
//!   sqitch.conf     [core] engine = pg, plan_file, top_dir
//!   sqitch.plan     %syntax-version, %project, then one line per change and tag
//!   deploy/<change>.sql
//!   revert/<change>.sql
//!   verify/<change>.sql
//!   gen.sum         sha256 of every script, then a total that conflicts on parallel appends
//! ```
//!
//! [`MigrationDir`] is the entry point: [`MigrationDir::init`],
//! [`MigrationDir::open`], [`MigrationDir::open_locked`] (one writer at a
//! time), [`MigrationDir::add_change`] (atomic even when killed, never
//! overwrites), [`MigrationDir::check_sum`] and [`MigrationDir::rehash`].
//! [`SqitchPlan`] parses and writes `sqitch.plan` with Sqitch's grammar, and
//! [`change_id`] computes the ids Sqitch records in its registry.

#![warn(missing_docs)]

mod dir;
mod error;
mod grammar;
mod id;
mod journal;
mod plan;
mod registry;
mod signature;
mod sum;

pub use dir::{CONFIG_FILE, MigrationDir, NewChange, PLAN_FILE, SQITCH_CONF, ScriptKind};
pub use error::MigrationError;
pub use id::{canonical_uri, change_id, script_hash, tag_id};
pub use journal::{DirLock, JOURNAL};
pub use plan::{
    Dependency, Entry, Operator, PlanChange, SYNTAX_VERSION, SqitchPlan, Tag, validate_name,
};
pub use registry::{
    Committer, DeployedChange, LOCK_KEY, PlannedChange, REGISTRY_RELEASE, REGISTRY_SCHEMA,
    Registry, check_deployed, find_target, planned_changes, record_deployed,
};
pub use signature::{ParseTimestampError, Signature, Timestamp};
pub use sum::{SUM_FILE, SumProblem};
