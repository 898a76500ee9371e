//! Command-line interface. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gen_plan::HazardKind;

use gen_load::rename::Rename;

/// Declarative PostgreSQL schemas in, ordered and reversible Sqitch migrations out.
#[derive(Debug, Parser)]
#[command(name = "gen", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub global: Global,
}

/// Options every command understands.
#[derive(Debug, Args)]
pub struct Global {
    /// The project's settings file; by default `gen.toml` in the current
    /// directory or the nearest parent that has one.
    #[arg(long, global = true, env = "GEN_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Where the throwaway Postgres comes from: `local` (server binaries on
    /// this machine, the default), `docker`, or `url` (with --dev-url).
    #[arg(long, global = true, env = "GEN_SANDBOX", value_name = "BACKEND")]
    pub sandbox: Option<SandboxKind>,

    /// The PostgreSQL major the project plans for (14 to 18): the sandbox
    /// runs that major (local binaries of it, or `postgres:<major>` for
    /// Docker), a `--dev-url` server must be it, and targets of another
    /// major are warned about. Also `[sandbox] version` in gen.toml.
    #[arg(long, global = true, env = "GEN_PG_VERSION", value_name = "MAJOR")]
    pub pg_version: Option<u32>,

    /// Directory with the PostgreSQL server binaries (`initdb`, `postgres`)
    /// for the local sandbox.
    #[arg(long, global = true, env = "GEN_PG_BIN", value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,

    /// An existing server to create scratch databases on, instead of a
    /// local throwaway cluster. Implies `--sandbox url`.
    #[arg(long, global = true, env = "GEN_DEV_URL", value_name = "URL")]
    pub dev_url: Option<String>,

    /// Docker image for `--sandbox docker` (default `postgres:<version>`,
    /// `postgres:15` without a version).
    #[arg(long, global = true, env = "GEN_DOCKER_IMAGE", value_name = "IMAGE")]
    pub docker_image: Option<String>,

    /// Seconds the local sandbox's server stays up without a run, for the
    /// next run to reuse (default 600; also `[sandbox] idle` in gen.toml).
    /// 0: a throwaway cluster per run, stopped at its end.
    #[arg(long, global = true, env = "GEN_SANDBOX_IDLE", value_name = "SECONDS")]
    pub sandbox_idle: Option<u64>,

    /// Seconds one statement of a schema file or replayed migration may
    /// run in the sandbox before it is cancelled (default 60; also
    /// `[sandbox] statement_timeout`).
    #[arg(
        long,
        global = true,
        env = "GEN_STATEMENT_TIMEOUT",
        value_name = "SECONDS"
    )]
    pub statement_timeout: Option<u64>,

    /// Compare and plan owners (`ALTER … OWNER TO`). Off by default: who
    /// owns a new object depends on who runs the migration. Also
    /// `[plan] owners = true` in gen.toml.
    #[arg(long, global = true, env = "GEN_OWNERS")]
    pub owners: bool,

    /// Make warnings about the input errors: a data statement (`INSERT`,
    /// `COPY`, `setval`…) in a schema file stops the run instead of being
    /// named and left out. Also `[load] strict = true` in gen.toml.
    #[arg(long, global = true, env = "GEN_STRICT")]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SandboxKind {
    Local,
    Docker,
    Url,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create gen.toml, schema/ and a Sqitch migrations/ directory here.
    Init(InitArgs),
    /// Write the migration that takes the database from the last change to
    /// what the schema files say.
    Add(AddArgs),
    /// Print the plan between two schema sources.
    Diff(DiffArgs),
    /// Fail when the schema files and the migrations disagree, or a
    /// committed migration script was edited.
    Check(CheckArgs),
    /// Rewrite migrations/gen.sum from the scripts as they are now, after a
    /// deliberate edit or after merging two branches that both added changes.
    Rehash,
    /// Deploy the pending changes to a database, each in its own
    /// transaction, recording them in sqitch's registry.
    Deploy(DeployArgs),
    /// Revert deployed changes, newest first.
    Revert(RevertArgs),
    /// Run the verify scripts of the deployed changes; exit 1 if any fails.
    Verify(VerifyArgs),
    /// What a database has deployed and what is pending; with --require,
    /// whether it has at least a given change (exit 0) or not (exit 1).
    Status(StatusArgs),
    /// Tag the last change (or --change) in sqitch.plan, as `sqitch tag` does.
    Tag(TagArgs),
    /// Show or stop the local sandbox's warm server.
    #[command(subcommand)]
    Sandbox(SandboxCommand),
}

