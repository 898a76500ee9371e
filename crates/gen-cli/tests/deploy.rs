//! `gen deploy`, `revert`, `verify`, `status` and `tag` against a real
//! Postgres, and taking turns with the real `sqitch` on the same database.
//!
//! Needs PostgreSQL server binaries and `sqitch` with its Postgres driver;
//! fails, never skips, without them.

use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::*;
use gen_sandbox::{Backend, Database, Sandbox};
use tokio_postgres::Client;

/// Runs sqitch on the project's migrations against `db`; must succeed.
fn sqitch(p: &Path, db: &Database, args: &[&str]) -> String {
    run_sqitch(p, &sqitch_target(db), args)
}

/// A change written by hand: name, requirements, deploy, revert, verify.
struct Change<'a> {
    name: &'a str,
    requires: &'a str,
    deploy: &'a str,
    revert: &'a str,
    verify: &'a str,
}

const SCHEMA: Change = Change {
    name: "appschema",
    requires: "",
    deploy: "-- Deploy shop:appschema to pg\n\nBEGIN;\n\nCREATE SCHEMA app;\n\nCOMMIT;\n",
    revert: "-- Revert shop:appschema from pg\n\nBEGIN;\n\nDROP SCHEMA app;\n\nCOMMIT;\n",
    verify: "-- Verify shop:appschema on pg\n\nBEGIN;\n\nSELECT 1 / count(*) FROM pg_namespace WHERE nspname = 'app';\n\nROLLBACK;\n",
};

const ITEMS: Change = Change {
    name: "items",
    requires: "[appschema]",
    deploy: "-- Deploy shop:items to pg\n\nBEGIN;\n\nCREATE TABLE app.items (id int PRIMARY KEY, name text);\nINSERT INTO app.items VALUES (1, 'seed');\n\nCOMMIT;\n",
    revert: "-- Revert shop:items from pg\n\nBEGIN;\n\nDROP TABLE app.items;\n\nCOMMIT;\n",
    verify: "-- Verify shop:items on pg\n\nBEGIN;\n\nSELECT id, name FROM app.items WHERE false;\n\nROLLBACK;\n",
};

const PRICES: Change = Change {
    name: "prices",
    requires: "[items]",
    deploy: "-- Deploy shop:prices to pg\n\nBEGIN;\n\nALTER TABLE app.items ADD COLUMN price int;\n\nCOMMIT;\n",
    revert: "-- Revert shop:prices from pg\n\nBEGIN;\n\nALTER TABLE app.items DROP COLUMN price;\n\nCOMMIT;\n",
    verify: "-- Verify shop:prices on pg\n\nBEGIN;\n\nSELECT price FROM app.items WHERE false;\n\nROLLBACK;\n",
};

/// A project with these changes planned (a tag `@v1` after the one named
/// `tag_after`) and gen.sum written.
fn project(changes: &[&Change], tag_after: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    assert_exit(&run_gen(p, &["init", "--project", "shop"]), 0);
    let mut plan = std::fs::read_to_string(p.join("migrations/sqitch.plan")).expect("plan");
    for c in changes {
        let requires = if c.requires.is_empty() {
            String::new()
        } else {
            format!("{} ", c.requires)
        };
        plan.push_str(&format!(
            "{} {requires}2026-01-02T03:04:05Z Test Planner <planner@example.com> # Add {}.\n",
            c.name, c.name
        ));
        if tag_after == Some(c.name) {
            plan.push_str(
                "@v1 2026-01-02T03:04:06Z Test Planner <planner@example.com> # Release 1.\n",
            );
        }
        for (kind, body) in [
            ("deploy", c.deploy),
            ("revert", c.revert),
            ("verify", c.verify),
        ] {
            let path = p.join(format!("migrations/{kind}/{}.sql", c.name));
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, body).expect("write script");
        }
    }
    std::fs::write(p.join("migrations/sqitch.plan"), plan).expect("write plan");
    assert_exit(&run_gen(p, &["rehash"]), 0);
    dir
}

/// Starts a sandbox with one scratch database and runs `f` on it.
fn with_db<F>(f: F)
where
    F: AsyncFnOnce(&Database, Client, String),
{
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let sandbox =
            Sandbox::start(&Backend::local_from_env().expect("GEN_PG_BIN, GEN_PG_VERSION"))
                .await
                .expect("a local Postgres (install postgresql)");
        let db = sandbox.create_database("deploy").await.expect("database");
        let client = db.connect().await.expect("connect");
        let url = url(&db);
        f(&db, client, url).await;
        sandbox.shutdown().await.expect("shutdown");
    });
}

