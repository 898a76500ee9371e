//! The commands. Each returns the process exit code on success: 0 when
//! nothing was found, 1 when something was (differences, drift).

use std::path::Path;

use anyhow::Context as _;
use gen_migrations::{MigrationDir, NewChange, Signature};
use serde_json::json;

use crate::cache;
use crate::cli::{
    AddArgs, Against, CheckArgs, CheckFormat, DiffArgs, Format, InitArgs, SandboxCommand,
};
use crate::config::{CONFIG_FILE, Config};
use crate::error::UserError;
use crate::report;
use gen_load::rename;
use gen_load::{self as load, Src};
use gen_plan::script::{self as scripts, ChangeScripts};

pub fn init(global: &crate::cli::Global, args: &InitArgs) -> anyhow::Result<i32> {
    if Path::new(CONFIG_FILE).exists() {
        return Err(UserError::new(format!("{CONFIG_FILE} already exists here"))
            .hint("this directory is already a gen project")
            .into());
    }
    let project = project_name(args)?;
    let migrations = Path::new("migrations");
    MigrationDir::init(migrations, &project)?;
    std::fs::create_dir_all("schema").context("creating schema/")?;
    // git keeps no empty directory: a clone of a new project would lack
    // schema/, which gen then reports as missing.
    write_new(
        Path::new("schema/README.md"),
        "CREATE statements for every object, written as if from scratch, in\n\
         `*.sql` files in any order and subdirectories: `gen add <name>` plans\n\
         the change from `migrations/` to what these files create.\n",
    )?;
    // The major to plan for: the one asked for, else this machine's server.
    let version = global
        .pg_version
        .or_else(|| gen_sandbox::local_major(global.pg_bin.as_deref()));
    write_new(Path::new(CONFIG_FILE), &config_text(&[], version))?;
    eprintln!("initialised project {project}: {CONFIG_FILE}, schema/, migrations/");
    match version {
        Some(v) => eprintln!(
            "planning for PostgreSQL {v} ([sandbox] version in {CONFIG_FILE}; set it to the major production runs)"
        ),
        None => eprintln!(
            "no PostgreSQL server found here: set [sandbox] version in {CONFIG_FILE} to the major production runs"
        ),
    }
    eprintln!("next: write CREATE statements in schema/*.sql, then run `gen add <name>`");
    Ok(0)
}

/// The project name: `--project`, else the current directory's name made
/// into a valid Sqitch name.
pub(crate) fn project_name(args: &InitArgs) -> anyhow::Result<String> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let project = match &args.project {
        Some(p) => p.clone(),
        None => cwd
            .file_name()
            .and_then(|n| n.to_str())
            .map(|n| {
                n.replace(
                    |c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-',
                    "_",
                )
            })
            .unwrap_or_else(|| "app".to_owned()),
    };
    gen_migrations::validate_name("project", &project)?;
    Ok(project)
}

/// A new project's gen.toml; `ignore` patterns go to `[ignore] objects`,
/// `version` is the PostgreSQL major the project plans for.
pub(crate) fn config_text(ignore: &[String], version: Option<u32>) -> String {
    let version = match version {
        Some(v) => format!("version = {v}\n"),
        None => "# version = 17\n".to_owned(),
    };
    let mut text = format!(
        "# gen settings. Paths are relative to this file.\n\
         [project]\n\
         schema = \"schema\"\n\
         migrations = \"migrations\"\n\
         \n\
         [sandbox]\n\
         # The PostgreSQL major production runs (14 to 18): the sandbox runs it,\n\
         # and targets of another major are warned about.\n\
         {version}\
         # local (default): a throwaway cluster from this machine's PostgreSQL binaries.\n\
         # docker: a container; url: scratch databases on an existing server.\n\
         backend = \"local\"\n\
         # pg_bin = \"/usr/lib/postgresql/15/bin\"\n\
         # url = \"postgres://user@localhost/postgres\"\n\
         # image = \"postgres:15\"\n\
         \n\
         # How changes are planned; flags of gen add and gen diff override these.\n\
         # [plan]\n\
         # owners = false          # true: compare and plan ALTER ... OWNER TO\n\
         # allow_hazards = []      # e.g. [\"deletes-data\"]: accepted in every plan\n\
         # online = false          # true: CONCURRENTLY, NOT VALID then VALIDATE, lock_timeout\n\
         # roles = true            # false: roles the schema files create are managed elsewhere\n\
         # lock_timeout = \"5s\"     # SET at the top of deploy and revert\n\
         # statement_timeout = \"15min\"\n\
         \n\
         # Objects gen does not model, managed by hand instead: \"kind name\" as\n\
         # gen's errors name them, * matches anything.\n\
         # [ignore]\n\
         # objects = [\"operator family public.*\"]\n",
    );
    if !ignore.is_empty() {
        let patterns: Vec<String> = ignore
            .iter()
            .map(|p| toml::Value::String(p.clone()).to_string())
            .collect();
        text.push_str(&format!("[ignore]\nobjects = [{}]\n", patterns.join(", ")));
    }
    text
}

