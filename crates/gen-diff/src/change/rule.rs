//! Rewrite rules: the change type, and the comparison that emits it.

use gen_model::{Catalog, ObjectId, QualifiedName, Rule, TriggerEnabled};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs};

/// A change to a rule; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum RuleChange {
    /// `CREATE [OR REPLACE] RULE name AS ON event TO table … DO …;`
    CreateRule {
        /// The rule.
        rule: Rule,
        /// `CREATE OR REPLACE`: an existing rule is redefined in place.
        replace: bool,
    },
    /// `DROP RULE name ON table;`
    DropRule(Rule),
    /// `ALTER TABLE table {ENABLE | DISABLE} [REPLICA | ALWAYS] RULE name;`
    SetRuleEnabled {
        /// The rule's table or view.
        table: QualifiedName,
        /// Rule name.
        name: String,
        /// When it fires from now on.
        enabled: TriggerEnabled,
    },
}

impl RuleChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        match self {
            RuleChange::CreateRule { rule, .. } => (Action::CreateOrAlter, rule.id()),
            RuleChange::DropRule(r) => (Action::Drop, r.id()),
            RuleChange::SetRuleEnabled { table, name, .. } => (
                Action::CreateOrAlter,
                ObjectId::Rule {
                    table: table.clone(),
                    name: name.clone(),
                },
            ),
        }
    }

    /// The variant's name, `CreateRule` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            RuleChange::CreateRule { .. } => "CreateRule",
            RuleChange::DropRule(..) => "DropRule",
            RuleChange::SetRuleEnabled { .. } => "SetRuleEnabled",
        }
    }
}

/// Rules created, dropped (unless their relation goes, which takes them
/// along), redefined in place, enabled and disabled.
pub(crate) fn rules(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.rules, &new.rules) {
        match (o, n) {
            (Some(o), None) => {
                let relation_goes = (old.tables.contains_key(&o.table)
                    && !new.tables.contains_key(&o.table))
                    || (old.views.contains_key(&o.table) && !new.views.contains_key(&o.table));
                if !relation_goes {
                    out.push(RuleChange::DropRule(o.clone()).into());
                }
            }
            (None, Some(n)) => create(n, false, None, out),
            (Some(o), Some(n)) if o.definition != n.definition => {
                create(n, true, o.comment.as_ref(), out)
            }
            (Some(o), Some(n)) => {
                if o.enabled != n.enabled {
                    out.push(
                        RuleChange::SetRuleEnabled {
                            table: n.table.clone(),
                            name: n.name.clone(),
                            enabled: n.enabled,
                        }
                        .into(),
                    );
                }
                comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
}

/// The rule dropped as it is in `old` and created as it is in `new`: for
/// what it uses being rebuilt under it.
pub(crate) fn recreate(o: &Rule, n: &Rule, out: &mut Vec<Change>) {
    out.push(RuleChange::DropRule(o.clone()).into());
    create(n, false, None, out);
}

/// The rule created, with its enabled state and comment.
pub(crate) fn create_new(n: &Rule, out: &mut Vec<Change>) {
    create(n, false, None, out);
}

/// The rule created (or replaced, keeping the comment `kept`), then its
/// enabled state and comment.
fn create(n: &Rule, replace: bool, kept: Option<&String>, out: &mut Vec<Change>) {
    out.push(
        RuleChange::CreateRule {
            rule: n.clone(),
            replace,
        }
        .into(),
    );
    if n.enabled != TriggerEnabled::Origin {
        out.push(
            RuleChange::SetRuleEnabled {
                table: n.table.clone(),
                name: n.name.clone(),
                enabled: n.enabled,
            }
            .into(),
        );
    }
    comment(n.id(), kept, n.comment.as_ref(), out);
}