async fn one<T>(client: &Client, sql: &str) -> T
where
    T: for<'r> tokio_postgres::types::FromSql<'r>,
{
    client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

async fn deployed_names(client: &Client) -> Vec<String> {
    if !one::<bool>(client, "SELECT to_regclass('sqitch.changes') IS NOT NULL").await {
        return Vec::new();
    }
    client
        .query(
            "SELECT change FROM sqitch.changes ORDER BY committed_at",
            &[],
        )
        .await
        .expect("registry")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// Tables, columns, schemas and registry rows: what a command that must
/// change nothing must leave as it was.
async fn fingerprint(client: &Client) -> String {
    let catalog: String = one(
        client,
        "SELECT concat_ws(' | ',
            (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace),
            (SELECT string_agg(attrelid::regclass::text || '.' || attname, ',' ORDER BY 1)
               FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND attnum > 0))",
    )
    .await;
    let events = if one::<bool>(client, "SELECT to_regclass('sqitch.events') IS NOT NULL").await {
        one::<i64>(client, "SELECT count(*) FROM sqitch.events")
            .await
            .to_string()
    } else {
        "no registry".to_owned()
    };
    format!("{catalog} | {events}")
}

#[test]
fn gen_and_sqitch_take_turns_on_one_database() {
    require_sqitch();
    let dir = project(&[&SCHEMA, &ITEMS, &PRICES], Some("items"));
    let p = dir.path();
    with_db(async |db, client, url| {
        // Half with gen, the rest with sqitch.
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--to", "items"]), 0);
        assert_eq!(deployed_names(&client).await, ["appschema", "items"]);
        let status = sqitch(p, db, &["status"]);
        assert!(
            status.contains("# Name:     items\n# Tag:      @v1"),
            "{status}"
        );
        assert!(
            status.contains("Undeployed change:\n  * prices"),
            "{status}"
        );
        sqitch(p, db, &["verify"]);
        sqitch(p, db, &["deploy"]);
        let by_sqitch = recorded(&client, "prices").await;
        let o = run_gen(p, &["status", "--db", &url]);
        assert_exit(&o, 0);
        assert!(text(&o).contains("up to date"), "{}", text(&o));
        let o = run_gen(p, &["status", "--db", &url, "--format", "json"]);
        assert_exit(&o, 0);
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(json["up_to_date"], true);
        assert_eq!(json["deployed"][1]["tags"][0], "@v1");
        assert_eq!(
            json["deployed"][2]["committer"],
            "Sqitch User <sqitch@example.com>"
        );
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);

        // Revert with gen, then with sqitch, deploy again with gen.
        assert_exit(
            &run_gen(p, &["revert", "--db", &url, "-y", "--to", "items"]),
            0,
        );
        assert_eq!(deployed_names(&client).await, ["appschema", "items"]);
        assert!(sqitch(p, db, &["status"]).contains("Undeployed change:\n  * prices"));
        sqitch(p, db, &["revert", "-y"]);
        assert_eq!(deployed_names(&client).await, Vec::<String>::new());
        assert!(
            !one::<bool>(
                &client,
                "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'app')"
            )
            .await
        );
        // A tag deployed by sqitch, as gen shows it.
        sqitch(p, db, &["deploy", "--to", "@v1"]);
        let o = run_gen(p, &["status", "--db", &url, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(json["deployed"][1]["tags"][0], "@v1", "{json}");
        assert_eq!(
            json["deployed"][1]["committer"],
            "Sqitch User <sqitch@example.com>"
        );
        assert_eq!(json["pending"][0], "prices");
        assert_exit(
            &run_gen(p, &["status", "--db", &url, "--require", "@v1"]),
            0,
        );
        assert_exit(&run_gen(p, &["deploy", "--db", &url]), 0);
        sqitch(p, db, &["verify"]);
        let log = sqitch(p, db, &["log", "--format", "oneline"]);
        assert!(log.contains("deploy") && log.contains("revert"), "{log}");
        // Every event gen wrote reads back in sqitch's own order.
        let events: Vec<String> = client
            .query(
                "SELECT event || ' ' || change || ' ' || array_to_string(tags, ',') || ' ' || array_to_string(requires, ',')
                   FROM sqitch.events ORDER BY committed_at",
                &[],
            )
            .await
            .expect("events")
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(
            events,
            [
                "deploy appschema  ",
                "deploy items @v1 appschema",
                "deploy prices  items",
                "revert prices  items",
                "revert items @v1 appschema",
                "revert appschema  ",
                "deploy appschema  ",
                "deploy items @v1 appschema",
                "deploy prices  items",
            ]
        );
        // Sqitch's revert of what gen deployed, gen's deploy after it.
        sqitch(p, db, &["revert", "-y", "--to", "@v1"]);
        assert_exit(&run_gen(p, &["deploy", "--db", &url]), 0);
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);
        assert_eq!(
            one::<i64>(&client, "SELECT count(*) FROM app.items").await,
            1
        );
        // gen records the change exactly as sqitch did: id, script hash,
        // planner, note and resolved dependencies.
        assert_eq!(recorded(&client, "prices").await, by_sqitch);
    });
}

/// Everything the registry holds about a change except who deployed it and when.
async fn recorded(client: &Client, change: &str) -> String {
    client
        .query_one(
            "SELECT concat_ws(' | ', c.change_id, c.script_hash, c.project, c.note, c.planner_name,
                    c.planner_email, c.planned_at,
                    (SELECT string_agg(type || ' ' || dependency || ' ' || coalesce(dependency_id, '-'), ', ' ORDER BY dependency)
                       FROM sqitch.dependencies d WHERE d.change_id = c.change_id))
               FROM sqitch.changes c WHERE c.change = $1",
            &[&change],
        )
        .await
        .expect("registry row")
        .get(0)
}

