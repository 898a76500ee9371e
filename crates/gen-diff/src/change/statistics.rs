//! Extended statistics: the change type, and the comparison that emits it.

use gen_model::{Catalog, ObjectId, QualifiedName, Statistics};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs};

/// A change to a statistics object; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum StatisticsChange {
    /// `CREATE STATISTICS name (kinds) ON … FROM table;`
    CreateStatistics(Statistics),
    /// `DROP STATISTICS name;`
    DropStatistics(Statistics),
    /// `ALTER STATISTICS name SET STATISTICS {n | DEFAULT};`
    SetStatisticsTarget {
        /// Statistics object name.
        name: QualifiedName,
        /// The target from now on; none for the default.
        target: Option<i32>,
    },
}

impl StatisticsChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        match self {
            StatisticsChange::CreateStatistics(s) => (Action::CreateOrAlter, s.id()),
            StatisticsChange::DropStatistics(s) => (Action::Drop, s.id()),
            StatisticsChange::SetStatisticsTarget { name, .. } => (
                Action::CreateOrAlter,
                ObjectId::Statistics { name: name.clone() },
            ),
        }
    }

    /// The variant's name, `CreateStatistics` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            StatisticsChange::CreateStatistics(..) => "CreateStatistics",
            StatisticsChange::DropStatistics(..) => "DropStatistics",
            StatisticsChange::SetStatisticsTarget { .. } => "SetStatisticsTarget",
        }
    }
}

/// Statistics objects created, dropped (unless their table goes, which
/// takes them along), made anew when their definition changes, their
/// target set in place.
pub(crate) fn statistics(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.statistics, &new.statistics) {
        match (o, n) {
            (Some(o), None) => {
                let table_goes =
                    old.tables.contains_key(&o.table) && !new.tables.contains_key(&o.table);
                if !table_goes {
                    out.push(StatisticsChange::DropStatistics(o.clone()).into());
                }
            }
            (None, Some(n)) => create(n, out),
            (Some(o), Some(n)) if o.definition != n.definition || o.table != n.table => {
                recreate(o, n, out)
            }
            (Some(o), Some(n)) => {
                if o.target != n.target {
                    out.push(
                        StatisticsChange::SetStatisticsTarget {
                            name: n.name.clone(),
                            target: n.target,
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

/// The statistics object dropped as in `old` and created as in `new`.
pub(crate) fn recreate(o: &Statistics, n: &Statistics, out: &mut Vec<Change>) {
    out.push(StatisticsChange::DropStatistics(o.clone()).into());
    create(n, out);
}

/// The statistics object created with its target and comment.
pub(crate) fn create(n: &Statistics, out: &mut Vec<Change>) {
    out.push(StatisticsChange::CreateStatistics(n.clone()).into());
    if n.target.is_some() {
        out.push(
            StatisticsChange::SetStatisticsTarget {
                name: n.name.clone(),
                target: n.target,
            }
            .into(),
        );
    }
    comment(n.id(), None, n.comment.as_ref(), out);
}
