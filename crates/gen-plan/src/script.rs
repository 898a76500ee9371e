//! The text of deploy, revert and verify scripts.

use std::fmt::Write as _;

use gen_model::Catalog;

use crate::rename::Rename;
use crate::{CycleError, Plan};

/// Comment lines listing each hazard with the object it touches, or nothing.
pub fn hazard_comments(plan: &Plan) -> String {
    let mut out = String::new();
    let hazards = plan.hazards_by_object();
    if hazards.is_empty() {
        return out;
    }
    out.push_str("--\n-- Hazards:\n");
    for (object, hazard) in hazards {
        writeln!(out, "--   {} on {object}: {}", hazard.kind, hazard.message)
            .expect("writing to a String");
    }
    out
}

/// How deploy and revert scripts are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Online mode (see [`crate::Options::online`]).
    pub online: bool,
    /// `SET lock_timeout` at the top of each script, e.g. `5s`.
    pub lock_timeout: Option<String>,
    /// `SET statement_timeout` at the top of each script.
    pub statement_timeout: Option<String>,
    /// The `[load]` session settings, written at the top of a script that
    /// creates or replaces routines: the server checks a `LANGUAGE sql`
    /// body against the search path when it creates the routine.
    pub session: Vec<(String, String)>,
}

impl Settings {
    /// The plan options these settings ask for.
    pub fn options(&self) -> crate::Options {
        crate::Options {
            online: self.online,
        }
    }

    /// The lock timeout to write: the one configured, else 5s in online
    /// mode, where a queued lock would stall every query behind it.
    fn lock_timeout(&self) -> Option<&str> {
        self.lock_timeout.as_deref().or(self.online.then_some("5s"))
    }
}

/// Tells a reader that a script does not run as one transaction. Deploy
/// tools decide from the statements themselves
/// ([`gen_source::runs_as_one_transaction`]), never from this line.
const NOT_TRANSACTIONAL_NOTE: &str = "-- gen: not transactional";

/// A deploy or revert script: header, hazards, settings, then the steps —
/// in one transaction, or, when some steps cannot run inside one, in
/// transactions around them.
pub fn change_script(header: &str, plan: &Plan, settings: &Settings) -> String {
    change_script_around(header, plan, settings, &[], &[])
}

