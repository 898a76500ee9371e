use super::*;

fn planner(at: &str) -> Signature {
    Signature {
        name: "Jane Doe".into(),
        email: "jane@example.com".into(),
        planned_at: at.parse().unwrap(),
    }
}

fn parse(text: &str) -> SqitchPlan {
    SqitchPlan::parse(text, Path::new("sqitch.plan")).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(text: &str) -> String {
    SqitchPlan::parse(text, Path::new("sqitch.plan"))
        .expect_err("plan should be rejected")
        .to_string()
}

const RICH: &str = "%syntax-version=1.0.0\n\
%project=flipr\n\
%uri=https://github.com/sqitchers/sqitch-intro/\n\
# a header comment\n\
\n\
appschema 2013-12-30T23:49:00Z Marge N. O’Vera <marge@example.com> # Add schema for all flipr objects.\n\
users [appschema] 2013-12-30T23:57:36Z Marge N. O’Vera <marge@example.com> # Creates table to track our users.\n\
\n\
# lines like this one are kept\n\
\x20\x20\x20@v1.0.0-dev1 2013-12-31T00:05:11Z Marge N. O’Vera <marge@example.com>    # Tag v1.0.0-dev1.\n\
\n\
flips  [appschema users !legacy other:thing@beta 0123456789abcdef0123456789abcdef01234567]  2013-12-31T00:08:21Z Marge  <marge@example.com>\n\
+legacy_op 2013-12-31T00:09:00Z Marge <marge@example.com> # multi\\nline \\\\ note\n\
crlf_line 2013-12-31T00:10:00Z Marge <marge@example.com>\r\n\
@v1.0.0 2013-12-31T00:11:00Z Marge <marge@example.com>\n";

#[test]
fn any_valid_plan_round_trips_byte_for_byte() {
    let plan = parse(RICH);
    assert_eq!(plan.render(), RICH);
    assert_eq!(plan.project, "flipr");
    assert_eq!(
        plan.uri.as_deref(),
        Some("https://github.com/sqitchers/sqitch-intro/")
    );

    let names: Vec<&str> = plan.changes().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["appschema", "users", "flips", "legacy_op", "crlf_line"]
    );
    let tags: Vec<&str> = plan.tags().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["v1.0.0-dev1", "v1.0.0"]);

    let users = plan.change("users").unwrap();
    assert_eq!(users.line(), Some(7));
    assert_eq!(users.note, "Creates table to track our users.");
    assert_eq!(users.planner.name, "Marge N. O’Vera");
    assert_eq!(users.planner.planned_at.to_string(), "2013-12-30T23:57:36Z");

    let flips = plan.change("flips").unwrap();
    let deps: Vec<String> = flips.dependencies.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        deps,
        [
            "appschema",
            "users",
            "!legacy",
            "other:thing@beta",
            "0123456789abcdef0123456789abcdef01234567"
        ]
    );
    assert_eq!(flips.conflicts().count(), 1);
    // Perl's greedy `[^<]+` keeps all but one of the blanks before `<`.
    assert_eq!(flips.planner.name, "Marge ");

    let op = plan.change("legacy_op").unwrap();
    assert_eq!(op.operator, Some(Operator::Deploy));
    assert_eq!(op.note, "multi\nline \\ note");
}

#[test]
fn a_new_plan_is_written_like_sqitch_init_and_add() {
    let mut plan = SqitchPlan::new("demo", None);
    assert_eq!(plan.render(), "%syntax-version=1.0.0\n%project=demo\n\n");
    plan.push_change(PlanChange::new(
        "users",
        vec![],
        planner("2026-11-21T12:00:00Z"),
        "Add users",
    ));
    plan.entries.push(Entry::Tag(Tag::new(
        "v1",
        planner("2026-11-21T12:01:00Z"),
        "",
    )));
    plan.push_change(PlanChange::new(
        "posts",
        vec![
            Dependency::on_change("users"),
            Dependency::parse("!old").unwrap(),
        ],
        planner("2026-11-21T12:02:00Z"),
        "two\nlines \\ here",
    ));
    let expected = "%syntax-version=1.0.0\n%project=demo\n\n\
users 2026-11-21T12:00:00Z Jane Doe <jane@example.com> # Add users\n\
@v1 2026-11-21T12:01:00Z Jane Doe <jane@example.com>\n\
\n\
posts [users !old] 2026-11-21T12:02:00Z Jane Doe <jane@example.com> # two\\nlines \\\\ here\n";
    assert_eq!(plan.render(), expected);
    // Reading it back gives the same plan, and writing that gives the same bytes.
    let again = parse(expected);
    assert_eq!(again.render(), expected);
    assert_eq!(
        again.changes().collect::<Vec<_>>(),
        plan.changes().collect::<Vec<_>>()
    );
    assert_eq!(again.change("posts").unwrap().note, "two\nlines \\ here");
}

