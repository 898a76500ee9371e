//! Privileges: the SQL and the hazards of each change.

use gen_diff::PrivilegesChange;
use gen_model::Catalog;

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::security::privileges_sql;

impl Kind for PrivilegesChange {
    fn sql(&self) -> String {
        match self {
            PrivilegesChange::Privileges {
                target,
                grantee,
                privileges,
                action,
            } => privileges_sql(target, grantee, privileges, *action),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            PrivilegesChange::Privileges {
                target,
                grantee,
                privileges,
                action,
            } => {
                let verb = match action {
                    gen_diff::PrivilegeAction::Grant => "gains",
                    gen_diff::PrivilegeAction::GrantWithOption => "gains, and may grant,",
                    gen_diff::PrivilegeAction::Revoke => "loses",
                    gen_diff::PrivilegeAction::RevokeGrantOption => "may no longer grant",
                };
                vec![hazard(
                    AuthorizationChange,
                    format!("{grantee} {verb} {} on {target}", privileges.join(", ")),
                )]
            }
        }
    }
}
