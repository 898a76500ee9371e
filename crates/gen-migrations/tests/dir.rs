//! The migration directory on disk: scaffolding, atomic adds, the sum file.

use std::fs;
use std::path::{Path, PathBuf};

use gen_migrations::{
    MigrationDir, MigrationError, NewChange, SUM_FILE, ScriptKind, Signature, SumProblem,
};

fn planner(at: &str) -> Signature {
    Signature::new("Jane Doe", "jane@example.com", at.parse().unwrap()).unwrap()
}

fn new_change(name: &str, requires: &[&str]) -> NewChange {
    NewChange {
        name: name.into(),
        note: format!("Add {name}"),
        requires: requires.iter().map(|r| (*r).to_owned()).collect(),
        deploy: format!("CREATE TABLE {name} (id int);\n"),
        revert: format!("DROP TABLE {name};\n"),
        verify: format!("SELECT id FROM {name} WHERE false;\n"),
        planner: planner("2026-11-21T12:00:00Z"),
    }
}

/// Every file under `root` with its contents, for before/after comparisons.
fn snapshot(root: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.push((path.strip_prefix(root).unwrap().to_owned(), None));
                stack.push(path);
            } else {
                let bytes = fs::read(&path).unwrap();
                out.push((path.strip_prefix(root).unwrap().to_owned(), Some(bytes)));
            }
        }
    }
    out.sort();
    out
}

fn scaffold() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("migrations");
    MigrationDir::init(&root, "demo").unwrap();
    (tmp, root)
}

#[test]
fn init_writes_sqitch_layout_and_refuses_twice() {
    let (_tmp, root) = scaffold();
    assert_eq!(
        fs::read_to_string(root.join("sqitch.conf")).unwrap(),
        "[core]\n\tengine = pg\n\tplan_file = sqitch.plan\n\ttop_dir = .\n"
    );
    assert_eq!(
        fs::read_to_string(root.join("sqitch.plan")).unwrap(),
        "%syntax-version=1.0.0\n%project=demo\n\n"
    );
    for dir in ["deploy", "revert", "verify"] {
        assert!(root.join(dir).is_dir(), "{dir}/ missing");
    }
    let dir = MigrationDir::open(&root).unwrap();
    assert_eq!(dir.check_sum().unwrap(), vec![]);

    let err = MigrationDir::init(&root, "demo").unwrap_err();
    assert!(
        matches!(err, MigrationError::AlreadyInitialized { .. }),
        "{err}"
    );
    assert!(err.hint().is_some());

    let err = MigrationDir::init(&root.join("x"), "bad name").unwrap_err();
    assert!(matches!(err, MigrationError::InvalidName { .. }), "{err}");
}

#[test]
fn open_without_plan_says_how_to_start() {
    let tmp = tempfile::tempdir().unwrap();
    let err = MigrationDir::open(tmp.path()).unwrap_err();
    assert!(matches!(err, MigrationError::NotInitialized { .. }));
    assert!(err.hint().unwrap().contains("gen init"));
}

#[test]
fn add_change_writes_scripts_plan_and_sum() {
    let (_tmp, root) = scaffold();
    let mut dir = MigrationDir::open(&root).unwrap();
    let added = dir.add_change(new_change("users", &[])).unwrap();
    assert_eq!(added.name, "users");
    dir.add_change(new_change("posts", &["users"])).unwrap();

    assert_eq!(
        fs::read_to_string(root.join("sqitch.plan")).unwrap(),
        "%syntax-version=1.0.0\n%project=demo\n\n\
         users 2026-11-21T12:00:00Z Jane Doe <jane@example.com> # Add users\n\
         posts [users] 2026-11-21T12:00:00Z Jane Doe <jane@example.com> # Add posts\n"
    );
    assert_eq!(
        fs::read_to_string(dir.script_path(ScriptKind::Revert, "posts")).unwrap(),
        "DROP TABLE posts;\n"
    );
    let sum = fs::read_to_string(root.join(SUM_FILE)).unwrap();
    let paths: Vec<&str> = sum
        .lines()
        .map(|l| l.split_once("  ").map_or(l, |(_, p)| p))
        .collect();
    assert_eq!(
        &paths[..6],
        [
            "deploy/users.sql",
            "revert/users.sql",
            "verify/users.sql",
            "deploy/posts.sql",
            "revert/posts.sql",
            "verify/posts.sql"
        ]
    );
    assert!(paths[6].starts_with("total "));
    assert_eq!(dir.check_sum().unwrap(), vec![]);

    // A fresh open sees the same plan, and the plan's bytes survive unchanged.
    let reopened = MigrationDir::open(&root).unwrap();
    assert_eq!(reopened.plan(), dir.plan());
    assert_eq!(
        reopened.plan().render(),
        fs::read_to_string(root.join("sqitch.plan")).unwrap()
    );
    let scripts: Vec<String> = reopened
        .deploy_scripts()
        .into_iter()
        .map(|(name, path)| format!("{name}={}", path.strip_prefix(&root).unwrap().display()))
        .collect();
    assert_eq!(
        scripts,
        ["users=deploy/users.sql", "posts=deploy/posts.sql"]
    );
}

