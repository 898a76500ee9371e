//! Encoding conversions.

use gen_model::{Conversion, QualifiedName};

use crate::Builder;
use crate::rows::ConversionRow;

impl Builder {
    /// Every conversion in an application schema, but an extension's.
    pub(crate) fn conversions(&mut self, rows: &[ConversionRow]) {
        for r in rows {
            let Some(schema) = self.lookup.owned("pg_conversion", r.oid, r.nsp) else {
                continue;
            };
            let c = Conversion {
                name: QualifiedName::new(schema, r.conname.clone()),
                source: r.source.clone(),
                destination: r.destination.clone(),
                function: r.function.clone(),
                default: r.is_default,
                comment: self.lookup.comment("pg_conversion", r.oid, 0),
            };
            let id = c.id();
            self.ids.insert(("pg_conversion", r.oid, 0), id.clone());
            self.catalog.owners.insert(id, r.owner.clone());
            self.catalog.conversions.insert(c.name.clone(), c);
        }
    }
}
