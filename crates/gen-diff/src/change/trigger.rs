//! Triggers on tables and views.

use gen_model::{ObjectId, QualifiedName, Trigger, TriggerEnabled};
use serde::Serialize;

use super::Action;

/// A change to a trigger; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TriggerChange {
    /// `CREATE [OR REPLACE] TRIGGER name … ON table …;`
    CreateTrigger {
        /// The trigger.
        trigger: Trigger,
        /// `CREATE OR REPLACE`: an existing trigger is redefined in place.
        replace: bool,
    },
    /// `DROP TRIGGER name ON table;`
    DropTrigger(Trigger),
    /// `ALTER TABLE table {ENABLE | DISABLE} [REPLICA | ALWAYS] TRIGGER name;`
    SetTriggerEnabled {
        /// The trigger's table.
        table: QualifiedName,
        /// Trigger name.
        name: String,
        /// When it fires from now on.
        enabled: TriggerEnabled,
    },
}

impl TriggerChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            TriggerChange::CreateTrigger { trigger, .. } => (CreateOrAlter, trigger.id()),
            TriggerChange::DropTrigger(t) => (Drop, t.id()),
            TriggerChange::SetTriggerEnabled { table, name, .. } => (
                CreateOrAlter,
                ObjectId::Trigger {
                    table: table.clone(),
                    name: name.clone(),
                },
            ),
        }
    }

    /// The variant's name, `CreateTrigger` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            TriggerChange::CreateTrigger { .. } => "CreateTrigger",
            TriggerChange::DropTrigger(..) => "DropTrigger",
            TriggerChange::SetTriggerEnabled { .. } => "SetTriggerEnabled",
        }
    }
}