#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// List this user's warm servers and whether they run.
    Status,
    /// Stop this user's warm servers, once runs in progress have finished.
    Stop,
    /// Run a warm server until it has been idle long enough (started by gen
    /// itself, detached).
    #[command(hide = true)]
    Watch {
        #[arg(num_args = 2, value_name = "DIR")]
        args: Vec<std::ffi::OsString>,
    },
}

#[derive(Debug, Args)]
pub struct DbArg {
    /// The target database: a postgres:// URL or a key=value string. The
    /// password is never printed.
    #[arg(long, value_name = "URL", env = "GEN_DB", hide_env_values = true)]
    pub db: String,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    #[command(flatten)]
    pub db: DbArg,

    /// Deploy up to and including this change (`name`, `@tag` or
    /// `name@tag`); default: every change.
    #[arg(long, value_name = "CHANGE")]
    pub to: Option<String>,

    /// Run each change's verify script right after its deploy; a failing
    /// verify undoes the change.
    #[arg(long)]
    pub verify: bool,

    /// Write a plain pg_dump of the database to FILE before the first
    /// change (only when there is something to deploy).
    #[arg(long, value_name = "FILE")]
    pub backup: Option<PathBuf>,

    /// Print what would be deployed; change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Record the changes as deployed without running their scripts, for a
    /// database that already has them.
    #[arg(long, conflicts_with_all = ["verify", "backup"])]
    pub log_only: bool,
}

#[derive(Debug, Args)]
pub struct RevertArgs {
    #[command(flatten)]
    pub db: DbArg,

    /// Revert the changes after this one (`name`, `@tag` or `name@tag`),
    /// keeping it; default: every change.
    #[arg(long, value_name = "CHANGE")]
    pub to: Option<String>,

    /// Do not ask for confirmation (needed when stdin is not a terminal).
    #[arg(short = 'y', long = "yes")]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub db: DbArg,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub db: DbArg,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Exit 0 when the database has this change (`name`, `@tag` or
    /// `name@tag`) deployed, 1 when not, 2 on trouble.
    #[arg(long, value_name = "CHANGE")]
    pub require: Option<String>,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// The tag, e.g. `@v1.2` (the `@` is optional).
    pub name: String,

    /// A note for the plan entry.
    #[arg(short = 'n', long = "note", default_value = "")]
    pub note: String,

