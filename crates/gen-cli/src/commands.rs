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
    let names: Vec<String> = if args.split {
        ["expand", "data", "contract"]
            .iter()
            .map(|part| format!("{}_{part}", args.name))
            .collect()
    } else {
        vec![args.name.clone()]
    };
    for name in &names {
        gen_migrations::validate_name("change", name)?;
    }
    let mut dir = load::open_migrations_locked(&config.migrations)?;
    for name in &names {
        if dir.plan().change(name).is_some() {
            return Err(UserError::new(format!("change \"{name}\" already exists"))
                .hint("pick another name; gen never overwrites a change")
                .into());
        }
    }
    let project = dir.plan().project.clone();
    if args.empty {
        let scripts = ChangeScripts::empty(&project, &args.name);
        return write_changes(&mut dir, args, vec![(args.name.as_str(), None, scripts)]);
    }
    let (from, to) = (
        Src::Migrations(config.migrations.clone()),
        Src::Schema(config.schema.clone()),
    );
    let (old, new, created_roles) = renamed_catalogs(config, &from, &to, &args.rename).await?;
    if args.split {
        return add_split(
            config,
            args,
            &mut dir,
            &project,
            [&old, &new],
            &created_roles,
        );
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
    if refused(config, args, &[&plan], &old, &new) {
        return Ok(1);
    }
    let roles = if config.roles {
        created_roles.needed_by(&plan)?
    } else {
        Vec::new()
    };
    let scripts = ChangeScripts::from_plans_with_roles(
        &project, &args.name, &args.note, &plan, &revert, &new, &settings, &roles,
    );
    write_changes(&mut dir, args, vec![(args.name.as_str(), None, scripts)])
}

/// The two sides of `gen add` and `gen diff`, with the roles the `to`
/// side's files create, and each `--rename` checked against them.
async fn renamed_catalogs(
    config: &Config,
    from: &Src,
    to: &Src,
    renames: &[rename::Rename],
) -> anyhow::Result<(gen_model::Catalog, gen_model::Catalog, load::CreatedRoles)> {
    let (old, new, created_roles) = load::catalogs_and_roles(
        &config.backend,
        &config.ignore,
        from,
        to,
        renames,
        config.owners,
        &config.load,
    )
    .await?;
    for r in renames {
        r.check(&old, &new, &from.describe(), &to.describe())?;
    }
    Ok((old, new, created_roles))
}

/// Whether `plans` hold a hazard that is not allowed: if so, each is
/// listed and nothing is written. Renames that would keep data are
/// suggested either way.
fn refused(
    config: &Config,
    args: &AddArgs,
    plans: &[&gen_plan::Plan],
    old: &gen_model::Catalog,
    new: &gen_model::Catalog,
) -> bool {
    let allowed = allowed(config, &args.allow_hazard);
    let refused: Vec<_> = plans
        .iter()
        .flat_map(|plan| report::refused(plan, &allowed))
        .collect();
    if !refused.is_empty() {
        eprintln!("{}", report::refusal(&refused));
    }
    suggest_renames(old, new);
    if !refused.is_empty() {
        eprintln!("nothing written");
    }
    !refused.is_empty()
}

/// `gen add NAME --split`: NAME_expand plans the way to the schema files
/// keeping what they drop that holds data, NAME_data is empty for the data
/// step, NAME_contract drops what was kept; each requires the one before,
/// and the three are written together.
fn add_split(
    config: &Config,
    args: &AddArgs,
    dir: &mut MigrationDir,
    project: &str,
    [old, new]: [&gen_model::Catalog; 2],
    created_roles: &load::CreatedRoles,
) -> anyhow::Result<i32> {
    let mid = gen_plan::split::expanded(old, new);
    if mid == *new {
        return Err(UserError::new(format!(
            "--split: {} drops no table, column or sequence of {}; nothing to contract",
            config.schema.display(),
            config.migrations.display()
        ))
        .hint("add the change without --split")
        .into());
    }
    let settings = settings(config, args.online);
    let (expand, expand_revert) = scripts::plans(old, &mid, &settings, &args.rename)?;
    let (contract, contract_revert) = scripts::plans(&mid, new, &settings, &[])?;
    if refused(config, args, &[&expand, &contract], old, new) {
        return Ok(1);
    }
    let roles = if config.roles {
        created_roles.needed_by(&expand)?
    } else {
        Vec::new()
    };
    let [expand_name, data_name, contract_name] =
        ["expand", "data", "contract"].map(|part| format!("{}_{part}", args.name));
    let expand_scripts = ChangeScripts::from_plans_with_roles(
        project,
        &expand_name,
        &args.note,
        &expand,
        &expand_revert,
        &mid,
        &settings,
        &roles,
    );
    let contract_scripts = ChangeScripts::from_plans(
        project,
        &contract_name,
        &args.note,
        &contract,
        &contract_revert,
        new,
        &settings,
    );
    let data_scripts = ChangeScripts::empty(project, &data_name);
    let code = write_changes(
        dir,
        args,
        vec![
            (expand_name.as_str(), None, expand_scripts),
            (data_name.as_str(), Some(expand_name.as_str()), data_scripts),
            (
                contract_name.as_str(),
                Some(data_name.as_str()),
                contract_scripts,
            ),
        ],
    )?;
    eprintln!(
        "write the data step in {}",
        dir.script_path(gen_migrations::ScriptKind::Deploy, &data_name)
            .display()
    );
    Ok(code)
}

