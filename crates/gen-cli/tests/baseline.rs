//! `gen init --from-db`: adopting gen on a live database, against a real
//! Postgres. The database is loaded from `baseline/live.sql`, a
//! hand-managed schema with several schemas, a foreign key cycle, views
//! over views, overloaded functions, triggers, enums and domains, policies,
//! grants, comments and identifiers that need quotes.

use std::path::{Path, PathBuf};

mod common;
use common::*;
use gen_sandbox::{Backend, Database, Sandbox};
use tokio_postgres::Client;

const ROLES: [&str; 2] = ["app_reader", "App Writer"];

fn files(dir: &Path) -> Vec<String> {
    snapshot(dir)
        .into_iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect()
}

fn live_sql() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/baseline/live.sql");
    std::fs::read_to_string(path).expect("tests/baseline/live.sql")
}

async fn start() -> Sandbox {
    let sandbox = Sandbox::start(&Backend::local_from_env().expect("GEN_PG_BIN, GEN_PG_VERSION"))
        .await
        .expect("a local Postgres to stand in for the live database (install postgresql)");
    let roles: Vec<String> = ROLES.iter().map(|r| (*r).to_owned()).collect();
    sandbox.create_roles(&roles).await.expect("roles");
    sandbox
}

/// A database of the sandbox loaded with `sql`, and its URL for gen.
async fn live(sandbox: &Sandbox, sql: &str) -> (Database, Client, String) {
    let db = sandbox.create_database("live").await.expect("database");
    // Made as `postgres`, as on a server where it runs the migrations; the
    // sandbox's superuser stands in for it where only a superuser will do.
    let client = db.connect().await.expect("connect");
    client
        .batch_execute(&format!("SET ROLE {}", gen_sandbox::LOADER))
        .await
        .expect("acting as the owner");
    client
        .batch_execute(sql)
        .await
        .expect("loading the live schema");
    let url = db.conninfo();
    (db, client, url)
}

/// Whether the database has a sqitch registry.
async fn has_registry(client: &Client) -> bool {
    client
        .query_one("SELECT to_regnamespace('sqitch') IS NOT NULL", &[])
        .await
        .expect("query")
        .get(0)
}

/// The layout: one file per object, grouped by schema and kind; names safe
/// for quotes, slashes and spaces; overloads apart.
const LAYOUT: [&str; 27] = [
    "gen.toml",
    "migrations/deploy/baseline.sql",
    "migrations/gen.sum",
    "migrations/revert/baseline.sql",
    "migrations/sqitch.conf",
    "migrations/sqitch.plan",
    "migrations/verify/baseline.sql",
    "schema/Audit+Log/schema.sql",
    "schema/Audit+Log/tables/Events%2FLog.sql",
    "schema/app/00_default_privileges.sql",
    "schema/app/functions/touch.sql",
    "schema/app/schema.sql",
    "schema/app/tables/orgs.sql",
    "schema/app/tables/users.sql",
    "schema/app/types/email.sql",
    "schema/app/types/status.sql",
    "schema/app/views/active_users.sql",
    "schema/billing/functions/total(bigint).sql",
    "schema/billing/functions/total(bigint,numeric).sql",
    "schema/billing/materialized_views/monthly.sql",
    "schema/billing/schema.sql",
    "schema/billing/sequences/invoice_number_seq.sql",
    "schema/billing/tables/Line-Items.sql",
    "schema/billing/tables/invoices.sql",
    "schema/billing/types/money_range.sql",
    "schema/billing/views/Big+Spenders.sql",
    "schema/public/extensions/pgcrypto.sql",
];

