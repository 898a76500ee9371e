//! `gen init --from-db URL`: adopt gen on an existing database in one step.
//!
//! The database is read, never changed, until the very end: its catalog is
//! planned from an empty database, the plan's statements are grouped into
//! one schema file per object ([`crate::layout`]), those files are loaded
//! into the sandbox and must read back as exactly the live catalog, and
//! only then are `gen.toml`, `schema/` and `migrations/` (with a first
//! change that creates everything) moved into place. Recording that change
//! as deployed in the database's sqitch registry comes last, and is the
//! only write to the database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use gen_catalog::Ignore;
use gen_migrations::{Committer, MigrationDir, NewChange, Signature};

use crate::cli::{Global, InitArgs};
use crate::config::{CONFIG_FILE, Config};
use crate::error::UserError;
use crate::layout;
use gen_load::{self as load, Src};
use gen_plan::script::{self as scripts, ChangeScripts};

/// What `gen init --from-db` creates, relative to the current directory.
const SCHEMA_DIR: &str = "schema";
const MIGRATIONS_DIR: &str = "migrations";

pub async fn run(global: &Global, args: &InitArgs, url: &str) -> anyhow::Result<i32> {
    // Everything that can be refused without a database is refused first.
    for taken in [CONFIG_FILE, SCHEMA_DIR, MIGRATIONS_DIR] {
        if std::fs::symlink_metadata(taken).is_ok() {
            return Err(UserError::new(format!("{taken} already exists here"))
                .hint("`gen init --from-db` starts a new project and never overwrites one; run it in a directory without gen.toml, schema/ and migrations/")
                .into());
        }
    }
    // Settings come from the flags and the environment (or a gen.toml in
    // a parent directory): the sandbox to check the files in, owners.
    let mut config = Config::load(global)?;
    // The sandbox runs the database's major, which the project plans for.
    let live_major = {
        let client = gen_sandbox::connect_url(url).await?;
        let version = gen_load::target::server_version(&client).await?;
        gen_sandbox::major_of(&version)
    };
    if let Some(major) = live_major {
        if !gen_sandbox::SUPPORTED_MAJORS.contains(&major) {
            return Err(UserError::new(format!(
                "the database is PostgreSQL {major}, which gen does not support"
            ))
            .hint(format!(
                "gen plans for PostgreSQL {} to {}",
                gen_sandbox::SUPPORTED_MAJORS.start(),
                gen_sandbox::SUPPORTED_MAJORS.end()
            ))
            .into());
        }
        config.backend.default_version(major);
    }
    let config = &config;
    let project = crate::commands::project_name(args)?;
    gen_migrations::validate_name("change", &args.change)?;
    let planner = Signature::from_env()?;
    let committer = Committer::from_env_in(Path::new("."))?;
    let ignore = Ignore::new(args.ignore.iter().cloned()).map_err(|e| {
        UserError::new(format!("--ignore: {e}")).hint(
            "patterns name objects as gen's errors do: kind, a space, the name; * matches anything",
        )
    })?;

    // Built beside the destination, so that moving it into place is a rename.
    let staging = tempfile::Builder::new()
        .prefix(".gen-init-")
        .tempdir_in(".")
        .context("creating a staging directory here")?;
    let schema = staging.path().join(SCHEMA_DIR);
    std::fs::create_dir(&schema).with_context(|| format!("creating {}", schema.display()))?;

    // Empty (an empty schema directory, loaded) → live.
    let (empty, live) = load::catalogs(
        &config.backend,
        &ignore,
        &Src::Schema(schema.clone()),
        &Src::Url(url.to_owned()),
        config.owners,
        &config.load,
    )
    .await?;
    let settings = scripts::Settings::default();
    let (deploy, revert) = scripts::plans(&empty, &live, &settings, &[])?;
    if deploy.is_empty() {
        return Err(
            UserError::new("the database holds nothing gen manages: no schema to adopt")
                .hint("for a new database, run `gen init` and write the schema files")
                .into(),
        );
    }
    let files = layout::files(&deploy.steps, &live);
    write_files(&schema, &files)?;

    self_check(config, &ignore, url, &schema).await?;

    let scripts = ChangeScripts::from_plans(
        &project,
        &args.change,
        &args.note,
        &deploy,
        &revert,
        &live,
        &settings,
    );
    let mut dir = MigrationDir::init(&staging.path().join(MIGRATIONS_DIR), &project)?;
    dir.add_change(NewChange {
        name: args.change.clone(),
        note: args.note.clone(),
        requires: Vec::new(),
        deploy: scripts.deploy,
        revert: scripts.revert,
        verify: scripts.verify,
        planner,
    })?;
    std::fs::write(
        staging.path().join(CONFIG_FILE),
        crate::commands::config_text(&args.ignore, config.backend.version()),
    )
    .context("writing gen.toml")?;

    move_into_place(staging.path())?;
    eprintln!(
        "wrote {CONFIG_FILE}, {SCHEMA_DIR}/ ({} files) and {MIGRATIONS_DIR}/ with change {} for project {project}",
        files.len(),
        args.change
    );
    record(url, &args.change, &committer).await?;
    eprintln!(
        "recorded {} as deployed in the database's sqitch registry; `gen status --db URL` shows it, and `gen deploy` starts after it",
        args.change
    );
    Ok(0)
}

