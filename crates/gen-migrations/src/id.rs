//! Sqitch's object ids, computed exactly as `App::Sqitch::Plan::Change->id`
//! and `App::Sqitch::Plan::Tag->id` do, so gen's registry rows match the ones
//! `sqitch deploy` writes.

use sha1::{Digest, Sha1};

use crate::{PlanChange, Tag};

/// The id Sqitch gives `change`: SHA-1 of `"change <len>\0" + info`, where
/// info lists project, uri, name, parent id, planner, date, requirements,
/// conflicts and note.
///
/// `parent_id` is the id of the change planned just before it. Tags on the
/// change do not take part (Sqitch's `info` does not mention them).
pub fn change_id(
    project: &str,
    uri: Option<&str>,
    change: &PlanChange,
    parent_id: Option<&str>,
) -> String {
    let mut info = vec![format!("project {project}")];
    if let Some(uri) = uri.filter(|u| !u.is_empty()) {
        info.push(format!("uri {}", canonical_uri(uri)));
    }
    info.push(format!("change {}", change.name));
    if let Some(parent) = parent_id {
        info.push(format!("parent {parent}"));
    }
    info.push(format!(
        "planner {} <{}>",
        change.planner.name, change.planner.email
    ));
    info.push(format!("date {}", change.planner.planned_at));
    let requires: Vec<String> = change
        .requires()
        .map(|d| d.as_sqitch_string(project))
        .collect();
    if !requires.is_empty() {
        info.push(format!("requires\n  + {}", requires.join("\n  + ")));
    }
    let conflicts: Vec<String> = change
        .conflicts()
        .map(|d| d.as_sqitch_string(project))
        .collect();
    if !conflicts.is_empty() {
        info.push(format!("conflicts\n  - {}", conflicts.join("\n  - ")));
    }
    if !change.note.is_empty() {
        info.push(String::new());
        info.push(change.note.clone());
    }
    object_id("change", &info.join("\n"))
}

/// The id Sqitch gives `tag`, which tags the change whose id is `change_id`.
pub fn tag_id(project: &str, uri: Option<&str>, tag: &Tag, change_id: &str) -> String {
    let mut info = vec![format!("project {project}")];
    if let Some(uri) = uri.filter(|u| !u.is_empty()) {
        info.push(format!("uri {}", canonical_uri(uri)));
    }
    info.push(format!("tag @{}", tag.name));
    info.push(format!("change {change_id}"));
    info.push(format!(
        "planner {} <{}>",
        tag.planner.name, tag.planner.email
    ));
    info.push(format!("date {}", tag.planner.planned_at));
    if !tag.note.is_empty() {
        info.push(String::new());
        info.push(tag.note.clone());
    }
    object_id("tag", &info.join("\n"))
}

/// Sqitch's `script_hash` of a deploy script: SHA-1 of its bytes.
pub fn script_hash(contents: &[u8]) -> String {
    hex(&Sha1::digest(contents))
}

/// Git-style object hash: `<kind> <byte length>\0<content>`.
fn object_id(kind: &str, content: &str) -> String {
    let mut sha = Sha1::new();
    sha.update(format!("{kind} {}\0", content.len()).as_bytes());
    sha.update(content.as_bytes());
    hex(&sha.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// The subset of Perl's `URI->canonical` that project URIs meet: lowercase
/// scheme and host, percent-escapes in upper case with unreserved characters
/// unescaped, default ports dropped, `/` for an empty http(s) path, and a
/// lowercase namespace for `urn:`.
pub fn canonical_uri(uri: &str) -> String {
    let uri = normalize_escapes(uri);
    let Some((scheme, rest)) = uri.split_once(':') else {
        return uri;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return uri;
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "urn" {
        return match rest.split_once(':') {
            Some((nid, nss)) => format!("urn:{}:{nss}", nid.to_ascii_lowercase()),
            None => format!("urn:{rest}"),
        };
    }
    let Some(after) = rest.strip_prefix("//") else {
        return format!("{scheme}:{rest}");
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, tail) = after.split_at(end);
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => {
            if p.chars().all(|c| c.is_ascii_digit()) {
                (h, Some(p))
            } else {
                (hostport, None)
            }
        }
        _ => (hostport, None),
    };
    let default_port = match scheme.as_str() {
        "http" | "ws" => Some("80"),
        "https" | "wss" => Some("443"),
        "ftp" => Some("21"),
        _ => None,
    };
    let port = port.filter(|p| !p.is_empty() && Some(*p) != default_port);
    let mut out = format!("{scheme}://");
    if let Some(u) = userinfo {
        out.push_str(u);
        out.push('@');
    }
    out.push_str(&host.to_ascii_lowercase());
    if let Some(p) = port {
        out.push(':');
        out.push_str(p);
    }
    if tail.is_empty() && matches!(scheme.as_str(), "http" | "https") {
        out.push('/');
    }
    out.push_str(tail);
    out
}

fn normalize_escapes(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let value = u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(0);
            if value.is_ascii_alphanumeric() || b"-._~".contains(&value) {
                out.push(value as char);
            } else {
                out.push('%');
                out.push_str(&s[i + 1..i + 3].to_ascii_uppercase());
            }
            i += 3;
        } else {
            let c = s[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_canonicalize_like_perl_uri() {
        // Expected values printed by `perl -MURI -e 'print URI->new($ARGV[0])->canonical'`.
        for (input, expected) in [
            ("HTTPS://Example.COM:443", "https://example.com/"),
            (
                "https://Foo.com:8080/a%7eb%2f",
                "https://foo.com:8080/a~b%2F",
            ),
            ("urn:Foo:Bar", "urn:foo:Bar"),
            ("https://x.org/p?q=%aa", "https://x.org/p?q=%AA"),
            ("https://github.com/org/repo", "https://github.com/org/repo"),
        ] {
            assert_eq!(canonical_uri(input), expected, "{input}");
        }
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(hex(&[0x00, 0xab, 0x10]), "00ab10");
        assert_eq!(script_hash(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }
}