/// The whole adoption: files, a clean check, byte-identical output from an
/// identical database, and the user's loop going on from there against
/// the live database.
#[test]
fn adopts_a_live_database() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox = start().await;
        let (db, client, url) = live(&sandbox, &live_sql()).await;

        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path();
        let o = run_gen(p, &["init", "--from-db", &url, "--project", "shop"]);
        assert_exit(&o, 0);
        assert!(!stderr(&o).contains(&url), "{}", stderr(&o));
        assert_eq!(files(p), LAYOUT);

        // What a reader finds: the table with everything that belongs to
        // it, the foreign keys of the cycle in the referencing tables.
        let users = std::fs::read_to_string(p.join("schema/app/tables/users.sql")).expect("users");
        for expected in [
            "CREATE SEQUENCE app.users_id_seq;",
            "CREATE TABLE app.users (",
            "ALTER TABLE app.users ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES app.orgs(id) ON DELETE CASCADE;",
            "CREATE UNIQUE INDEX users_email_idx ON app.users",
            "ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;",
            "CREATE POLICY users_same_org ON app.users",
            "CREATE TRIGGER users_touch BEFORE INSERT ON app.users",
            "COMMENT ON COLUMN app.users.\"Display Name\" IS 'shown in the header';",
            "GRANT INSERT, SELECT, UPDATE ON TABLE app.users TO \"App Writer\";",
            "ALTER SEQUENCE app.users_id_seq OWNED BY app.users.id;",
        ] {
            assert!(users.contains(expected), "{expected}\n---\n{users}");
        }
        let orgs = std::fs::read_to_string(p.join("schema/app/tables/orgs.sql")).expect("orgs");
        assert!(
            orgs.contains("ALTER TABLE app.orgs ADD CONSTRAINT orgs_owner_fk FOREIGN KEY (owner_id) REFERENCES app.users(id)"),
            "{orgs}"
        );
        let overload = std::fs::read_to_string(p.join("schema/billing/functions/total(bigint,numeric).sql"))
            .expect("overload");
        assert!(overload.starts_with("CREATE OR REPLACE FUNCTION billing.total(invoice bigint, tax_percent numeric)"), "{overload}");
        assert!(overload.contains("COMMENT ON ROUTINE billing.total(bigint, numeric) IS 'with tax';"), "{overload}");
        let deploy = std::fs::read_to_string(p.join("migrations/deploy/baseline.sql")).expect("deploy");
        assert!(deploy.starts_with("-- Deploy shop:baseline to pg\n"), "{deploy}");
        assert!(deploy.contains("CREATE SCHEMA \"Audit Log\";"), "{deploy}");
        let revert = std::fs::read_to_string(p.join("migrations/revert/baseline.sql")).expect("revert");
        assert!(revert.contains("DROP SCHEMA app;"), "{revert}");

        // The baseline is recorded as deployed, for gen and for sqitch.
        assert!(has_registry(&client).await);
        let o = run_gen(p, &["status", "--db", &url]);
        assert_exit(&o, 0);
        assert!(stdout(&o).contains("# change:  baseline ("), "{}", stdout(&o));
        assert!(stdout(&o).contains("up to date"), "{}", stdout(&o));
        require_sqitch();
        let target = sqitch_target(&db);
        let status = run_sqitch(p, &target, &["status"]);
        assert!(status.contains("# Change:  ") && status.contains("Nothing to deploy (up-to-date)"), "{status}");

        // The migrations replay to what the files say, and the files say
        // what the database holds.
        let o = run_gen(p, &["check"]);
        assert_exit(&o, 0);
        let o = run_gen(p, &["check", "--db", &url]);
        assert_exit(&o, 0);

        // A second database with the same schema gives the same bytes.
        let (db2, client2, url2) = live(&sandbox, &live_sql()).await;
        let again = tempfile::tempdir().expect("temp dir");
        let o = run_gen(again.path(), &["init", "--from-db", &url2, "--project", "shop"]);
        assert_exit(&o, 0);
        assert!(snapshot(p) == snapshot(again.path()), "a second run wrote different files");
        drop(client2);
        sandbox.drop_database(&db2).await.expect("drop");

        // The loop goes on: edit a file, add a change, deploy it to the
        // live database, which then matches the files again.
        let users_path = p.join("schema/app/tables/users.sql");
        std::fs::write(
            &users_path,
            users.replace("    \"Display Name\" text,\n", "    \"Display Name\" text,\n    nickname text,\n"),
        )
        .expect("edit");
        assert_exit(&run_gen(p, &["add", "nickname"]), 0);
        assert_exit(&run_gen(p, &["check"]), 0);
        assert_exit(&run_gen(p, &["check", "--db", &url]), 1);
        let o = run_gen(p, &["status", "--db", &url]);
        assert!(stdout(&o).contains("undeployed change(s):\n  * nickname\n"), "{}", stdout(&o));
        // Only the new change runs: the baseline is already there.
        let deployed = run_sqitch(p, &target, &["deploy"]);
        assert!(deployed.contains("+ nickname") && !deployed.contains("+ baseline"), "{deployed}");
        assert_exit(&run_gen(p, &["check", "--db", &url]), 0);
        assert_exit(&run_gen(p, &["check", "--db", &url, "--against", "deployed"]), 0);

        drop(client);
        sandbox.shutdown().await.expect("shutdown");
    });
}

