//! Schemas: the SQL and the hazards of each change.

use gen_diff::SchemaChange;
use gen_model::{Catalog, Ident};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard, rename_instead};
use crate::lock::Lock;

impl Kind for SchemaChange {
    fn sql(&self) -> String {
        match self {
            SchemaChange::CreateSchema(s) => {
                format!("CREATE SCHEMA {};", Ident(&s.name))
            }
            SchemaChange::DropSchema(s) => format!("DROP SCHEMA {};", Ident(&s.name)),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            SchemaChange::DropSchema(s) => {
                vec![
                    hazard(DeletesData, format!("drops schema {}", s.name)).instead(
                        rename_instead(format!("schema:{}=NEW_NAME", Ident(&s.name))),
                    ),
                ]
            }
            SchemaChange::CreateSchema(..) => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// Verify: a condition true when schema `name` exists.
pub(crate) fn exists_condition(name: &str) -> String {
    format!(
        "to_regnamespace({}) IS NOT NULL",
        gen_model::Literal(&Ident(name).to_string())
    )
}
