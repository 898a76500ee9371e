//! From schema sources to catalogs: parse first, then one sandbox for both
//! sides, loaded concurrently, then introspection.

use gen_timing::Stage;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use gen_catalog::Ignore;
use gen_migrations::MigrationDir;
use gen_model::Catalog;
use gen_sandbox::{Backend, Database, Sandbox};
use gen_source::{RunAs, Session, Source, Statement};
use tokio_postgres::Client;

use crate::error::{
    UserError, script_error, script_statement_error, source_error, stopped_error, timeout_error,
};
use crate::rename::{self, Rename};
use crate::runner::{self, Loaded, Route, Runner, Stopped};

/// Where one side of a comparison comes from.
#[derive(Debug, Clone)]
pub enum Src {
    /// Schema files: a directory read recursively, or one `.sql` file.
    Schema(PathBuf),
    /// A Sqitch migrations directory, replayed in plan order.
    Migrations(PathBuf),
    /// A live database, read directly.
    Url(String),
    /// The first `changes` changes of a migrations directory: what a
    /// database's registry says it has deployed.
    Deployed {
        /// The migrations directory.
        migrations: PathBuf,
        /// How many changes, in plan order.
        changes: usize,
    },
}

impl Src {
    /// Reads a `--from`/`--to` argument.
    pub fn parse(arg: &str) -> Src {
        if arg.starts_with("postgres://") || arg.starts_with("postgresql://") {
            return Src::Url(arg.to_owned());
        }
        let path = PathBuf::from(arg);
        if path.join(gen_migrations::PLAN_FILE).is_file() {
            Src::Migrations(path)
        } else {
            Src::Schema(path)
        }
    }

    /// The source as messages name it; never a connection string, which
    /// may hold a password.
    pub fn describe(&self) -> String {
        match self {
            Src::Schema(p) | Src::Migrations(p) => p.display().to_string(),
            Src::Url(_) => "the database".to_owned(),
            Src::Deployed {
                migrations,
                changes,
            } => format!(
                "{} (the {changes} deployed change(s))",
                migrations.display()
            ),
        }
    }

    /// Whether reading it takes a scratch database.
    fn needs_sandbox(&self) -> bool {
        !matches!(self, Src::Url(_))
    }

    fn label(&self) -> &'static str {
        match self {
            Src::Schema(_) => "schema",
            Src::Migrations(_) | Src::Deployed { .. } => "migrations",
            Src::Url(_) => "url",
        }
    }
}

/// A side parsed and ready to load: everything that can fail without a
/// database has been checked.
enum Prepared {
    Schema(Source),
    /// Deploy scripts, and the `[load]` settings they replay with.
    Migrations(Vec<Script>, Vec<(String, String)>),
    Url(String),
}

/// A deploy script to replay.
struct Script {
    path: PathBuf,
    text: String,
    statements: Vec<Statement>,
}

fn prepare(src: &Src, options: &gen_source::Options) -> anyhow::Result<Prepared> {
    Ok(match src {
        Src::Schema(path) => {
            if !path.exists() {
                return Err(UserError::new(format!(
                    "schema path {} does not exist",
                    path.display()
                ))
                .hint("create it and put CREATE statements in .sql files, or run `gen init`")
                .into());
            }
            let source = gen_source::load_with(path, options).map_err(source_error)?;
            for ignored in &source.ignored {
                eprintln!(
                    "warning: {}: data statement ignored: {}",
                    ignored.location, ignored.summary
                );
            }
            Prepared::Schema(source)
        }
        Src::Migrations(path) => {
            Prepared::Migrations(read_migrations(path)?, options.settings.clone())
        }
        Src::Deployed {
            migrations,
            changes,
        } => {
            let mut scripts = read_migrations(migrations)?;
            scripts.truncate(*changes);
            Prepared::Migrations(scripts, options.settings.clone())
        }
        Src::Url(url) => Prepared::Url(url.clone()),
    })
}

/// The changes of `dir`'s project that the database behind `client` has
/// deployed, by sqitch's registry; they must be the plan's first changes.
pub async fn deployed_changes(client: &Client, dir: &MigrationDir) -> anyhow::Result<usize> {
    let project = &dir.plan().project;
    let deployed = gen_migrations::Registry::new(client)
        .deployed(project)
        .await?;
    Ok(gen_migrations::check_deployed(dir.plan(), &deployed)?)
}

