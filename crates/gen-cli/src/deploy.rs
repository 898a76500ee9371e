//! `gen deploy`, `revert`, `verify`, `status` and `tag`: running the
//! migrations against a real database, recorded in sqitch's own registry so
//! that gen and sqitch can take turns on the same database.
//!
//! Guarantees: one session advisory lock (the one sqitch takes) for the
//! whole run; each change in its own transaction together with its registry
//! rows; scripts checked against gen.sum before anything touches the
//! database; a failing change rolled back, reported at file:line:col, and
//! nothing after it attempted.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use gen_migrations::{
    Committer, MigrationDir, PlannedChange, Registry, ScriptKind, SumProblem, check_deployed,
    find_target, planned_changes,
};
use gen_source::Statement;
use serde_json::json;
use tokio_postgres::Client;

use crate::cli::{CheckFormat, DeployArgs, RevertArgs, StatusArgs, TagArgs, VerifyArgs};
use crate::config::Config;
use crate::error::UserError;
use gen_load::{open_migrations, source_error};

/// A script read and split into statements.
struct Script {
    path: PathBuf,
    statements: Vec<Statement>,
}

impl Script {
    /// Reads a script; `None` when the file does not exist.
    fn read(dir: &MigrationDir, kind: ScriptKind, change: &str) -> anyhow::Result<Option<Self>> {
        let path = dir.script_path(kind, change);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let statements = gen_source::split(&path, &text).map_err(source_error)?;
        Ok(Some(Self { path, statements }))
    }

    /// Reads a script that must exist.
    fn require(dir: &MigrationDir, kind: ScriptKind, change: &str) -> anyhow::Result<Self> {
        Self::read(dir, kind, change)?.ok_or_else(|| {
            UserError::new(format!(
                "{} script {} of change {change} is missing",
                kind.dir_name(),
                dir.script_path(kind, change).display()
            ))
            .hint("restore the script from version control")
            .into()
        })
    }

    /// Whether the script runs as one transaction (gen's own online-mode
    /// scripts and hand-written ones that manage their transactions do not).
    fn transactional(&self) -> bool {
        gen_source::runs_as_one_transaction(&self.statements)
    }
}

/// Runs a script's statements inside the caller's transaction, leaving out
/// its own BEGIN/COMMIT.
async fn run_inside(client: &Client, script: &Script) -> anyhow::Result<()> {
    for statement in &script.statements {
        if statement.transaction_boundary().is_some() {
            continue;
        }
        let sql = gen_load::secrets::from_env(&statement.sql)?;
        if let Err(e) = client.batch_execute(&sql).await {
            return Err(statement_error(statement, &e));
        }
    }
    Ok(())
}

/// Runs a script statement by statement as psql does, its own BEGIN and
/// COMMIT included; after a failure, an open transaction is rolled back.
async fn run_as_written(client: &Client, script: &Script) -> anyhow::Result<()> {
    for statement in &script.statements {
        let sql = match gen_load::secrets::from_env(&statement.sql) {
            Ok(sql) => sql,
            Err(e) => {
                let _ = client.batch_execute("ROLLBACK").await;
                return Err(e.into());
            }
        };
        if let Err(e) = client.batch_execute(&sql).await {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(statement_error(statement, &e));
        }
    }
    Ok(())
}

/// `migrations/deploy/x.sql:3:7: relation "orgs" does not exist`, with
/// the server's detail and hint.
fn statement_error(statement: &Statement, e: &tokio_postgres::Error) -> anyhow::Error {
    let Some(db) = e.as_db_error() else {
        return anyhow::anyhow!("running {}: {e}", statement.location);
    };
    let position = match db.position() {
        Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p),
        _ => None,
    };
    let mut message = format!("{}: {}", statement.location_of(position), db.message());
    if let Some(detail) = db.detail() {
        message.push_str(&format!(" ({detail})"));
    }
    let mut user = UserError::new(message).excerpt(statement.excerpt(position));
    if let Some(hint) = db.hint() {
        user = user.hint(hint);
    }
    user.into()
}

