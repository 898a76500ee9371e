//! Extensions: the SQL and the hazards of each change.

use gen_diff::ExtensionChange;
use gen_model::{Catalog, Ident, Literal};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;

impl Kind for ExtensionChange {
    fn sql(&self) -> String {
        match self {
            // The version is pinned: without it the server installs its
            // default, which need not be the one the schema files load.
            ExtensionChange::CreateExtension(e) => format!(
                "CREATE EXTENSION {} WITH SCHEMA {} VERSION {};",
                Ident(&e.name),
                Ident(&e.schema),
                Literal(&e.version)
            ),
            ExtensionChange::DropExtension(e) => {
                format!("DROP EXTENSION {};", Ident(&e.name))
            }
            ExtensionChange::UpdateExtension { name, version } => {
                format!(
                    "ALTER EXTENSION {} UPDATE TO {};",
                    Ident(name),
                    Literal(version)
                )
            }
            ExtensionChange::MoveExtension { name, schema } => {
                format!(
                    "ALTER EXTENSION {} SET SCHEMA {};",
                    Ident(name),
                    Ident(schema)
                )
            }
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            ExtensionChange::DropExtension(e) => vec![hazard(
                DeletesData,
                format!("drops extension {} and the objects it provides", e.name),
            )],
            ExtensionChange::CreateExtension(..)
            | ExtensionChange::UpdateExtension { .. }
            | ExtensionChange::MoveExtension { .. } => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// Verify: a condition true when extension `name` is installed.
pub(crate) fn exists_condition(name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = {})",
        Literal(name)
    )
}