#[test]
fn failing_change_rolls_back_and_stops() {
    let broken = Change {
        name: "broken",
        requires: "",
        deploy: "-- Deploy shop:broken to pg\n\nBEGIN;\n\nCREATE TABLE app.half (id int);\nINSERT INTO app.half SELECT * FROM app.nowhere;\n\nCOMMIT;\n",
        revert: "BEGIN;\nDROP TABLE app.half;\nCOMMIT;\n",
        verify: "BEGIN;\nROLLBACK;\n",
    };
    let dir = project(&[&SCHEMA, &broken, &ITEMS], None);
    let p = dir.path();
    with_db(async |_db, client, url| {
        let o = run_gen(p, &["deploy", "--db", &url]);
        assert_exit(&o, 2);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(
                "migrations/deploy/broken.sql:6:36: relation \"app.nowhere\" does not exist"
            ),
            "{err}"
        );
        assert!(err.contains("changes after it were not attempted"), "{err}");
        assert_eq!(deployed_names(&client).await, ["appschema"]);
        assert!(
            one::<Option<String>>(&client, "SELECT to_regclass('app.half')::text")
                .await
                .is_none()
        );
        assert!(
            one::<Option<String>>(&client, "SELECT to_regclass('app.items')::text")
                .await
                .is_none()
        );
        let events: Vec<String> = client
            .query(
                "SELECT event || ' ' || change FROM sqitch.events ORDER BY committed_at",
                &[],
            )
            .await
            .expect("events")
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(events, ["deploy appschema", "fail broken"]);
    });
}

#[test]
fn concurrent_deploys_apply_each_change_once() {
    let dir = project(&[&SCHEMA, &ITEMS, &PRICES], None);
    let p = dir.path();
    with_db(async |_db, client, url| {
        let children: Vec<_> = (0..4)
            .map(|_| {
                gen_cmd(p)
                    .args(["deploy", "--db", &url])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn gen")
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().expect("gen");
            assert_exit(&o, 0);
        }
        assert_eq!(
            deployed_names(&client).await,
            ["appschema", "items", "prices"]
        );
        assert_eq!(
            one::<i64>(&client, "SELECT count(*) FROM app.items").await,
            1
        );
    });
}

#[test]
fn gen_and_sqitch_deploying_at_once_wait_for_each_other() {
    require_sqitch();
    let dir = project(&[&SCHEMA, &ITEMS, &PRICES], None);
    let p = dir.path();
    with_db(async |db, client, url| {
        let conninfo = db.conninfo();
        let host = conninfo
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix("host="))
            .expect("socket directory")
            .trim_matches('\'')
            .to_owned();
        let sqitch_run = Command::new("sqitch")
            .arg("--chdir")
            .arg(p.join("migrations"))
            .args([
                "deploy",
                &format!(
                    "db:pg://{}@/{}?host={host}",
                    gen_sandbox::SUPERUSER,
                    db.name()
                ),
            ])
            .env("SQITCH_USER_CONFIG", "/dev/null")
            .env("SQITCH_SYSTEM_CONFIG", "/dev/null")
            .env("SQITCH_FULLNAME", "Sqitch User")
            .env("SQITCH_EMAIL", "sqitch@example.com")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn sqitch");
        let gens: Vec<_> = (0..2)
            .map(|_| {
                gen_cmd(p)
                    .args(["deploy", "--db", &url])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn gen")
            })
            .collect();
        let o = sqitch_run.wait_with_output().expect("sqitch");
        assert!(o.status.success(), "{}", text(&o));
        for child in gens {
            assert_exit(&child.wait_with_output().expect("gen"), 0);
        }
        assert_eq!(
            deployed_names(&client).await,
            ["appschema", "items", "prices"]
        );
        assert_eq!(
            one::<i64>(&client, "SELECT count(*) FROM app.items").await,
            1
        );
        assert_eq!(
            one::<i64>(
                &client,
                "SELECT count(*) FROM sqitch.events WHERE event = 'deploy'"
            )
            .await,
            3
        );
    });
}

#[test]
fn online_change_runs_outside_a_transaction() {
    let online = Change {
        name: "online",
        requires: "",
        deploy: "-- Deploy shop:online to pg\n-- gen: not transactional (online mode)\n\nSET lock_timeout = '5s';\n\n-- outside a transaction:\nCREATE INDEX CONCURRENTLY items_name ON app.items (name);\n\nBEGIN;\n\nCOMMENT ON TABLE app.items IS 'with index';\n\nCOMMIT;\n",
        revert: "-- Revert shop:online from pg\n-- gen: not transactional (online mode)\n\nDROP INDEX CONCURRENTLY app.items_name;\n",
        verify: "BEGIN;\nSELECT 1 / count(*) FROM pg_index WHERE indexrelid = 'app.items_name'::regclass AND indisvalid;\nROLLBACK;\n",
    };
    let dir = project(&[&SCHEMA, &ITEMS, &online], None);
    let p = dir.path();
    with_db(async |_db, client, url| {
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--verify"]), 0);
        assert_eq!(
            deployed_names(&client).await,
            ["appschema", "items", "online"]
        );
        assert_eq!(
            one::<Option<String>>(&client, "SELECT obj_description('app.items'::regclass)").await,
            Some("with index".to_owned())
        );
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);
        // The session settings of one script do not leak into the next.
        assert_exit(
            &run_gen(p, &["revert", "--db", &url, "-y", "--to", "items"]),
            0,
        );
        assert!(
            one::<Option<String>>(&client, "SELECT to_regclass('app.items_name')::text")
                .await
                .is_none()
        );
    });
}