/// Opens a migrations directory and reads its deploy scripts in plan order.
pub fn open_migrations(path: &Path) -> anyhow::Result<MigrationDir> {
    require_plan(path)?;
    Ok(MigrationDir::open(path)?)
}

/// [`open_migrations`] for a command that writes the directory: it holds
/// the directory's lock from before it reads the plan until it is done, so
/// a second such command waits, then reads what the first wrote.
pub fn open_migrations_locked(path: &Path) -> anyhow::Result<MigrationDir> {
    require_plan(path)?;
    Ok(MigrationDir::open_locked(path, || {
        eprintln!("waiting for another gen writing to {}", path.display());
    })?)
}

/// A user's error, saying how to make one, where `path` holds no plan.
fn require_plan(path: &Path) -> anyhow::Result<()> {
    if path.join(gen_migrations::PLAN_FILE).is_file() {
        return Ok(());
    }
    Err(UserError::new(format!(
        "no migrations directory at {} (no {} there)",
        path.display(),
        gen_migrations::PLAN_FILE
    ))
    .hint("run `gen init` to create one")
    .into())
}

fn read_migrations(path: &Path) -> anyhow::Result<Vec<Script>> {
    let dir = open_migrations(path)?;
    dir.deploy_scripts()
        .into_iter()
        .map(|(_, script)| {
            let text = std::fs::read_to_string(&script)
                .with_context(|| format!("reading {}", script.display()))?;
            let statements = gen_timing::time(Stage::Parse, || gen_source::split(&script, &text))
                .map_err(source_error)?;
            Ok(Script {
                path: script,
                text,
                statements,
            })
        })
        .collect()
}

impl Prepared {
    /// This side's statements, in the order they load (none for a live
    /// database).
    fn statements(&self) -> Vec<&Statement> {
        match self {
            Prepared::Schema(s) => s.statements.iter().collect(),
            Prepared::Migrations(scripts, _) => {
                scripts.iter().flat_map(|s| s.statements.iter()).collect()
            }
            Prepared::Url(_) => Vec::new(),
        }
    }

    /// The roles this side's statements create, with their definitions.
    fn role_definitions(&self) -> BTreeMap<String, String> {
        gen_source::role_definitions(self.statements())
    }

    /// Custom settings the statements set (see
    /// [`gen_source::custom_settings`]).
    fn custom_settings(&self) -> BTreeSet<String> {
        gen_source::custom_settings(self.statements())
    }

    /// The roles the statements mention or create; schema files' also
    /// those `[sandbox] roles` names (see [`gen_source::Source::roles`]).
    fn roles(&self) -> BTreeSet<String> {
        match self {
            Prepared::Schema(s) => s.roles.clone(),
            Prepared::Migrations(..) | Prepared::Url(_) => gen_source::roles(self.statements()),
        }
    }
}

/// Reads the catalogs of two sources with one sandbox, both sides at once.
/// Owners are compared only with `owners`: otherwise they are left out,
/// since they depend on who runs the migration.
pub async fn catalogs(
    backend: &Backend,
    ignore: &Ignore,
    from: &Src,
    to: &Src,
    owners: bool,
    load: &gen_source::Options,
) -> anyhow::Result<(Catalog, Catalog)> {
    let (old, new, _) = catalogs_and_roles(backend, ignore, from, to, &[], owners, load).await?;
    Ok((old, new))
}

/// The roles the statements of each side create, which no catalog holds
/// (roles are cluster-wide).
#[derive(Debug, Default)]
pub struct CreatedRoles {
    /// The roles the `from` side's statements create.
    pub before: BTreeSet<String>,
    /// The roles the `to` side's statements create, each with a `CREATE
    /// ROLE` that makes it (see [`gen_source::role_definitions`]).
    pub after: BTreeMap<String, String>,
}

