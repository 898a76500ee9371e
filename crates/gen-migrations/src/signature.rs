//! Who planned a change and when: the tail of every plan line.

use std::fmt;
use std::path::Path;
use std::process::Command;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::MigrationError;

/// A UTC instant to the second, written the way Sqitch writes it:
/// `2026-11-21T12:00:00Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl Timestamp {
    /// A timestamp from its fields, or `None` unless they name a real instant
    /// (Sqitch builds a `DateTime` from them, which rejects 2026-02-30).
    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        let valid = year <= 9999
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then_some(Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// The current time, truncated to the second.
    pub fn now() -> Self {
        Self::from_system_time(SystemTime::now())
    }

    /// The UTC calendar time of `time`, truncated to the second.
    pub fn from_system_time(time: SystemTime) -> Self {
        let secs = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
        };
        Self::from_unix(secs)
    }

    /// The UTC calendar time `secs` seconds after 1970-01-01T00:00:00Z,
    /// clamped to the years a plan can hold (0000–9999).
    pub fn from_unix(secs: i64) -> Self {
        // 0000-01-01 and 9999-12-31T23:59:59 in Unix seconds.
        let secs = secs.clamp(-62_167_219_200, 253_402_300_799);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Self {
            year: year as u16,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        }
    }
}

/// Howard Hinnant's `civil_from_days`: proleptic Gregorian date of a day count
/// since 1970-01-01, without a calendar dependency.
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        _ => 28,
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// The error of parsing a [`Timestamp`]: the input is not
/// `YYYY-MM-DDTHH:MM:SSZ` or names no real instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseTimestampError;

impl fmt::Display for ParseTimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a UTC timestamp like 2026-11-21T12:00:00Z")
    }
}

impl std::error::Error for ParseTimestampError {}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && b[19] == b'Z';
        if !shape_ok {
            return Err(ParseTimestampError);
        }
        let num = |from: usize, to: usize| -> Result<u16, ParseTimestampError> {
            let digits = &s[from..to];
            if !digits.bytes().all(|c| c.is_ascii_digit()) {
                return Err(ParseTimestampError);
            }
            digits.parse().map_err(|_| ParseTimestampError)
        };
        let small = |v: u16| u8::try_from(v).map_err(|_| ParseTimestampError);
        Timestamp::new(
            num(0, 4)?,
            small(num(5, 7)?)?,
            small(num(8, 10)?)?,
            small(num(11, 13)?)?,
            small(num(14, 16)?)?,
            small(num(17, 19)?)?,
        )
        .ok_or(ParseTimestampError)
    }
}

/// The person and time recorded on a plan entry:
/// `… 2026-11-21T12:00:00Z Jane Doe <jane@example.com>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Full name; no `<`, `#` or line breaks, does not start with `[`.
    pub name: String,
    /// Email address; no `>`, `<`, `#` or line breaks.
    pub email: String,
    /// When the entry was planned.
    pub planned_at: Timestamp,
}

impl Signature {
    /// A planner whose name and email can be written into a plan line and read
    /// back unchanged by Sqitch's parser.
    pub fn new(
        name: impl Into<String>,
        email: impl Into<String>,
        planned_at: Timestamp,
    ) -> Result<Self, MigrationError> {
        let name = name.into().trim().to_owned();
        let email = email.into().trim().to_owned();
        let bad = |field, value: &str, reason| MigrationError::InvalidPlanner {
            field,
            value: value.to_owned(),
            reason,
        };
        // `#` would start the line's note and `<`/`>` delimit the email in
        // Sqitch's plan grammar, so either would make the line read back wrong.
        if name.is_empty() {
            return Err(bad("name", &name, "it is empty"));
        }
        if name.starts_with('[') {
            return Err(bad("name", &name, "it must not start with `[`"));
        }
        if name.contains(['<', '>', '#', '\n', '\r']) {
            return Err(bad(
                "name",
                &name,
                "it must not contain `<`, `>`, `#` or line breaks",
            ));
        }
        if email.is_empty() {
            return Err(bad("email", &email, "it is empty"));
        }
        if email.contains(['<', '>', '#', '\n', '\r']) || email.contains(char::is_whitespace) {
            return Err(bad(
                "email",
                &email,
                "it must not contain `<`, `>`, `#` or whitespace",
            ));
        }
        Ok(Self {
            name,
            email,
            planned_at,
        })
    }

    /// The planner as Sqitch would pick it, run from the current directory:
    /// `SQITCH_FULLNAME`/`SQITCH_EMAIL`, then git's `user.name`/`user.email`,
    /// then `$USER <$USER@localhost>`. `GEN_PLANNED_AT` (`YYYY-MM-DDTHH:MM:SSZ`)
    /// replaces the current time so output can be reproduced byte for byte.
    pub fn from_env() -> Result<Self, MigrationError> {
        Self::from_env_in(Path::new("."))
    }

    /// Like [`Signature::from_env`], asking git about the repository at `dir`.
    pub fn from_env_in(dir: &Path) -> Result<Self, MigrationError> {
        resolve(
            |key| std::env::var(key).ok(),
            |key| git_config(dir, key),
            Timestamp::now,
        )
    }
}

