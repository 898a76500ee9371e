//! From changes to an ordered plan of SQL steps. Pure: no I/O.
//!
//! Every object has two vertices in a graph, one for dropping it and one
//! for creating or altering it (after pg-schema-diff). Edges come from the
//! dependency edges of both catalogs; a topological sort with a priority
//! queue keyed by (phase, kind, identity) makes the order deterministic and
//! readable: drops first, dependents before what they depend on; then
//! creates, dependencies before what needs them.

// A catch-all arm would let a new kind of object or change through
// without deciding what it needs.
#![deny(clippy::wildcard_enum_match_arm)]

mod change;
pub mod describe;
mod hazard;
mod lock;
mod online;
mod order;
mod partitions;
pub mod rename;
mod render;
mod routines;
pub mod script;
mod security;
pub mod split;
mod types;
pub mod verify;

use gen_diff::Action;
use gen_model::{Catalog, ObjectId};
use serde::Serialize;

pub use hazard::{Hazard, HazardKind};
pub use lock::{Lock, LockMode};

/// One statement of a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The SQL, ending in `;`.
    pub sql: String,
    /// The object the step acts on.
    pub object: ObjectId,
    /// Whether the step removes the object or creates or alters it.
    pub action: Action,
    /// What a reviewer must know about running it.
    pub hazards: Vec<Hazard>,
    /// Whether the step can run inside a transaction block.
    pub transactional: bool,
    /// The locks it takes on tables and materialized views that exist
    /// before the plan and that keep their readers or writers waiting.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locks: Vec<Lock>,
}

/// An ordered list of steps that turns one catalog into another.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Steps in the order they must run.
    pub steps: Vec<Step>,
}

/// A plan that cannot be ordered. Means a bug in gen, never bad input.
#[derive(Debug, thiserror::Error)]
#[error("cannot order the plan: dependency cycle among {}", .objects.join(", "))]
pub struct CycleError {
    /// The objects on the cycle.
    pub objects: Vec<String>,
}

impl Plan {
    /// Whether nothing needs to change.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The statements, one paragraph each.
    pub fn sql(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            out.push_str(&step.sql);
            out.push_str("\n\n");
        }
        out.truncate(out.trim_end().len());
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    /// Every hazard of every step, in step order.
    pub fn hazards(&self) -> impl Iterator<Item = (&Step, &Hazard)> {
        self.steps
            .iter()
            .flat_map(|s| s.hazards.iter().map(move |h| (s, h)))
    }

    /// The hazards as a reviewer reads them: one per object and kind,
    /// where the object's steps have several (switching row-level
    /// security on and forcing it), in the order they first come.
    pub fn hazards_by_object(&self) -> Vec<(&ObjectId, Hazard)> {
        let mut out: Vec<(&ObjectId, Hazard)> = Vec::new();
        let mut at: std::collections::BTreeMap<(&ObjectId, HazardKind), usize> =
            std::collections::BTreeMap::new();
        for (step, h) in self.hazards() {
            match at.entry((h.about.as_ref().unwrap_or(&step.object), h.kind)) {
                std::collections::btree_map::Entry::Occupied(e) => {
                    hazard::merge_into(&mut out[*e.get()].1, h.clone());
                }
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(out.len());
                    out.push((h.about.as_ref().unwrap_or(&step.object), h.clone()));
                }
            }
        }
        out
    }
}

/// How a plan is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Keep busy tables available rather than run everything in one
    /// transaction: indexes built and dropped `CONCURRENTLY`, constraints
    /// added `NOT VALID` and validated apart, `SET NOT NULL` through a
    /// validated check. Such plans have steps that are not transactional.
    pub online: bool,
}

/// Plans the way from `old` to `new`.
pub fn plan(old: &Catalog, new: &Catalog) -> Result<Plan, CycleError> {
    plan_with(old, new, Options::default())
}

/// Plans the way from `old` to `new`, written as `options` say.
pub fn plan_with(old: &Catalog, new: &Catalog, options: Options) -> Result<Plan, CycleError> {
    let changes = gen_timing::time(gen_timing::Stage::Diff, || gen_diff::diff(old, new));
    gen_timing::time(gen_timing::Stage::Plan, || {
        steps(&changes, old, new, options)
    })
}

/// The steps of `changes`, ordered, with their SQL, hazards and locks.
fn steps(
    changes: &[gen_diff::Change],
    old: &Catalog,
    new: &Catalog,
    options: Options,
) -> Result<Plan, CycleError> {
    let ordered = order::order(changes, old, new)?;
    let steps = ordered
        .into_iter()
        .flat_map(|change| {
            if options.online {
                return online::steps(change, old, new);
            }
            let (action, object) = change.target();
            let (hazards, locks) = hazard::assess(change, old);
            vec![Step {
                sql: crate::change::partition::guard_default_partition(
                    change,
                    old,
                    render::render(change),
                ),
                hazards,
                object,
                action,
                transactional: true,
                locks,
            }]
        })
        .collect();
    Ok(Plan { steps })
}

#[cfg(test)]
mod tests;
