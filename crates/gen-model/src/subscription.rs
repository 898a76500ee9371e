//! Subscriptions (`CREATE SUBSCRIPTION`).

use serde::{Deserialize, Serialize};

use crate::{ObjectId, SECRET_OPTIONS};

/// `CREATE SUBSCRIPTION name CONNECTION '…' PUBLICATION p, … WITH (…)`,
/// as a sandbox holds it: never connected, so disabled and without a
/// replication slot made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// Subscription name.
    pub name: String,
    /// The connection string with every secret parameter (`password`, …)
    /// taken out: gen never holds a secret.
    pub connection: String,
    /// The secret parameters the connection string had (`password`, …),
    /// lower-cased, in order: the plan reads each value from a psql
    /// variable.
    pub secrets: Vec<String>,
    /// The publications subscribed to, in order.
    pub publications: Vec<String>,
    /// `slot_name`; `None` is `NONE`.
    pub slot_name: Option<String>,
    /// The other options as `key = value`, as `WITH (…)` takes them, in
    /// the server's order.
    pub options: Vec<String>,
    /// `COMMENT ON SUBSCRIPTION`.
    pub comment: Option<String>,
}

impl Subscription {
    /// This subscription's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Subscription {
            name: self.name.clone(),
        }
    }
}

/// A libpq connection string split into `key=value` parameters (values
/// unquoted as libpq reads them), in order.
pub fn conninfo_parameters(conninfo: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = conninfo.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        if key.is_empty() {
            return out;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next_if_eq(&'=').is_none() {
            out.push((key, String::new()));
            continue;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '\'' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

/// A connection string without its secret parameters, written back as
/// libpq reads it, and the names of those it had.
pub fn conninfo_without_secrets(conninfo: &str) -> (String, Vec<String>) {
    let mut secrets = Vec::new();
    let kept: Vec<String> = conninfo_parameters(conninfo)
        .into_iter()
        .filter(|(key, _)| {
            let key = key.to_ascii_lowercase();
            let is_secret = SECRET_OPTIONS.contains(&key.as_str());
            if is_secret {
                secrets.push(key);
            }
            !is_secret
        })
        .map(|(key, value)| {
            let plain = !value.is_empty()
                && !value
                    .chars()
                    .any(|c| c.is_whitespace() || c == '\'' || c == '\\');
            if plain {
                format!("{key}={value}")
            } else {
                format!(
                    "{key}='{}'",
                    value.replace('\\', "\\\\").replace('\'', "\\'")
                )
            }
        })
        .collect();
    (kept.join(" "), secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_leave_a_connection_string_and_the_rest_stays() {
        let (kept, secret) = conninfo_without_secrets(
            "host=db.internal  port = 5432 password='it\\'s secret' dbname=app",
        );
        assert_eq!(kept, "host=db.internal port=5432 dbname=app");
        assert_eq!(secret, ["password"]);
        let (kept, secret) = conninfo_without_secrets("host=a application_name='my app'");
        assert_eq!(kept, "host=a application_name='my app'");
        assert!(secret.is_empty());
    }
}