/// Runs `body` holding the deploy lock, saying so when another deployer
/// has it first, and releases the lock whatever `body` returns (its error
/// outranks one releasing the lock).
async fn under_lock(
    registry: &Registry<'_>,
    body: impl Future<Output = anyhow::Result<i32>>,
) -> anyhow::Result<i32> {
    if !registry.try_lock().await? {
        eprintln!("waiting for another deployer (gen or sqitch) to finish with this database");
        registry.lock().await?;
    }
    let result = body.await;
    let unlocked = registry.unlock().await;
    let code = result?;
    unlocked?;
    Ok(code)
}

/// Connects to the target database, and warns when its major is not the
/// project's; returns the connection and the server's version.
async fn connect(config: &Config, url: &str) -> anyhow::Result<(Client, String)> {
    let client = gen_sandbox::connect_url(url).await?;
    let version = gen_load::target::check(&client, "the database", config.expected()).await?;
    Ok((client, version))
}

fn committer(config: &Config) -> anyhow::Result<Committer> {
    Ok(Committer::from_env_in(
        if config.root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &config.root
        },
    )?)
}

/// The index of a `--to`/`--require` target in the plan.
fn target_index(dir: &MigrationDir, target: &str) -> anyhow::Result<usize> {
    find_target(dir.plan(), target).ok_or_else(|| {
        gen_migrations::MigrationError::UnknownTarget {
            target: target.to_owned(),
        }
        .into()
    })
}

/// Refuses scripts that gen.sum says were edited, are missing, or were
/// never hashed, for the changes in `changes`, before the database is
/// touched.
fn check_sums(dir: &MigrationDir, changes: &[&str]) -> anyhow::Result<()> {
    let problems = dir.check_sum()?;
    let relevant = |change: &str| -> Vec<PathBuf> {
        ScriptKind::ALL
            .iter()
            .map(|k| PathBuf::from(k.relative_path(change)))
            .collect()
    };
    for problem in problems {
        let bad = match &problem {
            SumProblem::Edited { path } | SumProblem::Missing { path } => {
                changes.iter().any(|c| relevant(c).contains(path)).then(|| {
                    let what = if matches!(problem, SumProblem::Edited { .. }) {
                        "was edited after it was planned (its hash differs from gen.sum)"
                    } else {
                        "is listed in gen.sum but missing"
                    };
                    format!("{} {what}", dir.root().join(path).display())
                })
            }
            SumProblem::Unlisted { change } if changes.contains(&change.as_str()) => Some(format!(
                "the scripts of change {change} are not in {}",
                dir.root().join(gen_migrations::SUM_FILE).display()
            )),
            SumProblem::NoSumFile => Some(format!(
                "{} does not exist, so the scripts cannot be checked",
                dir.root().join(gen_migrations::SUM_FILE).display()
            )),
            _ => None,
        };
        if let Some(message) = bad {
            return Err(UserError::new(format!("refusing to deploy: {message}"))
                .hint("review the scripts (`gen check` lists what changed), then run `gen rehash` to accept them")
                .into());
        }
    }
    Ok(())
}

/// What one deploy will run for a change.
struct Pending<'d> {
    planned: &'d PlannedChange<'d>,
    deploy: Script,
    verify: Option<Script>,
    revert: Option<Script>,
}