impl CreatedRoles {
    /// The roles a change with this plan must create, as `(name, CREATE
    /// ROLE …)`: those it mentions (grantees, owners, policy roles) that
    /// the `to` side creates and the `from` side does not.
    pub fn needed_by(&self, plan: &gen_plan::Plan) -> anyhow::Result<Vec<(String, String)>> {
        let mut mentioned = BTreeSet::new();
        for step in &plan.steps {
            let statements =
                gen_source::split(Path::new("plan"), &step.sql).map_err(source_error)?;
            mentioned.extend(gen_source::roles(&statements));
        }
        Ok(self
            .after
            .iter()
            .filter(|(role, _)| mentioned.contains(*role) && !self.before.contains(*role))
            .map(|(role, sql)| (role.clone(), sql.clone()))
            .collect())
    }
}

/// [`catalogs`], with `renames` applied to the `from` side before it is
/// read (in a transaction rolled back afterwards when `from` is a live
/// database), and the roles each side's statements create.
pub async fn catalogs_and_roles(
    backend: &Backend,
    ignore: &Ignore,
    from: &Src,
    to: &Src,
    renames: &[Rename],
    owners: bool,
    load: &gen_source::Options,
) -> anyhow::Result<(Catalog, Catalog, CreatedRoles)> {
    // The files are parsed on another thread while the server is reached:
    // both take a few milliseconds, and neither needs the other.
    let parse = {
        let (from, to, load) = (from.clone(), to.clone(), load.clone());
        async move {
            tokio::task::spawn_blocking(move || {
                anyhow::Ok((prepare(&from, &load)?, prepare(&to, &load)?))
            })
            .await
            .context("parsing the sources")?
        }
    };
    let start = async {
        if from.needs_sandbox() || to.needs_sandbox() {
            let mut sandbox =
                crate::progress::step("starting the sandbox", Sandbox::start(backend)).await?;
            if let Some(limit) = load.statement_timeout {
                sandbox.set_statement_timeout(limit);
            }
            anyhow::Ok(Some(sandbox))
        } else {
            Ok(None)
        }
    };
    let ((a, b), sandbox) = tokio::try_join!(parse, start)?;
    let created = CreatedRoles {
        before: a.role_definitions().into_keys().collect(),
        after: b.role_definitions(),
    };
    if let Some(sandbox) = &sandbox {
        let made: BTreeSet<String> = created
            .before
            .iter()
            .chain(created.after.keys())
            .cloned()
            .collect();
        let mentioned: Vec<String> = a
            .roles()
            .union(&b.roles())
            .chain(&load.roles)
            .filter(|r| !made.contains(*r))
            .cloned()
            .collect();
        let made: Vec<String> = made.into_iter().collect();
        sandbox.create_roles(&mentioned).await?;
        sandbox.create_statement_roles(&made).await?;
        let settings: Vec<String> = a
            .custom_settings()
            .union(&b.custom_settings())
            .cloned()
            .collect();
        sandbox.allow_settings(&settings).await?;
        let tablespaces: Vec<String> = gen_source::tablespaces(a.statements())
            .union(&gen_source::tablespaces(b.statements()))
            .cloned()
            .collect();
        sandbox.create_tablespaces(&tablespaces).await?;
    }
    if let (None, Some(sandbox)) = (backend.version(), &sandbox) {
        eprintln!(
            "note: planned with PostgreSQL {}, the server found first; set [sandbox] version in gen.toml to the major production runs",
            sandbox.server_version()
        );
    }
    // A live database is held against the project's major, else against
    // the sandbox's when one runs: the plan is made on one, run on the other.
    let expected =
        crate::target::Expected::project_or_sandbox(backend, sandbox.as_ref(), load.strict);
    let result = async {
        let ((mut old, old_client), (mut new, new_client)) = tokio::try_join!(
            side(sandbox.as_ref(), a, from.label(), ignore, renames, expected),
            side(sandbox.as_ref(), b, to.label(), ignore, &[], expected)
        )?;
        // Round trips run in a scratch database, never in a live one.
        match (old_client, new_client) {
            (_, Some(client)) => gen_catalog::reconcile(&client, &old, &mut new).await,
            (Some(client), None) => gen_catalog::reconcile(&client, &new, &mut old).await,
            (None, None) => {}
        }
        anyhow::Ok((old, new))
    }
    .await;
    // Stop the server whatever happened; a load error outranks a cleanup error.
    let stopped = match sandbox {
        Some(sandbox) => sandbox.shutdown().await,
        None => Ok(()),
    };
    let (old, new) = result?;
    stopped?;
    if owners {
        Ok((old, new, created))
    } else {
        Ok((old.without_owners(), new.without_owners(), created))
    }
}