/// Bad input is trouble (exit 2) that changes nothing: neither the
/// directory nor the database.
#[test]
fn bad_input_changes_nothing() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        // An unreachable database: the password is never shown.
        let dir = tempfile::tempdir().expect("temp dir");
        let secret = "postgres://alice:s3cr3t-pass@127.0.0.1:1/db";
        let o = run_gen(dir.path(), &["init", "--from-db", secret]);
        assert_exit(&o, 2);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(!all.contains("s3cr3t-pass"), "{all}");
        assert!(all.contains("hint:"), "{all}");
        assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);

        let sandbox = start().await;
        let (db, client, url) = live(&sandbox, &live_sql()).await;

        // An existing project, or a part of one, is never touched.
        for existing in ["schema/app.sql", "migrations/sqitch.plan", "gen.toml"] {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join(existing);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "-- mine\n").expect("write");
            let before = snapshot(dir.path());
            let o = run_gen(dir.path(), &["init", "--from-db", &url]);
            assert_exit(&o, 2);
            let top = existing.split('/').next().expect("top");
            assert!(
                stderr(&o).contains(&format!("{top} already exists")),
                "{}",
                stderr(&o)
            );
            assert!(
                snapshot(dir.path()) == before,
                "{existing}: the directory changed"
            );
        }
        // An empty directory where schema/ would go counts as taken too.
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("schema")).expect("mkdir");
        assert_exit(&run_gen(dir.path(), &["init", "--from-db", &url]), 2);

        assert!(!has_registry(&client).await);
        // Operator families are the superuser's to make.
        client
            .batch_execute("RESET ROLE; CREATE OPERATOR FAMILY public.fam USING btree")
            .await
            .expect("operator family");
        let dir = tempfile::tempdir().expect("temp dir");

        // An object of a kind gen once refused, listed to be ignored, is
        // left out of the files and written to gen.toml, where every later
        // command ignores it too.
        let o = run_gen(
            dir.path(),
            &[
                "init",
                "--from-db",
                &url,
                "--ignore",
                "operator family public.*",
                "--change",
                "adopt",
                "-n",
                "taken from production",
            ],
        );
        assert_exit(&o, 0);
        let plan = std::fs::read_to_string(dir.path().join("migrations/sqitch.plan")).expect("plan");
        assert!(
            plan.contains("\nadopt 2026-01-02T03:04:05Z Test Planner <planner@example.com> # taken from production\n"),
            "{plan}"
        );
        assert!(dir.path().join("migrations/deploy/adopt.sql").is_file());
        let config = std::fs::read_to_string(dir.path().join("gen.toml")).expect("gen.toml");
        assert!(
            config.contains("[ignore]\nobjects = [\"operator family public.*\"]\n"),
            "{config}"
        );
        // Neither the schema files nor the migration hold the family
        // (gen.toml names it in its ignore list).
        assert!(
            snapshot(dir.path())
                .iter()
                .filter(|(p, _)| !p.ends_with("gen.toml"))
                .all(|(_, text)| !String::from_utf8_lossy(text).contains("OPERATOR FAMILY")),
            "the ignored operator family was written"
        );
        assert_exit(&run_gen(dir.path(), &["check"]), 0);
        assert_exit(&run_gen(dir.path(), &["check", "--db", &url]), 0);

        // A bad change name or ignore pattern is refused before any reading.
        let dir = tempfile::tempdir().expect("temp dir");
        let o = run_gen(
            dir.path(),
            &["init", "--from-db", &url, "--change", "bad name"],
        );
        assert_exit(&o, 2);
        let o = run_gen(
            dir.path(),
            &["init", "--from-db", &url, "--ignore", "nonsense"],
        );
        assert_exit(&o, 2);
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);

        // A database with nothing to adopt is trouble, not an empty project.
        let empty = sandbox.create_database("empty").await.expect("database");
        let o = run_gen(dir.path(), &["init", "--from-db", &empty.conninfo()]);
        assert_exit(&o, 2);
        assert!(stderr(&o).contains("nothing gen manages"), "{}", stderr(&o));
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);

        drop(client);
        let _ = db;
        sandbox.shutdown().await.expect("shutdown");
    });
}

