//! Policies and grants.

use gen_model::{Grant, Grantee, Policy, PolicyCommand, QualifiedName};

pub fn role(name: &str) -> Grantee {
    Grantee::Role(name.to_owned())
}

pub fn grant(grantee: Grantee, privilege: &str, grantable: bool) -> Grant {
    Grant {
        grantee,
        privilege: privilege.to_owned(),
        grantable,
    }
}

/// A permissive policy for all commands, to `PUBLIC`, with neither
/// `USING` nor `WITH CHECK`.
pub fn policy(table: QualifiedName, name: &str) -> Policy {
    Policy {
        table,
        name: name.to_owned(),
        permissive: true,
        command: PolicyCommand::All,
        roles: vec![Grantee::Public],
        using: None,
        check: None,
        comment: None,
    }
}