/// The schema sqitch keeps its registry in (its `registry` setting's default).
const SQITCH_REGISTRY: &str = gen_migrations::REGISTRY_SCHEMA;

/// Reads one side; returns the connection too when it is a scratch database.
/// The side's statements are dropped once they are loaded, before its
/// catalog is read: the two are the run's largest structures.
async fn side(
    sandbox: Option<&Sandbox>,
    prepared: Prepared,
    label: &str,
    ignore: &Ignore,
    renames: &[Rename],
    expected: crate::target::Expected,
) -> anyhow::Result<(Catalog, Option<Client>)> {
    let (_db, loaded) = match prepared {
        Prepared::Url(url) => {
            let client = gen_sandbox::connect_url(&url).await?;
            crate::target::check(
                &client,
                &format!("the database at {}", gen_sandbox::redact(&url)),
                expected,
            )
            .await?;
            if !renames.is_empty() {
                // A live database is only ever read: renames happen in a
                // transaction that is rolled back.
                client.batch_execute("BEGIN").await?;
                rename::apply(&client, renames).await?;
            }
            let catalog = crate::progress::step(
                &format!("reading the catalog of {}", gen_sandbox::redact(&url)),
                gen_timing::time_async(
                    Stage::Introspect,
                    Box::pin(gen_catalog::introspect_with(&client, ignore)),
                ),
            )
            .await;
            if !renames.is_empty() {
                client.batch_execute("ROLLBACK").await?;
            }
            let mut catalog = catalog?;
            // A deployed database holds sqitch's registry, which is not the
            // application's schema.
            catalog.remove_schema(SQITCH_REGISTRY);
            return Ok((catalog, None));
        }
        Prepared::Schema(source) => {
            let sandbox = sandbox.expect("a sandbox is started for schema files");
            crate::progress::step(
                &format!("loading the schema files ({label})"),
                gen_timing::time_async(
                    Stage::Load,
                    Box::pin(load_schema(sandbox, label, &source, None)),
                ),
            )
            .await?
        }
        Prepared::Migrations(scripts, settings) => {
            let sandbox = sandbox.expect("a sandbox is started for migrations");
            let settings = &settings;
            let db = sandbox.create_database(label).await?;
            let limit = sandbox.statement_timeout();
            let base = Session::default();
            let mut runner = connect_with_defaults(&db, settings, limit, &base).await?;
            crate::progress::step(
                &format!("replaying the migrations ({label})"),
                gen_timing::time_async(Stage::Load, Box::pin(replay(&mut runner, &scripts, limit))),
            )
            .await?;
            let loaded =
                runner
                    .finish(db.name(), |_| true)
                    .await
                    .map_err(|(statement, e)| match (statement, e) {
                        (Some(statement), Stopped::Error(e)) => {
                            script_statement_error(statement, &e)
                        }
                        (_, e) => anyhow::anyhow!("finishing the replay: {e:?}"),
                    })?;
            (db, loaded)
        }
    };
    // Renames run as the loading role; the catalog is read as the superuser
    // where there is one (see `Loaded`).
    rename::apply(&loaded.client, renames).await?;
    let catalog = crate::progress::step(
        &format!("reading the catalog ({label})"),
        gen_timing::time_async(
            Stage::Introspect,
            Box::pin(async {
                let mut catalog = gen_catalog::introspect_with(loaded.reader(), ignore).await?;
                runner::as_loaded(loaded.reader(), &mut catalog).await;
                Ok::<_, gen_catalog::CatalogError>(catalog)
            }),
        ),
    )
    .await?;
    Ok((catalog, Some(loaded.client)))
}

