//! The convergence oracle of DESIGN.md, over every fixture and every
//! listed peer corpus case, one test per case:
//!
//! load old into A and new into B; generate; deploy to A; A dumps like B
//! (`pg_dump --schema-only`, an oracle that shares nothing with gen's own
//! introspection); planning again is empty; verify passes; revert; A dumps
//! like the old schema again; planning back is empty; the revert's verify
//! passes. Fixtures also compare the generated scripts with their golden
//! files (`GEN_BLESS=1` rewrites them).
//!
//! One local sandbox serves the whole run, of the major `GEN_PG_VERSION`
//! names (else the one found first; `scripts/test` runs the oracle on every
//! supported major). Without PostgreSQL server binaries the run fails and
//! says how to get them.
//!
//! The golden scripts are the text of one major's server
//! ([`GOLDEN_MAJOR`]): other majors print view queries and pick extension
//! versions differently, so there they are held to everything but the
//! golden text. A case that needs what the server's build lacks (an
//! extension that is not installed with it, ICU) is listed as ignored with
//! what it needs; on the golden major, with the Debian packages
//! `scripts/install-deps` installs, nothing is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use gen_load::load_schema;
use gen_model::Catalog;
use gen_plan::script::{ChangeScripts, Settings};
use gen_sandbox::{Backend, Database, Sandbox};
use libtest_mimic::{Arguments, Failed, Trial};
use tokio_postgres::Client;

#[path = "../crates/gen-cli/tests/common/fixtures.rs"]
mod fixtures;

/// Where psql and pg_dump are, for the sandbox's server.
static CLIENTS: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

fn clients() -> &'static Path {
    CLIENTS.get().expect("set before any case runs")
}

/// The major whose server printed the golden scripts, except for the
/// fixtures of a version's own (`fixtures/pg18/…`), printed by that major.
const GOLDEN_MAJOR: u32 = 15;

/// What the sandbox's server build offers of what cases may need.
struct Server {
    major: u32,
    /// `pg_available_extensions`.
    extensions: std::collections::BTreeSet<String>,
    /// Built with ICU.
    icu: bool,
}

impl Server {
    async fn read(sandbox: &Sandbox) -> Result<Server, String> {
        let db = sandbox
            .create_database("oracle_probe")
            .await
            .map_err(|e| e.to_string())?;
        let client = db.connect().await.map_err(|e| e.to_string())?;
        let row = client
            .query_one(
                "SELECT current_setting('server_version_num')::int / 10000, \
                 ARRAY(SELECT name::text FROM pg_available_extensions)",
                &[],
            )
            .await
            .map_err(|e| e.to_string())?;
        // A build without ICU still lists the `unicode` collation.
        let icu = client
            .batch_execute("CREATE COLLATION probe (provider = icu, locale = 'und')")
            .await
            .is_ok();
        drop(client);
        sandbox
            .drop_database(&db)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Server {
            major: u32::try_from(row.get::<_, i32>(0)).unwrap_or_default(),
            extensions: row.get::<_, Vec<String>>(1).into_iter().collect(),
            icu,
        })
    }

    /// What the files of a case need that this server lacks.
    fn lacks(&self, files: &[&Path]) -> Vec<String> {
        let mut lacking = std::collections::BTreeSet::new();
        for path in files.iter().flat_map(|p| sql_files(p)) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let needs = needs(&text);
            if needs.icu && !self.icu {
                lacking.insert("ICU".to_owned());
            }
            for ext in needs.extensions {
                if !self.extensions.contains(&ext) {
                    lacking.insert(format!("extension {ext}"));
                }
            }
        }
        lacking.into_iter().collect()
    }
}

/// What a schema file needs of a server build: the extensions it creates,
/// and ICU for its collations.
#[derive(Debug, Default, PartialEq)]
struct Needs {
    extensions: Vec<String>,
    icu: bool,
}

fn needs(sql: &str) -> Needs {
    let lower = sql.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ';' || c == '(' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut found = Needs::default();
    for (i, pair) in words.windows(2).enumerate() {
        if pair == ["create", "extension"] {
            let mut rest = words[i + 2..].iter();
            let mut name = rest.next();
            if name == Some(&"if") {
                name = rest.nth(2);
            }
            if let Some(name) = name {
                found.extensions.push(name.trim_matches('"').to_owned());
            }
        }
    }
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    found.icu = compact.contains("provider=icu") || compact.contains("provider='icu'");
    found
}

struct Case {
    name: String,
    dir: PathBuf,
    old: PathBuf,
    new: PathBuf,
    setup: Option<PathBuf>,
    roles: Vec<String>,
    /// Fixtures have golden scripts; corpus cases are held to the oracle only.
    golden: bool,
    /// The oldest major the case runs on (`fixtures/pg17/…`: 17), which
    /// also printed its golden scripts.
    since: Option<u32>,
    /// Planned in online mode.
    online: bool,
    /// A real application's schemas: also loaded with psql and compared.
    real: Option<Real>,
}

/// How a real application's schema files load (../shared/corpus/real).
#[derive(Clone)]
struct Real {
    /// `[load]` settings, as the project sets them from outside
    /// (`PGOPTIONS`), and the same for psql.
    settings: Vec<(String, String)>,
    /// Check that gen loads the old side as psql does too (the first case
    /// of an application; later ones had it as their new side).
    check_old: bool,
    /// Kinds gen does not model yet that this application's schemas have:
    /// planning must refuse them by name, where a side has them.
    unsupported: &'static [&'static str],
    /// The schema drops and creates cluster-wide roles, so its loads cannot
    /// live side by side in one cluster: psql's is dumped and dropped
    /// before gen's, and there is no plan from psql's loads to compare.
    owns_roles: bool,
    /// Roles made before loading, as the project's `[sandbox] roles`.
    roles: &'static [&'static str],
}

fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .expect("crates/gen-cli sits two levels below the repository root")
        .to_path_buf()
}

fn fixture_cases(root: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    let fixtures = root.join("fixtures");
    let mut kinds: Vec<PathBuf> = read_dirs(&fixtures);
    kinds.sort();
    for kind in kinds {
        let mut dirs = read_dirs(&kind);
        dirs.sort();
        for dir in dirs {
            if !dir.join("new.sql").is_file() {
                continue;
            }
            cases.push(Case {
                name: format!("fixtures::{}::{}", file_name(&kind), file_name(&dir)),
                old: dir.join("old.sql"),
                new: dir.join("new.sql"),
                setup: None,
                roles: Vec::new(),
                golden: true,
                since: fixtures::since(&dir),
                real: None,
                // Online mode is held to the same oracle, run as sqitch runs
                // scripts: through psql, statement by statement.
                online: file_name(&kind) == "online",
                dir,
            });
        }
    }
    cases
}