#[test]
fn online_change_that_fails_is_not_recorded() {
    let online = Change {
        name: "online",
        requires: "",
        deploy: "-- Deploy shop:online to pg\n-- gen: not transactional (online mode)\n\nCREATE INDEX CONCURRENTLY items_name ON app.items (name);\n\nCREATE INDEX CONCURRENTLY items_nope ON app.items (nope);\n",
        revert: "DROP INDEX CONCURRENTLY IF EXISTS app.items_name;\n",
        verify: "SELECT 1;\n",
    };
    let dir = project(&[&SCHEMA, &ITEMS, &online], None);
    let p = dir.path();
    with_db(async |_db, client, url| {
        let o = run_gen(p, &["deploy", "--db", &url]);
        assert_exit(&o, 2);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("migrations/deploy/online.sql:6:"), "{err}");
        assert!(err.contains("does not run in one transaction"), "{err}");
        assert_eq!(deployed_names(&client).await, ["appschema", "items"]);
    });
}

#[test]
fn bad_input_is_trouble_and_changes_nothing() {
    let dir = project(&[&SCHEMA, &ITEMS], None);
    let p = dir.path();
    with_db(async |_db, client, url| {
        let before = fingerprint(&client).await;

        // An edited script.
        let path = p.join("migrations/deploy/items.sql");
        let original = std::fs::read_to_string(&path).expect("script");
        std::fs::write(&path, original.replace("'seed'", "'edited'")).expect("edit");
        let o = run_gen(p, &["deploy", "--db", &url]);
        assert_exit(&o, 2);
        assert!(
            text(&o).contains("migrations/deploy/items.sql was edited"),
            "{}",
            text(&o)
        );
        assert_eq!(fingerprint(&client).await, before);
        std::fs::write(&path, &original).expect("restore");

        // A missing script.
        std::fs::remove_file(&path).expect("remove");
        let o = run_gen(p, &["deploy", "--db", &url]);
        assert_exit(&o, 2);
        assert!(
            text(&o).contains("migrations/deploy/items.sql"),
            "{}",
            text(&o)
        );
        assert_eq!(fingerprint(&client).await, before);
        std::fs::write(&path, &original).expect("restore");

        // An unreachable database; the password stays hidden.
        let o = run_gen(
            p,
            &[
                "deploy",
                "--db",
                "postgres://alice:s3cr3t-pass@127.0.0.1:1/db",
            ],
        );
        assert_exit(&o, 2);
        assert!(!text(&o).contains("s3cr3t-pass"), "{}", text(&o));
        assert!(text(&o).contains("hint:"), "{}", text(&o));

        // A plan whose order disagrees with the registry.
        assert_exit(
            &run_gen(p, &["deploy", "--db", &url, "--to", "appschema"]),
            0,
        );
        let deployed = fingerprint(&client).await;
        let plan_path = p.join("migrations/sqitch.plan");
        let plan = std::fs::read_to_string(&plan_path).expect("plan");
        let lines: Vec<&str> = plan.lines().collect();
        let (head, changes) = lines.split_at(lines.len() - 2);
        let swapped = format!(
            "{}\n{}\n{}\n",
            head.join("\n"),
            changes[1].replace(" [appschema]", ""),
            changes[0]
        );
        std::fs::write(&plan_path, swapped).expect("swap");
        for cmd in ["deploy", "status"] {
            let o = run_gen(p, &[cmd, "--db", &url]);
            assert_exit(&o, 2);
            assert!(
                text(&o).contains("deployed change appschema"),
                "{}",
                text(&o)
            );
        }
        assert_eq!(fingerprint(&client).await, deployed);
        std::fs::write(&plan_path, &plan).expect("restore plan");

        // A registry where the project is another one (same name, other URI).
        client
            .batch_execute("UPDATE sqitch.projects SET uri = 'https://example.com/other'")
            .await
            .expect("other project");
        let registered = fingerprint(&client).await;
        for args in [
            &["deploy", "--db", &url][..],
            &["deploy", "--db", &url, "--dry-run"],
            &["status", "--db", &url, "--require", "appschema"],
            &["revert", "--db", &url, "-y"],
        ] {
            let o = run_gen(p, args);
            assert_exit(&o, 2);
            assert!(
                text(&o).contains("registered in the database with URI https://example.com/other"),
                "{args:?}: {}",
                text(&o)
            );
        }
        assert_eq!(fingerprint(&client).await, registered);
    });
}

#[test]
fn verify_flag_reverts_a_change_whose_verify_fails() {
    let wrong = Change {
        name: "wrong",
        requires: "",
        deploy: "BEGIN;\nCREATE TABLE app.wrong (id int);\nCOMMIT;\n",
        revert: "BEGIN;\nDROP TABLE app.wrong;\nCOMMIT;\n",
        verify: "BEGIN;\nSELECT missing_column FROM app.wrong;\nROLLBACK;\n",
    };
    let dir = project(&[&SCHEMA, &wrong], None);
    let p = dir.path();
    with_db(async |_db, client, url| {
        let o = run_gen(p, &["deploy", "--db", &url, "--verify"]);
        assert_exit(&o, 2);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("verify script migrations/verify/wrong.sql failed"),
            "{err}"
        );
        assert!(err.contains("migrations/verify/wrong.sql:2:8"), "{err}");
        assert_eq!(deployed_names(&client).await, ["appschema"]);
        assert!(
            one::<Option<String>>(&client, "SELECT to_regclass('app.wrong')::text")
                .await
                .is_none()
        );
        // Without --verify it deploys, and `gen verify` finds the fault.
        assert_exit(&run_gen(p, &["deploy", "--db", &url]), 0);
        let o = run_gen(p, &["verify", "--db", &url]);
        assert_exit(&o, 1);
        assert!(text(&o).contains("wrong .. not ok"), "{}", text(&o));
        assert!(
            text(&o).contains("migrations/verify/wrong.sql:2:8"),
            "{}",
            text(&o)
        );
        // A deployed change the plan no longer has is reported too.
        let plan_path = p.join("migrations/sqitch.plan");
        let plan = std::fs::read_to_string(&plan_path).expect("plan");
        let kept: Vec<&str> = plan.lines().filter(|l| !l.starts_with("wrong ")).collect();
        std::fs::write(&plan_path, kept.join("\n") + "\n").expect("plan");
        let o = run_gen(p, &["verify", "--db", &url]);
        assert_exit(&o, 1);
        assert!(text(&o).contains("appschema .. ok"), "{}", text(&o));
        assert!(
            text(&o).contains("wrong .. not ok: deployed"),
            "{}",
            text(&o)
        );
    });
}

