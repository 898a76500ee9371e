//! Foreign data: wrappers, servers, user mappings and foreign tables.

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// Option names whose values are secrets: never read into a catalog,
/// never written to a migration, a report or an error.
pub const SECRET_OPTIONS: [&str; 7] = [
    "password",
    "passfile",
    "sslpassword",
    "sslkey",
    "secret",
    "token",
    "api_key",
];

/// One `OPTIONS (name 'value')` entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FdwOption {
    /// Option name.
    pub name: String,
    /// Its value, or `None` for a secret, which gen never holds: the
    /// migration takes it from a psql variable at deploy time.
    pub value: Option<String>,
}

impl FdwOption {
    /// An option as the server stores it (`name=value`), its value
    /// forgotten when the name says it is a secret.
    pub fn from_stored(stored: &str) -> FdwOption {
        let (name, value) = stored.split_once('=').unwrap_or((stored, ""));
        let secret = SECRET_OPTIONS.contains(&name.to_ascii_lowercase().as_str());
        FdwOption {
            name: name.to_owned(),
            value: (!secret).then(|| value.to_owned()),
        }
    }
}

/// `CREATE FOREIGN DATA WRAPPER name [HANDLER f] [VALIDATOR f] [OPTIONS (…)]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignDataWrapper {
    /// Wrapper name (database-wide).
    pub name: String,
    /// The handler function, qualified.
    pub handler: Option<String>,
    /// The validator function, qualified.
    pub validator: Option<String>,
    /// Options, in the server's order.
    pub options: Vec<FdwOption>,
    /// `COMMENT ON FOREIGN DATA WRAPPER`.
    pub comment: Option<String>,
}

impl ForeignDataWrapper {
    /// This wrapper's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::ForeignDataWrapper {
            name: self.name.clone(),
        }
    }
}

/// `CREATE SERVER name [TYPE '…'] [VERSION '…'] FOREIGN DATA WRAPPER w [OPTIONS (…)]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignServer {
    /// Server name (database-wide).
    pub name: String,
    /// The wrapper it uses.
    pub wrapper: String,
    /// `TYPE`.
    pub server_type: Option<String>,
    /// `VERSION`.
    pub version: Option<String>,
    /// Options, in the server's order.
    pub options: Vec<FdwOption>,
    /// `COMMENT ON SERVER`.
    pub comment: Option<String>,
}

impl ForeignServer {
    /// This server's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::ForeignServer {
            name: self.name.clone(),
        }
    }
}

/// `CREATE USER MAPPING FOR user SERVER s [OPTIONS (…)]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserMapping {
    /// The server.
    pub server: String,
    /// The role, or `PUBLIC`.
    pub user: String,
    /// Options, in the server's order.
    pub options: Vec<FdwOption>,
}

impl UserMapping {
    /// This mapping's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::UserMapping {
            server: self.server.clone(),
            user: self.user.clone(),
        }
    }
}

/// `CREATE FOREIGN TABLE name (…) SERVER s [OPTIONS (…)]`, or a partition:
/// `CREATE FOREIGN TABLE name PARTITION OF parent FOR VALUES … SERVER s`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignTable {
    /// Table name.
    pub name: QualifiedName,
    /// The server it reads through.
    pub server: String,
    /// Table options, in the server's order.
    pub options: Vec<FdwOption>,
    /// Its own columns (a partition's come from its parent).
    pub columns: Vec<ForeignColumn>,
    /// Check constraints by name, as `pg_get_constraintdef` prints them.
    pub checks: Vec<(String, String)>,
    /// The partitioned table it is a partition of, with its bound.
    pub partition_of: Option<(QualifiedName, String)>,
    /// `COMMENT ON FOREIGN TABLE`.
    pub comment: Option<String>,
}

/// A column of a foreign table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignColumn {
    /// Column name.
    pub name: String,
    /// Type as `format_type` prints it.
    pub data_type: String,
    /// `COLLATE`, when not the type's.
    pub collation: Option<String>,
    /// `NOT NULL`.
    pub not_null: bool,
    /// `DEFAULT`, as `pg_get_expr` prints it.
    pub default: Option<String>,
    /// Column options.
    pub options: Vec<FdwOption>,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
}

impl ForeignTable {
    /// This table's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::ForeignTable {
            name: self.name.clone(),
        }
    }
}

/// `text` with the value of every secret option written in it (`password
/// 'hunter2'`, however cased) masked: for excerpts of schema files shown in
/// errors.
pub fn redact_secrets(text: &str) -> std::borrow::Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for name in SECRET_OPTIONS {
        let mut from = 0;
        while let Some(found) = lower[from..].find(name) {
            let start = from + found;
            from = start + name.len();
            let word = |i: usize| bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_';
            if (start > 0 && word(start - 1)) || (from < bytes.len() && word(from)) {
                continue;
            }
            // The option's name, maybe quoted, then blanks, then its value.
            let mut i = from;
            if i < bytes.len() && bytes[i] == b'"' {
                i += 1;
            }
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            // In a connection string: `password=value` up to a blank or
            // the end of the literal around it.
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                while i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
                let open = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'\'' {
                    i += 1;
                }
                if i > open {
                    spans.push((open, i));
                }
                continue;
            }
            if i >= bytes.len() || bytes[i] != b'\'' {
                continue;
            }
            let open = i;
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if i + 1 < bytes.len() && bytes[i + 1] == b'\'' {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            spans.push((open + 1, i.min(bytes.len())));
        }
    }
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        if start < at {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str("********");
        at = end;
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_masked_wherever_written() {
        let sql = "CREATE USER MAPPING FOR a SERVER s OPTIONS (user 'me', PASSWORD 'it''s', \"sslkey\" '/k');";
        assert_eq!(
            redact_secrets(sql),
            "CREATE USER MAPPING FOR a SERVER s OPTIONS (user 'me', PASSWORD '********', \"sslkey\" '********');"
        );
        assert_eq!(
            redact_secrets("CREATE SUBSCRIPTION s CONNECTION 'host=h password=hunter2 dbname=d'"),
            "CREATE SUBSCRIPTION s CONNECTION 'host=h password=******** dbname=d'"
        );
        assert!(matches!(
            redact_secrets("SELECT password_hash FROM users"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_secret_option_forgets_its_value() {
        let o = FdwOption::from_stored("password=hunter2");
        assert_eq!(o.value, None);
        assert_eq!(
            FdwOption::from_stored("host=db").value.as_deref(),
            Some("db")
        );
    }
}