/// Peer cases listed in fixtures/corpus-*.txt, from ../shared/corpus.
fn corpus_cases(root: &Path) -> Vec<Case> {
    let corpus = root.join("../shared/corpus");
    let mut cases = Vec::new();
    // Each object group keeps its own list, so lists grow without conflicts.
    let mut lists: Vec<String> = std::fs::read_dir(root.join("fixtures"))
        .expect("reading fixtures/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("corpus-") && n.ends_with(".txt"))
        .collect();
    lists.sort();
    for list in &lists {
        let text = std::fs::read_to_string(root.join("fixtures").join(list))
            .unwrap_or_else(|e| panic!("reading fixtures/{list}: {e}"));
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let dir = corpus.join(line);
            assert!(
                dir.is_dir(),
                "corpus case {line} listed in fixtures/{list} is missing at {}",
                dir.display()
            );
            let meta: serde_json::Value = std::fs::read_to_string(dir.join("meta.json"))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            let roles = meta["roles"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|r| r.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let setup = dir.join("setup.sql");
            cases.push(Case {
                name: format!("corpus::{}", line.replace('/', "::")),
                old: dir.join("a.sql"),
                new: dir.join("b.sql"),
                setup: setup.is_file().then_some(setup),
                roles,
                golden: false,
                since: None,
                online: false,
                real: None,
                dir,
            });
        }
    }
    cases
}

fn read_dirs(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default()
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let root = repo_root();
    let mut cases = fixture_cases(&root);
    cases.extend(corpus_cases(&root));
    let staging = tempfile::tempdir().expect("creating a staging directory");
    cases.extend(real_cases(&root, staging.path()));
    // Every fixture's new.sql, one statement a file under shuffled names.
    let shuffled: Vec<(String, PathBuf, Option<u32>)> = cases
        .iter()
        .filter(|c| c.golden)
        .map(|c| {
            (
                c.name.replacen("fixtures::", "shuffled::", 1),
                c.new.clone(),
                c.since,
            )
        })
        .collect();

    let runtime = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("starting the async runtime"),
    );
    // GEN_ORACLE_SANDBOX=docker runs the oracle in a container of the
    // major GEN_PG_VERSION names (scripts/test runs a sample so).
    let mut backend = Backend::local_from_env().expect("GEN_PG_BIN, GEN_PG_VERSION");
    if std::env::var("GEN_ORACLE_SANDBOX").as_deref() == Ok("docker") {
        backend = Backend::Docker {
            image: None,
            version: backend.version(),
        };
    }
    let sandbox = match runtime.block_on(Sandbox::start(&backend)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!(
                "error: the oracle needs a PostgreSQL server: {e}\nhint: {}",
                e.hint().unwrap_or(
                    "install the postgresql package (server binaries) or set GEN_PG_BIN"
                )
            );
            return ExitCode::FAILURE;
        }
    };
    // psql and pg_dump: the sandbox's own, or (in a container) a local
    // installation at least as new as its server.
    let clients = match sandbox.bin_dir() {
        Some(dir) => dir.to_owned(),
        None => match gen_sandbox::client_program_at_least(
            None,
            sandbox.server_version_num() / 10_000,
            "pg_dump",
        ) {
            Ok((pg_dump, _)) => pg_dump.parent().map(Path::to_owned).unwrap_or_default(),
            Err(e) => {
                eprintln!("error: the oracle needs psql and pg_dump: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    CLIENTS.set(clients).expect("set once");
    let server = match runtime.block_on(Server::read(&sandbox)) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: reading what the sandbox's server offers: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "oracle on PostgreSQL {}{}",
        sandbox.server_version(),
        if server.major == GOLDEN_MAJOR {
            ", golden scripts compared"
        } else {
            ", golden scripts compared only for its own fixtures (the others are PostgreSQL 15's text)"
        }
    );
    // A case the server's build cannot load, or that is for a newer
    // major, is listed as ignored, with what it needs as its kind.
    let lacking = |trial: Trial, files: &[&Path], since: Option<u32>| {
        let mut lacks = server.lacks(files);
        if let Some(major) = since.filter(|&m| m > server.major) {
            lacks.insert(0, format!("PostgreSQL {major}"));
        }
        if lacks.is_empty() {
            trial
        } else {
            trial
                .with_kind(format!("needs {}", lacks.join(", ")))
                .with_ignored_flag(true)
        }
    };
    let shuffled_trials: Vec<Trial> = shuffled
        .into_iter()
        .map(|(name, new, since)| {
            let runtime = Arc::clone(&runtime);
            let sandbox = Arc::clone(&sandbox);
            let seed = shuffle_seed(&name);
            let file = new.clone();
            let files = [file.as_path()];
            lacking(
                Trial::test(name, move || {
                    runtime.block_on(run_shuffled(&sandbox, &new, seed))
                }),
                &files,
                since,
            )
        })
        .collect();
    let trials = cases
        .into_iter()
        .map(|mut case| {
            let runtime = Arc::clone(&runtime);
            let sandbox = Arc::clone(&sandbox);
            case.golden &= server.major == case.since.unwrap_or(GOLDEN_MAJOR);
            let since = case.since;
            let files: Vec<PathBuf> = [Some(&case.old), Some(&case.new), case.setup.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
            lacking(
                Trial::test(case.name.clone(), move || {
                    runtime.block_on(run_case(&sandbox, &case))
                }),
                &files,
                since,
            )
        })
        .chain(shuffled_trials)
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    let [declared, measured, both] = REWRITES
        .each_ref()
        .map(|n| n.load(std::sync::atomic::Ordering::Relaxed));
    eprintln!(
        "hazards against the server: rewrites-table declared {declared}, measured {measured}, both {both}"
    );
    let [
        exclusive,
        exclusive_measured,
        blocking,
        unread,
        blocking_measured,
    ] = LOCKS
        .each_ref()
        .map(|n| n.load(std::sync::atomic::Ordering::Relaxed));
    eprintln!(
        "hazards against the server: access-exclusive-lock declared {exclusive}, measured {exclusive_measured}; blocks-writes declared {blocking}, measured {blocking_measured}; {unread} statements that run only outside a transaction (CONCURRENTLY), their locks not read"
    );
    let [validates, scanned] = SCANS
        .each_ref()
        .map(|n| n.load(std::sync::atomic::Ordering::Relaxed));
    eprintln!(
        "hazards against the server: validates-existing-rows declared on {validates} tables, {scanned} tables scanned"
    );
    if let Ok(sandbox) = Arc::try_unwrap(sandbox)
        && let Err(e) = runtime.block_on(sandbox.shutdown())
    {
        eprintln!("warning: stopping the sandbox: {e}");
    }
    conclusion.exit_code()
}

fn fail(context: &str, e: impl std::fmt::Display) -> Failed {
    Failed::from(format!("{context}: {e}"))
}

async fn load(
    sandbox: &Sandbox,
    label: &str,
    path: &Path,
    setup: Option<&str>,
) -> Result<(Database, Client), Failed> {
    let source =
        gen_source::load(path).map_err(|e| fail(&format!("parsing {}", path.display()), e))?;
    let (db, loaded) = load_schema(sandbox, label, &source, setup)
        .await
        .map_err(|e| fail(&format!("loading {}", path.display()), format!("{e:#}")))?;
    // Fixtures are trusted: the oracle reads (every user mapping's options
    // included) and reconciles as the superuser.
    let client = loaded.reader.expect("the oracle's sandbox is sealed");
    // Rows a fixture seeds are data statements, which gen leaves out of a
    // schema: the oracle runs them itself, as the superuser.
    if !source.ignored.is_empty() {
        let seeder = db
            .connect()
            .await
            .map_err(|e| fail("connecting as the superuser", e))?;
        for seed in &source.ignored {
            execute(
                &seeder,
                &seed.sql,
                &format!("seeding rows at {}", seed.location),
            )
            .await?;
        }
    }
    Ok((db, client))
}

/// Owners are compared only in cases that ask for it with an `owners`
/// file, as gen compares them only when configured to.
async fn introspect(client: &Client, what: &str, owners: bool) -> Result<Catalog, Failed> {
    let mut catalog = gen_catalog::introspect(client)
        .await
        .map_err(|e| fail(&format!("introspecting {what}"), e))?;
    gen_load::runner::as_loaded(client, &mut catalog).await;
    Ok(if owners {
        catalog
    } else {
        catalog.without_owners()
    })
}

/// What each application of ../shared/corpus/real needs to load, as its
/// SOURCE.md says: session settings set from outside, the kinds gen does
/// not plan yet (named in the refusal), and the oldest major it is for.
type RealApp = (
    &'static str,
    Vec<(String, String)>,
    &'static [&'static str],
    Option<u32>,
    &'static [&'static str],
);

fn real_apps() -> Vec<RealApp> {
    let path = |p: &str| vec![("search_path".to_owned(), p.to_owned())];
    vec![
        ("feedbin", Vec::new(), &[], None, &[]),
        ("philomena", Vec::new(), &[], None, &[]),
        ("elephant-repository", Vec::new(), &[], None, &[]),
        // A dump of PostgreSQL 15 or newer: it revokes the public schema's
        // privileges from postgres, which owns that schema only before 15,
        // and gen does not model an owner revoking its own privileges.
        ("graphile-starter", Vec::new(), &[], Some(15), &[]),
        ("pagila", Vec::new(), &[], None, &[]),
        ("postgrest", Vec::new(), &[], None, &[]),
        ("musicbrainz", path("musicbrainz, public"), &[], None, &[]),
        ("lemmy", Vec::new(), &[], None, &[]),
        // Its migrations create roles and change their settings in
        // dynamic SQL, which the sandbox lets a role without superuser do
        // only from PostgreSQL 16 on (CREATEROLE, with the admin option on
        // the roles it made).
        (
            "supabase-storage",
            path("storage, public, extensions"),
            &[],
            Some(16),
            &[],
        ),
    ]
}

/// Real applications' schemas: every consecutive pair of a history; an
/// empty database to the whole schema for the others (a migrations folder
/// loaded as schema files in its own order).
fn real_cases(root: &Path, staging: &Path) -> Vec<Case> {
    let corpus = root.join("../shared/corpus/real");
    let empty = staging.join("empty");
    std::fs::create_dir_all(&empty).expect("creating an empty schema directory");
    let mut cases = Vec::new();
    for (app, settings, unsupported, since, roles) in real_apps() {
        let dir = corpus.join(app);
        assert!(
            dir.is_dir(),
            "real application {app} is missing at {}",
            dir.display()
        );
        let mut real = Real {
            settings,
            check_old: true,
            unsupported,
            owns_roles: app == "postgrest",
            roles,
        };
        let history = dir.join("history");
        let case = |name: String, old: PathBuf, new: PathBuf, real: &Real| Case {
            name,
            dir: dir.clone(),
            old,
            new,
            setup: None,
            roles: Vec::new(),
            golden: false,
            since,
            online: false,
            real: Some(real.clone()),
        };
        if history.is_dir() {
            let mut versions: Vec<PathBuf> = std::fs::read_dir(&history)
                .expect("reading a history")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "sql"))
                .collect();
            versions.sort();
            for pair in versions.windows(2) {
                let name = format!(
                    "real::{app}::{}_to_{}",
                    &file_name(&pair[0])[..2],
                    &file_name(&pair[1])[..2]
                );
                cases.push(case(name, pair[0].clone(), pair[1].clone(), &real));
                real.check_old = false;
            }
            continue;
        }
        let schema = if dir.join("order.txt").is_file() {
            // A migrations folder: its files in its own order, numbered so
            // that path order is that order.
            let ordered = staging.join(app);
            std::fs::create_dir_all(&ordered).expect("creating a staging directory");
            let order = std::fs::read_to_string(dir.join("order.txt")).expect("reading order.txt");
            for (i, line) in order.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                std::fs::copy(dir.join(line.trim()), ordered.join(format!("{i:04}.sql")))
                    .unwrap_or_else(|e| panic!("copying {line}: {e}"));
            }
            ordered
        } else {
            dir.join("schema")
        };
        real.check_old = false;
        cases.push(case(
            format!("real::{app}::empty_to_schema"),
            empty.clone(),
            schema,
            &real,
        ));
    }
    cases
}

