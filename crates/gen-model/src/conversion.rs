//! Encoding conversions (`CREATE CONVERSION`).

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// `CREATE [DEFAULT] CONVERSION schema.name FOR 'source' TO 'destination'
/// FROM function`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversion {
    /// Conversion name.
    pub name: QualifiedName,
    /// Source encoding, as the server names it (`LATIN1`).
    pub source: String,
    /// Destination encoding.
    pub destination: String,
    /// The function that converts, as the server prints it.
    pub function: String,
    /// `DEFAULT`: used for this pair of encodings in its schema.
    pub default: bool,
    /// `COMMENT ON CONVERSION`.
    pub comment: Option<String>,
}

impl Conversion {
    /// This conversion's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Conversion {
            name: self.name.clone(),
        }
    }
}
