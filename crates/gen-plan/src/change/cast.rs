//! Casts: the SQL, the hazards and the verify checks of each change.

use gen_diff::CastChange;
use gen_model::{Cast, CastContext, CastMethod, Catalog, Literal};

use super::Kind;
use crate::hazard::Hazard;
use crate::lock::Lock;

impl Kind for CastChange {
    fn sql(&self) -> String {
        match self {
            CastChange::CreateCast(c) => {
                let method = match &c.method {
                    CastMethod::Function(f) => format!("WITH FUNCTION {f}"),
                    CastMethod::Binary => "WITHOUT FUNCTION".to_owned(),
                    CastMethod::InOut => "WITH INOUT".to_owned(),
                };
                format!(
                    "CREATE CAST ({} AS {}) {method}{};",
                    c.source,
                    c.target,
                    c.context.clause()
                )
            }
            CastChange::DropCast(c) => format!("DROP CAST ({} AS {});", c.source, c.target),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        match self {
            // No table is locked or rewritten; what changes is how
            // expressions written later resolve.
            CastChange::CreateCast(..) | CastChange::DropCast(..) => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// `COMMENT ON` target: `CAST (source AS target)`.
pub(crate) fn comment_target(source: &str, target: &str) -> String {
    format!("CAST ({source} AS {target})")
}

/// A condition true when a cast from `source` to `target` exists.
pub(crate) fn exists_condition(source: &str, target: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_cast WHERE castsource = to_regtype({}) AND casttarget = to_regtype({}))",
        Literal(source),
        Literal(target)
    )
}

/// A condition true unless the cast converts and applies as `c` says.
pub(crate) fn mismatch_condition(c: &Cast) -> String {
    let context = match c.context {
        CastContext::Explicit => "e",
        CastContext::Assignment => "a",
        CastContext::Implicit => "i",
    };
    let method = match &c.method {
        CastMethod::Function(f) => format!(
            "castmethod = 'f' AND castfunc = to_regprocedure({})",
            Literal(f)
        ),
        CastMethod::Binary => "castmethod = 'b'".to_owned(),
        CastMethod::InOut => "castmethod = 'i'".to_owned(),
    };
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_cast WHERE castsource = to_regtype({}) AND casttarget = to_regtype({}) AND castcontext = {} AND {method})",
        Literal(&c.source),
        Literal(&c.target),
        Literal(context)
    )
}