#[test]
fn nested_change_names_get_subdirectories() {
    let (_tmp, root) = scaffold();
    let mut dir = MigrationDir::open(&root).unwrap();
    dir.add_change(new_change("app/users", &[])).unwrap();
    assert!(root.join("deploy/app/users.sql").is_file());
    assert!(root.join("verify/app/users.sql").is_file());
    assert_eq!(dir.check_sum().unwrap(), vec![]);
}

#[test]
fn add_change_never_clobbers() {
    let (_tmp, root) = scaffold();
    let mut dir = MigrationDir::open(&root).unwrap();
    dir.add_change(new_change("users", &[])).unwrap();

    // Already planned.
    let before = snapshot(&root);
    let err = dir.add_change(new_change("users", &[])).unwrap_err();
    assert_eq!(err.to_string(), "change \"users\" already exists");
    assert!(err.hint().unwrap().contains("another name"));
    assert_eq!(snapshot(&root), before);

    // Not planned, but a script by that name is on disk already.
    fs::write(root.join("verify/orphan.sql"), "keep me\n").unwrap();
    let before = snapshot(&root);
    let err = dir.add_change(new_change("orphan", &[])).unwrap_err();
    match &err {
        MigrationError::ChangeExists { name, path } => {
            assert_eq!(name, "orphan");
            assert_eq!(
                path.as_deref(),
                Some(root.join("verify/orphan.sql").as_path())
            );
        }
        other => panic!("unexpected {other}"),
    }
    assert_eq!(snapshot(&root), before);
    assert_eq!(
        fs::read_to_string(root.join("verify/orphan.sql")).unwrap(),
        "keep me\n"
    );
}

#[test]
fn unreadable_sum_file_stops_the_add_before_it_writes() {
    let (_tmp, root) = scaffold();
    let mut dir = MigrationDir::open(&root).unwrap();
    dir.add_change(new_change("users", &[])).unwrap();

    // A directory squatting on gen.sum: the add must not write scripts or
    // plan it cannot record in the sum.
    let sum = fs::read(root.join(SUM_FILE)).unwrap();
    fs::remove_file(root.join(SUM_FILE)).unwrap();
    fs::create_dir(root.join(SUM_FILE)).unwrap();
    fs::write(root.join(SUM_FILE).join("occupant"), "x").unwrap();
    let before = snapshot(&root);

    let err = dir
        .add_change(new_change("app/posts", &["users"]))
        .unwrap_err();
    assert!(
        matches!(
            err,
            MigrationError::SumSyntax { .. } | MigrationError::Io { .. }
        ),
        "{err}"
    );
    assert_eq!(
        snapshot(&root),
        before,
        "directory changed after a failed add"
    );
    assert_eq!(dir.plan().changes().count(), 1);

    // Once the obstacle is gone the same add succeeds.
    fs::remove_dir_all(root.join(SUM_FILE)).unwrap();
    fs::write(root.join(SUM_FILE), sum).unwrap();
    dir.add_change(new_change("app/posts", &["users"])).unwrap();
    assert_eq!(dir.check_sum().unwrap(), vec![]);
}

#[test]
fn failure_in_the_scripts_step_rolls_back_earlier_scripts() {
    let (_tmp, root) = scaffold();
    let mut dir = MigrationDir::open(&root).unwrap();
    // A plain file where the verify subdirectory must go: deploy/ and revert/
    // get their scripts, then creating verify/app/ fails.
    fs::write(root.join("verify/app"), "not a directory").unwrap();
    let before = snapshot(&root);
    let err = dir.add_change(new_change("app/users", &[])).unwrap_err();
    assert!(matches!(err, MigrationError::Io { .. }), "{err}");
    assert_eq!(snapshot(&root), before);
}