    /// The change to tag; default: the last one.
    #[arg(long, value_name = "CHANGE")]
    pub change: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Project name written to sqitch.plan (default: the directory's name).
    #[arg(long)]
    pub project: Option<String>,

    /// Adopt an existing database: write schema/ with one file per object,
    /// a first change that creates it all, and record that change as
    /// deployed there. The database is only read until everything else has
    /// been written. The URL is never printed.
    #[arg(long, value_name = "URL")]
    pub from_db: Option<String>,

    /// Name of the first change, with --from-db.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "baseline",
        requires = "from_db"
    )]
    pub change: String,

    /// Note for the first change's plan entry, with --from-db.
    #[arg(
        short = 'n',
        long = "note",
        default_value = "the schema as it was when gen was adopted",
        requires = "from_db"
    )]
    pub note: String,

    /// Leave objects gen does not model out of the schema files (repeatable),
    /// written to gen.toml's `[ignore] objects`: "KIND NAME" as gen's errors
    /// name them, * matches anything. With --from-db.
    #[arg(long = "ignore", value_name = "PATTERN", requires = "from_db")]
    pub ignore: Vec<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Name of the change (Sqitch's rules: no spaces, no leading punctuation).
    pub name: String,

    /// A note for the plan entry.
    #[arg(short = 'n', long = "note", default_value = "")]
    pub note: String,

    /// Write empty scripts, for a hand-written data change.
    #[arg(long)]
    pub empty: bool,

    /// Expand and contract: write NAME_expand (everything that adds or
    /// alters, keeping what the schema drops), NAME_data (empty, for the
    /// data step) and NAME_contract (the drops), each requiring the one
    /// before.
    #[arg(long, conflicts_with = "empty")]
    pub split: bool,

    /// Accept steps with this hazard (repeatable): a plan that deletes data
    /// is refused without `--allow-hazard deletes-data`.
    #[arg(long = "allow-hazard", value_name = "HAZARD", value_parser = parse_hazard)]
    pub allow_hazard: Vec<HazardKind>,

    /// Rename instead of drop and create, keeping the data (repeatable):
    /// `table:public.customers=clients`, `column:public.users.mail=email`,
    /// `enum-value:public.status.canceled=cancelled`,
    /// `function:public.total(integer)=order_total`; kinds: schema, table,
    /// column, view, materialized-view, index, constraint, sequence, type,
    /// domain, enum-value, function.
    #[arg(long = "rename", value_name = "KIND:OLD=NEW", value_parser = gen_load::rename::parse)]
    pub rename: Vec<Rename>,

    /// Online mode: indexes CONCURRENTLY, constraints NOT VALID then
    /// VALIDATE, SET NOT NULL through a check, a lock timeout; the scripts
    /// then run in several transactions (also `[plan] online` in gen.toml).
    #[arg(long)]
    pub online: bool,
}

/// A hazard name as the command line gives it.
fn parse_hazard(name: &str) -> Result<HazardKind, String> {
    HazardKind::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = HazardKind::ALL.iter().map(|k| k.name()).collect();
        format!("unknown hazard; one of: {}", names.join(", "))
    })
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The starting point: a schema directory or .sql file, a migrations
    /// directory (replayed), or a postgres:// URL (read directly).
    /// Default: the project's migrations.
    #[arg(long, value_name = "SRC")]
    pub from: Option<String>,

    /// The goal, same forms as --from. Default: the project's schema files.
    #[arg(long, value_name = "SRC")]
    pub to: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    pub format: Format,

    /// Accept steps with this hazard (repeatable); without it a plan that
    /// deletes data is printed and then refused with exit 1.
    #[arg(long = "allow-hazard", value_name = "HAZARD", value_parser = parse_hazard)]
    pub allow_hazard: Vec<HazardKind>,

    /// Exit 1 when there are differences, like `git diff --exit-code`.
    #[arg(long)]
    pub exit_code: bool,

    /// Rename instead of drop and create, as `gen add --rename` does.
    #[arg(long = "rename", value_name = "KIND:OLD=NEW", value_parser = gen_load::rename::parse)]
    pub rename: Vec<Rename>,

    /// Plan in online mode, as `gen add --online` would.
    #[arg(long)]
    pub online: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format for what differs.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Check a live database for drift instead of the migrations: it is
    /// read, never changed. The URL is never printed.
    #[arg(long, value_name = "URL", env = "GEN_CHECK_DB", hide_env_values = true)]
    pub db: Option<String>,

    /// What the database (--db) should match: the schema files, or the
    /// migrations up to what its sqitch registry says it has deployed.
    #[arg(long, value_enum, default_value_t = Against::Schema, requires = "db")]
    pub against: Against,

    /// Read both sides again even when a snapshot of exactly these inputs
    /// is cached.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Against {
    /// The schema files.
    Schema,
    /// The migrations the database has deployed.
    Deployed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The plan's SQL, hazards as comments.
    Sql,
    /// Steps, objects, hazards and the revert as JSON.
    Json,
    /// A summary for a pull request: hazards first, then the changes by
    /// object with their SQL, then the revert.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Readable report.
    Text,
    /// Machine-readable report.
    Json,
}
