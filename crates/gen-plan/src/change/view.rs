//! Views and materialized views: the SQL and the hazards of each change.

use gen_diff::ViewChange;
use gen_model::{Catalog, Ident};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard, tablespace_hazard};
use crate::lock::Lock;
use crate::render::{comment_target, create_view};

impl Kind for ViewChange {
    fn sql(&self) -> String {
        match self {
            ViewChange::CreateView(v) => create_view("CREATE", v),
            ViewChange::ReplaceView(v) => create_view("CREATE OR REPLACE", v),
            ViewChange::DropView(v) => format!("DROP {};", comment_target(&v.id())),
            ViewChange::SetMaterializedViewOptions { name, set, reset } => {
                let mut parts = Vec::new();
                if !set.is_empty() {
                    parts.push(format!("SET ({})", set.join(", ")));
                }
                if !reset.is_empty() {
                    parts.push(format!("RESET ({})", reset.join(", ")));
                }
                format!("ALTER MATERIALIZED VIEW {name} {};", parts.join(", "))
            }
            ViewChange::SetViewColumnDefault {
                view,
                column,
                default,
            } => match default {
                Some(d) => format!(
                    "ALTER VIEW {view} ALTER COLUMN {} SET DEFAULT {d};",
                    Ident(column)
                ),
                None => format!(
                    "ALTER VIEW {view} ALTER COLUMN {} DROP DEFAULT;",
                    Ident(column)
                ),
            },
            ViewChange::SetMaterializedViewAccessMethod {
                name,
                access_method,
            } => format!(
                "ALTER MATERIALIZED VIEW {name} SET ACCESS METHOD {};",
                Ident(access_method.as_deref().unwrap_or("heap"))
            ),
            ViewChange::SetMaterializedViewTablespace { name, tablespace } => format!(
                "ALTER MATERIALIZED VIEW {name} SET TABLESPACE {};",
                Ident(tablespace.as_deref().unwrap_or("pg_default"))
            ),
            ViewChange::RefreshMaterializedView { name, populated } => format!(
                "REFRESH MATERIALIZED VIEW {name}{};",
                if *populated { "" } else { " WITH NO DATA" }
            ),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        match self {
            ViewChange::SetMaterializedViewAccessMethod { name, .. }
            | ViewChange::SetMaterializedViewTablespace { name, .. }
            | ViewChange::RefreshMaterializedView { name, .. } => vec![Lock::exclusive(name)],
            ViewChange::CreateView(_)
            | ViewChange::DropView(_)
            | ViewChange::ReplaceView(_)
            | ViewChange::SetMaterializedViewOptions { .. }
            | ViewChange::SetViewColumnDefault { .. } => Vec::new(),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            ViewChange::DropView(v) if v.materialized => vec![hazard(
                AccessExclusiveLock,
                format!(
                    "drops materialized view {}: its stored rows are not kept, and come back only by running its query again",
                    v.name
                ),
            )],
            ViewChange::CreateView(v) if v.materialized => {
                let mut out = Vec::new();
                if v.populated {
                    out.push(hazard(
                        BlocksWrites,
                        format!(
                            "creating materialized view {} runs its query inside the deploy, holding locks on what it reads",
                            v.name
                        ),
                    ).instead(Some(
                        "create it WITH NO DATA and fill it after the deploy with REFRESH MATERIALIZED VIEW (CONCURRENTLY once it has a unique index)".to_owned(),
                    )));
                }
                out.extend(tablespace_hazard(
                    format!("materialized view {}", v.name),
                    v.tablespace.as_deref(),
                ));
                out
            }
            ViewChange::SetMaterializedViewAccessMethod { name, .. } => vec![hazard(
                RewritesTable,
                format!("changing the access method of materialized view {name} rewrites it"),
            )],
            ViewChange::SetMaterializedViewTablespace { name, tablespace } => {
                let mut out = vec![
                    hazard(
                        RewritesTable,
                        format!(
                            "moving materialized view {name} to another tablespace copies all of it while it is locked against reads"
                        ),
                    )
                    .instead(None),
                ];
                out.extend(tablespace_hazard(
                    format!("materialized view {name}"),
                    tablespace.as_deref(),
                ));
                out
            }
            ViewChange::RefreshMaterializedView { name, populated } => vec![
                hazard(
                    AccessExclusiveLock,
                    format!(
                        "REFRESH MATERIALIZED VIEW {name} blocks reads of it while its query runs"
                    ),
                ),
                hazard(
                    RewritesTable,
                    if *populated {
                        format!("REFRESH MATERIALIZED VIEW {name} writes all its rows anew")
                    } else {
                        format!("REFRESH MATERIALIZED VIEW {name} WITH NO DATA empties it")
                    },
                )
                .instead(Some(
                    "give it a unique index and REFRESH MATERIALIZED VIEW CONCURRENTLY after the deploy".to_owned(),
                )),
            ],
            ViewChange::CreateView(..)
            | ViewChange::DropView(..)
            | ViewChange::ReplaceView(..)
            | ViewChange::SetViewColumnDefault { .. }
            | ViewChange::SetMaterializedViewOptions { .. } => Vec::new(),
        }
    }
}

/// Verify: a condition true when view `name` exists (`materialized`: as a
/// materialized view).
pub(crate) fn exists_condition(name: &gen_model::QualifiedName, materialized: bool) -> String {
    crate::verify::relation_of_kind(name, if materialized { "'m'" } else { "'v'" })
}
