//! Privileges: the SQL and the hazards of each change.

use gen_diff::PrivilegesChange;
use gen_model::Catalog;

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;
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

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        use gen_diff::PrivilegeAction::*;
        match self {
            PrivilegesChange::Privileges {
                target,
                grantee,
                privileges,
                action,
            } => {
                // Against what the old catalog says the grantee held: a
                // rebuilt object's grants put back, or creation's defaults
                // revoked from an object whose old privileges never gave
                // them, change nothing. Where the old catalog holds no
                // privileges for the target (a new object, default
                // privileges), every step is a change.
                let acl = old.privileges.get(target);
                let held = |privilege: &str, grantable: bool| {
                    acl.is_some_and(|acl| {
                        acl.grants.iter().any(|g| {
                            g.grantee == *grantee
                                && g.privilege == privilege
                                && (g.grantable || !grantable)
                        })
                    })
                };
                let changed: Vec<&str> = privileges
                    .iter()
                    .map(String::as_str)
                    .filter(|p| match action {
                        Grant => !held(p, false),
                        GrantWithOption => !held(p, true),
                        Revoke => acl.is_none() || held(p, false),
                        RevokeGrantOption => acl.is_none() || held(p, true),
                    })
                    .collect();
                if changed.is_empty() {
                    return Vec::new();
                }
                let verb = match action {
                    Grant => "gains",
                    GrantWithOption => "gains, and may grant,",
                    Revoke => "loses",
                    RevokeGrantOption => "may no longer grant",
                };
                vec![hazard(
                    AuthorizationChange,
                    format!("{grantee} {verb} {} on {target}", changed.join(", ")),
                )]
            }
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}
