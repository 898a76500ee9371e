//! Sqitch's plan-line regular expressions, transliterated from
//! `App::Sqitch::Plan` (v1.3.1) so gen accepts exactly the lines Sqitch does.
//!
//! They rely on look-around and backtracking (a change line `a[b] …` parses as
//! change `a` requiring `b` only because the name pattern gives back
//! characters), hence `fancy-regex` rather than a hand-written scanner.

use std::sync::LazyLock;

use fancy_regex::Regex;

/// Perl's `[[:punct:]]` without `_`, as Sqitch defines it.
const PUNCT: &str = r##"-!"#$%&'()*+,./:;<=>?@[\]^`{|}~"##;

/// Perl's `[[:blank:]]` on Unicode strings: tab and space separators.
const BLANK: &str = r"[\t\p{Zs}]";

fn punct_class_body() -> String {
    PUNCT
        .chars()
        .map(|c| {
            if r"\[]^-&~".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Sqitch's `$name_re`, unanchored.
fn name_pattern() -> String {
    let p = punct_class_body();
    // First character is not punctuation; no character starts a symbolic
    // reference like `~3` or `^2` at the end; none is blank, `:`, `@`, `#` or
    // `\`; the last is not punctuation and ends a word.
    format!(r"(?![{p}])(?:(?![~/=%^]\d+(?:$|BLANK))[^\t\p{{Zs}}:@#\\])+(?<![{p}])\b")
        .replace("BLANK", BLANK)
}

fn compile(pattern: &str) -> Regex {
    // The patterns are constants covered by this module's tests, so failing to
    // compile one is a bug in this file, not a runtime condition.
    Regex::new(pattern).unwrap_or_else(|e| panic!("invalid built-in pattern {pattern}: {e}"))
}

fn with_blank(pattern: &str) -> String {
    pattern
        .replace("BLANK", BLANK)
        .replace("NAME", &name_pattern())
}

/// A whole string that is a valid change, tag or project name.
pub(crate) static NAME: LazyLock<Regex> = LazyLock::new(|| compile(&with_blank("^(?:NAME)$")));

/// A blank or comment-only line.
pub(crate) static BLANK_LINE: LazyLock<Regex> =
    LazyLock::new(|| compile(&with_blank("^BLANK*(?:#BLANK*(?<note>.+)|$)")));

/// The trailing note of a line and the blanks before it; Perl's leftmost
/// match makes the first `#` start the note.
pub(crate) static NOTE: LazyLock<Regex> =
    LazyLock::new(|| compile(&with_blank("BLANK*(?:#BLANK*(?<note>.*))?$")));

/// A header pragma such as `%project=flipr`, note already removed.
pub(crate) static PRAGMA: LazyLock<Regex> = LazyLock::new(|| {
    let p = punct_class_body();
    compile(&with_blank(&format!(
        r"^BLANK*%BLANK*(?<name>[^{p}](?:[^\t\p{{Zs}}=]*?[^{p}\t\p{{Zs}}])?)(?:BLANK*=BLANK*(?<value>.+))?$"
    )))
});

/// A line that declares a tag rather than a change.
pub(crate) static TAG_START: LazyLock<Regex> = LazyLock::new(|| compile(&with_blank("^BLANK*@")));

const TS: &str = "(?<yr>[0-9]{4})-(?<mo>[0-9]{2})-(?<dy>[0-9]{2})T(?<hr>[0-9]{2}):(?<mi>[0-9]{2}):(?<sc>[0-9]{2})Z";

/// A timestamp anywhere in a line.
pub(crate) static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| compile(TS));

/// A change or tag line, note already removed.
pub(crate) static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    compile(&with_blank(&format!(
        r"^BLANK*(?:@|BLANK*(?<operator>[+-])BLANK*)?(?<name>NAME)BLANK*(?:\[(?<deps>[^\]]+)\]BLANK*)?(?:{TS}BLANK*)?(?:(?<pname>[^<]+)BLANK+<(?<pemail>[^>]+)>)?$"
    )))
});

/// One dependency: `[!][project:](id | change[@tag] | @tag)`.
pub(crate) static DEPENDENCY: LazyLock<Regex> = LazyLock::new(|| {
    compile(&with_blank(
        "^(?<conflicts>!?)(?:(?<project>NAME):)?(?:(?<id>[0-9a-f]{40})|(?<change>NAME)(?:@(?<tag>NAME))?|(?:@(?<tagonly>NAME))?)$",
    ))
});

/// A separator between dependencies inside `[…]`.
pub(crate) static BLANKS: LazyLock<Regex> = LazyLock::new(|| compile(&with_blank("BLANK+")));

/// Whether `name` is a valid Sqitch name (before the reserved-word and
/// SHA1-lookalike checks).
pub(crate) fn is_name(name: &str) -> bool {
    NAME.is_match(name).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_sqitch() {
        for ok in [
            "users",
            "add_users",
            "a",
            "x-y",
            "users/add_email",
            "v1.0",
            "été",
            "foo[bar",
            "12",
            "_private",
            "a~b",
            "a^2x",
        ] {
            assert!(is_name(ok), "{ok:?} should be a name");
        }
        for bad in [
            "", "-x", "x-", "a b", "a:b", "a@b", "a#b", r"a\b", "a^2", "a~12", "a/3", ".x", "x.",
            "x€", "a\tb",
        ] {
            assert!(!is_name(bad), "{bad:?} should not be a name");
        }
    }

    #[test]
    fn note_starts_at_first_hash() {
        let caps = NOTE
            .captures("users 2026 A <a@b>  # one # two")
            .unwrap()
            .unwrap();
        assert_eq!(caps.get(0).unwrap().start(), 18);
        assert_eq!(&caps["note"], "one # two");
        let caps = NOTE.captures("users  ").unwrap().unwrap();
        assert_eq!(caps.get(0).unwrap().start(), 5);
    }

    #[test]
    fn backtracking_matches_perl() {
        // Perl gives back `]` from the name and reads the rest as the planner
        // name; Sqitch then reports an invalid name because the line holds a
        // timestamp that was not matched as one. The plan parser does the same.
        let caps = ENTRY
            .captures("foo[bar] 2026-11-21T12:00:00Z A <a@b>")
            .unwrap()
            .unwrap();
        assert_eq!(&caps["name"], "foo[bar");
        assert!(caps.name("yr").is_none());

        let caps = ENTRY
            .captures("foo [bar] 2026-11-21T12:00:00Z A B <a@b>")
            .unwrap()
            .unwrap();
        assert_eq!(&caps["name"], "foo");
        assert_eq!(&caps["deps"], "bar");
        assert_eq!(&caps["pname"], "A B");
    }
}
