//! Extended statistics: the SQL and the hazards of each change.

use gen_diff::StatisticsChange;
use gen_model::Catalog;

use super::Kind;
use crate::hazard::Hazard;

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
}
