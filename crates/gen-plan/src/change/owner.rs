//! Owners: the SQL and the hazards of each change.

use gen_diff::OwnerChange;
use gen_model::{Catalog, Ident};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;
use crate::security::owned;

impl Kind for OwnerChange {
    fn sql(&self) -> String {
        match self {
            OwnerChange::SetOwner { target, owner } => {
                format!("ALTER {} OWNER TO {};", owned(target), Ident(owner))
            }
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        match self {
            OwnerChange::SetOwner { target, .. } => {
                if let gen_model::ObjectId::Table { name }
                | gen_model::ObjectId::MaterializedView { name } = target
                {
                    vec![Lock::exclusive(name)]
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            OwnerChange::SetOwner { target, owner } => vec![hazard(
                AuthorizationChange,
                format!("{target} passes to owner {}", Ident(owner)),
            )],
        }
    }
}