#[test]
fn edited_entries_are_rewritten_and_the_rest_kept() {
    let mut plan = parse(RICH);
    for entry in &mut plan.entries {
        if let Entry::Change(c) = entry
            && c.name == "users"
        {
            c.note = "Renamed note".into();
        }
    }
    let out = plan.render();
    assert!(out.contains(
        "\nusers [appschema] 2013-12-30T23:57:36Z Marge N. O’Vera <marge@example.com> # Renamed note\n"
    ));
    assert_eq!(out.lines().count(), RICH.lines().count());
    assert!(out.contains(
        "   @v1.0.0-dev1 2013-12-31T00:05:11Z Marge N. O’Vera <marge@example.com>    # Tag"
    ));

    // Changing a header field rewrites the header canonically.
    plan.uri = None;
    assert!(
        plan.render()
            .starts_with("%syntax-version=1.0.0\n%project=flipr\n\nappschema ")
    );
}

#[test]
fn header_without_blank_line_gets_one_before_the_first_change() {
    let mut plan = parse("%syntax-version=1.0.0\n%project=demo\n");
    assert_eq!(plan.render(), "%syntax-version=1.0.0\n%project=demo\n");
    plan.push_change(PlanChange::new(
        "a",
        vec![],
        planner("2026-11-21T12:00:00Z"),
        "",
    ));
    let text = plan.render();
    assert_eq!(
        text,
        "%syntax-version=1.0.0\n%project=demo\n\na 2026-11-21T12:00:00Z Jane Doe <jane@example.com>\n"
    );
    parse(&text);
}

#[test]
fn missing_syntax_version_is_tolerated_like_sqitch() {
    let plan = parse("%project=demo\n\n");
    assert_eq!(plan.syntax_version, SYNTAX_VERSION);
    assert_eq!(plan.render(), "%project=demo\n\n");
}

const HEAD: &str = "%syntax-version=1.0.0\n%project=demo\n\n";

fn body_err(body: &str) -> String {
    parse_err(&format!("{HEAD}{body}"))
}

#[test]
fn grammar_errors_name_the_line() {
    let ts = "2026-11-21T12:00:00Z J <j@x>";
    let cases: Vec<(String, &str)> = vec![
        (
            format!("a {ts}\nb\n"),
            "sqitch.plan:5: missing timestamp and planner name and email",
        ),
        (
            format!("a {ts}\nb J <j@x>\n"),
            "sqitch.plan:5: missing timestamp",
        ),
        (
            "a 2026-11-21T12:00:00Z\n".into(),
            "sqitch.plan:4: missing planner name and email",
        ),
        (
            format!(".x {ts}\n"),
            "sqitch.plan:4: invalid name; names must not begin with punctuation",
        ),
        (format!("foo[bar] {ts}\n"), "sqitch.plan:4: invalid name"),
        (
            format!("a# {ts}\n"),
            "sqitch.plan:4: missing timestamp and planner name and email",
        ),
        (
            format!("HEAD {ts}\n"),
            "sqitch.plan:4: \"HEAD\" is a reserved name",
        ),
        (
            format!("a {ts}\n@ROOT {ts}\n"),
            "sqitch.plan:5: \"@ROOT\" is a reserved name",
        ),
        (
            format!("0123456789abcdef0123456789abcdef01234567 {ts}\n"),
            "sqitch.plan:4: \"0123456789abcdef0123456789abcdef01234567\" is invalid because it could be confused with a sha1 id",
        ),
        (
            "a 2026-02-30T12:00:00Z J <j@x>\n".into(),
            "sqitch.plan:4: invalid timestamp",
        ),
        (
            format!("@v1 {ts}\n"),
            "sqitch.plan:4: tag \"v1\" declared without a preceding change",
        ),
        (
            format!("a {ts}\n@v1 {ts}\nb {ts}\n@v1 {ts}\n"),
            "sqitch.plan:7: tag \"v1\" duplicates earlier declaration on line 5",
        ),
        (
            format!("a {ts}\n@v/x {ts}\n"),
            "sqitch.plan:5: tag \"v/x\" contains illegal character /",
        ),
        (
            format!("a {ts}\n@v1 [a] {ts}\n"),
            "sqitch.plan:5: tags may not specify dependencies",
        ),
        (
            format!("a {ts}\n\nb {ts}\na {ts}\n"),
            "sqitch.plan:7: change \"a\" duplicates earlier declaration on line 4",
        ),
        (
            format!("a {ts}\nb [a:] {ts}\n"),
            "sqitch.plan:5: \"a:\" is not a valid dependency specification",
        ),
        (
            format!("a {ts}\nb [a a] {ts}\n"),
            "sqitch.plan:5: duplicate dependency \"a\"",
        ),
        (
            format!("a [nope] {ts}\n"),
            "sqitch.plan:4: unknown change \"nope\" required by change \"a\"",
        ),
        (
            format!("a [a] {ts}\n"),
            "sqitch.plan:4: change \"a\" cannot require itself",
        ),
        (
            format!("a [c] {ts}\nb {ts}\nc {ts}\n"),
            "sqitch.plan:4: change \"a\" is planned 2 changes before required change \"c\"",
        ),
        (
            format!("a {ts}\n@v1 {ts}\nb [a@v2] {ts}\n"),
            "sqitch.plan:6: unknown change \"a@v2\" required by change \"b\"",
        ),
        ("#\n".into(), "sqitch.plan:4: invalid name"),
    ];
    for (body, expected) in cases {
        let got = body_err(&body);
        assert!(
            got.starts_with(expected),
            "plan body:\n{body}\nexpected {expected:?}\n     got {got:?}"
        );
    }
}

