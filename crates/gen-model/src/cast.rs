//! Casts an application defines between types (`CREATE CAST`).

use serde::{Deserialize, Serialize};

use crate::{CastContext, ObjectId};

/// `CREATE CAST (source AS target) {WITH FUNCTION f(…) | WITHOUT FUNCTION |
/// WITH INOUT} [AS ASSIGNMENT | AS IMPLICIT]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cast {
    /// The source type as `format_type` prints it, schema-qualified where
    /// it is not in `pg_catalog`: `public.color`, `json`.
    pub source: String,
    /// The target type, printed alike.
    pub target: String,
    /// How a value is converted.
    pub method: CastMethod,
    /// Where the cast applies.
    pub context: CastContext,
    /// `COMMENT ON CAST`.
    pub comment: Option<String>,
}

/// How a cast converts a value (`pg_cast.castmethod`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CastMethod {
    /// `WITH FUNCTION`: the function, schema-qualified with its identity
    /// arguments: `public.color(text)`.
    Function(String),
    /// `WITHOUT FUNCTION`: the types are binary-coercible.
    Binary,
    /// `WITH INOUT`: through the types' text forms.
    InOut,
}

impl Cast {
    /// This cast's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Cast {
            source: self.source.clone(),
            target: self.target.clone(),
        }
    }
}

impl CastContext {
    /// The clause `CREATE CAST` ends with, empty for an explicit cast.
    pub fn clause(self) -> &'static str {
        match self {
            CastContext::Explicit => "",
            CastContext::Assignment => " AS ASSIGNMENT",
            CastContext::Implicit => " AS IMPLICIT",
        }
    }
}
