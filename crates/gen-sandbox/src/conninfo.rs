//! Connection strings: parsing (through tokio-postgres), rendering for libpq
//! tools, and removing passwords before anything is shown.

use std::fmt::Write as _;

use tokio_postgres::Config;
use tokio_postgres::config::{Host, SslMode, TargetSessionAttrs};

use crate::error::SandboxError;

/// What a removed password is replaced with.
const MASK: &str = "***";

/// Parses a `postgres://` URL or a libpq `key=value` string.
pub(crate) fn parse(target: &str) -> Result<Config, SandboxError> {
    target
        .parse::<Config>()
        .map_err(|e| SandboxError::InvalidUrl {
            target: redact(target),
            source: e.into(),
        })
}

/// Removes the password from a connection URL or a `key=value` conninfo
/// string so it can be shown to the user.
///
/// Works on the text, not on a parsed form, so strings that fail to parse are
/// redacted too; when in doubt it hides more rather than less.
///
/// ```
/// assert_eq!(
///     gen_sandbox::redact("postgres://app:s3cret@db:5432/app"),
///     "postgres://app:***@db:5432/app"
/// );
/// assert_eq!(
///     gen_sandbox::redact("host=db password='s 3' dbname=app"),
///     "host=db password=*** dbname=app"
/// );
/// ```
pub fn redact(target: &str) -> String {
    let trimmed = target.trim_start();
    for scheme in ["postgresql://", "postgres://"] {
        if trimmed.len() >= scheme.len() && trimmed[..scheme.len()].eq_ignore_ascii_case(scheme) {
            let (head, rest) = trimmed.split_at(scheme.len());
            return format!("{head}{}", redact_url_rest(rest));
        }
    }
    redact_conninfo(trimmed)
}

/// `rest` is everything after `scheme://`.
fn redact_url_rest(rest: &str) -> String {
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    // A well-formed URL has its userinfo inside the authority; an unencoded
    // `/` or `?` in a password moves the `@` further right, so fall back to
    // the last `@` anywhere, which may hide too much but never too little.
    let at = rest[..authority_end].rfind('@').or_else(|| rest.rfind('@'));
    let mut out = String::with_capacity(rest.len());
    let after_userinfo = match at {
        Some(at) => {
            let userinfo = &rest[..at];
            match userinfo.find(':') {
                Some(colon) => {
                    out.push_str(&userinfo[..=colon]);
                    out.push_str(MASK);
                }
                None => out.push_str(userinfo),
            }
            out.push('@');
            at + 1
        }
        None => 0,
    };
    let tail = &rest[after_userinfo..];
    match tail.find('?') {
        Some(q) => {
            out.push_str(&tail[..=q]);
            let query = &tail[q + 1..];
            let (query, fragment) = match query.find('#') {
                Some(h) => query.split_at(h),
                None => (query, ""),
            };
            let params: Vec<String> = query
                .split('&')
                .map(|param| {
                    let key = param.split('=').next().unwrap_or_default();
                    if key.eq_ignore_ascii_case("password") {
                        format!("{key}={MASK}")
                    } else {
                        param.to_owned()
                    }
                })
                .collect();
            out.push_str(&params.join("&"));
            out.push_str(fragment);
        }
        None => out.push_str(tail),
    }
    out
}

fn redact_conninfo(s: &str) -> String {
    match redact_conninfo_strict(s) {
        Some(out) => out,
        // Unparseable: keep what precedes the password keyword (or
        // everything, if there is none) and hide the rest.
        None => match s.to_ascii_lowercase().find("password") {
            Some(i) => format!("{}password={MASK}", &s[..i]),
            None => s.to_owned(),
        },
    }
}

