//! Rewrite rules on tables and views (`CREATE RULE`), other than the
//! `_RETURN` rule that is a view's query.

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName, TriggerEnabled};

/// `CREATE RULE name AS ON event TO relation [WHERE …] DO [ALSO | INSTEAD]
/// {NOTHING | command | (command; command …)}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The table or view the rule is on.
    pub table: QualifiedName,
    /// Raw rule name.
    pub name: String,
    /// The statement as `pg_get_ruledef()` writes it, ending in `;`.
    pub definition: String,
    /// When it fires (`ALTER TABLE … {ENABLE | DISABLE} [REPLICA | ALWAYS] RULE`).
    pub enabled: TriggerEnabled,
    /// `COMMENT ON RULE`.
    pub comment: Option<String>,
}

impl Rule {
    /// The rule's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Rule {
            table: self.table.clone(),
            name: self.name.clone(),
        }
    }
}