/// Loads schema files into a new database. Everything goes in one batch,
/// which is fast; if the batch fails, a fresh database takes the statements
/// one at a time, which both pinpoints the failing statement and lets
/// schemas load that only work statement by statement (a new enum value
/// used right after `ALTER TYPE … ADD VALUE`).
///
/// Each statement runs with its file's session settings, as psql would run
/// it: before a statement whose settings differ from the previous one's,
/// the connection is brought to them. A setting this server does not know
/// (`transaction_timeout` in a dump from a newer major) is left out with a
/// warning naming where it is set, as psql reports it and goes on.
///
/// In a sealed sandbox the files run as [`gen_sandbox::LOADER`], the few
/// statements that need a superuser alone as one (see [`crate::runner`]).
/// Returns the database's connections (see [`Loaded`]).
pub async fn load_schema(
    sandbox: &Sandbox,
    label: &str,
    source: &Source,
    setup: Option<&str>,
) -> anyhow::Result<(Database, Loaded)> {
    let limit = sandbox.statement_timeout();
    let base = Session::default();
    let tablespaces: Vec<String> = gen_source::tablespaces(&source.statements)
        .into_iter()
        .collect();
    sandbox.create_tablespaces(&tablespaces).await?;
    let (db, runner) = fresh_database(sandbox, label, setup, &source.settings, &base).await?;
    let known = known_settings(runner.user(), &source.statements).await?;
    let is_known = |name: &str| known.is_known(name);
    if let Ok(runner) = run_batched(runner, &source.statements, &base, &is_known).await
        && let Ok(loaded) = runner.finish(db.name(), is_known).await
    {
        return Ok((db, loaded));
    }
    sandbox.drop_database(&db).await?;

    let (db, mut runner) = fresh_database(sandbox, label, setup, &source.settings, &base).await?;
    for statement in &source.statements {
        let sql = runnable(statement, runner.is_sealed());
        let ran = match runner.route(statement) {
            Route::Skipped => continue,
            Route::Deferred => {
                runner.defer(statement);
                continue;
            }
            Route::Superuser => runner.run_superuser(statement, &sql, is_known).await,
            Route::User => runner.run_user_statement(statement, &sql, is_known).await,
        };
        ran.map_err(|e| stopped_error(source, statement, e, limit, db.is_sealed()))?;
    }
    let loaded =
        runner
            .finish(db.name(), is_known)
            .await
            .map_err(|(statement, e)| match statement {
                Some(statement) => stopped_error(source, statement, e, limit, db.is_sealed()),
                None => anyhow::anyhow!("finishing the load: {e:?}"),
            })?;
    Ok((db, loaded))
}

/// The settings a server knows, to tell which `SET`s in the files it would
/// refuse. Custom settings (`app.tenant`) are always accepted.
struct KnownSettings {
    names: BTreeSet<String>,
    version: String,
}

impl KnownSettings {
    /// `name` comes lowercased from the parser; `pg_settings` spells some
    /// in mixed case (`TimeZone`), and `SET ROLE` sets one it does not list.
    fn is_known(&self, name: &str) -> bool {
        name.contains('.') || name == "role" || self.names.contains(name)
    }
}

/// The settings the server knows, read only when the files set any (most
/// do not, and the query is a round trip on every load); and a warning for
/// each `SET` of one it does not know.
async fn known_settings(
    client: &Client,
    statements: &[Statement],
) -> anyhow::Result<KnownSettings> {
    let mut sessions: Vec<&Session> = Vec::new();
    for statement in statements {
        let session = statement.session().as_ref();
        if sessions
            .last()
            .is_none_or(|last| !std::ptr::eq(*last, session))
            && session.settings().next().is_some()
        {
            sessions.push(session);
        }
    }
    if sessions.is_empty() {
        return Ok(KnownSettings {
            names: BTreeSet::new(),
            version: String::new(),
        });
    }
    let rows = client
        .query(
            "SELECT name, current_setting('server_version') FROM pg_catalog.pg_settings",
            &[],
        )
        .await
        .context("reading the server's settings")?;
    let known = KnownSettings {
        version: rows
            .first()
            .map(|r| r.get::<_, String>(1))
            .unwrap_or_default(),
        names: rows
            .iter()
            .map(|r| r.get::<_, String>(0).to_ascii_lowercase())
            .collect(),
    };
    let mut warned = BTreeSet::new();
    for (name, _, location) in sessions.iter().flat_map(|s| s.settings()) {
        if !known.is_known(name) && warned.insert(location.clone()) {
            eprintln!(
                "warning: {location}: setting ignored: unrecognized configuration parameter \"{name}\" (PostgreSQL {})",
                known.version
            );
        }
    }
    Ok(known)
}