fn write_files(root: &Path, files: &BTreeMap<PathBuf, String>) -> anyhow::Result<()> {
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Loads the files about to be written into the sandbox and compares them
/// with the database: a baseline that does not describe the database
/// exactly is never written.
async fn self_check(
    config: &Config,
    ignore: &Ignore,
    url: &str,
    schema: &Path,
) -> anyhow::Result<()> {
    let (live, loaded) = load::catalogs(
        &config.backend,
        ignore,
        &Src::Url(url.to_owned()),
        &Src::Schema(schema.to_path_buf()),
        config.owners,
        &config.load,
    )
    .await
    .context("checking the schema files written for the database: they do not load")?;
    let differ = layout::mismatches(&live, &loaded)?;
    if differ.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = differ.iter().map(|id| format!("  {id}")).collect();
    Err(UserError::new(format!(
        "the schema files written for the database do not load back into it; these objects would differ:\n{}",
        list.join("\n")
    ))
    .hint("nothing was written and the database is unchanged; leave the objects out with --ignore \"KIND NAME\" and manage them by hand")
    .into())
}

/// Records the first change as deployed, without running it: the last
/// step, and the only one that writes to the database.
async fn record(url: &str, change: &str, committer: &Committer) -> anyhow::Result<()> {
    let redo = || {
        format!(
            "the files are written and the database is unchanged; record the change with `gen deploy --db URL --log-only --to {change}` once the database is reachable"
        )
    };
    let dir = MigrationDir::open(Path::new(MIGRATIONS_DIR))?;
    let recorded = async {
        let client = gen_sandbox::connect_url(url).await?;
        gen_migrations::record_deployed(&client, &dir, Some(change), committer).await?;
        anyhow::Ok(())
    }
    .await;
    recorded.map_err(|e| {
        let user = UserError::new(format!(
            "recording {change} as deployed in the database: {e:#}"
        ))
        .hint(redo());
        user.into()
    })
}

/// Renames the staged `gen.toml`, `schema/` and `migrations/` into the
/// current directory; if one cannot move, those moved already go back.
fn move_into_place(staging: &Path) -> anyhow::Result<()> {
    let mut moved: Vec<&str> = Vec::new();
    let result = (|| {
        for name in [SCHEMA_DIR, MIGRATIONS_DIR, CONFIG_FILE] {
            // rename(2) would replace an empty directory: check again.
            if std::fs::symlink_metadata(name).is_ok() {
                return Err(UserError::new(format!(
                    "{name} appeared here while gen was reading the database"
                ))
                .hint("nothing was written; run `gen init --from-db` again")
                .into());
            }
            std::fs::rename(staging.join(name), name)
                .with_context(|| format!("moving {name} into place"))?;
            moved.push(name);
        }
        anyhow::Ok(())
    })();
    if result.is_err() {
        for name in moved {
            let _ = std::fs::rename(name, staging.join(name));
        }
    }
    result
}
