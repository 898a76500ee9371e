//! Access methods a schema makes (`CREATE ACCESS METHOD`).

use serde::{Deserialize, Serialize};

use crate::ObjectId;

/// `CREATE ACCESS METHOD name TYPE { TABLE | INDEX } HANDLER function`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessMethod {
    /// Access method name.
    pub name: String,
    /// `TABLE` or `INDEX`.
    pub kind: String,
    /// The handler function, as the server prints it.
    pub handler: String,
    /// `COMMENT ON ACCESS METHOD`.
    pub comment: Option<String>,
}

impl AccessMethod {
    /// This access method's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::AccessMethod {
            name: self.name.clone(),
        }
    }
}