/// Writes `changes` (name, the change it requires, scripts) as one write
/// and says what was written.
fn write_changes(
    dir: &mut MigrationDir,
    args: &AddArgs,
    changes: Vec<(&str, Option<&str>, ChangeScripts)>,
) -> anyhow::Result<i32> {
    let planner = Signature::from_env()?;
    let names: Vec<String> = changes
        .iter()
        .map(|(name, ..)| (*name).to_owned())
        .collect();
    dir.add_changes(
        changes
            .into_iter()
            .map(|(name, requires, scripts)| NewChange {
                name: name.to_owned(),
                note: args.note.clone(),
                requires: requires.into_iter().map(str::to_owned).collect(),
                deploy: scripts.deploy,
                revert: scripts.revert,
                verify: scripts.verify,
                planner: planner.clone(),
            })
            .collect(),
    )?;
    for name in &names {
        for kind in [
            gen_migrations::ScriptKind::Deploy,
            gen_migrations::ScriptKind::Revert,
            gen_migrations::ScriptKind::Verify,
        ] {
            eprintln!("wrote {}", dir.script_path(kind, name).display());
        }
    }
    eprintln!(
        "added {} to {}",
        names.join(", "),
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
    let (old, new, _) = renamed_catalogs(config, &from, &to, &args.rename).await?;
    let (plan, revert) = scripts::plans(&old, &new, &settings(config, args.online), &args.rename)?;
    let rendered = gen_timing::time(gen_timing::Stage::Render, || {
        anyhow::Ok(match args.format {
            Format::Sql => {
                let hazards = scripts::hazard_comments(&plan);
                let hazards = hazards.trim_start_matches("--\n");
                let gap = if hazards.is_empty() { "" } else { "\n" };
                format!("{hazards}{gap}{}", plan.sql())
            }
            Format::Json => {
                let doc = report::json(&plan, &revert, &old, &new);
                serde_json::to_string_pretty(&doc)? + "\n"
            }
            Format::Markdown => report::markdown(&plan, &revert, &old, &new),
        })
    })?;
    print!("{rendered}");
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
    // Inputs that matched before match now: not even the snapshot is read.
    let clean = key.as_deref().is_some_and(cache::is_clean);
    let (plan, drift, hit) = if clean {
        (gen_plan::Plan::default(), Vec::new(), true)
    } else {
        let (old, new, hit) = check_catalogs(config, key.as_deref(), &from, &to).await?;
        let plan = gen_plan::plan(&old, &new)?;
        if let Some(key) = &key
            && plan.is_empty()
        {
            cache::store_clean(key);
        }
        let drift = object_diffs(&plan, &old, &new, &from.describe(), &to.describe());
        (plan, drift, hit)
    };
    let (from, to) = (from.describe(), to.describe());
    let ok = problems.is_empty() && plan.is_empty();
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

/// The two sides of a check: from the snapshot stored under `key`, else
/// loaded (and stored under `key`); and whether they came from the cache.
async fn check_catalogs(
    config: &Config,
    key: Option<&str>,
    from: &Src,
    to: &Src,
) -> anyhow::Result<(gen_model::Catalog, gen_model::Catalog, bool)> {
    if let Some(snapshot) = key.and_then(cache::load) {
        return Ok((snapshot.old, snapshot.new, true));
    }
    let (old, new) = load::catalogs(
        &config.backend,
        &config.ignore,
        from,
        to,
        config.owners,
        &config.load,
    )
    .await?;
    let Some(key) = key else {
        return Ok((old, new, false));
    };
    let snapshot = cache::Snapshot { old, new };
    cache::store(key, &snapshot);
    Ok((snapshot.old, snapshot.new, false))
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