/// Rewrites a well-formed libpq conninfo string with password values masked,
/// keeping everything else byte for byte. `None` if it is not well-formed.
fn redact_conninfo_strict(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        out.push_str(&s[start..i]);
        if i == bytes.len() {
            break;
        }
        let key_start = i;
        while i < bytes.len() && bytes[i] != b'=' && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &s[key_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == bytes.len() || bytes[i] != b'=' || key.is_empty() {
            return None;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value_start = i;
        if i < bytes.len() && bytes[i] == b'\'' {
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return None,
                    Some(b'\\') => i += 2,
                    Some(b'\'') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            if i > bytes.len() {
                return None;
            }
        } else {
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = i.min(bytes.len());
        }
        out.push_str(&s[key_start..value_start]);
        if key.eq_ignore_ascii_case("password") {
            out.push_str(MASK);
        } else {
            out.push_str(&s[value_start..i]);
        }
    }
    Some(out)
}

/// Renders a config as a libpq `key=value` string that `psql` and `pg_dump`
/// accept. The password is included only when `with_password` is set.
pub(crate) fn to_conninfo(config: &Config, with_password: bool) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    let hosts: Vec<String> = config.get_hosts().iter().map(host_text).collect();
    if !hosts.is_empty() {
        parts.push(("host", hosts.join(",")));
    }
    let addrs: Vec<String> = config
        .get_hostaddrs()
        .iter()
        .map(ToString::to_string)
        .collect();
    if !addrs.is_empty() {
        parts.push(("hostaddr", addrs.join(",")));
    }
    let ports: Vec<String> = config.get_ports().iter().map(ToString::to_string).collect();
    if !ports.is_empty() {
        parts.push(("port", ports.join(",")));
    }
    if let Some(user) = config.get_user() {
        parts.push(("user", user.to_owned()));
    }
    if let Some(password) = config.get_password() {
        let value = if with_password {
            String::from_utf8_lossy(password).into_owned()
        } else {
            MASK.to_owned()
        };
        parts.push(("password", value));
    }
    if let Some(db) = config.get_dbname() {
        parts.push(("dbname", db.to_owned()));
    }
    for (key, value) in extra_params(config) {
        parts.push((key, value));
    }
    let mut out = String::new();
    for (key, value) in parts {
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{key}={}", quote_conninfo_value(&value));
    }
    out
}

/// Renders a config as a `postgres://` URL; Unix socket directories are
/// percent-encoded into the host part, which libpq and tokio-postgres read back.
pub(crate) fn to_url(config: &Config, with_password: bool) -> String {
    let mut out = String::from("postgres://");
    if let Some(user) = config.get_user() {
        out.push_str(&percent_encode(user));
        if let Some(password) = config.get_password() {
            out.push(':');
            if with_password {
                out.push_str(&percent_encode(&String::from_utf8_lossy(password)));
            } else {
                out.push_str(MASK);
            }
        }
        out.push('@');
    }
    let hosts = config.get_hosts();
    let ports = config.get_ports();
    let mut host_parts = Vec::new();
    for (i, host) in hosts.iter().enumerate() {
        let mut part = percent_encode(&host_text(host));
        // One port applies to every host; otherwise they pair up.
        let port = if ports.len() == 1 {
            ports.first()
        } else {
            ports.get(i)
        };
        if let Some(port) = port {
            let _ = write!(part, ":{port}");
        }
        host_parts.push(part);
    }
    out.push_str(&host_parts.join(","));
    out.push('/');
    if let Some(db) = config.get_dbname() {
        out.push_str(&percent_encode(db));
    }
    let mut params: Vec<(&str, String)> = extra_params(config);
    let addrs: Vec<String> = config
        .get_hostaddrs()
        .iter()
        .map(ToString::to_string)
        .collect();
    if !addrs.is_empty() {
        params.insert(0, ("hostaddr", addrs.join(",")));
    }
    if hosts.is_empty() && !ports.is_empty() {
        let ports: Vec<String> = ports.iter().map(ToString::to_string).collect();
        params.insert(0, ("port", ports.join(",")));
    }
    for (i, (key, value)) in params.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        let _ = write!(out, "{key}={}", percent_encode(value));
    }
    out
}

/// Settings other than where to connect and as whom, in libpq spelling.
/// Defaults are left out so rendered strings stay short.
fn extra_params(config: &Config) -> Vec<(&'static str, String)> {
    let mut params = Vec::new();
    if let Some(options) = config.get_options() {
        params.push(("options", options.to_owned()));
    }
    if let Some(name) = config.get_application_name() {
        params.push(("application_name", name.to_owned()));
    }
    match config.get_ssl_mode() {
        SslMode::Disable => params.push(("sslmode", "disable".to_owned())),
        SslMode::Require => params.push(("sslmode", "require".to_owned())),
        _ => {}
    }
    if let Some(timeout) = config.get_connect_timeout() {
        params.push(("connect_timeout", timeout.as_secs().max(1).to_string()));
    }
    if config.get_target_session_attrs() == TargetSessionAttrs::ReadWrite {
        params.push(("target_session_attrs", "read-write".to_owned()));
    }
    params
}