pub async fn deploy(config: &Config, args: &DeployArgs) -> anyhow::Result<i32> {
    let dir = open_migrations(&config.migrations)?;
    let plan = dir.plan();
    let planned = planned_changes(&dir)?;
    let end = match &args.to {
        Some(t) => target_index(&dir, t)? + 1,
        None => planned.len(),
    };
    let names: Vec<&str> = planned[..end]
        .iter()
        .map(|p| p.change.name.as_str())
        .collect();
    if !args.log_only {
        check_sums(&dir, &names)?;
    }
    // Every script is read and parsed before the database is touched.
    let mut scripts = Vec::new();
    for p in &planned[..end] {
        let name = &p.change.name;
        let verify = if args.verify {
            Script::read(&dir, ScriptKind::Verify, name)?
        } else {
            None
        };
        if args.verify && verify.is_none() {
            eprintln!("warning: {name} has no verify script; it deploys unverified");
        }
        scripts.push(Pending {
            planned: p,
            deploy: Script::require(&dir, ScriptKind::Deploy, name)?,
            verify,
            revert: if args.verify {
                Script::read(&dir, ScriptKind::Revert, name)?
            } else {
                None
            },
        });
    }
    let committer = committer(config)?;
    let (client, server_version) = connect(config, &args.db.db).await?;
    let registry = Registry::new(&client);

    if args.dry_run {
        if registry.exists().await? {
            registry.check_release().await?;
            registry.check_project(plan).await?;
        }
        let deployed = check_deployed(plan, &registry.deployed(&plan.project).await?)?;
        let pending = &scripts[deployed.min(end)..];
        if pending.is_empty() {
            eprintln!("nothing to deploy: the database is up to date");
        }
        for p in pending {
            let how = if args.log_only {
                "record only"
            } else if p.deploy.transactional() {
                "one transaction"
            } else {
                "not transactional"
            };
            println!(
                "+ {} ({}, {how})",
                p.planned.change.name,
                p.deploy.path.display()
            );
        }
        return Ok(0);
    }

    under_lock(&registry, async {
        registry.ensure(&committer).await?;
        registry.register_project(plan, &committer).await?;
        let deployed = check_deployed(plan, &registry.deployed(&plan.project).await?)?;
        // Tags planned after their change was deployed, as sqitch records them.
        if let Some(last) = deployed.checked_sub(1).map(|i| &planned[i]) {
            registry
                .in_transaction(registry.log_new_tags(plan, last, &committer))
                .await?;
        }
        let pending = scripts.get(deployed..).unwrap_or_default();
        if pending.is_empty() {
            eprintln!("nothing to deploy: the database is up to date");
            return Ok(0);
        }
        registry.check_dependencies(plan, deployed, end).await?;
        if let Some(file) = &args.backup {
            let pg_dump = backup(config, &args.db.db, &server_version, file).await?;
            eprintln!("backup written to {} by {pg_dump}", file.display());
        }
        for p in pending {
            eprint!("  + {} .. ", p.planned.change.name);
            let _ = std::io::stderr().flush();
            let outcome = if args.log_only {
                registry
                    .in_transaction(registry.log_deploy(plan, p.planned, &committer))
                    .await
                    .map_err(anyhow::Error::from)
            } else {
                deploy_change(&client, &registry, &dir, p, &committer).await
            };
            // Each script starts with the session settings psql would give it.
            let _ = client.batch_execute("RESET ALL").await;
            match outcome {
                Ok(()) => eprintln!("ok"),
                Err(e) => {
                    eprintln!("not ok");
                    if !args.log_only {
                        let logged = registry
                            .in_transaction(registry.log_fail(plan, p.planned, &committer))
                            .await;
                        if let Err(log) = logged {
                            eprintln!("warning: {log}");
                        }
                    }
                    return Err(e.context(format!(
                        "deploying change {} failed; it was not recorded, and the changes after it were not attempted",
                        p.planned.change.name
                    )));
                }
            }
        }
        anyhow::Ok(0)
    })
    .await
}