#[test]
fn add_change_checks_name_requirements_and_concurrent_edits() {
    let (_tmp, root) = scaffold();
    let mut dir = MigrationDir::open(&root).unwrap();
    let err = dir.add_change(new_change("bad name", &[])).unwrap_err();
    assert!(matches!(err, MigrationError::InvalidName { .. }), "{err}");
    let err = dir.add_change(new_change("posts", &["users"])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "change \"posts\" requires unknown change \"users\""
    );
    let err = dir
        .add_change(new_change("posts", &["not valid"]))
        .unwrap_err();
    assert!(
        matches!(err, MigrationError::InvalidDependency { .. }),
        "{err}"
    );
    // A conflict may name a change that was never planned.
    dir.add_change(new_change("posts", &["!legacy"])).unwrap();

    // Someone else appended to the plan after we read it.
    let plan = root.join("sqitch.plan");
    let mut text = fs::read_to_string(&plan).unwrap();
    text.push_str("other 2026-11-21T12:00:00Z Bob <bob@example.com>\n");
    fs::write(&plan, &text).unwrap();
    let err = dir.add_change(new_change("third", &[])).unwrap_err();
    assert!(matches!(err, MigrationError::PlanChanged { .. }), "{err}");
    assert_eq!(fs::read_to_string(&plan).unwrap(), text);
}

#[test]
fn reworked_plans_are_refused_with_a_line() {
    let (_tmp, root) = scaffold();
    let ts = "2026-11-21T12:00:00Z J <j@x>";
    fs::write(
        root.join("sqitch.plan"),
        format!("%syntax-version=1.0.0\n%project=demo\n\na {ts}\n@v1 {ts}\na [a@v1] {ts}\n"),
    )
    .unwrap();
    let err = MigrationDir::open(&root).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("sqitch.plan:6: change \"a\" is reworked (planned twice)"),
        "{err}"
    );
    assert!(err.hint().is_some());
}

#[test]
fn check_sum_reports_edited_missing_added_and_unlisted() {
    let (_tmp, root) = scaffold();
    let mut dir = MigrationDir::open(&root).unwrap();
    dir.add_change(new_change("users", &[])).unwrap();
    dir.add_change(new_change("posts", &[])).unwrap();

    fs::write(
        root.join("deploy/users.sql"),
        "CREATE TABLE users (id bigint);\n",
    )
    .unwrap();
    fs::remove_file(root.join("verify/posts.sql")).unwrap();
    fs::write(root.join("deploy/stray.sql"), "SELECT 1;\n").unwrap();
    fs::write(root.join("deploy/.users.sql.swp"), "editor junk").unwrap();
    let mut plan = fs::read_to_string(root.join("sqitch.plan")).unwrap();
    plan.push_str("by_hand 2026-11-21T13:00:00Z Bob <bob@example.com>\n");
    fs::write(root.join("sqitch.plan"), plan).unwrap();
    fs::write(root.join("deploy/by_hand.sql"), "SELECT 2;\n").unwrap();

    let dir = MigrationDir::open(&root).unwrap();
    assert_eq!(
        dir.check_sum().unwrap(),
        vec![
            SumProblem::Edited {
                path: "deploy/users.sql".into()
            },
            SumProblem::Missing {
                path: "verify/posts.sql".into()
            },
            SumProblem::Unlisted {
                change: "by_hand".into()
            },
            SumProblem::Added {
                path: "deploy/stray.sql".into()
            },
        ]
    );

    // rehash accepts the tree as it now is.
    fs::remove_file(root.join("deploy/stray.sql")).unwrap();
    dir.rehash().unwrap();
    assert_eq!(dir.check_sum().unwrap(), vec![]);
    let sum = fs::read_to_string(root.join(SUM_FILE)).unwrap();
    assert!(!sum.contains("verify/posts.sql"));
    assert!(sum.contains("  deploy/by_hand.sql\n"));
}