#[test]
fn verify_flag_says_when_a_change_has_no_verify_script() {
    let dir = project(&[&SCHEMA], None);
    let p = dir.path();
    std::fs::remove_file(p.join("migrations/verify/appschema.sql")).expect("remove verify");
    assert_exit(&run_gen(p, &["rehash"]), 0);
    with_db(async |_db, client, url| {
        let o = run_gen(p, &["deploy", "--db", &url, "--verify"]);
        assert_exit(&o, 0);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("warning: appschema has no verify script; it deploys unverified"),
            "{err}"
        );
        assert_eq!(deployed_names(&client).await, ["appschema"]);
    });
}

#[test]
fn backup_is_a_dump_that_restores() {
    let dir = project(&[&SCHEMA, &ITEMS, &PRICES], None);
    let p = dir.path();
    with_db(async |db, client, url| {
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--to", "items"]), 0);
        client
            .batch_execute("INSERT INTO app.items VALUES (2, 'before backup')")
            .await
            .expect("row");
        let backup = p.join("before.sql");
        let o = run_gen(
            p,
            &[
                "deploy",
                "--db",
                &url,
                "--backup",
                backup.to_str().expect("utf-8"),
            ],
        );
        assert_exit(&o, 0);
        // Restore into a fresh database: the data and registry as they
        // were before `prices`.
        let sandbox_url = url.replace(db.name(), "postgres");
        let admin = gen_sandbox::connect_url(&sandbox_url).await.expect("admin");
        admin
            .batch_execute("CREATE DATABASE restored")
            .await
            .expect("create");
        let psql = Path::new("/usr/lib/postgresql/15/bin/psql");
        let psql = if psql.exists() {
            psql.to_owned()
        } else {
            "psql".into()
        };
        let restored_url = url.replace(db.name(), "restored");
        let out = Command::new(psql)
            .args(["-v", "ON_ERROR_STOP=1", "-q", "-f"])
            .arg(&backup)
            .arg(&restored_url)
            .output()
            .expect("psql");
        assert!(out.status.success(), "{}", text(&out));
        let restored = gen_sandbox::connect_url(&restored_url)
            .await
            .expect("connect");
        assert_eq!(
            one::<i64>(&restored, "SELECT count(*) FROM app.items").await,
            2
        );
        assert_eq!(deployed_names(&restored).await, ["appschema", "items"]);
        drop(restored);
        admin
            .batch_execute("DROP DATABASE restored")
            .await
            .expect("drop");
        // Nothing to deploy: no backup written.
        let again = p.join("again.sql");
        assert_exit(
            &run_gen(
                p,
                &[
                    "deploy",
                    "--db",
                    &url,
                    "--backup",
                    again.to_str().expect("utf-8"),
                ],
            ),
            0,
        );
        assert!(!again.exists());
    });
}

#[test]
fn dry_run_changes_nothing() {
    let dir = project(&[&SCHEMA, &ITEMS], None);
    let p = dir.path();
    with_db(async |_db, client, url| {
        let before = fingerprint(&client).await;
        let o = run_gen(p, &["deploy", "--db", &url, "--dry-run"]);
        assert_exit(&o, 0);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            "+ appschema (migrations/deploy/appschema.sql, one transaction)\n+ items (migrations/deploy/items.sql, one transaction)\n"
        );
        assert_eq!(fingerprint(&client).await, before);
        assert!(before.ends_with("no registry"), "{before}");
    });
}