#[test]
fn header_errors_name_the_line() {
    assert_eq!(
        parse_err("%syntax-version=1.0.0\n%project=demo\na 2026-11-21T12:00:00Z J <j@x>\n"),
        "sqitch.plan:3: invalid pragma; a blank line must come between pragmas and changes"
    );
    assert_eq!(
        parse_err("%syntax-version=1.0.0\n\n"),
        "sqitch.plan:2: missing %project pragma"
    );
    assert!(
        parse_err("%project=-bad\n\n").starts_with("sqitch.plan:1: invalid project name \"-bad\"")
    );
}

#[test]
fn valid_dependency_forms_are_accepted() {
    let ts = "2026-11-21T12:00:00Z J <j@x>";
    let plan = parse(&format!(
        "{HEAD}a {ts}\n@v1 {ts}\nb [a@v1 @v1 !zzz other:x 0123456789abcdef0123456789abcdef01234567 demo:a] {ts}\n"
    ));
    let b = plan.change("b").unwrap();
    assert_eq!(b.requires().count(), 5);
    assert_eq!(b.dependencies[0].key_name(), "a@v1");
    assert_eq!(b.dependencies[1].key_name(), "@v1");
    assert_eq!(b.dependencies[5].as_sqitch_string("demo"), "a");
    assert_eq!(b.dependencies[3].as_sqitch_string("demo"), "other:x");
}

#[test]
fn reworked_changes_parse_and_are_reported() {
    let ts = "2026-11-21T12:00:00Z J <j@x>";
    let plan = parse(&format!("{HEAD}a {ts}\n@v1 {ts}\na [a@v1] {ts}\n"));
    assert_eq!(plan.changes().count(), 2);
    assert_eq!(plan.reworked().and_then(PlanChange::line), Some(6));
    assert!(parse(&format!("{HEAD}a {ts}\n")).reworked().is_none());
}

#[test]
fn names_are_validated_with_sqitch_rules() {
    for ok in ["users", "users/add_email", "v1.0", "a-b_c"] {
        validate_name("change", ok).unwrap();
    }
    for bad in [
        "",
        "HEAD",
        "has space",
        "trailing-",
        "-leading",
        "at@sign",
        "a:b",
        "x^2",
    ] {
        let err = validate_name("change", bad).unwrap_err();
        assert!(err.hint().is_some(), "{bad}");
    }
    assert!(validate_name("tag", "v/1").is_err());
    assert!(validate_name("change", "0123456789abcdef0123456789abcdef01234567").is_err());
}

/// Sqitch takes `a/../b`; its scripts would be written, and read, outside
/// the script directories, so gen refuses it, in new changes and in plans.
#[test]
fn names_never_leave_the_script_directories() {
    for bad in ["a/../b", "a/./b", "a//b", "a/.hidden", "a/..x"] {
        let err = validate_name("change", bad).unwrap_err();
        assert!(
            err.to_string().contains("stay inside deploy/"),
            "{bad}: {err}"
        );
        let err = body_err(&format!("{bad} 2026-11-21T12:00:00Z J <j@x>\n"));
        assert!(
            err.contains(":4: ") && err.contains("stay inside deploy/"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn an_unknown_syntax_version_is_refused_at_its_line() {
    let err = parse_err("%syntax-version=9.9.9\n%project=demo\n\n");
    assert!(
        err.contains(":1: plan syntax version 9.9.9 is not one gen reads"),
        "{err}"
    );
    for known in ["1.0.0", "1.0.0-b2"] {
        let plan = parse(&format!("%syntax-version={known}\n%project=demo\n\n"));
        assert_eq!(plan.syntax_version, known);
    }
}