/// Resolving the planner's signature with its inputs passed in, so it can be tested without
/// touching the process environment.
fn resolve(
    env: impl Fn(&str) -> Option<String>,
    git: impl Fn(&str) -> Option<String>,
    now: impl FnOnce() -> Timestamp,
) -> Result<Signature, MigrationError> {
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let user = || {
        nonempty(env("USER"))
            .or_else(|| nonempty(env("LOGNAME")))
            .unwrap_or_else(|| "gen".to_owned())
    };
    let name = nonempty(env("SQITCH_FULLNAME"))
        .or_else(|| nonempty(git("user.name")))
        .unwrap_or_else(user);
    let email = nonempty(env("SQITCH_EMAIL"))
        .or_else(|| nonempty(git("user.email")))
        .unwrap_or_else(|| format!("{}@localhost", user()));
    let planned_at = match nonempty(env("GEN_PLANNED_AT")) {
        Some(value) => value
            .trim()
            .parse()
            .map_err(|_| MigrationError::InvalidTimestamp {
                source_name: "GEN_PLANNED_AT",
                value,
            })?,
        None => now(),
    };
    Signature::new(name, email, planned_at)
}

fn git_config(dir: &Path, key: &str) -> Option<String> {
    // No git, no repository or no such key all mean "ask the next source".
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["config", "--get", key])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let value = String::from_utf8(out.stdout).ok()?;
    Some(value.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp")
    }

    #[test]
    fn timestamp_round_trips_and_rejects_impossible_dates() {
        assert_eq!(
            ts("2026-11-21T12:00:00Z").to_string(),
            "2026-11-21T12:00:00Z"
        );
        assert_eq!(
            ts("2024-02-29T23:59:59Z").to_string(),
            "2024-02-29T23:59:59Z"
        );
        for bad in [
            "2025-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-21T24:00:00Z",
            "2026-11-21 12:00:00Z",
            "2026-11-21T12:00:00",
            "2026-11-21T12:00:0aZ",
            "+026-11-21T12:00:00Z",
        ] {
            assert!(
                bad.parse::<Timestamp>().is_err(),
                "{bad} should be rejected"
            );
        }
    }

    #[test]
    fn unix_seconds_become_civil_utc() {
        assert_eq!(Timestamp::from_unix(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_unix(951_782_400).to_string(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix(1_795_262_400).to_string(),
            "2026-11-21T12:00:00Z"
        );
        assert_eq!(Timestamp::from_unix(-1).to_string(), "1969-12-31T23:59:59Z");
        assert_eq!(
            Timestamp::from_unix(i64::MAX).to_string(),
            "9999-12-31T23:59:59Z"
        );
        // Every day for ~550 years agrees with the field-by-field validator.
        for day in -50_000..150_000i64 {
            let t = Timestamp::from_unix(day * 86_400 + 3_723);
            assert_eq!(t.to_string().parse::<Timestamp>(), Ok(t));
        }
    }

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |key| map.get(key).cloned()
    }

    fn fixed() -> Timestamp {
        ts("2000-01-01T00:00:00Z")
    }

    #[test]
    fn sqitch_env_wins_over_git_and_user() {
        let env = lookup(&[
            ("SQITCH_FULLNAME", "Ada Lovelace"),
            ("SQITCH_EMAIL", "ada@example.com"),
            ("USER", "root"),
            ("GEN_PLANNED_AT", "2026-11-21T12:00:00Z"),
        ]);
        let git = lookup(&[("user.name", "Git Name"), ("user.email", "git@example.com")]);
        let p = resolve(env, git, fixed).unwrap();
        assert_eq!(p.name, "Ada Lovelace");
        assert_eq!(p.email, "ada@example.com");
        assert_eq!(p.planned_at.to_string(), "2026-11-21T12:00:00Z");
    }

    #[test]
    fn git_then_user_fill_in() {
        let git = lookup(&[("user.name", "Git Name"), ("user.email", "git@example.com")]);
        let p = resolve(lookup(&[("USER", "root")]), git, fixed).unwrap();
        assert_eq!(
            (p.name.as_str(), p.email.as_str()),
            ("Git Name", "git@example.com")
        );
        assert_eq!(p.planned_at, fixed());

        let p = resolve(lookup(&[("USER", "deploy")]), lookup(&[]), fixed).unwrap();
        assert_eq!(
            (p.name.as_str(), p.email.as_str()),
            ("deploy", "deploy@localhost")
        );

        let p = resolve(lookup(&[]), lookup(&[]), fixed).unwrap();
        assert_eq!(
            (p.name.as_str(), p.email.as_str()),
            ("gen", "gen@localhost")
        );
    }

    #[test]
    fn bad_planned_at_is_an_error() {
        let err = resolve(
            lookup(&[("GEN_PLANNED_AT", "yesterday")]),
            lookup(&[]),
            fixed,
        )
        .unwrap_err();
        assert!(matches!(err, MigrationError::InvalidTimestamp { .. }));
        assert!(err.to_string().contains("GEN_PLANNED_AT"));
    }

    #[test]
    fn names_that_would_not_read_back_are_refused() {
        for (name, email) in [
            ("C# Dev", "a@b"),
            ("A <B>", "a@b"),
            ("[bot]", "a@b"),
            ("Ann", "a>b"),
            ("Ann", "a b"),
            ("", "a@b"),
        ] {
            assert!(
                Signature::new(name, email, fixed()).is_err(),
                "{name:?} {email:?} should be refused"
            );
        }
        let ok = Signature::new("  Ann  Lee ", "ann@example.com", fixed()).unwrap();
        assert_eq!(ok.name, "Ann  Lee");
    }
}