/// A new scratch database, ready for schema statements: the project's
/// `[load]` settings are its defaults and `setup` (SQL that both sides
/// share, trusted) has run.
async fn fresh_database<'s>(
    sandbox: &Sandbox,
    label: &str,
    setup: Option<&str>,
    settings: &[(String, String)],
    base: &'s Session,
) -> anyhow::Result<(Database, Runner<'s>)> {
    let db = sandbox.create_database(label).await?;
    let runner = connect_with_defaults(&db, settings, sandbox.statement_timeout(), base).await?;
    if let Some(setup) = setup {
        runner
            .user()
            .batch_execute(setup)
            .await
            .context("running setup SQL")?;
    }
    Ok((db, runner))
}

/// Connects to a scratch database whose defaults are `settings` (the
/// `[load]` section): set as the database's own, so that every session
/// starts with them and `RESET` returns to them, as with `PGOPTIONS`.
async fn connect_with_defaults<'s>(
    db: &Database,
    settings: &[(String, String)],
    limit: Duration,
    base: &'s Session,
) -> anyhow::Result<Runner<'s>> {
    if !settings.is_empty() {
        let mut sql = String::new();
        for (name, value) in settings {
            // set_config reads the value as postgresql.conf does (a list
            // for search_path); the database keeps what the session then
            // has.
            sql.push_str(&format!(
                "SELECT pg_catalog.set_config({}, {}, false);\nALTER DATABASE {} SET {} FROM CURRENT;\n",
                gen_model::Literal(name),
                gen_model::Literal(value),
                gen_model::Ident(db.name()),
                setting_identifier(name),
            ));
        }
        let client = db.connect().await?;
        client.batch_execute(&sql).await.map_err(|e| {
            let message = e
                .as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_owned());
            UserError::new(format!("{}: [load]: {message}", "gen.toml")).hint(
                "[load] takes session settings this server knows, written as in postgresql.conf",
            )
        })?;
    }
    Runner::open(db, limit, base).await
}

/// A setting's name as `ALTER DATABASE … SET` takes it: each dotted part an
/// identifier.
fn setting_identifier(name: &str) -> String {
    name.split('.')
        .map(|part| gen_model::Ident(part).to_string())
        .collect::<Vec<_>>()
        .join(".")
}

/// A statement as the loader sends it. Roles are cluster-wide: one that an
/// earlier run, the other side of this run (at the same moment: then the
/// catalog's unique index says so) or a pre-created mention already made
/// is not an error, so `CREATE ROLE` runs as "create unless it exists"
/// (gen reads no role attributes, so an existing role serves).
fn runnable(statement: &Statement, sealed: bool) -> std::borrow::Cow<'_, str> {
    // A schema file may read a secret as a migration does, from a psql
    // variable (and `gen init` writes them so).
    if let std::borrow::Cow::Owned(sql) = crate::secrets::stand_in(&statement.sql) {
        return std::borrow::Cow::Owned(sql);
    }
    // Roles are the sealed sandbox's: a `DO` block's own role statements
    // are left out as top-level ones are (positions in it hold).
    if sealed && let Some(sql) = statement.without_role_statements() {
        return std::borrow::Cow::Owned(sql);
    }
    if statement.creates_role().is_some() {
        std::borrow::Cow::Owned(format!(
            "DO $gen_role$ BEGIN {}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $gen_role$",
            statement.sql
        ))
    } else {
        std::borrow::Cow::Borrowed(&statement.sql)
    }
}

/// Statements per batch. One batch runs as one implicit transaction; past a
/// few hundred statements the server spends more on the locks a long
/// transaction holds than it saves in round trips (measured with
/// scripts/bench.py: one 1000-table transaction took 8.1 s of server CPU,
/// batches of 200 took 6.2 s), and a huge one can run the lock table out.
const BATCH: usize = 200;