#[test]
fn tampered_or_missing_sum_file_is_reported() {
    let (_tmp, root) = scaffold();
    let mut dir = MigrationDir::open(&root).unwrap();
    dir.add_change(new_change("users", &[])).unwrap();

    // Editing a script and "fixing" its line by hand still breaks the total.
    fs::write(root.join("deploy/users.sql"), "SELECT 1;\n").unwrap();
    let sum = fs::read_to_string(root.join(SUM_FILE)).unwrap();
    let first = sum.lines().next().unwrap();
    let (old_hash, _) = first.split_once("  ").unwrap();
    let forged_hash = sha256_hex(b"SELECT 1;\n");
    fs::write(root.join(SUM_FILE), sum.replacen(old_hash, &forged_hash, 1)).unwrap();
    assert_eq!(dir.check_sum().unwrap(), vec![SumProblem::TotalMismatch]);
    // Adding a change must not recompute the total over a forged list.
    let before = snapshot(&root);
    let err = dir.add_change(new_change("posts", &[])).unwrap_err();
    assert!(matches!(err, MigrationError::SumOutOfDate { .. }), "{err}");
    assert!(err.hint().unwrap().contains("gen rehash"));
    assert_eq!(snapshot(&root), before);

    // A line for a change that is no longer planned.
    dir.rehash().unwrap();
    let mut sum = fs::read_to_string(root.join(SUM_FILE)).unwrap();
    sum.insert_str(0, &format!("{}  deploy/gone.sql\n", "0".repeat(64)));
    fs::write(root.join(SUM_FILE), sum).unwrap();
    let problems = dir.check_sum().unwrap();
    assert!(problems.contains(&SumProblem::Unplanned {
        path: "deploy/gone.sql".into()
    }));
    assert!(problems.contains(&SumProblem::TotalMismatch));

    fs::remove_file(root.join(SUM_FILE)).unwrap();
    assert_eq!(dir.check_sum().unwrap(), vec![SumProblem::NoSumFile]);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn two_branches_appending_changes_conflict_on_the_total() {
    let (_tmp, root) = scaffold();
    let mut base = MigrationDir::open(&root).unwrap();
    base.add_change(new_change("users", &[])).unwrap();

    let branch = |name: &str| {
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join("migrations");
        copy_dir(&root, &copy);
        let mut dir = MigrationDir::open(&copy).unwrap();
        dir.add_change(new_change(name, &["users"])).unwrap();
        let sum = fs::read_to_string(copy.join(SUM_FILE)).unwrap();
        (tmp, sum)
    };
    let (_a, sum_a) = branch("orders");
    let (_b, sum_b) = branch("invoices");
    let base_sum = fs::read_to_string(root.join(SUM_FILE)).unwrap();
    let total = |s: &str| s.lines().last().unwrap().to_owned();
    let kept = |s: &str| s.lines().take(3).map(str::to_owned).collect::<Vec<_>>();

    // Both branches keep the base's lines and rewrite the same last line
    // differently: git cannot merge that without someone choosing.
    assert_eq!(kept(&sum_a), kept(&base_sum));
    assert_eq!(kept(&sum_b), kept(&base_sum));
    assert_ne!(total(&sum_a), total(&base_sum));
    assert_ne!(total(&sum_b), total(&base_sum));
    assert_ne!(total(&sum_a), total(&sum_b));

    // What git leaves behind is refused with a hint until it is resolved.
    let merged = format!(
        "{}\n<<<<<<< ours\n{}\n=======\n{}\n>>>>>>> theirs\n",
        kept(&base_sum).join("\n"),
        sum_a.lines().skip(3).collect::<Vec<_>>().join("\n"),
        sum_b.lines().skip(3).collect::<Vec<_>>().join("\n"),
    );
    fs::write(root.join(SUM_FILE), merged).unwrap();
    let err = base.check_sum().unwrap_err();
    assert!(
        err.to_string()
            .ends_with("gen.sum:4: unresolved merge conflict"),
        "{err}"
    );
    assert!(err.hint().unwrap().contains("gen rehash"));
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn several_changes_are_added_together_or_not_at_all() {
    let (_tmp, root) = scaffold();
    let mut dir = MigrationDir::open(&root).unwrap();
    // The third requires a change that is planned nowhere: nothing is
    // written, not even the first two.
    let before = snapshot(&root);
    let err = dir
        .add_changes(vec![
            new_change("a_expand", &[]),
            new_change("a_data", &["a_expand"]),
            new_change("a_contract", &["missing"]),
        ])
        .unwrap_err();
    assert!(
        matches!(err, MigrationError::UnknownRequirement { .. }),
        "{err}"
    );
    assert_eq!(snapshot(&root), before);

    // Each may require one before it in the same write.
    dir.add_changes(vec![
        new_change("a_expand", &[]),
        new_change("a_data", &["a_expand"]),
        new_change("a_contract", &["a_data"]),
    ])
    .unwrap();
    let plan = fs::read_to_string(root.join("sqitch.plan")).unwrap();
    assert!(plan.contains("\na_data [a_expand] "), "{plan}");
    assert!(plan.contains("\na_contract [a_data] "), "{plan}");
    let reopened = MigrationDir::open(&root).unwrap();
    assert_eq!(reopened.check_sum().unwrap(), vec![]);
    for name in ["a_expand", "a_data", "a_contract"] {
        assert!(root.join(format!("deploy/{name}.sql")).is_file(), "{name}");
    }
}