fn host_text(host: &Host) -> String {
    match host {
        Host::Tcp(name) => name.clone(),
        Host::Unix(path) => path.display().to_string(),
    }
}

fn quote_conninfo_value(value: &str) -> String {
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '\'' || c == '\\');
    if plain {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_url_passwords() {
        let cases = [
            ("postgres://u:pw@h/db", "postgres://u:***@h/db"),
            (
                "postgresql://u:pw@h:5/db?x=1",
                "postgresql://u:***@h:5/db?x=1",
            ),
            ("POSTGRES://u:pw@h", "POSTGRES://u:***@h"),
            ("postgres://u@h/db", "postgres://u@h/db"),
            ("postgres://h/db", "postgres://h/db"),
            (
                "postgres://h/db?sslmode=disable&password=pw&user=u",
                "postgres://h/db?sslmode=disable&password=***&user=u",
            ),
            // Unencoded `/`, `?` and `@` in the password.
            ("postgres://u:p/w@h/db", "postgres://u:***@h/db"),
            ("postgres://u:p?w@h/db", "postgres://u:***@h/db"),
            ("postgres://u:p@w@h/db", "postgres://u:***@h/db"),
            (
                "postgres://u:pw@%2Ftmp%2Fs/db",
                "postgres://u:***@%2Ftmp%2Fs/db",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "redacting {input}");
            assert!(!redact(input).contains("pw"), "{input}");
        }
    }

    #[test]
    fn redacts_conninfo_passwords() {
        let cases = [
            (
                "host=h password=pw dbname=d",
                "host=h password=*** dbname=d",
            ),
            ("password = pw host=h", "password = *** host=h"),
            (
                "host=h password='p w\\'x' user=u",
                "host=h password=*** user=u",
            ),
            ("PASSWORD=pw", "PASSWORD=***"),
            ("host=h", "host=h"),
            ("dbname=passwordless", "dbname=passwordless"),
            // Malformed: unterminated quote.
            ("host=h password='pw", "host=h password=***"),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "redacting {input}");
        }
    }

    #[test]
    fn renders_conninfo_that_parses_back() {
        let config =
            parse("postgres://us%20er:p%27w@%2Ftmp%2Fsock:5433/my%20db?application_name=x")
                .expect("parse");
        let info = to_conninfo(&config, true);
        assert_eq!(
            info,
            "host=/tmp/sock port=5433 user='us er' password='p\\'w' dbname='my db' application_name=x"
        );
        let back = parse(&info).expect("parse rendered conninfo");
        assert_eq!(back.get_hosts(), config.get_hosts());
        assert_eq!(back.get_ports(), config.get_ports());
        assert_eq!(back.get_user(), Some("us er"));
        assert_eq!(back.get_password(), Some(&b"p'w"[..]));
        assert_eq!(back.get_dbname(), Some("my db"));
        assert!(!to_conninfo(&config, false).contains("p'w"));
    }

    #[test]
    fn renders_url_that_parses_back() {
        let config =
            parse("host=/tmp/sock port=5433 user=postgres password='a b' dbname=d sslmode=disable")
                .expect("parse");
        let url = to_url(&config, true);
        assert_eq!(
            url,
            "postgres://postgres:a%20b@%2Ftmp%2Fsock:5433/d?sslmode=disable"
        );
        let back = parse(&url).expect("parse rendered url");
        assert_eq!(back.get_hosts(), config.get_hosts());
        assert_eq!(back.get_ports(), config.get_ports());
        assert_eq!(back.get_password(), Some(&b"a b"[..]));
        assert_eq!(back.get_ssl_mode(), SslMode::Disable);
        assert_eq!(
            to_url(&config, false),
            "postgres://postgres:***@%2Ftmp%2Fsock:5433/d?sslmode=disable"
        );
    }

    #[test]
    fn parse_errors_do_not_leak_the_password() {
        for bad in [
            "postgres://u:hunter2@h:notaport/db",
            "host=h port=x password=hunter2",
            "host=h password=hunter2 bogus_option=1",
        ] {
            let err = parse(bad).expect_err(bad);
            let mut text = format!("{err} {err:?}");
            let mut source = std::error::Error::source(&err);
            while let Some(s) = source {
                text.push_str(&format!(" {s} {s:?}"));
                source = s.source();
            }
            assert!(!text.contains("hunter2"), "{bad} leaked: {text}");
            assert!(err.hint().is_some());
        }
    }
}
