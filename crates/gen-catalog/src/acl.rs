//! Reading `aclitem` text (`grantee=privileges/grantor`) into grants, and
//! the privileges the server gives PUBLIC when an object has no ACL yet.
//!
//! The server could explode ACLs itself (`aclexplode`), but for a query
//! that runs once in a fresh backend, planning that over every kind of
//! object cost more than reading the ACLs.

use gen_model::{Grant, Grantee};

/// The grants of one `aclitem` as the server prints it, or `None` when it
/// does not read as one. Quoted names (`"my role"`) are unquoted; an empty
/// grantee is PUBLIC.
pub(crate) fn grants(item: &str) -> Option<Vec<Grant>> {
    let (grantee, rest) = name(item)?;
    let rest = rest.strip_prefix('=')?;
    let privileges = &rest[..rest.find('/')?];
    let grantee = match grantee {
        None => Grantee::Public,
        Some(name) => Grantee::Role(name),
    };
    let mut out: Vec<Grant> = Vec::new();
    for c in privileges.chars() {
        if c == '*' {
            out.last_mut()?.grantable = true;
            continue;
        }
        out.push(Grant {
            grantee: grantee.clone(),
            privilege: privilege(c)?.to_owned(),
            grantable: false,
        });
    }
    Some(out)
}

/// A role name at the start of `text` (`None` for an empty one) and what
/// follows it.
fn name(text: &str) -> Option<(Option<String>, &str)> {
    let Some(quoted) = text.strip_prefix('"') else {
        let end = text.find(['=', '/']).unwrap_or(text.len());
        let name = &text[..end];
        return Some(((!name.is_empty()).then(|| name.to_owned()), &text[end..]));
    };
    let mut name = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            name.push(c);
        } else if quoted[i + 1..].starts_with('"') {
            name.push('"');
            chars.next();
        } else {
            return Some((Some(name), &quoted[i + 1..]));
        }
    }
    None
}

/// The keyword `aclexplode` gives a privilege letter.
fn privilege(letter: char) -> Option<&'static str> {
    Some(match letter {
        'a' => "INSERT",
        'r' => "SELECT",
        'w' => "UPDATE",
        'd' => "DELETE",
        'D' => "TRUNCATE",
        'x' => "REFERENCES",
        't' => "TRIGGER",
        'X' => "EXECUTE",
        'U' => "USAGE",
        'C' => "CREATE",
        'T' => "TEMPORARY",
        'c' => "CONNECT",
        's' => "SET",
        'A' => "ALTER SYSTEM",
        'm' => "MAINTAIN",
        _ => return None,
    })
}

/// What PUBLIC holds on an object of this kind (`acldefault`'s letters:
/// `f` routine, `T` type or domain, …) that has no ACL: routines can be
/// executed and types used by anyone; nothing else is granted to PUBLIC.
/// The owner's own privileges are implicit and not listed.
pub(crate) fn public_default(objtype: &str) -> Vec<Grant> {
    let privilege = match objtype {
        "f" => "EXECUTE",
        "T" | "l" => "USAGE",
        _ => return Vec::new(),
    };
    vec![Grant {
        grantee: Grantee::Public,
        privilege: privilege.to_owned(),
        grantable: false,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(grantee: Option<&str>, privilege: &str, grantable: bool) -> Grant {
        Grant {
            grantee: grantee.map_or(Grantee::Public, |r| Grantee::Role(r.to_owned())),
            privilege: privilege.to_owned(),
            grantable,
        }
    }

    #[test]
    fn reads_aclitems_as_the_server_prints_them() {
        assert_eq!(
            grants("bob=r*w/alice"),
            Some(vec![
                g(Some("bob"), "SELECT", true),
                g(Some("bob"), "UPDATE", false)
            ])
        );
        assert_eq!(grants("=X/alice"), Some(vec![g(None, "EXECUTE", false)]));
        assert_eq!(
            grants("\"my \"\"odd\"\" role\"=U/\"x=y\""),
            Some(vec![g(Some("my \"odd\" role"), "USAGE", false)])
        );
        assert_eq!(grants("Bob=arwdDxt/Bob").map(|v| v.len()), Some(7));
        assert_eq!(grants("bob=?/alice"), None);
        assert_eq!(grants("bob"), None);
    }

    #[test]
    fn public_holds_execute_on_routines_and_usage_on_types() {
        assert_eq!(public_default("f"), vec![g(None, "EXECUTE", false)]);
        assert_eq!(public_default("T"), vec![g(None, "USAGE", false)]);
        assert!(public_default("r").is_empty());
        assert!(public_default("n").is_empty());
    }
}