/// The `.sql` files psql would be given for a schema path, in path order.
fn sql_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "sql") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Loads schema files with psql into a new database, each file in its own
/// session, stopping at the first error: what gen's loading is held to.
async fn psql_load(
    sandbox: &Sandbox,
    label: &str,
    path: &Path,
    settings: &[(String, String)],
) -> Result<Database, Failed> {
    let db = sandbox
        .create_database(label)
        .await
        .map_err(|e| fail("creating a database for psql", e))?;
    let bin = clients();
    let options: Vec<String> = settings
        .iter()
        .map(|(name, value)| format!("-c {name}={}", value.replace(' ', "")))
        .collect();
    for file in sql_files(path) {
        // As the sandbox runs statements: as `postgres`, the superuser only
        // for what needs one.
        let text = std::fs::read_to_string(&file).map_err(|e| fail("reading a file", e))?;
        let output = psql_input(
            psql_command(bin, &db).env("PGOPTIONS", options.join(" ")),
            &as_deployer(&text),
        )
        .await?;
        if !output.status.success() {
            return Err(Failed::from(format!(
                "psql could not load {}: {}",
                file.display(),
                String::from_utf8_lossy(&output.stderr)
            )));
        }
    }
    Ok(db)
}

/// A real application's pair: gen loads each side as psql does (same
/// dump), plans from gen's loads what it plans from psql's (the live, URL
/// mode), and the plan converges under the oracle; or, where a side has a
/// kind gen does not model yet, planning refuses it by name.
async fn run_real_case(sandbox: &Sandbox, case: &Case, real: &Real) -> Result<(), Failed> {
    let options = gen_source::Options {
        settings: real.settings.clone(),
        strict: false,
        statement_timeout: None,
        roles: real.roles.iter().map(|r| (*r).to_owned()).collect(),
    };
    let load_source = |path: &Path| {
        gen_source::load_with(path, &options)
            .map_err(|e| fail(&format!("parsing {}", path.display()), e))
    };
    let old = load_source(&case.old)?;
    let new = load_source(&case.new)?;
    let mut roles: Vec<String> = old.roles.iter().chain(&new.roles).cloned().collect();
    roles.push("postgres".to_owned());
    roles.sort();
    roles.dedup();
    sandbox
        .create_roles(&roles)
        .await
        .map_err(|e| fail("creating roles", e))?;
    // psql loads the files as they are: their tablespaces must exist.
    let tablespaces: Vec<String> =
        gen_source::tablespaces(old.statements.iter().chain(&new.statements))
            .into_iter()
            .collect();
    sandbox
        .create_tablespaces(&tablespaces)
        .await
        .map_err(|e| fail("making tablespaces", e))?;
    let settings: Vec<String> =
        gen_source::custom_settings(old.statements.iter().chain(&new.statements))
            .into_iter()
            .collect();
    sandbox
        .allow_settings(&settings)
        .await
        .map_err(|e| fail("allowing custom settings", e))?;
    let gen_load = |label: &'static str, source: gen_source::Source, path: PathBuf| async move {
        let (db, loaded) = load_schema(sandbox, label, &source, None)
            .await
            .map_err(|e| fail(&format!("loading {}", path.display()), format!("{e:#}")))?;
        let client = loaded.reader.expect("the oracle's sandbox is sealed");
        Ok::<_, Failed>((db, client))
    };
    let sides: Vec<&PathBuf> = if real.check_old {
        vec![&case.old, &case.new]
    } else {
        vec![&case.new]
    };
    // psql's loads, dumped; kept for the live plan unless they cannot share
    // the cluster with gen's.
    let mut by_psql = Vec::new();
    let mut psql_dbs = Vec::new();
    for (label, path) in [("real_psql_a", &case.old), ("real_psql_b", &case.new)] {
        let db = psql_load(sandbox, label, path, &real.settings).await?;
        if sides.contains(&path) {
            by_psql.push(dump(&db).await?);
        }
        if real.owns_roles {
            sandbox
                .drop_database(&db)
                .await
                .map_err(|e| fail("dropping a scratch database", e))?;
        } else {
            psql_dbs.push(db);
        }
    }
    let (a_db, a) = gen_load("real_a", old, case.old.clone()).await?;
    let (b_db, b) = gen_load("real_b", new, case.new.clone()).await?;
    let result = async {
        for (path, by_psql) in sides.iter().zip(&by_psql) {
            let db = if *path == &case.old { &a_db } else { &b_db };
            let by_gen = dump(db).await?;
            same_schema(
                sandbox,
                by_psql,
                &by_gen,
                &format!("{} loaded by gen", path.display()),
                "loaded by psql",
            )
            .await?;
        }
        let (old, new) = match (
            gen_catalog::introspect(&a).await,
            gen_catalog::introspect(&b).await,
        ) {
            (Ok(mut old), Ok(mut new)) => {
                gen_load::runner::as_loaded(&a, &mut old).await;
                gen_load::runner::as_loaded(&b, &mut new).await;
                (old, new)
            }
            (Err(e), _) | (_, Err(e)) => {
                let message = e.to_string();
                let named = real.unsupported.iter().any(|kind| message.contains(kind));
                return if named && message.contains("unsupported objects") {
                    Ok(())
                } else {
                    Err(fail("introspecting", message))
                };
            }
        };
        if let [pa_db, pb_db] = &psql_dbs[..] {
            // URL mode: the same plan from the databases psql loaded.
            let pa = pa_db.connect().await.map_err(|e| fail("connecting", e))?;
            let pb = pb_db.connect().await.map_err(|e| fail("connecting", e))?;
            let live_old = introspect(&pa, "old, loaded by psql", true).await?;
            let mut live_new = introspect(&pb, "new, loaded by psql", true).await?;
            gen_catalog::reconcile(&pb, &live_old, &mut live_new).await;
            let mut reconciled = new.clone();
            gen_catalog::reconcile(&b, &old, &mut reconciled).await;
            let from_files = gen_plan::plan(&old, &reconciled).map_err(|e| fail("planning", e))?;
            let from_live =
                gen_plan::plan(&live_old, &live_new).map_err(|e| fail("planning", e))?;
            same_dump(
                &from_live.sql(),
                &from_files.sql(),
                "the plan from files and the plan from live databases",
                "live",
            )?;
        }
        converge(sandbox, case, &a_db, &a, &b_db, &b).await
    }
    .await;
    drop((a, b));
    for db in [&a_db, &b_db].into_iter().chain(&psql_dbs) {
        sandbox
            .drop_database(db)
            .await
            .map_err(|e| fail("dropping a scratch database", e))?;
    }
    result
}

