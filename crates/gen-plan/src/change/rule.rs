//! Rewrite rules: the SQL, the hazards and the verify checks of each change.

use gen_diff::RuleChange;
use gen_model::{Catalog, Ident, Literal, QualifiedName, Rule};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;
use crate::verify::regclass;

impl Kind for RuleChange {
    fn sql(&self) -> String {
        match self {
            RuleChange::CreateRule { rule, replace } => {
                let def = rule.definition.trim_end_matches(';');
                match def.strip_prefix("CREATE RULE ") {
                    Some(rest) if *replace => format!("CREATE OR REPLACE RULE {rest};"),
                    _ => format!("{def};"),
                }
            }
            RuleChange::DropRule(r) => format!("DROP RULE {} ON {};", Ident(&r.name), r.table),
            RuleChange::SetRuleEnabled {
                table,
                name,
                enabled,
            } => format!(
                "ALTER TABLE {table} {} RULE {};",
                enabled.keywords(),
                Ident(name)
            ),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        match self {
            RuleChange::CreateRule { rule, .. } | RuleChange::DropRule(rule) => {
                vec![Lock::exclusive(&rule.table)]
            }
            RuleChange::SetRuleEnabled { table, .. } => vec![Lock::exclusive(table)],
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        let exists = |t: &QualifiedName| old.tables.contains_key(t) || old.views.contains_key(t);
        match self {
            RuleChange::CreateRule { rule, replace } if exists(&rule.table) => vec![hazard(
                HazardKind::AccessExclusiveLock,
                format!(
                    "{} rule {} takes an ACCESS EXCLUSIVE lock on {}",
                    if *replace { "replacing" } else { "creating" },
                    Ident(&rule.name),
                    rule.table
                ),
            )],
            RuleChange::DropRule(r) => vec![hazard(
                HazardKind::AccessExclusiveLock,
                format!(
                    "dropping rule {} takes an ACCESS EXCLUSIVE lock on {}",
                    Ident(&r.name),
                    r.table
                ),
            )],
            RuleChange::SetRuleEnabled { table, name, .. } => vec![
                hazard(
                    HazardKind::AccessExclusiveLock,
                    format!(
                        "changing when rule {} fires takes an ACCESS EXCLUSIVE lock on {table}",
                        Ident(name)
                    ),
                )
                .instead(Some(crate::hazard::BRIEF_LOCK.to_owned())),
            ],
            RuleChange::CreateRule { .. } => Vec::new(),
        }
    }
}

/// `COMMENT ON` target: `RULE name ON table`.
pub(crate) fn comment_target(table: &QualifiedName, name: &str) -> String {
    format!("RULE {} ON {table}", Ident(name))
}

/// A condition true when a rule of this name is on `table`.
pub(crate) fn exists_condition(table: &QualifiedName, name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite WHERE ev_class = {} AND rulename = {})",
        regclass(table),
        Literal(name)
    )
}

/// A condition true unless the rule fires as `r` says. Definitions are not
/// compared: the server prints back what it read in its own words.
pub(crate) fn mismatch_condition(r: &Rule) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite WHERE ev_class = {} AND rulename = {} AND ev_enabled = {})",
        regclass(&r.table),
        Literal(&r.name),
        Literal(r.enabled.code())
    )
}
