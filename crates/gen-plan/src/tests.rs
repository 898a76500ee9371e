//! Plans built from catalogs written in code: ordering, rendering, hazards
//! and verify scripts, without a database. The end-to-end oracle proves the
//! same SQL against a real server; these pin the details down in
//! milliseconds and say which rule a regression broke.
//!
//! One module per kind of object or concern; the catalogs come from
//! gen-test-support's builders, and every plan goes through
//! [`checked`], which parses what it renders.

use gen_model::Catalog;

use crate::Plan;
use checked::plan;

pub(crate) mod checked;

mod casts;
mod columns;
mod comments;
mod constraints;
mod describe;
mod determinism;
mod hazards;
mod names;
mod online;
mod order;
mod publications;
mod rules;
mod sequences;
mod split;
mod text_search;
mod types;
mod verify;

fn planned(old: &Catalog, new: &Catalog) -> Plan {
    plan(old, new).unwrap_or_else(|e| panic!("{e}"))
}

fn deploy(old: &Catalog, new: &Catalog) -> String {
    planned(old, new).sql()
}

/// One line per hazard: kind, object, message.
fn hazard_lines(plan: &Plan) -> String {
    plan.hazards()
        .map(|(step, h)| format!("{} on {}: {}\n", h.kind, step.object, h.message))
        .collect()
}
