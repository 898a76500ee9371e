//! Event triggers: the SQL and the hazards of each change.

use gen_diff::EventTriggerChange;
use gen_model::{Catalog, Ident, Literal};

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;

impl Kind for EventTriggerChange {
    fn sql(&self) -> String {
        match self {
            EventTriggerChange::CreateEventTrigger(e) => {
                let mut sql = format!(
                    "CREATE EVENT TRIGGER {} ON {}",
                    Ident(&e.name),
                    Ident(&e.event)
                );
                if !e.tags.is_empty() {
                    let tags: Vec<String> = e.tags.iter().map(|t| Literal(t).to_string()).collect();
                    sql.push_str(&format!("\n    WHEN TAG IN ({})", tags.join(", ")));
                }
                sql.push_str(&format!("\n    EXECUTE FUNCTION {}();", e.function));
                sql
            }
            EventTriggerChange::DropEventTrigger(e) => {
                format!("DROP EVENT TRIGGER {};", Ident(&e.name))
            }
            EventTriggerChange::SetEventTriggerEnabled { name, enabled } => {
                format!(
                    "ALTER EVENT TRIGGER {} {};",
                    Ident(name),
                    enabled.keywords()
                )
            }
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            EventTriggerChange::CreateEventTrigger(..)
            | EventTriggerChange::DropEventTrigger(..)
            | EventTriggerChange::SetEventTriggerEnabled { .. } => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}
