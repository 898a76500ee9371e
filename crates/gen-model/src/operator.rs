//! User-defined operators (`CREATE OPERATOR`).

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// `CREATE OPERATOR schema.op (LEFTARG = …, RIGHTARG = …, FUNCTION = …,
/// COMMUTATOR = …, NEGATOR = …, RESTRICT = …, JOIN = …, HASHES, MERGES)`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    /// The operator's schema and symbol: `public.===`.
    pub name: QualifiedName,
    /// Left operand type; none for a prefix operator.
    pub left: Option<String>,
    /// Right operand type.
    pub right: String,
    /// The function that implements it, qualified.
    pub function: String,
    /// `COMMUTATOR`, as `OPERATOR(schema.op)`.
    pub commutator: Option<String>,
    /// `NEGATOR`, as `OPERATOR(schema.op)`.
    pub negator: Option<String>,
    /// `RESTRICT` selectivity estimator.
    pub restrict: Option<String>,
    /// `JOIN` selectivity estimator.
    pub join: Option<String>,
    /// `HASHES`.
    pub hashes: bool,
    /// `MERGES`.
    pub merges: bool,
    /// `COMMENT ON OPERATOR`.
    pub comment: Option<String>,
}

impl Operator {
    /// This operator's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Operator {
            name: self.name.clone(),
            left: self.left.clone().unwrap_or_else(|| "NONE".to_owned()),
            right: self.right.clone(),
        }
    }
}