#[test]
fn status_require_answers_yes_no_or_trouble() {
    let dir = project(&[&SCHEMA, &ITEMS, &PRICES], None);
    let p = dir.path();
    with_db(async |_db, _client, url| {
        // No registry yet: not deployed.
        assert_exit(
            &run_gen(p, &["status", "--db", &url, "--require", "appschema"]),
            1,
        );
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--to", "items"]), 0);
        assert_exit(
            &run_gen(p, &["status", "--db", &url, "--require", "items"]),
            0,
        );
        assert_exit(
            &run_gen(p, &["status", "--db", &url, "--require", "appschema"]),
            0,
        );
        let o = run_gen(p, &["status", "--db", &url, "--require", "prices"]);
        assert_exit(&o, 1);
        assert!(
            text(&o).contains("does not have prices deployed"),
            "{}",
            text(&o)
        );
        let o = run_gen(p, &["status", "--db", &url, "--require", "nonesuch"]);
        assert_exit(&o, 2);
        assert!(
            text(&o).contains("no change or tag \"nonesuch\""),
            "{}",
            text(&o)
        );
        assert_exit(
            &run_gen(
                p,
                &[
                    "status",
                    "--db",
                    "postgres://127.0.0.1:1/db",
                    "--require",
                    "items",
                ],
            ),
            2,
        );

        // --db from the environment, as a container passes it.
        let o = gen_cmd(p)
            .env("GEN_DB", &url)
            .args(["status", "--require", "items"])
            .output()
            .expect("gen");
        assert_exit(&o, 0);

        // Tag a change in the middle, then the plan's end, deploy, and
        // require the tags.
        assert_exit(&run_gen(p, &["tag", "@v1.1", "--change", "items"]), 0);
        assert_exit(
            &run_gen(p, &["status", "--db", &url, "--require", "@v1.1"]),
            0,
        );
        let o = run_gen(p, &["tag", "@v1.2", "-n", "Release 1.2."]);
        assert_exit(&o, 0);
        let plan = std::fs::read_to_string(p.join("migrations/sqitch.plan")).expect("plan");
        assert!(
            plan.ends_with(
                "@v1.2 2026-01-02T03:04:05Z Test Planner <planner@example.com> # Release 1.2.\n"
            ),
            "{plan}"
        );
        assert_exit(&run_gen(p, &["tag", "v1.2"]), 2);
        assert_exit(
            &run_gen(p, &["status", "--db", &url, "--require", "@v1.2"]),
            1,
        );
        assert_exit(&run_gen(p, &["deploy", "--db", &url]), 0);
        assert_exit(
            &run_gen(p, &["status", "--db", &url, "--require", "@v1.2"]),
            0,
        );
        // The tag is in the registry as sqitch records it.
        let o = run_gen(p, &["status", "--db", &url]);
        assert!(text(&o).contains("prices @v1.2"), "{}", text(&o));
    });
}

#[test]
fn log_only_records_without_running() {
    require_sqitch();
    let dir = project(&[&SCHEMA, &ITEMS], None);
    let p = dir.path();
    with_db(async |db, client, url| {
        client
            .batch_execute("CREATE SCHEMA app")
            .await
            .expect("baseline");
        assert_exit(
            &run_gen(
                p,
                &["deploy", "--db", &url, "--log-only", "--to", "appschema"],
            ),
            0,
        );
        assert_eq!(deployed_names(&client).await, ["appschema"]);
        assert!(sqitch(p, db, &["status"]).contains("Undeployed change:\n  * items"));
        sqitch(p, db, &["deploy"]);
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);
    });
}

#[test]
fn revert_without_a_terminal_needs_yes() {
    let dir = project(&[&SCHEMA], None);
    let p = dir.path();
    with_db(async |_db, client, url| {
        assert_exit(&run_gen(p, &["deploy", "--db", &url]), 0);
        let o = run_gen(p, &["revert", "--db", &url]);
        assert_exit(&o, 2);
        assert!(text(&o).contains("pass -y"), "{}", text(&o));
        assert_eq!(deployed_names(&client).await, ["appschema"]);
    });
}

/// What `gen add --online` writes deploys with gen, converges on the schema
/// files, reverts with gen and deploys again with sqitch.
#[test]
fn generated_online_migration_deploys_and_reverts() {
    require_sqitch();
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    assert_exit(&run_gen(p, &["init", "--project", "shop"]), 0);
    let write = |text: &str| std::fs::write(p.join("schema/app.sql"), text).expect("schema");
    write(
        "CREATE TABLE customer (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total int);\n",
    );
    assert_exit(&run_gen(p, &["add", "tables"]), 0);
    write(
        "CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer (id), total int CHECK (total >= 0));\nCREATE INDEX orders_customer_id ON orders (customer_id);\n",
    );
    assert_exit(&run_gen(p, &["add", "online", "--online"]), 0);
    let deploy = std::fs::read_to_string(p.join("migrations/deploy/online.sql")).expect("deploy");
    assert!(deploy.contains("CREATE INDEX CONCURRENTLY"), "{deploy}");
    with_db(async |db, client, url| {
        let o = run_gen(p, &["deploy", "--db", &url, "--dry-run"]);
        assert!(
            text(&o).contains("+ online (migrations/deploy/online.sql, not transactional)"),
            "{}",
            text(&o)
        );
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--verify"]), 0);
        assert_exit(
            &run_gen(
                p,
                &["diff", "--from", &url, "--to", "schema", "--exit-code"],
            ),
            0,
        );
        client
            .batch_execute("INSERT INTO public.customer VALUES (1, 'a@example.com'); INSERT INTO public.orders VALUES (1, 1, 10);")
            .await
            .expect("rows fit the new constraints");
        sqitch(p, db, &["verify"]);
        assert_exit(
            &run_gen(p, &["revert", "--db", &url, "-y", "--to", "tables"]),
            0,
        );
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);
        sqitch(p, db, &["deploy"]);
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);
        assert_exit(
            &run_gen(p, &["status", "--db", &url, "--require", "online"]),
            0,
        );
    });
}