/// Runs statements in few round trips, in batches of [`BATCH`]; statements
/// that must run outside a transaction block, or as the superuser, go
/// alone. Settings change between statements as their files set them.
async fn run_batched<'s>(
    mut runner: Runner<'s>,
    statements: &'s [Statement],
    base: &'s Session,
    known: &impl Fn(&str) -> bool,
) -> Result<Runner<'s>, Stopped> {
    let mut batch = String::new();
    let mut pending = 0;
    let mut session = base;
    for statement in statements {
        match runner.route(statement) {
            Route::Skipped => continue,
            Route::Deferred => {
                runner.defer(statement);
                continue;
            }
            Route::Superuser => {
                if !batch.is_empty() {
                    runner.run_user(&batch).await?;
                    batch.clear();
                    pending = 0;
                }
                runner
                    .run_superuser(statement, &runnable(statement, true), known)
                    .await?;
                continue;
            }
            Route::User => {}
        }
        runner::settings_into(&mut batch, &mut session, statement, known);
        if statement.must_run_outside_transaction() {
            if !batch.is_empty() {
                runner.run_user(&batch).await?;
                batch.clear();
                pending = 0;
            }
            runner
                .run_user(&runnable(statement, runner.is_sealed()))
                .await?;
        } else {
            batch.push_str(&runnable(statement, runner.is_sealed()));
            batch.push_str(";\n");
            pending += 1;
            if pending == BATCH {
                runner.run_user(&batch).await?;
                batch.clear();
                pending = 0;
            }
        }
    }
    if !batch.is_empty() {
        runner.run_user(&batch).await?;
    }
    Ok(runner)
}

/// Replays deploy scripts in plan order, each as written. In a sealed
/// sandbox a script holding a statement that does not run as the loading
/// role goes statement by statement outside a transaction block (the
/// superuser's connection cannot see what an open transaction on the
/// other has made), session settings on both connections.
async fn replay<'s>(
    runner: &mut Runner<'s>,
    scripts: &'s [Script],
    limit: Duration,
) -> anyhow::Result<()> {
    for script in scripts {
        if let Some((statement, why)) = script.statements.iter().find_map(|s| match s.run_as() {
            RunAs::Refused(why) => Some((s, why)),
            _ => None,
        }) {
            return Err(UserError::new(format!(
                "{}: refused: {}",
                statement.location, why
            ))
            .excerpt(statement.excerpt(None))
            .hint("the migrations must replay in a sandbox: move what needs the server itself out of them")
            .into());
        }
        let routed = script
            .statements
            .iter()
            .any(|s| !matches!(runner.route(s), Route::User));
        if routed || !gen_source::runs_as_one_transaction(&script.statements) {
            // One query would be one implicit transaction, which
            // CREATE INDEX CONCURRENTLY refuses: statement by statement, as
            // psql runs it.
            for statement in &script.statements {
                if routed && statement.transaction_boundary().is_some() {
                    continue;
                }
                let sql = crate::secrets::stand_in(&statement.sql);
                let ran = match runner.route(statement) {
                    Route::Skipped => continue,
                    Route::Deferred => {
                        runner.defer(statement);
                        continue;
                    }
                    Route::Superuser => runner.run_superuser(statement, &sql, |_| true).await,
                    Route::User if statement.is_setting() => runner.run_both(&sql).await,
                    Route::User => runner.run_user(&sql).await,
                };
                match ran {
                    Ok(()) => {}
                    Err(Stopped::Refused(why)) => {
                        return Err(UserError::new(format!(
                            "{}: refused: {why}",
                            statement.location
                        ))
                        .excerpt(statement.excerpt(None))
                        .into());
                    }
                    Err(Stopped::Error(e)) => return Err(script_statement_error(statement, &e)),
                    Err(Stopped::Timeout) => {
                        return Err(timeout_error(
                            &statement.location,
                            statement.excerpt(None),
                            limit,
                        ));
                    }
                }
            }
        } else {
            match runner
                .run_user(&crate::secrets::stand_in(&script.text))
                .await
            {
                Ok(()) => {}
                Err(Stopped::Refused(why)) => return Err(anyhow::anyhow!("refused: {why}")),
                Err(Stopped::Error(e)) => return Err(script_error(&script.path, &script.text, &e)),
                Err(Stopped::Timeout) => {
                    return Err(UserError::new(format!(
                        "replaying {}: a statement ran past the statement timeout ({} s) and was cancelled",
                        script.path.display(),
                        limit.as_secs()
                    ))
                    .hint("raise [sandbox] statement_timeout in gen.toml (or --statement-timeout) if the migration must be slow")
                    .into());
                }
            }
        }
    }
    Ok(())
}
