//! Triggers: the SQL and the hazards of each change.

use gen_diff::TriggerChange;
use gen_model::{Catalog, Ident};

use super::Kind;
use crate::hazard::{BRIEF_LOCK, Hazard, HazardKind, hazard};
use crate::lock::Lock;

impl Kind for TriggerChange {
    fn sql(&self) -> String {
        match self {
            TriggerChange::CreateTrigger { trigger, replace } => {
                let def = &trigger.definition;
                match def.strip_prefix("CREATE TRIGGER ") {
                    Some(rest) if *replace => format!("CREATE OR REPLACE TRIGGER {rest};"),
                    _ => format!("{def};"),
                }
            }
            TriggerChange::DropTrigger(t) => {
                format!("DROP TRIGGER {} ON {};", Ident(&t.name), t.table)
            }
            TriggerChange::SetTriggerEnabled {
                table,
                name,
                enabled,
            } => format!(
                "ALTER TABLE {table} {} TRIGGER {};",
                enabled.keywords(),
                Ident(name)
            ),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        match self {
            TriggerChange::CreateTrigger { trigger, .. } => {
                vec![Lock::share_row_exclusive(&trigger.table)]
            }
            TriggerChange::DropTrigger(t) => vec![Lock::exclusive(&t.table)],
            TriggerChange::SetTriggerEnabled { table, .. } => {
                vec![Lock::share_row_exclusive(table)]
            }
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            TriggerChange::CreateTrigger { trigger, .. }
                if old.tables.contains_key(&trigger.table) =>
            {
                vec![hazard(
                    BlocksWrites,
                    format!(
                        "creating trigger {} takes a SHARE ROW EXCLUSIVE lock on {}, blocking writes",
                        Ident(&trigger.name),
                        trigger.table
                    ),
                )
                .instead(Some(BRIEF_LOCK.to_owned()))]
            }
            TriggerChange::DropTrigger(t) => vec![hazard(
                AccessExclusiveLock,
                format!(
                    "dropping trigger {} takes an ACCESS EXCLUSIVE lock on {}",
                    Ident(&t.name),
                    t.table
                ),
            )],
            TriggerChange::SetTriggerEnabled { table, name, .. } => vec![
                hazard(
                    BlocksWrites,
                    format!(
                        "changing when trigger {} fires takes a SHARE ROW EXCLUSIVE lock on {table}, blocking writes",
                        Ident(name)
                    ),
                )
                .instead(Some(BRIEF_LOCK.to_owned())),
            ],
            TriggerChange::CreateTrigger { .. } => Vec::new(),
        }
    }
}