/// Every fixture's new.sql, as a live database, goes through
/// `gen init --from-db`: its self-check proves the written files load back
/// into exactly that database, and `gen check` that the baseline change
/// replays to what the files say. (A new.sql with nothing gen manages is
/// trouble by design, and must say so.)
#[test]
fn fixtures_round_trip_through_a_baseline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("repository root")
        .join("fixtures");
    let filter = std::env::var("GEN_BASELINE_FIXTURES").unwrap_or_default();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/")
        .flat_map(|kind| {
            std::fs::read_dir(kind.expect("entry").path())
                .into_iter()
                .flatten()
        })
        .map(|case| case.expect("entry").path().join("new.sql"))
        .filter(|new| new.is_file() && new.to_string_lossy().contains(&filter))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no fixtures match {filter:?}");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox = start().await;
        let major = sandbox.server_version_num() / 10_000;
        // fixtures/pg18/… are PostgreSQL 18's, and a fixture with a
        // `since` file is for that major on.
        let since = |new: &Path| new.parent().and_then(common::fixtures::since);
        let (cases, newer): (Vec<PathBuf>, Vec<PathBuf>) = cases
            .into_iter()
            .partition(|new| since(new).is_none_or(|since| since <= major));
        for new in &newer {
            eprintln!(
                "not run on PostgreSQL {major}: {} (a newer major's fixture)",
                new.display()
            );
        }
        // gen's own sandbox for the self-check: scratch databases on the
        // same server, rather than a cluster per case.
        // Each gen run loads into the warm server of a directory of the
        // test's own, as the sealed sandbox does.
        let warm = tempfile::tempdir().expect("warm server directory");
        let gen_warm = |p: &Path, args: &[&str]| {
            common::gen_cmd(p)
                .env("GEN_SANDBOX_DIR", warm.path())
                .args(args)
                .output()
                .expect("running gen")
        };
        let mut failures = Vec::new();
        let mut adopted = 0;
        for new in &cases {
            let name = new
                .parent()
                .and_then(|d| d.strip_prefix(&root).ok())
                .expect("case directory")
                .display()
                .to_string();
            let source = gen_source::load(new).expect("fixture parses");
            let roles: Vec<String> = source.roles.iter().cloned().collect();
            sandbox.create_roles(&roles).await.expect("roles");
            let (db, client) = gen_load::load_schema(&sandbox, "fixture", &source, None)
                .await
                .expect("fixture loads");
            // Read as a live database: with the handlers the sandbox took.
            db.connect()
                .await
                .expect("superuser")
                .batch_execute(&gen_load::runner::restore_handlers_sql())
                .await
                .expect("handlers restored");
            let dir = tempfile::tempdir().expect("temp dir");
            let p = dir.path();
            let o = gen_warm(p, &["init", "--from-db", &db.conninfo()]);
            match o.status.code() {
                Some(0) => {
                    adopted += 1;
                    let check = gen_warm(p, &["check", "--no-cache"]);
                    if check.status.code() != Some(0) {
                        failures.push(format!(
                            "{name}: gen check after the baseline:\n{}{}",
                            stdout(&check),
                            stderr(&check)
                        ));
                    }
                }
                Some(2) if stderr(&o).contains("nothing gen manages") && files(p).is_empty() => {}
                _ => failures.push(format!("{name}: gen init --from-db:\n{}", stderr(&o))),
            }
            drop(client);
            sandbox.drop_database(&db).await.expect("drop");
        }
        sandbox.shutdown().await.expect("shutdown");
        let stop = common::gen_cmd(warm.path())
            .env("GEN_SANDBOX_DIR", warm.path())
            .args(["sandbox", "stop"])
            .output()
            .expect("stopping the warm server");
        assert_exit(&stop, 0);
        assert!(
            failures.is_empty(),
            "{} of {} cases failed:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
        assert!(
            adopted * 10 >= cases.len() * 9,
            "only {adopted} of {} cases had anything to adopt",
            cases.len()
        );
    });
}

/// Recording is the last step: when it fails, the files stay written,
/// the database stays as it was, and the message says how to record the
/// change later.
#[test]
fn a_failed_recording_says_how_to_redo_it() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox = start().await;
        let (db, client, url) = live(&sandbox, &live_sql()).await;
        // A role that can read the catalog but not create sqitch's schema.
        client
            .batch_execute(&format!(
                "RESET ROLE; CREATE ROLE looker LOGIN; REVOKE CREATE ON DATABASE {} FROM PUBLIC",
                db.name()
            ))
            .await
            .expect("role");
        let looker = format!("{url} user=looker");
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path();
        let o = run_gen(p, &["init", "--from-db", &looker]);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(err.contains("recording baseline as deployed"), "{err}");
        assert!(
            err.contains("hint: the files are written and the database is unchanged; record the change with `gen deploy --db URL --log-only --to baseline`"),
            "{err}"
        );
        assert_eq!(files(p).len(), LAYOUT.len());
        assert!(!has_registry(&client).await);

        let o = run_gen(p, &["deploy", "--db", &url, "--log-only", "--to", "baseline"]);
        assert_exit(&o, 0);
        let o = run_gen(p, &["status", "--db", &url]);
        assert!(stdout(&o).contains("up to date"), "{}", stdout(&o));
        drop(client);
        sandbox.shutdown().await.expect("shutdown");
    });
}
