//! Extended statistics: the SQL and the hazards of each change.

use gen_diff::StatisticsChange;
use gen_model::Catalog;

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;

impl Kind for StatisticsChange {
    fn sql(&self) -> String {
        match self {
            StatisticsChange::CreateStatistics(s) => format!("{};", s.definition),
            StatisticsChange::DropStatistics(s) => format!("DROP STATISTICS {};", s.name),
            StatisticsChange::SetStatisticsTarget { name, target } => match target {
                Some(n) => format!("ALTER STATISTICS {name} SET STATISTICS {n};"),
                // -1 is the default on every supported major (DEFAULT only
                // from 17 on).
                None => format!("ALTER STATISTICS {name} SET STATISTICS -1;"),
            },
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            // Statistics are gathered by the next ANALYZE: nothing is locked
            // or scanned here.
            StatisticsChange::CreateStatistics(..)
            | StatisticsChange::DropStatistics(..)
            | StatisticsChange::SetStatisticsTarget { .. } => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// Verify: a condition true when statistics object `name` exists.
pub(crate) fn exists_condition(name: &gen_model::QualifiedName) -> String {
    use gen_model::Literal;
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace WHERE n.nspname = {} AND s.stxname = {})",
        Literal(&name.schema),
        Literal(&name.name)
    )
}