/// Whether a statement's effect depends on where it is written, so that a
/// shuffle must keep it in place: session settings, default privileges
/// (they apply to what follows), drops, table alterations.
fn positional(sql: &str) -> bool {
    let upper = sql.trim_start().to_ascii_uppercase();
    // `ALTER TABLE` on a partitioned table reaches the partitions that exist
    // when it runs, and only those.
    [
        "SET ",
        "RESET ",
        "ALTER DEFAULT PRIVILEGES",
        "DROP ",
        "SELECT PG_CATALOG.SET_CONFIG",
        "ALTER TABLE ",
    ]
    .iter()
    .any(|p| upper.starts_with(p))
}

/// The shuffle of a case: a hash of its name, so every machine and every
/// run shuffles alike, and of `GEN_SHUFFLE_SEED` when set, to try other
/// shuffles (`GEN_SHUFFLE_SEED=7 cargo test --test oracle shuffled::`).
fn shuffle_seed(name: &str) -> u64 {
    let salt = std::env::var("GEN_SHUFFLE_SEED").unwrap_or_default();
    name.bytes()
        .chain(salt.bytes())
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// The fixture's new.sql split into one file per statement, under names
/// shuffled by `seed`, loads to the same catalog as the file itself: the
/// loader orders across files by names. Positional statements keep their
/// place: the statements between two of them are shuffled among
/// themselves.
async fn run_shuffled(sandbox: &Sandbox, new: &Path, mut seed: u64) -> Result<(), Failed> {
    let text = std::fs::read_to_string(new).map_err(|e| fail("reading new.sql", e))?;
    let statements = gen_source::split(new, &text).map_err(|e| fail("splitting new.sql", e))?;
    let dir = tempfile::tempdir().map_err(|e| fail("creating a directory", e))?;
    let mut group = 0;
    for statement in &statements {
        if positional(&statement.sql) {
            group += 2;
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Positional statements sort between the groups they separate.
        let name = if positional(&statement.sql) {
            format!("{:04}_{:016x}.sql", group - 1, 0)
        } else {
            format!("{group:04}_{seed:016x}.sql")
        };
        std::fs::write(dir.path().join(name), format!("{};\n", statement.sql))
            .map_err(|e| fail("writing a statement", e))?;
    }
    let whole = gen_source::load(new).map_err(|e| fail("parsing new.sql", e))?;
    let split = gen_source::load(dir.path()).map_err(|e| fail("parsing the split files", e))?;
    let mut roles: Vec<String> = whole.roles.iter().chain(&split.roles).cloned().collect();
    roles.sort();
    roles.dedup();
    sandbox
        .create_roles(&roles)
        .await
        .map_err(|e| fail("creating roles", e))?;
    let (whole_db, whole_client) = load_schema(sandbox, "shuffled_whole", &whole, None)
        .await
        .map_err(|e| fail("loading new.sql", format!("{e:#}")))?;
    let loaded = load_schema(sandbox, "shuffled_split", &split, None).await;
    let result = async {
        let (split_db, split_client) =
            loaded.map_err(|e| fail("loading the shuffled files", format!("{e:#}")))?;
        let expected = dump(&whole_db).await?;
        let actual = dump(&split_db).await?;
        drop(split_client);
        sandbox
            .drop_database(&split_db)
            .await
            .map_err(|e| fail("dropping a scratch database", e))?;
        same_schema(sandbox, &expected, &actual, "shuffled files", "new.sql").await
    }
    .await;
    drop(whole_client);
    sandbox
        .drop_database(&whole_db)
        .await
        .map_err(|e| fail("dropping a scratch database", e))?;
    result
}

async fn run_case(sandbox: &Sandbox, case: &Case) -> Result<(), Failed> {
    if let Some(real) = &case.real {
        return run_real_case(sandbox, case, real).await;
    }
    // As gen does: the roles the schema files mention exist before loading.
    let mut roles = case.roles.clone();
    for path in [&case.old, &case.new] {
        if let Ok(source) = gen_source::load(path) {
            roles.extend(source.roles);
        }
    }
    roles.sort();
    roles.dedup();
    sandbox
        .create_roles(&roles)
        .await
        .map_err(|e| fail("creating roles", e))?;
    let setup = match &case.setup {
        Some(p) => Some(std::fs::read_to_string(p).map_err(|e| fail("reading setup.sql", e))?),
        None => None,
    };
    let (a_db, a) = load(sandbox, "oracle_a", &case.old, setup.as_deref()).await?;
    let (b_db, b) = load(sandbox, "oracle_b", &case.new, setup.as_deref()).await?;
    let result = converge(sandbox, case, &a_db, &a, &b_db, &b).await;
    drop((a, b));
    for db in [&a_db, &b_db] {
        sandbox
            .drop_database(db)
            .await
            .map_err(|e| fail("dropping a scratch database", e))?;
    }
    result
}

async fn converge(
    sandbox: &Sandbox,
    case: &Case,
    a_db: &Database,
    a: &Client,
    b_db: &Database,
    b: &Client,
) -> Result<(), Failed> {
    // Real applications set owners on purpose (`ALTER … OWNER TO postgres`);
    // pg_dump shows them, so they are planned.
    let owners = case.dir.join("owners").is_file() || case.real.is_some();
    let old = introspect(a, "old", owners).await?;
    let mut new = introspect(b, "new", owners).await?;
    gen_catalog::reconcile(b, &old, &mut new).await;
    let name = file_name(&case.dir);
    let settings = Settings {
        online: case.online,
        ..Settings::default()
    };
    let scripts = ChangeScripts::generate("fixtures", &name, "", &old, &new, &settings, &[])
        .map_err(|e| fail("planning", e))?;
    if case.golden {
        golden(&case.dir.join("deploy.sql"), &scripts.deploy)?;
        golden(&case.dir.join("revert.sql"), &scripts.revert)?;
        golden(&case.dir.join("verify.sql"), &scripts.verify)?;
    }

    let old_dump = dump(a_db).await?;
    let new_dump = dump(b_db).await?;
    // Scripts run as the role that deploys (see `as_deployer`), over a
    // connection of the sandbox's superuser; gen reads as the loading role.
    let deployer = a_db
        .connect()
        .await
        .map_err(|e| fail("connecting as the superuser", e))?;
    let options = gen_plan::Options {
        online: case.online,
    };
    let forth = gen_plan::plan_with(&old, &new, options).map_err(|e| fail("planning", e))?;
    // Outside UTC, as the server's own zone may be: there `timestamp` to
    // `timestamptz` rewrites, as its hazard says.
    deployer
        .batch_execute("SET TimeZone = 'Europe/Paris'")
        .await
        .map_err(|e| fail("setting the time zone", e))?;
    let before = storage(&deployer).await?;
    let locks = run_measured(a_db, &deployer, &scripts.deploy, "deploy").await?;
    let after = storage(&deployer).await?;
    rewrites_as_declared(&forth, &old, &before, &after, "deploy")?;
    measured_as_declared(&forth, &old, &new, &locks, "deploy")?;
    let deployed_dump = dump(a_db).await?;
    same_schema(
        sandbox,
        &new_dump,
        &deployed_dump,
        "after deploy, old+deploy",
        "new",
    )
    .await?;
    let deployed = introspect(a, "old after deploy", owners).await?;
    let mut target = new.clone();
    gen_catalog::reconcile(b, &deployed, &mut target).await;
    empty_plan(&deployed, &target, "planning again after deploy")?;
    execute(&deployer, &scripts.verify, "verify after deploy").await?;
    rows_check(case, &deployer, "after_deploy.sql").await?;

    let backward =
        gen_plan::plan_with(&new, &old, options).map_err(|e| fail("planning back", e))?;
    let before = storage(&deployer).await?;
    let locks = run_measured(a_db, &deployer, &scripts.revert, "revert").await?;
    let after = storage(&deployer).await?;
    rewrites_as_declared(&backward, &new, &before, &after, "revert")?;
    measured_as_declared(&backward, &new, &old, &locks, "revert")?;
    let reverted_dump = dump(a_db).await?;
    same_schema(
        sandbox,
        &old_dump,
        &reverted_dump,
        "after revert, old",
        "reverted",
    )
    .await?;
    let mut reverted = introspect(a, "old after revert", owners).await?;
    gen_catalog::reconcile(a, &old, &mut reverted).await;
    empty_plan(&reverted, &old, "planning again after revert")?;
    let back = gen_plan::plan(&new, &old).map_err(|e| fail("planning the revert", e))?;
    let revert_verify = gen_plan::verify::script("-- verify revert", &back, &old);
    execute(&deployer, &revert_verify, "verify after revert").await?;
    rows_check(case, &deployer, "after_revert.sql").await?;
    Ok(())
}

/// Where each table and materialized view keeps its rows: oid, name and
/// relfilenode. A relation whose oid stays and whose relfilenode changes
/// was rewritten.
async fn storage(client: &Client) -> Result<BTreeMap<u32, (String, u32)>, Failed> {
    let rows = client
        .query(
            "SELECT c.oid, format('%s.%s', pg_catalog.quote_ident(n.nspname), \
                    pg_catalog.quote_ident(c.relname)), c.relfilenode \
             FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'm') AND c.oid >= 16384 \
               AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%'",
            &[],
        )
        .await
        .map_err(|e| fail("reading relfilenodes", e))?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r.get::<_, u32>(0),
                (r.get::<_, String>(1), r.get::<_, u32>(2)),
            )
        })
        .collect())
}

