//! Access methods a schema makes with `CREATE ACCESS METHOD`.

use gen_model::AccessMethod;

use crate::Builder;
use crate::rows::AccessMethodRow;

impl Builder {
    /// Every access method but an extension's.
    pub(crate) fn access_methods(&mut self, rows: &[AccessMethodRow]) {
        for r in rows {
            if self.lookup.member("pg_am", r.oid) {
                continue;
            }
            let a = AccessMethod {
                name: r.amname.clone(),
                kind: r.kind.clone(),
                handler: r.handler.clone(),
                comment: self.lookup.comment("pg_am", r.oid, 0),
            };
            self.ids.insert(("pg_am", r.oid, 0), a.id());
            self.catalog.access_methods.insert(a.name.clone(), a);
        }
    }
}
