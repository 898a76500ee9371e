//! The text of deploy, revert and verify scripts.

use std::fmt::Write as _;

use gen_model::Catalog;
use gen_plan::Plan;

/// Comment lines listing each hazard with the object it touches, or nothing.
pub fn hazard_comments(plan: &Plan) -> String {
    let mut out = String::new();
    let hazards: Vec<_> = plan.hazards().collect();
    if hazards.is_empty() {
        return out;
    }
    out.push_str("--\n-- Hazards:\n");
    for (step, hazard) in hazards {
        writeln!(
            out,
            "--   {} on {}: {}",
            hazard.kind, step.object, hazard.message
        )
        .expect("writing to a String");
    }
    out
}

/// A deploy or revert script: header, hazards, then the steps in one transaction.
pub fn change_script(header: &str, plan: &Plan) -> String {
    let mut out = format!("{header}\n");
    out.push_str(&hazard_comments(plan));
    out.push_str("\nBEGIN;\n\n");
    if plan.is_empty() {
        out.push_str("-- Nothing to do.\n");
    } else {
        out.push_str(&plan.sql());
    }
    out.push_str("\nCOMMIT;\n");
    out
}

/// The three scripts of a change.
#[derive(Debug)]
pub struct ChangeScripts {
    pub deploy: String,
    pub revert: String,
    pub verify: String,
}

impl ChangeScripts {
    pub fn generate(
        project: &str,
        name: &str,
        note: &str,
        old: &Catalog,
        new: &Catalog,
    ) -> anyhow::Result<Self> {
        let deploy = gen_plan::plan(old, new)?;
        let revert = gen_plan::plan(new, old)?;
        let note_line = if note.is_empty() {
            String::new()
        } else {
            format!("\n-- {}", note.replace('\n', "\n-- "))
        };
        let mut revert_header = format!("-- Revert {project}:{name} from pg");
        if deploy
            .hazards()
            .any(|(_, h)| h.kind == gen_plan::HazardKind::DeletesData)
        {
            revert_header.push_str(
                "\n-- This restores the structure the deploy removed, not the data it deleted.",
            );
        }
        Ok(ChangeScripts {
            deploy: change_script(
                &format!("-- Deploy {project}:{name} to pg{note_line}"),
                &deploy,
            ),
            revert: change_script(&revert_header, &revert),
            verify: gen_plan::verify::script(
                &format!("-- Verify {project}:{name} on pg"),
                &deploy,
                new,
            ),
        })
    }

    /// Blank scripts for a hand-written change.
    pub fn empty(project: &str, name: &str) -> Self {
        ChangeScripts {
            deploy: format!(
                "-- Deploy {project}:{name} to pg\n\nBEGIN;\n\n-- XXX Add DDLs here.\n\nCOMMIT;\n"
            ),
            revert: format!(
                "-- Revert {project}:{name} from pg\n\nBEGIN;\n\n-- XXX Add DDLs here.\n\nCOMMIT;\n"
            ),
            verify: format!(
                "-- Verify {project}:{name} on pg\n\nBEGIN;\n\n-- XXX Add verifications here.\n\nROLLBACK;\n"
            ),
        }
    }
}