/// [`change_script`], with statements run before the plan's first step and
/// after its last, in the same transaction (roles the change creates, and
/// drops on revert).
pub fn change_script_around(
    header: &str,
    plan: &Plan,
    settings: &Settings,
    first: &[String],
    last: &[String],
) -> String {
    let mut out = format!("{header}\n");
    let split = plan.steps.iter().any(|s| !s.transactional);
    if split {
        writeln!(
            out,
            "{NOT_TRANSACTIONAL_NOTE} (online mode): the steps marked \"outside a transaction\"\n\
             -- commit on their own, and so do the blocks between them; if a step fails,\n\
             -- what ran before it stays applied."
        )
        .expect("writing to a String");
    }
    out.push_str(&hazard_comments(plan));
    out.push('\n');
    let literal = |v: &str| gen_model::Literal(v).to_string();
    if let Some(t) = settings.lock_timeout() {
        writeln!(out, "SET lock_timeout = {};", literal(t)).expect("writing to a String");
    }
    if let Some(t) = &settings.statement_timeout {
        writeln!(out, "SET statement_timeout = {};", literal(t)).expect("writing to a String");
    }
    let routines = plan.steps.iter().any(|s| {
        s.action == gen_diff::Action::CreateOrAlter
            && matches!(
                s.object,
                gen_model::ObjectId::Function { .. } | gen_model::ObjectId::Aggregate { .. }
            )
    });
    let session = if routines { &settings.session[..] } else { &[] };
    for (name, value) in session {
        writeln!(
            out,
            "SELECT pg_catalog.set_config({}, {}, false); -- [load] in gen.toml",
            literal(name),
            literal(value)
        )
        .expect("writing to a String");
    }
    if settings.lock_timeout().is_some()
        || settings.statement_timeout.is_some()
        || !session.is_empty()
    {
        out.push('\n');
    }
    if plan.is_empty() && first.is_empty() && last.is_empty() {
        out.push_str("BEGIN;\n\n-- Nothing to do.\n\nCOMMIT;\n");
        return out;
    }
    let mut open = false;
    let steps = first
        .iter()
        .map(|sql| (sql.as_str(), true))
        .chain(plan.steps.iter().map(|s| (s.sql.as_str(), s.transactional)))
        .chain(last.iter().map(|sql| (sql.as_str(), true)));
    for (sql, transactional) in steps {
        match (transactional, open) {
            (true, false) => {
                out.push_str("BEGIN;\n\n");
                open = true;
            }
            (false, true) => {
                out.push_str("COMMIT;\n\n");
                open = false;
            }
            _ => {}
        }
        if !transactional {
            out.push_str("-- outside a transaction:\n");
        }
        out.push_str(sql);
        out.push_str("\n\n");
    }
    if open {
        out.push_str("COMMIT;\n");
    } else {
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}

/// The deploy plan (old → new) and the revert plan (new → old) as
/// `settings` write them, renames first in the deploy and last, reversed,
/// in the revert.
pub fn plans(
    old: &Catalog,
    new: &Catalog,
    settings: &Settings,
    renames: &[Rename],
) -> Result<(Plan, Plan), CycleError> {
    let mut deploy = crate::plan_with(old, new, settings.options())?;
    let mut revert = crate::plan_with(new, old, settings.options())?;
    crate::rename::wrap(renames, [old, new], &mut deploy, &mut revert);
    Ok((deploy, revert))
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
        settings: &Settings,
        renames: &[Rename],
    ) -> Result<Self, CycleError> {
        let (deploy, revert) = plans(old, new, settings, renames)?;
        Ok(Self::from_plans(
            project, name, note, &deploy, &revert, new, settings,
        ))
    }

    /// The scripts for plans already made (see [`plans`]).
    pub fn from_plans(
        project: &str,
        name: &str,
        note: &str,
        deploy: &Plan,
        revert: &Plan,
        new: &Catalog,
        settings: &Settings,
    ) -> Self {
        Self::from_plans_with_roles(project, name, note, deploy, revert, new, settings, &[])
    }

    /// [`ChangeScripts::from_plans`], with the roles the change needs, as
    /// `(name, CREATE ROLE …)`: created unless they exist before the
    /// deploy's first step, dropped after the revert's last (unless
    /// something elsewhere still depends on them), checked by the verify.
    /// Roles are cluster-wide, so each of these steps is idempotent.
    #[allow(clippy::too_many_arguments)]
    pub fn from_plans_with_roles(
        project: &str,
        name: &str,
        note: &str,
        deploy: &Plan,
        revert: &Plan,
        new: &Catalog,
        settings: &Settings,
        roles: &[(String, String)],
    ) -> Self {
        let literal = |v: &str| gen_model::Literal(v).to_string();
        let create: Vec<String> = roles
            .iter()
            .map(|(role, sql)| {
                format!(
                    "DO $gen_role$\nBEGIN\n    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {}) THEN\n        {sql};\n    END IF;\nEXCEPTION WHEN duplicate_object OR unique_violation THEN\n    NULL; -- made at the same moment elsewhere\nEND\n$gen_role$;",
                    literal(role)
                )
            })
            .collect();
        let drop: Vec<String> = roles
            .iter()
            .rev()
            .map(|(role, _)| {
                format!(
                    "DO $gen_role$\nBEGIN\n    DROP ROLE IF EXISTS {};\nEXCEPTION WHEN dependent_objects_still_exist THEN\n    RAISE NOTICE 'role % is kept: objects elsewhere still depend on it', {};\nEND\n$gen_role$;",
                    gen_model::Ident(role),
                    literal(role)
                )
            })
            .collect();
        let note_line = if note.is_empty() {
            String::new()
        } else {
            format!("\n-- {}", note.replace('\n', "\n-- "))
        };
        let mut revert_header = format!("-- Revert {project}:{name} from pg");
        if deploy
            .hazards()
            .any(|(_, h)| h.kind == crate::HazardKind::DeletesData)
        {
            revert_header.push_str(
                "\n-- This restores the structure the deploy removed, not the data it deleted.",
            );
        }
        let role_names: Vec<&str> = roles.iter().map(|(role, _)| role.as_str()).collect();
        let verify = crate::verify::change_script(
            &format!("-- Verify {project}:{name} on pg"),
            deploy,
            new,
            &role_names,
            project,
            name,
        );
        ChangeScripts {
            deploy: change_script_around(
                &format!("-- Deploy {project}:{name} to pg{note_line}"),
                deploy,
                settings,
                &create,
                &[],
            ),
            revert: change_script_around(&revert_header, revert, settings, &[], &drop),
            verify,
        }
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
