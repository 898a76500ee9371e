//! Casts the application defines.

use std::collections::HashSet;

use gen_model::{Cast, CastContext, CastMethod};

use crate::Builder;
use crate::rows::CastDefinitionRow;

/// The context a `pg_cast.castcontext` code stands for.
pub(crate) fn context(code: &str) -> CastContext {
    match code {
        "i" => CastContext::Implicit,
        "a" => CastContext::Assignment,
        _ => CastContext::Explicit,
    }
}

impl Builder {
    /// Every cast but an extension's or a range type's (the cast to its
    /// multirange comes with it). What a cast needs (its types and its
    /// function) the server records in `pg_depend`.
    pub(crate) fn casts(&mut self, rows: &[CastDefinitionRow], of_a_type: &HashSet<(&str, u32)>) {
        for r in rows {
            if self.lookup.member("pg_cast", r.oid) || of_a_type.contains(&("pg_cast", r.oid)) {
                continue;
            }
            let method = match (r.method.as_str(), &r.function) {
                ("b", _) => CastMethod::Binary,
                ("i", _) => CastMethod::InOut,
                (_, Some(function)) => CastMethod::Function(function.clone()),
                (_, None) => CastMethod::Binary,
            };
            let c = Cast {
                source: r.source.clone(),
                target: r.target.clone(),
                method,
                context: context(&r.context),
                comment: self.lookup.comment("pg_cast", r.oid, 0),
            };
            self.ids.insert(("pg_cast", r.oid, 0), c.id());
            self.catalog
                .casts
                .insert((c.source.clone(), c.target.clone()), c);
        }
    }
}