#[test]
fn a_split_change_moves_data_between_its_halves_and_reverts() {
    require_sqitch();
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    assert_exit(&run_gen(p, &["init", "--project", "shop"]), 0);
    let write = |text: &str| std::fs::write(p.join("schema/app.sql"), text).expect("schema");
    write(
        "CREATE TYPE tier AS ENUM ('free', 'paid');
CREATE TABLE customer (id bigint PRIMARY KEY, full_name text NOT NULL, tier tier NOT NULL);
CREATE TABLE legacy_note (id serial PRIMARY KEY, customer_id bigint REFERENCES customer (id), body text);
",
    );
    assert_exit(&run_gen(p, &["add", "tables"]), 0);
    // The name is split in two, the tier becomes a flag, the notes go.
    write(
        "CREATE TABLE customer (id bigint PRIMARY KEY, first_name text, last_name text, paying boolean NOT NULL DEFAULT false);
",
    );
    let o = run_gen(p, &["add", "names", "--split"]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("deletes-data"), "{}", stderr(&o));
    let o = run_gen(
        p,
        &["add", "names", "--split", "--allow-hazard", "deletes-data"],
    );
    assert_exit(&o, 0);
    let read = |kind: &str, name: &str| {
        std::fs::read_to_string(p.join(format!("migrations/{kind}/{name}.sql"))).expect("script")
    };
    let expand = read("deploy", "names_expand");
    assert!(expand.contains("ADD COLUMN first_name text"), "{expand}");
    assert!(
        expand.contains("ALTER COLUMN full_name DROP NOT NULL")
            && expand.contains("ALTER COLUMN tier DROP NOT NULL"),
        "{expand}"
    );
    assert!(
        !expand.contains("DROP COLUMN") && !expand.contains("DROP TABLE"),
        "{expand}"
    );
    let contract = read("deploy", "names_contract");
    assert!(
        contract.contains("DROP COLUMN full_name")
            && contract.contains("DROP TABLE public.legacy_note")
            && contract.contains("DROP TYPE public.tier"),
        "{contract}"
    );
    let plan = std::fs::read_to_string(p.join("migrations/sqitch.plan")).expect("plan");
    assert!(plan.contains("\nnames_expand "), "{plan}");
    assert!(plan.contains("\nnames_data [names_expand] "), "{plan}");
    assert!(plan.contains("\nnames_contract [names_data] "), "{plan}");
    // The data step is the team's to write.
    std::fs::write(
        p.join("migrations/deploy/names_data.sql"),
        "-- Deploy shop:names_data to pg\n\nBEGIN;\n\nUPDATE public.customer SET first_name = split_part(full_name, ' ', 1), last_name = split_part(full_name, ' ', 2), paying = (tier = 'paid');\n\nCOMMIT;\n",
    )
    .expect("data step");
    std::fs::write(
        p.join("migrations/revert/names_data.sql"),
        "-- Revert shop:names_data from pg\n\nBEGIN;\n\nUPDATE public.customer SET full_name = concat_ws(' ', first_name, last_name), tier = CASE WHEN paying THEN 'paid' ELSE 'free' END::public.tier;\n\nCOMMIT;\n",
    )
    .expect("data step's revert");
    assert_exit(&run_gen(p, &["rehash"]), 0);
    assert_exit(&run_gen(p, &["check"]), 0);
    with_db(async |db, client, url| {
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--to", "tables"]), 0);
        client
            .batch_execute("INSERT INTO public.customer VALUES (1, 'Ada Lovelace', 'paid'); INSERT INTO public.legacy_note (customer_id, body) VALUES (1, 'first');")
            .await
            .expect("rows");
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--verify"]), 0);
        let row: String = one(
            &client,
            "SELECT concat_ws(' ', first_name, last_name, paying) FROM public.customer",
        )
        .await;
        assert_eq!(row, "Ada Lovelace t");
        assert_exit(
            &run_gen(
                p,
                &["diff", "--from", &url, "--to", "schema", "--exit-code"],
            ),
            0,
        );
        sqitch(p, db, &["verify"]);
        // Back to before the contract: the columns and table are there
        // again, empty, and the data step's revert fills the names back.
        assert_exit(
            &run_gen(p, &["revert", "--db", &url, "-y", "--to", "names_data"]),
            0,
        );
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);
        assert_exit(
            &run_gen(p, &["revert", "--db", &url, "-y", "--to", "tables"]),
            0,
        );
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);
        let name: String = one(&client, "SELECT full_name FROM public.customer").await;
        assert_eq!(name, "Ada Lovelace");
    });
}

#[test]
fn a_partition_made_beside_a_default_holding_its_rows_fails_naming_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    assert_exit(&run_gen(p, &["init", "--project", "shop"]), 0);
    let events = "CREATE TABLE event (day date NOT NULL, body text) PARTITION BY RANGE (day);\nCREATE TABLE event_other PARTITION OF event DEFAULT;\n";
    std::fs::write(p.join("schema/app.sql"), events).expect("schema");
    assert_exit(&run_gen(p, &["add", "events"]), 0);
    std::fs::write(
        p.join("schema/app.sql"),
        format!("{events}CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"),
    )
    .expect("schema");
    assert_exit(&run_gen(p, &["add", "y2024"]), 0);
    with_db(async |_db, client, url| {
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--to", "events"]), 0);
        client
            .batch_execute("INSERT INTO public.event VALUES ('2024-05-01', 'early')")
            .await
            .expect("a row in the default partition");
        let o = run_gen(p, &["deploy", "--db", &url]);
        assert_exit(&o, 2);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("default partition public.event_other holds rows that belong to new partition public.event_2024"),
            "{err}"
        );
        assert!(
            err.contains("move those rows out before deploying"),
            "{err}"
        );
        assert_eq!(deployed_names(&client).await, ["events"]);
        // With the row moved out, the same change deploys.
        client
            .batch_execute("DELETE FROM public.event")
            .await
            .expect("rows moved out");
        assert_exit(&run_gen(p, &["deploy", "--db", &url]), 0);
        assert_eq!(deployed_names(&client).await, ["events", "y2024"]);
    });
}