/// How many relations the plans said would be rewritten, how many the
/// server rewrote, and how many both: printed when the run ends.
static REWRITES: [std::sync::atomic::AtomicUsize; 3] = [
    std::sync::atomic::AtomicUsize::new(0),
    std::sync::atomic::AtomicUsize::new(0),
    std::sync::atomic::AtomicUsize::new(0),
];

/// Holds `plan`'s `rewrites-table` hazards to what the server did: every
/// relation rewritten must be declared, and every one declared rewritten.
fn rewrites_as_declared(
    plan: &gen_plan::Plan,
    from: &Catalog,
    before: &BTreeMap<u32, (String, u32)>,
    after: &BTreeMap<u32, (String, u32)>,
    what: &str,
) -> Result<(), Failed> {
    use std::sync::atomic::Ordering::Relaxed;
    let measured: BTreeSet<String> = before
        .iter()
        .filter_map(|(oid, (_, node))| {
            let (name, now) = after.get(oid)?;
            (now != node).then(|| name.clone())
        })
        .collect();
    // A rewrite declared on a table covers its partitions and children
    // (ALTER TABLE recurses), and one on a composite type the tables of
    // that type.
    let mut declared: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    for (step, _) in plan
        .hazards()
        .filter(|(_, h)| h.kind == gen_plan::HazardKind::RewritesTable)
    {
        match &step.object {
            gen_model::ObjectId::Table { name }
            | gen_model::ObjectId::MaterializedView { name } => queue.push(name.to_string()),
            gen_model::ObjectId::Type { name } => queue.extend(
                from.tables
                    .values()
                    .filter(|t| t.of_type.as_deref() == Some(name.to_string().as_str()))
                    .map(|t| t.name.to_string()),
            ),
            other => queue.extend(other.table().map(ToString::to_string)),
        }
    }
    while let Some(name) = queue.pop() {
        if declared.insert(name.clone()) {
            queue.extend(
                from.tables
                    .values()
                    .filter(|t| t.inheritance.parents.iter().any(|p| p.to_string() == name))
                    .map(|t| t.name.to_string()),
            );
        }
    }
    // Partitioned tables keep no rows of their own, and a table the plan
    // creates has nothing to rewrite.
    let stored: BTreeSet<&String> = before.values().map(|(name, _)| name).collect();
    declared.retain(|name| stored.contains(name));
    REWRITES[0].fetch_add(declared.len(), Relaxed);
    REWRITES[1].fetch_add(measured.len(), Relaxed);
    REWRITES[2].fetch_add(declared.intersection(&measured).count(), Relaxed);
    let undeclared: Vec<&String> = measured.difference(&declared).collect();
    let unfounded: Vec<&String> = declared.difference(&measured).collect();
    if undeclared.is_empty() && unfounded.is_empty() {
        return Ok(());
    }
    Err(Failed::from(format!(
        "{what}: rewrites-table does not match what the server did: rewritten but not declared: {undeclared:?}; declared but not rewritten: {unfounded:?}"
    )))
}

/// The strongest lock a script's transaction held on each table,
/// partitioned table and materialized view that exists before and after
/// it, read from `pg_locks` just before it commits: the class of each
/// (access exclusive, or one that blocks writes).
#[derive(Default)]
struct Locks {
    exclusive: BTreeSet<String>,
    blocking_writes: BTreeSet<String>,
    /// The relations that existed before and still do: only their locks
    /// are read.
    surviving: BTreeSet<String>,
    /// Those of them whose rows the transaction read (sequential or index
    /// scans in `pg_stat_xact_user_tables`).
    scanned: BTreeSet<String>,
    /// Those scanned but for reads an index build explains (an index on
    /// the table that is new or has new storage) or a materialized view's
    /// query (one that is new or was refreshed).
    unexplained: BTreeSet<String>,
}

/// The storage of every index and materialized view, and the tables a
/// materialized view reads: what explains a scan that validates nothing.
const BUILDS: &str = "SELECT format('%s.%s', pg_catalog.quote_ident(n.nspname), \
            pg_catalog.quote_ident(t.relname)), c.oid, c.relfilenode \
     FROM pg_catalog.pg_index i \
     JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid \
     JOIN pg_catalog.pg_class t ON t.oid = i.indrelid \
     JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace \
     WHERE t.oid = ANY($1) \
     UNION ALL \
     SELECT format('%s.%s', pg_catalog.quote_ident(n.nspname), \
            pg_catalog.quote_ident(t.relname)), m.oid, m.relfilenode \
     FROM pg_catalog.pg_class m \
     JOIN pg_catalog.pg_rewrite r ON r.ev_class = m.oid \
     JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass \
       AND d.objid = r.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass \
     JOIN pg_catalog.pg_class t ON t.oid = d.refobjid \
     JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace \
     WHERE m.relkind = 'm' AND t.oid = ANY($1) AND t.oid <> m.oid";

