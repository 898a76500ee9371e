//! Row-level security: the SQL and the hazards of each change.

use gen_diff::PolicyChange;
use gen_model::{Catalog, Ident};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;
use crate::security::{create_policy, list};

impl Kind for PolicyChange {
    fn sql(&self) -> String {
        match self {
            PolicyChange::SetRowSecurity { table, enabled } => format!(
                "ALTER TABLE {table} {} ROW LEVEL SECURITY;",
                if *enabled { "ENABLE" } else { "DISABLE" }
            ),
            PolicyChange::ForceRowSecurity { table, forced } => format!(
                "ALTER TABLE {table} {} ROW LEVEL SECURITY;",
                if *forced { "FORCE" } else { "NO FORCE" }
            ),
            PolicyChange::CreatePolicy(p) => create_policy(p),
            PolicyChange::DropPolicy(p) => {
                format!("DROP POLICY {} ON {};", Ident(&p.name), p.table)
            }
            PolicyChange::AlterPolicy {
                table,
                name,
                roles,
                using,
                check,
            } => {
                let mut sql = format!("ALTER POLICY {} ON {table}", Ident(name));
                if let Some(roles) = roles {
                    sql.push_str(&format!(" TO {}", list(roles)));
                }
                if let Some(using) = using {
                    sql.push_str(&format!(" USING ({using})"));
                }
                if let Some(check) = check {
                    sql.push_str(&format!(" WITH CHECK ({check})"));
                }
                sql.push(';');
                sql
            }
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        match self {
            PolicyChange::SetRowSecurity { table, .. }
            | PolicyChange::ForceRowSecurity { table, .. }
            | PolicyChange::AlterPolicy { table, .. } => vec![Lock::exclusive(table)],
            PolicyChange::CreatePolicy(p) | PolicyChange::DropPolicy(p) => {
                vec![Lock::exclusive(&p.table)]
            }
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            PolicyChange::SetRowSecurity { table, enabled } => {
                let mut out = vec![hazard(
                    AuthorizationChange,
                    if *enabled {
                        format!(
                            "enabling row-level security on {table} hides every row no policy allows"
                        )
                    } else {
                        format!(
                            "disabling row-level security on {table} shows every row to whoever may read it"
                        )
                    },
                )];
                if old.tables.contains_key(table) {
                    out.push(hazard(
                        AccessExclusiveLock,
                        format!(
                            "changing row-level security locks {table} against reads and writes"
                        ),
                    ));
                }
                out
            }
            PolicyChange::ForceRowSecurity { table, forced } => vec![hazard(
                AuthorizationChange,
                format!(
                    "the owner of {table} {} subject to its policies",
                    if *forced { "becomes" } else { "is no longer" }
                ),
            )],
            PolicyChange::CreatePolicy(p) => vec![hazard(
                AuthorizationChange,
                format!(
                    "policy {} changes which rows of {} are visible",
                    Ident(&p.name),
                    p.table
                ),
            )],
            PolicyChange::DropPolicy(p) => vec![hazard(
                AuthorizationChange,
                format!(
                    "dropping policy {} changes which rows of {} are visible",
                    Ident(&p.name),
                    p.table
                ),
            )],
            PolicyChange::AlterPolicy { table, name, .. } => vec![hazard(
                AuthorizationChange,
                format!(
                    "policy {} changes which rows of {table} are visible",
                    Ident(name)
                ),
            )],
        }
    }
}

/// Verify: a condition true when policy `name` on `table` exists.
pub(crate) fn exists_condition(table: &gen_model::QualifiedName, name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = {} AND polname = {})",
        crate::verify::regclass(table),
        gen_model::Literal(name)
    )
}
