//! Encoding conversions: the SQL and the hazards of each change, and how a
//! verify script checks one.

use gen_diff::ConversionChange;
use gen_model::{Catalog, Conversion, Literal, QualifiedName};

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;

impl Kind for ConversionChange {
    fn sql(&self) -> String {
        match self {
            ConversionChange::CreateConversion(c) => format!(
                "CREATE {}CONVERSION {} FOR {} TO {} FROM {};",
                if c.default { "DEFAULT " } else { "" },
                c.name,
                Literal(&c.source),
                Literal(&c.destination),
                c.function
            ),
            ConversionChange::DropConversion(c) => format!("DROP CONVERSION {};", c.name),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            // A conversion is looked up when a client's encoding is set:
            // nothing is locked or rewritten.
            ConversionChange::CreateConversion(..) | ConversionChange::DropConversion(..) => {
                Vec::new()
            }
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// Verify: a condition true when conversion `name` exists.
pub(crate) fn exists_condition(name: &QualifiedName) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = {} AND c.conname = {})",
        Literal(&name.schema),
        Literal(&name.name)
    )
}

/// Verify: a condition true when the conversion is missing or converts
/// otherwise.
pub(crate) fn mismatch_condition(c: &Conversion) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = {} AND c.conname = {} AND pg_catalog.pg_encoding_to_char(c.conforencoding) = {} AND pg_catalog.pg_encoding_to_char(c.contoencoding) = {} AND c.conproc = pg_catalog.to_regproc({}) AND c.condefault = {})",
        Literal(&c.name.schema),
        Literal(&c.name.name),
        Literal(&c.source),
        Literal(&c.destination),
        Literal(&c.function),
        c.default
    )
}