#[test]
fn a_change_conflicting_with_a_deployed_one_is_refused_before_anything_runs() {
    let noitems = Change {
        name: "noitems",
        requires: "[!items]",
        deploy: "BEGIN;\nCREATE TABLE app.noitems (id int);\nCOMMIT;\n",
        revert: "BEGIN;\nDROP TABLE app.noitems;\nCOMMIT;\n",
        verify: "BEGIN;\nROLLBACK;\n",
    };
    let dir = project(&[&SCHEMA, &ITEMS, &noitems], None);
    let p = dir.path();
    with_db(async |_db, client, url| {
        let o = run_gen(p, &["deploy", "--db", &url]);
        assert_exit(&o, 2);
        assert!(
            text(&o).contains("change \"noitems\" conflicts with \"items\", which is deployed"),
            "{}",
            text(&o)
        );
        assert_eq!(deployed_names(&client).await, Vec::<String>::new());
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--to", "items"]), 0);
        assert_exit(&run_gen(p, &["deploy", "--db", &url]), 2);
        assert_eq!(deployed_names(&client).await, ["appschema", "items"]);
    });
}

/// Copies every file of `from` into `to`, replacing what `to` held.
fn replace_tree(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read stage") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            replace_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The bundled example's four stages, then an enum label added, a column
/// renamed and a table dropped, one `gen add` each: once all are deployed,
/// every change's verify still passes under `sqitch verify` and `gen
/// verify`, though later changes altered what earlier ones made (a column
/// retyped, a label added, a name changed, a table gone). Right after its
/// own deploy each change is verified strictly.
#[test]
fn verify_stays_true_after_later_changes() {
    require_sqitch();
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    assert_exit(&run_gen(p, &["init", "--project", "tracker"]), 0);
    let stages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../example-stages");
    for stage in ["1", "2", "3", "4"] {
        replace_tree(&stages.join(stage), &p.join("schema"));
        let o = run_gen(
            p,
            &[
                "add",
                &format!("stage{stage}"),
                "--allow-hazard",
                "deletes-data",
            ],
        );
        assert_exit(&o, 0);
    }
    let more = [
        (
            "task_state",
            "CREATE TYPE app.task_state AS ENUM ('open', 'done');\n\
             CREATE TABLE app.task_states (task_id bigint PRIMARY KEY, state app.task_state NOT NULL);\n",
            &[][..],
        ),
        (
            "task_state_blocked",
            "CREATE TYPE app.task_state AS ENUM ('open', 'blocked', 'done');\n\
             CREATE TABLE app.task_states (task_id bigint PRIMARY KEY, state app.task_state NOT NULL);\n",
            &[],
        ),
        (
            "task_state_renamed",
            "CREATE TYPE app.task_state AS ENUM ('open', 'blocked', 'done');\n\
             CREATE TABLE app.task_states (task_id bigint PRIMARY KEY, status app.task_state NOT NULL);\n",
            &["--rename", "column:app.task_states.state=status"][..],
        ),
        ("task_state_dropped", "", &[]),
    ];
    for (name, sql, flags) in more {
        std::fs::write(p.join("schema/zz_task_state.sql"), sql).expect("write");
        let mut args = vec!["add", name, "--allow-hazard", "deletes-data"];
        args.extend_from_slice(flags);
        assert_exit(&run_gen(p, &args), 0);
    }
    with_db(async |db, client, url| {
        assert_exit(&run_gen(p, &["deploy", "--db", &url, "--verify"]), 0);
        let out = sqitch(p, db, &["verify"]);
        assert!(out.contains("Verify successful"), "{out}");
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);
        // A registry in a schema of another name (`sqitch --registry`) is
        // found as well: each verify's own ROLLBACK undoes the rename.
        for change in ["task_state", "task_state_blocked", "task_state_renamed"] {
            let verify = std::fs::read_to_string(p.join(format!("migrations/verify/{change}.sql")))
                .expect("verify script");
            client
                .batch_execute(&format!(
                    "BEGIN; ALTER SCHEMA sqitch RENAME TO \"deploy Log\";\n{verify}"
                ))
                .await
                .unwrap_or_else(|e| panic!("{change} with the registry renamed: {e:?}"));
        }
        // The earlier checks do not hold any more; with the later changes
        // out of the registry, the verify fails on each.
        for (change, differs) in [
            (
                "task_state",
                "table app.task_states is missing; type app.task_state is missing or not labelled exactly 'open', 'done' in this order",
            ),
            (
                "task_state_blocked",
                "type app.task_state is missing or not labelled exactly 'open', 'blocked', 'done' in this order",
            ),
            (
                "task_state_renamed",
                "column app.task_states.status is missing",
            ),
        ] {
            let verify = std::fs::read_to_string(p.join(format!("migrations/verify/{change}.sql")))
                .expect("verify script");
            let err = client
                .batch_execute(&format!(
                    "BEGIN; DELETE FROM sqitch.changes WHERE committed_at > \
                     (SELECT committed_at FROM sqitch.changes WHERE change = '{change}');\n{verify}"
                ))
                .await
                .expect_err("the check fails without the later changes");
            let message = err
                .as_db_error()
                .map(|e| e.message().to_owned())
                .unwrap_or_default();
            assert!(message.contains(differs), "{change}: {message}");
            client.batch_execute("ROLLBACK").await.expect("rollback");
        }
        assert_exit(&run_gen(p, &["verify", "--db", &url]), 0);
    });
}