/// Each table's indexes and the materialized views reading it, by oid and
/// relfilenode.
async fn builds(
    client: &Client,
    relations: &[u32],
) -> Result<BTreeSet<(String, u32, u32)>, tokio_postgres::Error> {
    Ok(client
        .query(BUILDS, &[&relations])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// What a relation's lock keeps out, from its mode's name in `pg_locks`.
fn lock_class(mode: &str) -> Option<HazardLock> {
    match mode {
        "AccessExclusiveLock" => Some(HazardLock::Exclusive),
        "ShareLock" | "ShareRowExclusiveLock" | "ExclusiveLock" => Some(HazardLock::BlocksWrites),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HazardLock {
    Exclusive,
    BlocksWrites,
}

/// One transaction of a script: a `BEGIN` … `COMMIT` block, or a
/// statement outside any (an online step that commits on its own).
enum Transaction {
    Block(String),
    Alone(String),
}

/// `sql`'s transactions, in order, with its secrets supplied.
fn transactions(sql: &str, what: &str) -> Result<Vec<Transaction>, Failed> {
    let sql = with_secrets(sql, what)?;
    let statements = gen_source::split(Path::new(what), &sql)
        .map_err(|e| Failed::from(format!("splitting the script: {e}\n--- script ---\n{sql}")))?;
    let mut out = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for statement in &statements {
        let text = statement.sql.trim();
        match (&mut block, text) {
            (None, t) if t.eq_ignore_ascii_case("BEGIN") => block = Some(Vec::new()),
            (Some(body), t) if t.eq_ignore_ascii_case("COMMIT") => {
                out.push(Transaction::Block(body.join(";\n") + ";"));
                block = None;
            }
            (Some(body), t) => body.push(t),
            (None, t) => out.push(Transaction::Alone(format!("{t};"))),
        }
    }
    if let Some(body) = block {
        return Err(Failed::from(format!(
            "{what}: a transaction is begun and never committed: {body:?}"
        )));
    }
    Ok(out)
}

/// Runs a deploy or revert script one transaction at a time, reading the
/// locks each holds just before it commits and the rows it scanned. A
/// statement outside any transaction (online mode) is measured in one of
/// its own, as the server allows it there; one that refuses to run in a
/// transaction block (`CONCURRENTLY`) runs alone and unmeasured: it takes
/// no lock that blocks reads or writes.
async fn run_measured(
    db: &Database,
    client: &Client,
    sql: &str,
    what: &str,
) -> Result<Locks, Failed> {
    let existing: Vec<u32> = client
        .query(
            "SELECT oid FROM pg_catalog.pg_class \
             WHERE relkind IN ('r', 'p', 'm') AND oid >= 16384",
            &[],
        )
        .await
        .map_err(|e| fail("reading the relations", e))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut locks = Locks::default();
    for transaction in transactions(sql, what)? {
        match transaction {
            Transaction::Block(body) => {
                measure_transaction(client, &existing, &body, &mut locks)
                    .await
                    .map_err(|e| script_failed(what, &body, &e))?;
            }
            Transaction::Alone(statement) => {
                match measure_transaction(client, &existing, &statement, &mut locks).await {
                    Ok(()) => {}
                    Err(e)
                        if e.code()
                            == Some(&tokio_postgres::error::SqlState::ACTIVE_SQL_TRANSACTION) =>
                    {
                        client
                            .batch_execute("ROLLBACK")
                            .await
                            .map_err(|e| fail("rolling back", e))?;
                        LOCKS[3].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        // One statement at a time, as a deploy sends it.
                        psql(db, &as_deployer(&statement)).await.map_err(|e| {
                            Failed::from(format!(
                                "{what} failed: {e}\n--- statement ---\n{statement}"
                            ))
                        })?;
                    }
                    Err(e) => return Err(script_failed(what, &statement, &e)),
                }
            }
        }
    }
    // Only relations that exist before and after are held to hazards.
    let surviving: BTreeSet<String> = client
        .query(
            "SELECT format('%s.%s', pg_catalog.quote_ident(n.nspname), \
                    pg_catalog.quote_ident(c.relname)) \
             FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.oid = ANY($1)",
            &[&existing],
        )
        .await
        .map_err(|e| fail("reading the relations", e))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for set in [
        &mut locks.exclusive,
        &mut locks.blocking_writes,
        &mut locks.scanned,
        &mut locks.unexplained,
    ] {
        set.retain(|n| surviving.contains(n));
    }
    locks.surviving = surviving;
    locks
        .blocking_writes
        .retain(|n| !locks.exclusive.contains(n));
    Ok(locks)
}

fn script_failed(what: &str, sql: &str, e: &tokio_postgres::Error) -> Failed {
    let message = e
        .as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_owned());
    Failed::from(format!("{what} failed: {message}\n--- script ---\n{sql}"))
}

/// Runs `body` in a transaction, adding to `into` the locks it holds on
/// `existing` relations just before it commits, and the relations it
/// scanned. Scans counted so far in the session but not yet reported
/// linger in `pg_stat_xact_user_tables`: the body's own are what it adds
/// within the transaction.
async fn measure_transaction(
    client: &Client,
    existing: &[u32],
    body: &str,
    into: &mut Locks,
) -> Result<(), tokio_postgres::Error> {
    client.batch_execute("BEGIN").await?;
    let scans_before = scans(client, existing).await?;
    let builds_before = builds(client, existing).await?;
    client.batch_execute(&as_deployer(body)).await?;
    let scans_after = scans(client, existing).await?;
    let built: BTreeSet<String> = builds(client, existing)
        .await?
        .difference(&builds_before)
        .map(|(table, _, _)| table.clone())
        .collect();
    let rows = client
        .query(
            "SELECT format('%s.%s', pg_catalog.quote_ident(n.nspname), \
                    pg_catalog.quote_ident(c.relname)), l.mode \
             FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_catalog.pg_locks l ON l.relation = c.oid \
               AND l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' \
               AND l.granted \
             WHERE c.oid = ANY($1)",
            &[&existing],
        )
        .await?;
    client.batch_execute("COMMIT").await?;
    let scanned: BTreeSet<String> = scans_after
        .into_iter()
        .filter(|(name, n)| scans_before.get(name).is_none_or(|b| n > b))
        .map(|(name, _)| name)
        .collect();
    into.unexplained.extend(scanned.difference(&built).cloned());
    into.scanned.extend(scanned);
    for row in &rows {
        let name: String = row.get(0);
        match lock_class(row.get(1)) {
            Some(HazardLock::Exclusive) => {
                into.exclusive.insert(name);
            }
            Some(HazardLock::BlocksWrites) => {
                into.blocking_writes.insert(name);
            }
            None => {}
        }
    }
    Ok(())
}

/// How many times the session has scanned each of `relations` (by oid),
/// counted since its statistics were last reported.
async fn scans(
    client: &Client,
    relations: &[u32],
) -> Result<BTreeMap<String, i64>, tokio_postgres::Error> {
    let rows = client
        .query(
            "SELECT format('%s.%s', pg_catalog.quote_ident(s.schemaname), \
                    pg_catalog.quote_ident(s.relname)), \
                    s.seq_scan + coalesce(s.idx_scan, 0) \
             FROM pg_catalog.pg_stat_xact_user_tables s \
             WHERE s.relid = ANY($1)",
            &[&relations],
        )
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Declared and measured access-exclusive locks, the same for locks that
/// block writes, and statements whose locks were not read (those that
/// cannot run in a transaction block).
static LOCKS: [std::sync::atomic::AtomicUsize; 5] = [
    std::sync::atomic::AtomicUsize::new(0),
    std::sync::atomic::AtomicUsize::new(0),
    std::sync::atomic::AtomicUsize::new(0),
    std::sync::atomic::AtomicUsize::new(0),
    std::sync::atomic::AtomicUsize::new(0),
];

/// The table a hazard of `step` is about: its object's, an index's table,
/// or the table or materialized view itself.
fn hazard_table(step: &gen_plan::Step, from: &Catalog, to: &Catalog) -> Option<String> {
    match &step.object {
        gen_model::ObjectId::Table { name } | gen_model::ObjectId::MaterializedView { name } => {
            Some(name.to_string())
        }
        gen_model::ObjectId::Index { name } => from
            .indexes
            .get(name)
            .or_else(|| to.indexes.get(name))
            .map(|i| i.table.to_string()),
        other => other.table().map(ToString::to_string),
    }
}

/// `tables` with their partitions and children in `from`, at any depth.
fn with_children(from: &Catalog, tables: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = tables.clone();
    let mut queue: Vec<String> = tables.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        for t in from.tables.values() {
            if t.inheritance.parents.iter().any(|p| p.to_string() == name)
                && out.insert(t.name.to_string())
            {
                queue.push(t.name.to_string());
            }
        }
    }
    out
}

/// Holds `plan`'s lock and validation hazards to what the script's
/// transactions did.
fn measured_as_declared(
    plan: &gen_plan::Plan,
    from: &Catalog,
    to: &Catalog,
    measured: &Locks,
    what: &str,
) -> Result<(), Failed> {
    locks_as_declared(plan, from, to, measured, what)?;
    scans_as_declared(plan, from, to, measured, what)
}

/// Holds `plan`'s lock hazards to the locks the script's transaction held:
/// every existing relation locked ACCESS EXCLUSIVE must have an
/// `access-exclusive-lock` or `rewrites-table` hazard, every one locked
/// against writes a `blocks-writes` one (or a stronger one), and every
/// hazard must name a lock the server took. A hazard on a table covers
/// its partitions and children, as ALTER TABLE recurses.
fn locks_as_declared(
    plan: &gen_plan::Plan,
    from: &Catalog,
    to: &Catalog,
    measured: &Locks,
    what: &str,
) -> Result<(), Failed> {
    use gen_plan::HazardKind;
    use std::sync::atomic::Ordering::Relaxed;
    let mut exclusive = BTreeSet::new();
    let mut blocking = BTreeSet::new();
    for lock in plan.steps.iter().flat_map(|s| &s.locks) {
        match lock.mode {
            gen_plan::LockMode::AccessExclusive => exclusive.insert(lock.relation.to_string()),
            gen_plan::LockMode::Share | gen_plan::LockMode::ShareRowExclusive => {
                blocking.insert(lock.relation.to_string())
            }
        };
    }
    for (step, h) in plan.hazards() {
        let Some(table) = hazard_table(step, from, to) else {
            continue;
        };
        match h.kind {
            HazardKind::AccessExclusiveLock | HazardKind::RewritesTable => {
                exclusive.insert(table);
            }
            HazardKind::BlocksWrites => {
                blocking.insert(table);
            }
            _ => {}
        }
    }
    let exclusive_cover = with_children(from, &exclusive);
    let blocking_cover: BTreeSet<String> = with_children(from, &blocking)
        .union(&exclusive_cover)
        .cloned()
        .collect();
    let existing = |name: &String| {
        from.tables.keys().any(|t| t.to_string() == *name)
            || from
                .views
                .values()
                .any(|v| v.materialized && v.name.to_string() == *name)
    };
    exclusive.retain(|n| existing(n) && measured.surviving.contains(n));
    blocking.retain(|n| existing(n) && measured.surviving.contains(n));
    LOCKS[0].fetch_add(exclusive.len(), Relaxed);
    LOCKS[1].fetch_add(measured.exclusive.len(), Relaxed);
    LOCKS[2].fetch_add(blocking.len(), Relaxed);
    LOCKS[4].fetch_add(measured.blocking_writes.len(), Relaxed);
    let mut wrong = Vec::new();
    let undeclared: Vec<&String> = measured.exclusive.difference(&exclusive_cover).collect();
    if !undeclared.is_empty() {
        wrong.push(format!(
            "locked ACCESS EXCLUSIVE but not declared: {undeclared:?}"
        ));
    }
    let undeclared: Vec<&String> = measured
        .blocking_writes
        .difference(&blocking_cover)
        .collect();
    if !undeclared.is_empty() {
        wrong.push(format!(
            "locked against writes but not declared: {undeclared:?}"
        ));
    }
    let unfounded: Vec<&String> = exclusive.difference(&measured.exclusive).collect();
    if !unfounded.is_empty() {
        wrong.push(format!(
            "declared ACCESS EXCLUSIVE but not taken: {unfounded:?}"
        ));
    }
    let unfounded: Vec<&String> = blocking
        .iter()
        .filter(|t| !measured.blocking_writes.contains(*t) && !measured.exclusive.contains(*t))
        .collect();
    if !unfounded.is_empty() {
        wrong.push(format!(
            "declared blocks-writes but no such lock taken: {unfounded:?}"
        ));
    }
    if wrong.is_empty() {
        return Ok(());
    }
    Err(Failed::from(format!(
        "{what}: lock hazards do not match what the server did: {}",
        wrong.join("; ")
    )))
}

/// Holds `plan`'s `validates-existing-rows` hazards to the rows the
/// script's transaction read: every table a step says it checks must have
/// been scanned, and every table scanned must have a hazard that reads it
/// (validation, a rewrite, an index build).
fn scans_as_declared(
    plan: &gen_plan::Plan,
    from: &Catalog,
    to: &Catalog,
    measured: &Locks,
    what: &str,
) -> Result<(), Failed> {
    use gen_plan::HazardKind;
    use std::sync::atomic::Ordering::Relaxed;
    let mut validates = BTreeSet::new();
    let mut reads = BTreeSet::new();
    for (step, h) in plan.hazards() {
        // A step's own table, and those it locks exclusively (a default
        // partition beside an attached one); a domain's step has no table
        // of its own, and checks every table it locks. A foreign key's
        // check may read the table it references too, as the planner
        // picks (16 does where 15 does not).
        let own = hazard_table(step, from, to);
        let exclusive_only = own.is_some();
        let locked = step.locks.iter().map(|l| l.relation.to_string());
        let mut tables: Vec<String> = step
            .locks
            .iter()
            .filter(|l| !exclusive_only || l.mode == gen_plan::LockMode::AccessExclusive)
            .map(|l| l.relation.to_string())
            .chain(own)
            .collect();
        // A check that names its table (an inheriting table getting its
        // parent's constraint) checks that one alone.
        if h.kind == HazardKind::ValidatesExistingRows
            && let Some(gen_model::ObjectId::Table { name }) = &h.about
        {
            reads.extend(tables);
            tables = vec![name.to_string()];
        }
        match h.kind {
            HazardKind::ValidatesExistingRows => {
                validates.extend(tables.iter().cloned());
                reads.extend(tables);
                reads.extend(locked);
            }
            HazardKind::RewritesTable | HazardKind::BlocksWrites => {
                reads.extend(tables);
                reads.extend(locked);
            }
            _ => {}
        }
    }
    // A partitioned table holds no rows: its partitions are scanned, as a
    // hazard on a parent covers its partitions and children.
    let partitioned = |name: &String| {
        from.tables
            .values()
            .any(|t| t.name.to_string() == *name && t.inheritance.partition_key.is_some())
    };
    let reads = with_children(from, &reads);
    validates.retain(|n| measured.surviving.contains(n) && !partitioned(n));
    SCANS[0].fetch_add(validates.len(), Relaxed);
    SCANS[1].fetch_add(measured.scanned.len(), Relaxed);
    let mut wrong = Vec::new();
    let unfounded: Vec<&String> = validates.difference(&measured.scanned).collect();
    if !unfounded.is_empty() {
        wrong.push(format!(
            "declared validates-existing-rows but not scanned: {unfounded:?}"
        ));
    }
    let undeclared: Vec<&String> = measured.unexplained.difference(&reads).collect();
    if !undeclared.is_empty() {
        wrong.push(format!("scanned but no hazard reads it: {undeclared:?}"));
    }
    if wrong.is_empty() {
        return Ok(());
    }
    Err(Failed::from(format!(
        "{what}: validation hazards do not match what the server did: {}\n--- plan ---\n{}",
        wrong.join("; "),
        plan.sql()
    )))
}

/// Tables declared validated, and tables the server scanned.
static SCANS: [std::sync::atomic::AtomicUsize; 2] = [
    std::sync::atomic::AtomicUsize::new(0),
    std::sync::atomic::AtomicUsize::new(0),
];

/// A fixture whose old.sql inserts rows may say what they must look like
/// once the deploy (the revert) ran: `after_deploy.sql` (`after_revert.sql`)
/// runs on the changed database and raises unless they came through.
async fn rows_check(case: &Case, client: &Client, file: &str) -> Result<(), Failed> {
    let path = case.dir.join(file);
    if !path.is_file() {
        return Ok(());
    }
    let sql = std::fs::read_to_string(&path).map_err(|e| fail(file, e))?;
    execute(client, &sql, file).await
}

/// `sql` with every secret it reads given [`FIXTURE_SECRET`].
fn with_secrets(sql: &str, what: &str) -> Result<String, Failed> {
    gen_load::secrets::supply(sql, |_| Some(FIXTURE_SECRET.to_owned()))
        .map(std::borrow::Cow::into_owned)
        .map_err(|e| Failed::from(format!("{what}: {}", e.message)))
}

/// The value the oracle gives every secret a script reads: fixtures that
/// hold a secret option spell it so, for the dumps to match.
const FIXTURE_SECRET: &str = "fixture-secret";

/// `sql` as the role that deploys runs it: `postgres`, which the sandbox's
/// loading role stands for, switching to the sandbox's superuser for the
/// statements that need one, as production's `postgres` is one, and giving
/// `postgres` what those make that it may own. Objects are then owned, and
/// default privileges applied, as in a database the sandbox loaded from
/// schema files, and statements meet the same privileges there.
fn as_deployer(sql: &str) -> String {
    let Ok(statements) = gen_source::split(Path::new("script.sql"), sql) else {
        return sql.to_owned();
    };
    // As the sandbox's loading role logs in (a role's own settings do not
    // follow SET ROLE): from 16 on, it may act as the roles it creates.
    let mut out = "SELECT pg_catalog.set_config('createrole_self_grant', 'set, inherit', false) \
                   WHERE current_setting('server_version_num')::int >= 160000;\n"
        .to_owned();
    let mut superuser = None;
    for statement in &statements {
        let run_as = statement.run_as();
        // Rows go in as before the sandbox was sealed: a fixture's seeds
        // and a dump's data are trusted here, and gen leaves them out.
        let wants = statement.is_data()
            || matches!(
                run_as,
                gen_source::RunAs::Superuser { .. }
                    | gen_source::RunAs::Deferred
                    | gen_source::RunAs::Skipped
            );
        if superuser != Some(wants) {
            out.push_str(if wants {
                "RESET ROLE;\n"
            } else {
                "SET ROLE postgres;\n"
            });
            superuser = Some(wants);
        }
        match statement.without_role_statements() {
            Some(sql) => out.push_str(&sql),
            None => out.push_str(&statement.sql),
        }
        out.push_str(";\n");
        if run_as
            == (gen_source::RunAs::Superuser {
                then: gen_source::Then::HandOver,
            })
        {
            out.push_str(&gen_load::runner::hand_over_sql());
            out.push_str(";\n");
        }
    }
    out.push_str("RESET ROLE;\n");
    out
}

async fn execute(client: &Client, sql: &str, what: &str) -> Result<(), Failed> {
    let sql = as_deployer(&with_secrets(sql, what)?);
    client.batch_execute(&sql).await.map_err(|e| {
        let message = e
            .as_db_error()
            .map_or_else(|| e.to_string(), |d| d.message().to_owned());
        Failed::from(format!("{what} failed: {message}\n--- script ---\n{sql}"))
    })
}

fn empty_plan(from: &Catalog, to: &Catalog, what: &str) -> Result<(), Failed> {
    let plan = gen_plan::plan(from, to).map_err(|e| fail(what, e))?;
    if plan.is_empty() {
        Ok(())
    } else {
        Err(Failed::from(format!(
            "{what} is not empty:\n{}",
            plan.sql()
        )))
    }
}

fn golden(path: &Path, actual: &str) -> Result<(), Failed> {
    if std::env::var_os("GEN_BLESS").is_some() {
        std::fs::write(path, actual)
            .map_err(|e| fail(&format!("writing {}", path.display()), e))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(path).map_err(|e| {
        fail(
            &format!("reading golden {}", path.display()),
            format!("{e} (run with GEN_BLESS=1 to write it)"),
        )
    })?;
    if expected == actual {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(&expected, actual)
        .unified_diff()
        .header(&path.display().to_string(), "generated")
        .to_string();
    Err(Failed::from(format!(
        "{} differs from what gen generates (GEN_BLESS=1 rewrites it):\n{diff}",
        path.display()
    )))
}

async fn dump(db: &Database) -> Result<String, Failed> {
    let bin = clients();
    let output = tokio::process::Command::new(bin.join("pg_dump"))
        .arg("--schema-only")
        .arg(format!("--dbname={}", db.conninfo()))
        .output()
        .await
        .map_err(|e| fail("running pg_dump", e))?;
    if !output.status.success() {
        return Err(Failed::from(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    // What the sandbox's superuser owns is `postgres`'s where it deploys.
    Ok(
        String::from_utf8_lossy(&output.stdout)
            .replace(gen_sandbox::SUPERUSER, gen_sandbox::LOADER),
    )
}

/// Compares two raw dumps. Where they differ as printed, each is restored
/// into a fresh database and dumped again: the server does not always
/// print a definition it read back (`varchar IN (…)` checks) as it printed
/// the original, and one dump-restore round trip brings both to the same
/// fixed point. Equal after that is equal as far as Postgres can tell.
async fn same_schema(
    sandbox: &Sandbox,
    expected: &str,
    actual: &str,
    what: &str,
    expected_name: &str,
) -> Result<(), Failed> {
    let (e, a) = (normalize(expected), normalize(actual));
    if e == a {
        return Ok(());
    }
    // A dump that does not restore (roles or extensions it needs are
    // elsewhere) is compared as printed.
    let (Ok(e2), Ok(a2)) = (
        round_trip(sandbox, expected).await,
        round_trip(sandbox, actual).await,
    ) else {
        return same_dump(&e, &a, what, expected_name);
    };
    let (e2, a2) = (normalize(&e2), normalize(&a2));
    if e2 == a2 {
        return Ok(());
    }
    same_dump(&e, &a, what, expected_name)
}

/// psql on `db` without the user's psqlrc, stopping at the first error.
fn psql_command(bin: &Path, db: &Database) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(bin.join("psql"));
    command
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1"])
        .arg(format!("--dbname={}", db.conninfo()));
    command
}

/// Feeds `sql` to psql on `db`, stopping at the first error.
async fn psql(db: &Database, sql: &str) -> Result<(), String> {
    let output = psql_input(&mut psql_command(clients(), db), sql)
        .await
        .map_err(|e| e.message().map(str::to_owned).unwrap_or_default())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Runs a psql `command` with `sql` on its standard input.
async fn psql_input(
    command: &mut tokio::process::Command,
    sql: &str,
) -> Result<std::process::Output, Failed> {
    use tokio::io::AsyncWriteExt as _;
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| fail("running psql", e))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin
        .write_all(sql.as_bytes())
        .await
        .map_err(|e| fail("feeding psql", e))?;
    drop(stdin);
    child
        .wait_with_output()
        .await
        .map_err(|e| fail("running psql", e))
}

async fn round_trip(sandbox: &Sandbox, raw: &str) -> Result<String, Failed> {
    let db = sandbox
        .create_database("oracle_restore")
        .await
        .map_err(|e| fail("creating a restore database", e))?;
    psql(&db, raw)
        .await
        .map_err(|e| Failed::from(format!("restoring a dump failed: {e}")))?;
    let dumped = dump(&db).await;
    sandbox
        .drop_database(&db)
        .await
        .map_err(|e| fail("dropping the restore database", e))?;
    dumped
}

/// What of a dump is the schema: no comments, settings, grantors or blank
/// lines;
/// statements in a stable order (pg_dump breaks ties by creation order);
/// table columns in a stable order, because a column added by a migration
/// lands at the end of the table while the schema file may declare it
/// earlier, and no migration can move it without rebuilding the table.
fn normalize(dump: &str) -> String {
    let mut statements = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in dump.lines() {
        // psql meta-commands (pg_dump's random `\restrict` keys) are not schema.
        if line.starts_with('\\') {
            continue;
        }
        if current.is_empty()
            && (line.is_empty()
                || line.starts_with("--")
                || line.starts_with("SET ")
                || line.starts_with("RESET SESSION AUTHORIZATION")
                || line.starts_with("SELECT pg_catalog.set_config"))
        {
            continue;
        }
        current.push(line.to_owned());
        if line.ends_with(';') {
            statements.push(statement(&current));
            current.clear();
        }
    }
    if !current.is_empty() {
        statements.push(statement(&current));
    }
    statements.sort();
    // Grantors are not part of gen's model: a grant made by a role that is
    // not the object's owner (the loading role, through a grant option of
    // its own) prints under `SET SESSION AUTHORIZATION` beside the owner's
    // same grant, where a superuser's would have been the owner's alone.
    statements.dedup();
    statements.join("\n")
}

/// Storage parameters in a stable order: `WITH (b='1', a='2')` is the same
/// table as `WITH (a='2', b='1')`.
fn sort_with_options(line: &str) -> String {
    let Some(start) = line.find("WITH (") else {
        return line.to_owned();
    };
    let Some(end) = line[start..].find(')').map(|e| start + e) else {
        return line.to_owned();
    };
    let mut items: Vec<&str> = line[start + 6..end].split(", ").collect();
    items.sort_unstable();
    format!(
        "{}WITH ({}){}",
        &line[..start],
        items.join(", "),
        &line[end + 1..]
    )
}

fn statement(lines: &[String]) -> String {
    let lines: Vec<String> = lines.iter().map(|l| sort_with_options(l)).collect();
    let lines = &lines[..];
    let is_table = lines.first().is_some_and(|l| {
        (l.starts_with("CREATE TABLE ") || l.starts_with("CREATE UNLOGGED TABLE "))
            && l.ends_with('(')
    });
    if !is_table || lines.len() < 3 {
        return lines.join("\n");
    }
    let last = lines.len() - 1;
    let mut body: Vec<&str> = lines[1..last]
        .iter()
        .map(|l| l.trim_end_matches(','))
        .collect();
    body.sort_unstable();
    format!("{}\n{}\n{}", lines[0], body.join(",\n"), lines[last])
}

fn same_dump(expected: &str, actual: &str, what: &str, expected_name: &str) -> Result<(), Failed> {
    if expected == actual {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(expected_name, "actual")
        .to_string();
    Err(Failed::from(format!("{what} dumps differently:\n{diff}")))
}
