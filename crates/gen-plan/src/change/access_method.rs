//! Access methods: the SQL and the hazards of each change, and how a
//! verify script checks one.

use gen_diff::AccessMethodChange;
use gen_model::{AccessMethod, Catalog, Ident, Literal};

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;

impl Kind for AccessMethodChange {
    fn sql(&self) -> String {
        match self {
            AccessMethodChange::CreateAccessMethod(a) => format!(
                "CREATE ACCESS METHOD {} TYPE {} HANDLER {};",
                Ident(&a.name),
                a.kind,
                a.handler
            ),
            AccessMethodChange::DropAccessMethod(a) => {
                format!("DROP ACCESS METHOD {};", Ident(&a.name))
            }
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            // The tables and indexes stored by one are rebuilt around it
            // by the closure, with their own hazards.
            AccessMethodChange::CreateAccessMethod(..)
            | AccessMethodChange::DropAccessMethod(..) => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// `ACCESS METHOD name`, as `COMMENT ON` takes it.
pub(crate) fn target(name: &str) -> String {
    format!("ACCESS METHOD {}", Ident(name))
}

/// Verify: a condition true when the access method exists.
pub(crate) fn exists_condition(name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_am WHERE amname = {})",
        Literal(name)
    )
}

/// Verify: a condition true when the access method is missing or of
/// another type or handler.
pub(crate) fn mismatch_condition(a: &AccessMethod) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_am WHERE amname = {} AND amtype = {} AND amhandler = pg_catalog.to_regproc({}))",
        Literal(&a.name),
        Literal(if a.kind == "TABLE" { "t" } else { "i" }),
        Literal(&a.handler)
    )
}