/// Creates a file that must not exist yet.
fn write_new(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(contents.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

pub async fn add(config: &Config, args: &AddArgs) -> anyhow::Result<i32> {
    // Everything that can be refused without a database is refused first.
    gen_migrations::validate_name("change", &args.name)?;
    let mut dir = load::open_migrations_locked(&config.migrations)?;
    if dir.plan().change(&args.name).is_some() {
        return Err(
            UserError::new(format!("change \"{}\" already exists", args.name))
                .hint("pick another name; gen never overwrites a change")
                .into(),
        );
    }
    let project = dir.plan().project.clone();
    let scripts = if args.empty {
        ChangeScripts::empty(&project, &args.name)
    } else {
        let (from, to) = (
            Src::Migrations(config.migrations.clone()),
            Src::Schema(config.schema.clone()),
        );
        let (old, new, created_roles) = load::catalogs_and_roles(
            &config.backend,
            &config.ignore,
            &from,
            &to,
            &args.rename,
            config.owners,
            &config.load,
        )
        .await?;
        for r in &args.rename {
            r.check(&old, &new, &from.describe(), &to.describe())?;
        }
        let settings = settings(config, args.online);
        let (plan, revert) = scripts::plans(&old, &new, &settings, &args.rename)?;
        if plan.is_empty() {
            eprintln!(
                "no changes: {} already matches {}; nothing written",
                config.migrations.display(),
                config.schema.display()
            );
            return Ok(0);
        }
        let refused = report::refused(&plan, &allowed(config, &args.allow_hazard));
        if !refused.is_empty() {
            eprintln!("{}", report::refusal(&refused));
            suggest_renames(&old, &new);
            eprintln!("nothing written");
            return Ok(1);
        }
        suggest_renames(&old, &new);
        let roles = if config.roles {
            created_roles.needed_by(&plan)?
        } else {
            Vec::new()
        };
        ChangeScripts::from_plans_with_roles(
            &project, &args.name, &args.note, &plan, &revert, &new, &settings, &roles,
        )
    };
    let change = dir.add_change(NewChange {
        name: args.name.clone(),
        note: args.note.clone(),
        requires: Vec::new(),
        deploy: scripts.deploy,
        revert: scripts.revert,
        verify: scripts.verify,
        planner: Signature::from_env()?,
    })?;
    let name = change.name.clone();
    for kind in [
        gen_migrations::ScriptKind::Deploy,
        gen_migrations::ScriptKind::Revert,
        gen_migrations::ScriptKind::Verify,
    ] {
        eprintln!("wrote {}", dir.script_path(kind, &name).display());
    }
    eprintln!(
        "added {name} to {}",
        dir.root().join(gen_migrations::PLAN_FILE).display()
    );
    Ok(0)
}

pub async fn diff(config: &Config, args: &DiffArgs) -> anyhow::Result<i32> {
    let from = args
        .from
        .as_deref()
        .map_or_else(|| Src::Migrations(config.migrations.clone()), Src::parse);
    let to = args
        .to
        .as_deref()
        .map_or_else(|| Src::Schema(config.schema.clone()), Src::parse);
    let (old, new) = load::catalogs_renamed(
        &config.backend,
        &config.ignore,
        &from,
        &to,
        &args.rename,
        config.owners,
        &config.load,
    )
    .await?;
    for r in &args.rename {
        r.check(&old, &new, &from.describe(), &to.describe())?;
    }
    let (plan, revert) = scripts::plans(&old, &new, &settings(config, args.online), &args.rename)?;
    match args.format {
        Format::Sql => {
            let hazards = scripts::hazard_comments(&plan);
            if !hazards.is_empty() {
                print!("{}", hazards.trim_start_matches("--\n"));
                println!();
            }
            print!("{}", plan.sql());
        }
        Format::Json => {
            let doc = report::json(&plan, &revert, &old, &new);
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        Format::Markdown => print!("{}", report::markdown(&plan, &revert, &old, &new)),
    }
    if plan.is_empty() {
        eprintln!("no differences");
    }
    suggest_renames(&old, &new);
    let refused = report::refused(&plan, &allowed(config, &args.allow_hazard));
    if !refused.is_empty() {
        eprintln!("{}", report::refusal(&refused));
        return Ok(1);
    }
    Ok(if args.exit_code && !plan.is_empty() {
        1
    } else {
        0
    })
}

/// Prints the `--rename` flags that would keep data a plan drops.
fn suggest_renames(old: &gen_model::Catalog, new: &gen_model::Catalog) {
    let flags = rename::suggestions(old, new);
    if !flags.is_empty() {
        eprintln!(
            "hint: a drop and a create of the same shape may be a rename; to keep the data, pass:"
        );
        for f in flags {
            eprintln!("  {f}");
        }
    }
}

/// Script settings from gen.toml, with `--online` switching online mode on.
fn settings(config: &Config, online: bool) -> scripts::Settings {
    let mut settings = config.scripts.clone();
    settings.online |= online;
    settings
}

/// Hazards allowed by flags and by gen.toml together.
fn allowed(config: &Config, flags: &[gen_plan::HazardKind]) -> Vec<gen_plan::HazardKind> {
    config.allow_hazards.iter().chain(flags).copied().collect()
}

pub async fn check(config: &Config, args: &CheckArgs) -> anyhow::Result<i32> {
    let (from, to, problems) = match (&args.db, args.against) {
        (None, _) => {
            let dir = load::open_migrations(&config.migrations)?;
            (
                Src::Migrations(config.migrations.clone()),
                Src::Schema(config.schema.clone()),
                dir.check_sum()?,
            )
        }
        (Some(url), Against::Schema) => (
            Src::Url(url.clone()),
            Src::Schema(config.schema.clone()),
            Vec::new(),
        ),
        (Some(url), Against::Deployed) => {
            let dir = load::open_migrations(&config.migrations)?;
            let client = gen_sandbox::connect_url(url).await?;
            let changes = load::deployed_changes(&client, &dir).await?;
            drop(client);
            (
                Src::Url(url.clone()),
                Src::Deployed {
                    migrations: config.migrations.clone(),
                    changes,
                },
                dir.check_sum()?,
            )
        }
    };
    // Only the repository's own check is cached: a live database changes
    // without its files changing.
    let key = match (&args.db, args.no_cache) {
        (None, false) => cache::key(config)?,
        _ => None,
    };
    let cached = key.as_deref().and_then(cache::load);
    let hit = cached.is_some();
    let (old, new) = match cached {
        Some(snapshot) => (snapshot.old, snapshot.new),
        None => {
            let (old, new) = load::catalogs(
                &config.backend,
                &config.ignore,
                &from,
                &to,
                config.owners,
                &config.load,
            )
            .await?;
            if let Some(key) = &key {
                let snapshot = cache::Snapshot { old, new };
                cache::store(key, &snapshot);
                (snapshot.old, snapshot.new)
            } else {
                (old, new)
            }
        }
    };
    let (from, to) = (from.describe(), to.describe());
    let plan = gen_plan::plan(&old, &new)?;
    let ok = problems.is_empty() && plan.is_empty();
    let drift = object_diffs(&plan, &old, &new, &from, &to);
    match args.format {
        CheckFormat::Json => {
            let doc = json!({
                "ok": ok,
                "cached": hit,
                "from": from,
                "to": to,
                "integrity": problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "drift": drift.iter().map(|d| json!({
                    "object": d.object,
                    "from": d.old,
                    "to": d.new,
                    "diff": d.diff,
                })).collect::<Vec<_>>(),
                "plan": plan.steps,
            });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        CheckFormat::Text => {
            for p in &problems {
                eprintln!("integrity: {p}");
            }
            if !problems.is_empty() {
                eprintln!("hint: if the edit was deliberate, run `gen rehash`");
            }
            if !plan.is_empty() {
                eprintln!(
                    "{from} and {to} disagree about {} object(s):\n",
                    drift.len()
                );
                for d in &drift {
                    print!("{}", d.diff);
                }
                if args.db.is_none() {
                    eprintln!(
                        "\nhint: run `gen add <name>` to write a change that reconciles them"
                    );
                } else {
                    eprintln!(
                        "\nhint: the database has drifted; deploy the pending changes, or capture a hand-made change with `gen add`"
                    );
                }
            }
            if ok {
                let cached = if hit { " (cached)" } else { "" };
                eprintln!("ok: {from} matches {to}{cached}");
            }
        }
    }
    Ok(if ok { 0 } else { 1 })
}

pub fn rehash(config: &Config) -> anyhow::Result<i32> {
    let dir = load::open_migrations_locked(&config.migrations)?;
    dir.rehash()?;
    eprintln!(
        "rewrote {} from the scripts in {}",
        dir.root().join(gen_migrations::SUM_FILE).display(),
        dir.root().display()
    );
    Ok(0)
}

/// One object on which two catalogs disagree, shown as a unified diff of
/// its whole definition on each side.
struct ObjectDiff {
    object: gen_model::ObjectId,
    old: String,
    new: String,
    diff: String,
}

fn object_diffs(
    plan: &gen_plan::Plan,
    old: &gen_model::Catalog,
    new: &gen_model::Catalog,
    from: &str,
    to: &str,
) -> Vec<ObjectDiff> {
    use gen_plan::describe::{definition, top_level};
    let objects: std::collections::BTreeSet<_> = plan
        .steps
        .iter()
        .map(|s| top_level(&s.object, [old, new]))
        .collect();
    objects
        .into_iter()
        .map(|object| {
            let (before, after) = (definition(old, &object), definition(new, &object));
            let diff = similar::TextDiff::from_lines(&before, &after)
                .unified_diff()
                .context_radius(3)
                .header(&format!("{from} ({object})"), &format!("{to} ({object})"))
                .to_string();
            ObjectDiff {
                object,
                old: before,
                new: after,
                diff,
            }
        })
        .collect()
}

/// `gen sandbox status|stop` (the hidden `watch` is run from `main`).
pub fn sandbox(command: &SandboxCommand) -> anyhow::Result<i32> {
    match command {
        SandboxCommand::Status => {
            let servers = gen_sandbox::warm_status();
            if servers.iter().all(|s| s.pid.is_none()) {
                println!("no warm server running");
            }
            for server in servers.iter().filter(|s| s.pid.is_some()) {
                let pid = server.pid.unwrap_or_default();
                let left = server
                    .since_used
                    .map(|since| server.idle.saturating_sub(since).as_secs());
                match left {
                    Some(left) => println!(
                        "running: pid {pid}, {} (stops after {left}s more without a run)",
                        server.dir.display()
                    ),
                    None => println!("running: pid {pid}, {}", server.dir.display()),
                }
            }
            Ok(0)
        }
        SandboxCommand::Stop => {
            let stopped = gen_sandbox::stop_warm()?;
            if stopped.is_empty() {
                println!("no warm server running");
            }
            for (dir, pid) in stopped {
                println!("stopped: pid {pid}, {}", dir.display());
            }
            Ok(0)
        }
        SandboxCommand::Watch { .. } => Err(anyhow::anyhow!(
            "the watcher runs before the async runtime starts"
        )),
    }
}
