//! Event triggers.

use gen_model::{EventTrigger, ObjectId, TriggerEnabled};
use serde::Serialize;

use super::Action;

/// A change to an event trigger; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum EventTriggerChange {
    /// `CREATE EVENT TRIGGER name ON event WHEN TAG IN (…) EXECUTE FUNCTION f();`
    CreateEventTrigger(EventTrigger),
    /// `DROP EVENT TRIGGER name;`
    DropEventTrigger(EventTrigger),
    /// `ALTER EVENT TRIGGER name {ENABLE | DISABLE} [REPLICA | ALWAYS];`
    SetEventTriggerEnabled {
        /// Event trigger name.
        name: String,
        /// When it fires from now on.
        enabled: TriggerEnabled,
    },
}

impl EventTriggerChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            EventTriggerChange::CreateEventTrigger(e) => (CreateOrAlter, e.id()),
            EventTriggerChange::DropEventTrigger(e) => (Drop, e.id()),
            EventTriggerChange::SetEventTriggerEnabled { name, .. } => {
                (CreateOrAlter, ObjectId::EventTrigger { name: name.clone() })
            }
        }
    }

    /// The variant's name, `CreateEventTrigger` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            EventTriggerChange::CreateEventTrigger(..) => "CreateEventTrigger",
            EventTriggerChange::DropEventTrigger(..) => "DropEventTrigger",
            EventTriggerChange::SetEventTriggerEnabled { .. } => "SetEventTriggerEnabled",
        }
    }
}