/// Runs `body` between BEGIN and COMMIT, rolling back when it fails.
async fn in_transaction<T>(
    client: &Client,
    body: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    client.batch_execute("BEGIN").await?;
    match body.await {
        Ok(value) => {
            client.batch_execute("COMMIT").await?;
            Ok(value)
        }
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// Deploys one change: in one transaction with its registry rows, or, for
/// a script that cannot run in one, as written and recorded afterwards.
async fn deploy_change(
    client: &Client,
    registry: &Registry<'_>,
    dir: &MigrationDir,
    p: &Pending<'_>,
    committer: &Committer,
) -> anyhow::Result<()> {
    let plan = dir.plan();
    if p.deploy.transactional() {
        return in_transaction(client, async {
            run_inside(client, &p.deploy).await?;
            if let Some(verify) = &p.verify {
                run_inside(client, verify).await.map_err(|e| {
                    e.context(format!(
                        "verify script {} failed; the change was rolled back",
                        verify.path.display()
                    ))
                })?;
            }
            registry.log_deploy(plan, p.planned, committer).await?;
            Ok(())
        })
        .await;
    }
    run_as_written(client, &p.deploy).await.map_err(|e| {
        e.context(format!(
            "{} does not run in one transaction: what ran before the failing statement stays applied",
            p.deploy.path.display()
        ))
    })?;
    if let Some(verify) = &p.verify {
        client.batch_execute("BEGIN").await?;
        let verified = run_inside(client, verify).await;
        client.batch_execute("ROLLBACK").await?;
        if let Err(e) = verified {
            let reverted = match &p.revert {
                Some(revert) if revert.transactional() => {
                    client.batch_execute("BEGIN").await?;
                    let r = run_inside(client, revert).await;
                    let end = if r.is_ok() { "COMMIT" } else { "ROLLBACK" };
                    client.batch_execute(end).await?;
                    r
                }
                Some(revert) => run_as_written(client, revert).await,
                None => Err(anyhow::anyhow!("the change has no revert script")),
            };
            let what = match reverted {
                Ok(()) => "the change was reverted".to_owned(),
                Err(r) => format!("reverting it failed too: {r:#}"),
            };
            return Err(e.context(format!(
                "verify script {} failed; {what}",
                verify.path.display()
            )));
        }
    }
    registry
        .in_transaction(registry.log_deploy(plan, p.planned, committer))
        .await?;
    Ok(())
}

/// Writes a plain-format `pg_dump` of the database to `file`, atomically,
/// with a `pg_dump` at least as new as the server (`server_version`), as
/// pg_dump requires; returns which one, `pg_dump 17.2 (/usr/…/pg_dump)`.
async fn backup(
    config: &Config,
    url: &str,
    server_version: &str,
    file: &Path,
) -> anyhow::Result<String> {
    let pg_bin = match &config.backend {
        gen_sandbox::Backend::Local { pg_bin, .. } | gen_sandbox::Backend::Warm { pg_bin, .. } => {
            pg_bin.clone()
        }
        _ => None,
    };
    let major = gen_sandbox::major_of(server_version).unwrap_or(0);
    let (pg_dump, dump_version) =
        gen_sandbox::client_program_at_least(pg_bin.as_deref(), major, "pg_dump")?;
    let (conninfo, password) = gen_sandbox::libpq_target(url)?;
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let staged = tempfile::NamedTempFile::new_in(&parent)
        .with_context(|| format!("creating a file in {}", parent.display()))?;
    let mut cmd = tokio::process::Command::new(&pg_dump);
    cmd.arg("--format=plain")
        .arg("--file")
        .arg(staged.path())
        .arg("--dbname")
        .arg(&conninfo)
        .stdin(std::process::Stdio::null());
    if let Some(password) = password {
        cmd.env("PGPASSWORD", password);
    }
    let out = cmd
        .output()
        .await
        .with_context(|| format!("running {}", pg_dump.display()))?;
    if !out.status.success() {
        return Err(UserError::new(format!(
            "pg_dump failed, so nothing was deployed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
        .hint(
            "check that pg_dump is at least as new as the server (--pg-bin picks the installation)",
        )
        .into());
    }
    staged
        .persist(file)
        .with_context(|| format!("writing {}", file.display()))?;
    Ok(format!("pg_dump {dump_version} ({})", pg_dump.display()))
}

pub async fn revert(config: &Config, args: &RevertArgs) -> anyhow::Result<i32> {
    let dir = open_migrations(&config.migrations)?;
    let plan = dir.plan();
    let planned = planned_changes(&dir)?;
    let keep = match &args.to {
        Some(t) => target_index(&dir, t)? + 1,
        None => 0,
    };
    let committer = committer(config)?;
    let (client, _) = connect(config, &args.db.db).await?;
    let registry = Registry::new(&client);
    if registry.exists().await? {
        registry.check_release().await?;
        registry.check_project(plan).await?;
    }
    let deployed = check_deployed(plan, &registry.deployed(&plan.project).await?)?;
    if deployed <= keep {
        eprintln!("nothing to revert");
        return Ok(0);
    }
    let names: Vec<&str> = planned[keep..deployed]
        .iter()
        .map(|p| p.change.name.as_str())
        .collect();
    check_sums(&dir, &names)?;
    let mut scripts = Vec::new();
    for p in &planned[keep..deployed] {
        scripts.push((
            p,
            Script::require(&dir, ScriptKind::Revert, &p.change.name)?,
        ));
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(UserError::new(format!(
                "refusing to revert {} change(s) without confirmation",
                names.len()
            ))
            .hint("pass -y to revert without asking")
            .into());
        }
        eprint!(
            "Revert {} from the database ({})? [y/N] ",
            names.iter().rev().cloned().collect::<Vec<_>>().join(", "),
            plan.project
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            eprintln!("nothing reverted");
            return Ok(1);
        }
    }

    under_lock(&registry, async {
        // Another deployer may have moved the database on meanwhile.
        let now = check_deployed(plan, &registry.deployed(&plan.project).await?)?;
        if now != deployed {
            return Err(UserError::new(
                "the database changed while waiting for the deploy lock; nothing was reverted",
            )
            .hint("run the command again")
            .into());
        }
        for (p, script) in scripts.iter().rev() {
            eprint!("  - {} .. ", p.change.name);
            let _ = std::io::stderr().flush();
            let outcome = async {
                if script.transactional() {
                    in_transaction(&client, async {
                        run_inside(&client, script).await?;
                        registry.log_revert(plan, p, &committer).await?;
                        Ok(())
                    })
                    .await
                } else {
                    run_as_written(&client, script).await?;
                    registry
                        .in_transaction(registry.log_revert(plan, p, &committer))
                        .await?;
                    Ok(())
                }
            }
            .await;
            let _ = client.batch_execute("RESET ALL").await;
            match outcome {
                Ok(()) => eprintln!("ok"),
                Err(e) => {
                    eprintln!("not ok");
                    return Err(e.context(format!(
                        "reverting change {} failed; it is still recorded as deployed",
                        p.change.name
                    )));
                }
            }
        }
        anyhow::Ok(0)
    })
    .await
}

pub async fn verify(config: &Config, args: &VerifyArgs) -> anyhow::Result<i32> {
    let dir = open_migrations(&config.migrations)?;
    let plan = dir.plan();
    let ids = plan.change_ids();
    let (client, _) = connect(config, &args.db.db).await?;
    let registry = Registry::new(&client);
    if registry.exists().await? {
        registry.check_release().await?;
        registry.check_project(plan).await?;
    }
    let deployed = registry.deployed(&plan.project).await?;
    let mut failed = 0;
    let mut agreed = 0;
    for (i, d) in deployed.iter().enumerate() {
        let in_plan = ids
            .get(i)
            .is_some_and(|(c, id)| c.name == d.name && *id == d.id);
        if !in_plan || agreed != i {
            println!(
                "  * {} .. not ok: deployed ({}) but not at this place in sqitch.plan",
                d.name, d.id
            );
            failed += 1;
            continue;
        }
        agreed += 1;
        let Some(script) = Script::read(&dir, ScriptKind::Verify, &d.name)? else {
            println!("  * {} .. no verify script", d.name);
            continue;
        };
        client.batch_execute("BEGIN").await?;
        let r = run_inside(&client, &script).await;
        client.batch_execute("ROLLBACK").await?;
        match r {
            Ok(()) => println!("  * {} .. ok", d.name),
            Err(e) => {
                println!("  * {} .. not ok", d.name);
                crate::error::report(&e);
                failed += 1;
            }
        }
    }
    for (c, _) in ids.iter().skip(agreed.max(deployed.len())) {
        println!("  * {} .. not deployed", c.name);
    }
    if failed > 0 {
        println!("verify failed: {failed} change(s)");
        Ok(1)
    } else {
        println!("verify successful");
        Ok(0)
    }
}

pub async fn status(config: &Config, args: &StatusArgs) -> anyhow::Result<i32> {
    let dir = open_migrations(&config.migrations)?;
    let plan = dir.plan();
    let required = match &args.require {
        Some(t) => Some(target_index(&dir, t)?),
        None => None,
    };
    let (client, _) = connect(config, &args.db.db).await?;
    let registry = Registry::new(&client);
    if registry.exists().await? {
        registry.check_release().await?;
        registry.check_project(plan).await?;
    }
    let deployed = registry.deployed(&plan.project).await?;
    let count = check_deployed(plan, &deployed)?;
    let pending: Vec<&str> = plan
        .changes()
        .skip(count)
        .map(|c| c.name.as_str())
        .collect();
    match args.format {
        CheckFormat::Json => {
            let value = json!({
                "project": plan.project,
                "deployed": deployed.iter().map(|d| json!({
                    "change": d.name,
                    "id": d.id,
                    "tags": d.tags,
                    "committed_at": d.committed_at,
                    "committer": format!("{} <{}>", d.committer_name, d.committer_email),
                })).collect::<Vec<_>>(),
                "pending": pending,
                "up_to_date": pending.is_empty(),
                "require": args.require.as_ref().map(|r| json!({
                    "target": r,
                    "met": required.is_some_and(|i| i < count),
                })),
            });
            println!("{}", serde_json::to_string_pretty(&value)?);
        }
        CheckFormat::Text => {
            println!("# project: {}", plan.project);
            match deployed.last() {
                Some(d) => {
                    let tags = if d.tags.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", d.tags.join(" "))
                    };
                    println!("# change:  {}{tags} ({})", d.name, d.id);
                    println!(
                        "# deployed: {} by {} <{}>",
                        d.committed_at, d.committer_name, d.committer_email
                    );
                }
                None => println!("# no changes deployed"),
            }
            if pending.is_empty() {
                println!("up to date");
            } else {
                println!("undeployed change(s):");
                for name in &pending {
                    println!("  * {name}");
                }
            }
        }
    }
    match (required, &args.require) {
        (Some(i), Some(target)) if i >= count => {
            eprintln!(
                "the database does not have {target} deployed ({count} of {} change(s) deployed)",
                i + 1
            );
            Ok(1)
        }
        _ => Ok(0),
    }
}

pub fn tag(config: &Config, args: &TagArgs) -> anyhow::Result<i32> {
    let mut dir = gen_load::open_migrations_locked(&config.migrations)?;
    let planner = gen_migrations::Signature::from_env_in(if config.root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &config.root
    })?;
    let tag = dir
        .add_tag(&args.name, &args.note, planner, args.change.as_deref())?
        .name
        .clone();
    let change = match &args.change {
        Some(c) => c.clone(),
        None => dir
            .plan()
            .changes()
            .last()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    };
    eprintln!("tagged {change} with @{tag}");
    Ok(0)
}
