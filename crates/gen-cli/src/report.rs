//! What `gen diff` and `gen add` tell people and machines about a plan:
//! the hazard gate, the PR summary in Markdown and the JSON document.

use std::fmt::Write as _;

use gen_model::{Catalog, ObjectId};
use gen_plan::describe::top_level;
use gen_plan::{Hazard, HazardKind, Plan, Step};
use serde_json::{Value, json};

/// The hazards that stop a plan: those refused by default and not allowed.
pub fn refused<'a>(plan: &'a Plan, allowed: &[HazardKind]) -> Vec<(&'a Step, &'a Hazard)> {
    plan.hazards()
        .filter(|(_, h)| h.kind.refused_by_default() && !allowed.contains(&h.kind))
        .collect()
}

/// The message for a refused plan, one hazard per line, then the way out.
pub fn refusal(refused: &[(&Step, &Hazard)]) -> String {
    let mut out = String::from("refusing a plan with hazards that are not allowed:\n");
    let mut kinds: Vec<HazardKind> = Vec::new();
    for (step, hazard) in refused {
        writeln!(
            out,
            "  {} on {}: {}",
            hazard.kind, step.object, hazard.message
        )
        .expect("writing to a String");
        if !kinds.contains(&hazard.kind) {
            kinds.push(hazard.kind);
        }
    }
    let flags: Vec<String> = kinds
        .iter()
        .map(|k| format!("--allow-hazard {k}"))
        .collect();
    write!(
        out,
        "hint: if this is intended, pass {} (or list them under [plan] allow_hazards in gen.toml)",
        flags.join(" ")
    )
    .expect("writing to a String");
    out
}

/// Steps grouped by the object a reader thinks of (a column's table), in
/// the order the plan first touches each.
fn groups<'a>(plan: &'a Plan, old: &Catalog, new: &Catalog) -> Vec<(ObjectId, Vec<&'a Step>)> {
    let mut out: Vec<(ObjectId, Vec<&Step>)> = Vec::new();
    for step in &plan.steps {
        let object = top_level(&step.object, [old, new]);
        match out.iter_mut().find(|(o, _)| *o == object) {
            Some((_, steps)) => steps.push(step),
            None => out.push((object, vec![step])),
        }
    }
    out
}

/// The JSON document: steps, hazards, objects touched and the revert.
pub fn json(plan: &Plan, revert: &Plan, old: &Catalog, new: &Catalog) -> Value {
    json!({
        "changes": !plan.is_empty(),
        "steps": plan.steps,
        "hazards": plan.hazards().map(|(s, h)| json!({
            "kind": h.kind,
            "object": s.object,
            "message": h.message,
            "refused_by_default": h.kind.refused_by_default(),
            "safer_alternative": h.alternative,
        })).collect::<Vec<_>>(),
        "objects": groups(plan, old, new).iter().map(|(object, steps)| json!({
            "object": object,
            "steps": steps.len(),
        })).collect::<Vec<_>>(),
        "revert": revert.steps,
    })
}

/// A pull-request summary: hazards first, then each object's SQL, then the
/// revert folded away.
pub fn markdown(plan: &Plan, revert: &Plan, old: &Catalog, new: &Catalog) -> String {
    let mut out = String::from("## Schema changes\n\n");
    if plan.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let groups = groups(plan, old, new);
    let hazards = plan.hazards_by_object();
    writeln!(
        out,
        "{} step(s) on {} object(s), {} hazard(s).\n",
        plan.steps.len(),
        groups.len(),
        hazards.len()
    )
    .expect("writing to a String");
    if !hazards.is_empty() {
        out.push_str("### Hazards\n\n| hazard | object | what happens | safer alternative |\n|---|---|---|---|\n");
        for (object, hazard) in &hazards {
            writeln!(
                out,
                "| **{}** | `{}` | {} | {} |",
                hazard.kind,
                cell(&object.to_string()),
                cell(&hazard.message),
                cell(hazard.alternative.as_deref().unwrap_or("—"))
            )
            .expect("writing to a String");
        }
        out.push('\n');
    }
    out.push_str("### Changes\n\n");
    for (object, steps) in &groups {
        writeln!(out, "#### {object}\n").expect("writing to a String");
        for (_, hazard) in hazards
            .iter()
            .filter(|(o, _)| steps.iter().any(|s| s.object == **o))
        {
            writeln!(out, "- **{}**: {}", hazard.kind, hazard.message)
                .expect("writing to a String");
        }
        if steps.iter().any(|s| !s.hazards.is_empty()) {
            out.push('\n');
        }
        out.push_str("```sql\n");
        for step in steps {
            out.push_str(&step.sql);
            out.push('\n');
        }
        out.push_str("```\n\n");
    }
    writeln!(
        out,
        "<details><summary>Revert ({} step(s))</summary>\n\n```sql\n{}```\n\n</details>",
        revert.steps.len(),
        revert.sql()
    )
    .expect("writing to a String");
    out
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
