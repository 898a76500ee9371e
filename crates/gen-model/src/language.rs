//! Procedural languages not made by an extension (`CREATE LANGUAGE`).

use serde::{Deserialize, Serialize};

use crate::ObjectId;

/// `CREATE [TRUSTED] LANGUAGE name HANDLER … [INLINE …] [VALIDATOR …]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Language {
    /// Language name.
    pub name: String,
    /// `TRUSTED`: roles without superuser may write functions in it.
    pub trusted: bool,
    /// The call handler, qualified (`pg_catalog.plpgsql_call_handler`).
    pub handler: String,
    /// `INLINE`: the handler of `DO` blocks, qualified.
    pub inline: Option<String>,
    /// `VALIDATOR`, qualified.
    pub validator: Option<String>,
    /// `COMMENT ON LANGUAGE`.
    pub comment: Option<String>,
}

impl Language {
    /// This language's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Language {
            name: self.name.clone(),
        }
    }
}
