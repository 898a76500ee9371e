//! `gen.toml`: where the schema and migrations live and where the sandbox
//! comes from. Command-line flags win over the file.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use gen_catalog::Ignore;
use gen_plan::HazardKind;
use gen_sandbox::Backend;
use serde::Deserialize;

use crate::cli::{Global, SandboxKind};
use crate::error::UserError;
use gen_plan::script::Settings;

pub const CONFIG_FILE: &str = "gen.toml";

/// The settings file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    project: ProjectSection,
    #[serde(default)]
    sandbox: SandboxSection,
    #[serde(default)]
    ignore: IgnoreSection,
    #[serde(default)]
    plan: PlanSection,
    #[serde(default)]
    load: LoadSection,
}

/// How schema files and replayed migrations are loaded: session settings
/// every file starts with (as `PGOPTIONS` would give them), and strictness.
#[derive(Debug, Default, Deserialize)]
struct LoadSection {
    strict: Option<bool>,
    #[serde(flatten)]
    settings: std::collections::BTreeMap<String, toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanSection {
    #[serde(default)]
    allow_hazards: Vec<String>,
    #[serde(default)]
    online: bool,
    lock_timeout: Option<String>,
    statement_timeout: Option<String>,
    /// Compare and plan `ALTER … OWNER TO`.
    owners: Option<bool>,
    /// Create the roles a change needs that the schema files create.
    roles: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreSection {
    #[serde(default)]
    objects: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectSection {
    schema: Option<PathBuf>,
    migrations: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SandboxSection {
    backend: Option<SandboxKind>,
    /// The PostgreSQL major the project plans for.
    version: Option<u32>,
    pg_bin: Option<PathBuf>,
    url: Option<String>,
    image: Option<String>,
    /// Seconds the local server stays up without a run; 0 for a throwaway.
    idle: Option<u64>,
    /// Seconds one loaded statement may run.
    statement_timeout: Option<u64>,
    /// Roles to make before loading, beyond those the files name.
    roles: Option<Vec<String>>,
}

/// How long the local sandbox's server waits for the next run by default.
pub const DEFAULT_IDLE_SECS: u64 = 600;

/// Settings resolved from flags, `gen.toml` and defaults.
#[derive(Debug)]
pub struct Config {
    /// The directory gen.toml is in (or the current directory without one).
    pub root: PathBuf,
    /// Whether a gen.toml was found.
    pub found: bool,
    /// The schema directory, relative to the current directory for display.
    pub schema: PathBuf,
    /// The migrations directory.
    pub migrations: PathBuf,
    /// Where the throwaway Postgres comes from.
    pub backend: Backend,
    /// Unsupported objects the project manages by hand.
    pub ignore: Ignore,
    /// Hazards the project accepts in every plan.
    pub allow_hazards: Vec<HazardKind>,
    /// How scripts are written: online mode and timeouts.
    pub scripts: Settings,
    /// Whether owners are compared and planned (`--owners`, `[plan] owners`).
    pub owners: bool,
    /// `[load]`: session settings for loading, and `--strict`.
    pub load: gen_source::Options,
    /// `[plan] roles`: a change creates the roles it needs that the schema
    /// files create (default); `false` when roles are managed elsewhere.
    pub roles: bool,
}

impl Config {
    /// What a target database's major is held against: the project's
    /// version, when it names one.
    pub fn expected(&self) -> gen_load::target::Expected {
        gen_load::target::Expected::project(&self.backend, self.load.strict)
    }

    pub fn load(global: &Global) -> anyhow::Result<Config> {
        let cwd = std::env::current_dir().context("reading the current directory")?;
        let path = match &global.config {
            Some(p) => {
                if !p.is_file() {
                    return Err(
                        UserError::new(format!("config file {} not found", p.display()))
                            .hint("pass an existing file to --config, or run `gen init`")
                            .into(),
                    );
                }
                Some(p.clone())
            }
            None => cwd
                .ancestors()
                .map(|d| d.join(CONFIG_FILE))
                .find(|p| p.is_file()),
        };
        let (file, root) = match &path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading {}", p.display()))?;
                let file: File = toml::from_str(&text).map_err(|e| {
                    UserError::new(format!("{}: {}", p.display(), e.message()))
                        .hint("see the README for the settings gen.toml accepts")
                })?;
                let dir = p.parent().unwrap_or(Path::new(""));
                let dir = dir.strip_prefix(&cwd).unwrap_or(dir).to_path_buf();
                (file, dir)
            }
            None => (File::default(), PathBuf::new()),
        };
        // Paths are shown relative to where gen runs, as the user typed them.
        let rel = |p: PathBuf| {
            if p.is_absolute() {
                p
            } else {
                display_join(&root, &p)
            }
        };
        let schema = rel(file.project.schema.unwrap_or_else(|| "schema".into()));
        let migrations = rel(file
            .project
            .migrations
            .unwrap_or_else(|| "migrations".into()));

        let kind = match (global.sandbox, &global.dev_url) {
            (Some(kind), _) => kind,
            (None, Some(_)) => SandboxKind::Url,
            (None, None) => file.sandbox.backend.unwrap_or(SandboxKind::Local),
        };
        let idle = global
            .sandbox_idle
            .or(file.sandbox.idle)
            .unwrap_or(DEFAULT_IDLE_SECS);
        let version = global.pg_version.or(file.sandbox.version);
        if let Some(v) = version.filter(|v| !gen_sandbox::SUPPORTED_MAJORS.contains(v)) {
            return Err(UserError::new(format!(
                "PostgreSQL {v} is not supported (the sandbox version, from --pg-version, GEN_PG_VERSION or [sandbox] version)"
            ))
            .hint(format!(
                "gen plans for PostgreSQL {} to {}",
                gen_sandbox::SUPPORTED_MAJORS.start(),
                gen_sandbox::SUPPORTED_MAJORS.end()
            ))
            .into());
        }
        let backend = match kind {
            SandboxKind::Local if idle > 0 => Backend::Warm {
                pg_bin: global.pg_bin.clone().or(file.sandbox.pg_bin.map(rel)),
                version,
                idle: std::time::Duration::from_secs(idle),
                watcher: watcher_command()?,
            },
            SandboxKind::Local => Backend::Local {
                pg_bin: global.pg_bin.clone().or(file.sandbox.pg_bin.map(rel)),
                version,
            },
            SandboxKind::Docker => Backend::Docker {
                image: global.docker_image.clone().or(file.sandbox.image),
                version,
            },
            SandboxKind::Url => Backend::Url {
                version,
                url: global.dev_url.clone().or(file.sandbox.url).ok_or_else(|| {
                    UserError::new("the url sandbox needs a server URL").hint(
                        "pass --dev-url postgres://user@host/db or set sandbox.url in gen.toml",
                    )
                })?,
            },
        };
        let ignore = Ignore::new(file.ignore.objects).map_err(|e| {
            UserError::new(format!("{}: {e}", CONFIG_FILE))
                .hint("patterns name objects as gen's errors do: kind, a space, the name; * matches anything")
        })?;
        let allow_hazards = file
            .plan
            .allow_hazards
            .iter()
            .map(|name| {
                HazardKind::from_name(name).ok_or_else(|| {
                    let names: Vec<&str> = HazardKind::ALL.iter().map(|k| k.name()).collect();
                    UserError::new(format!(
                        "{CONFIG_FILE}: plan.allow_hazards: unknown hazard {name:?}"
                    ))
                    .hint(format!("hazards are: {}", names.join(", ")))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut settings = Vec::new();
        for (name, value) in file.load.settings {
            let value = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    return Err(UserError::new(format!(
                        "{CONFIG_FILE}: load.{name}: a setting's value is a string, number or boolean, not {}",
                        other.type_str()
                    ))
                    .hint("write it as in postgresql.conf, e.g. search_path = \"app, public\"")
                    .into());
                }
            };
            settings.push((name, value));
        }
        let statement_timeout = match global.statement_timeout.or(file.sandbox.statement_timeout) {
            Some(0) => {
                return Err(UserError::new(
                    "the sandbox's statement_timeout is 0 seconds, which would let a schema file run forever",
                )
                .hint("give [sandbox] statement_timeout (or --statement-timeout) a number of seconds; the default is 60")
                .into());
            }
            seconds => seconds.map(std::time::Duration::from_secs),
        };
        let load = gen_source::Options {
            settings,
            strict: global.strict || file.load.strict.unwrap_or(false),
            statement_timeout,
            roles: file.sandbox.roles.clone().unwrap_or_default(),
        };
        let scripts = Settings {
            online: file.plan.online,
            lock_timeout: file.plan.lock_timeout,
            statement_timeout: file.plan.statement_timeout,
            session: load.settings.clone(),
        };
        Ok(Config {
            ignore,
            allow_hazards,
            scripts,
            root,
            found: path.is_some(),
            schema,
            migrations,
            backend,
            owners: global.owners || file.plan.owners.unwrap_or(false),
            roles: file.plan.roles.unwrap_or(true),
            load,
        })
    }
}

/// How the warm server's watcher is started: this very binary, with a
/// hidden subcommand.
fn watcher_command() -> anyhow::Result<Vec<std::ffi::OsString>> {
    let exe = std::env::current_exe().context("finding gen's own executable")?;
    Ok(vec![exe.into(), "sandbox".into(), "watch".into()])
}

/// Joins without turning `./x` into an absolute path, so messages say `schema/a.sql`.
fn display_join(root: &Path, p: &Path) -> PathBuf {
    if root.as_os_str().is_empty() {
        p.to_path_buf()
    } else {
        root.join(p)
    }
}
