//! Row-level security, policies, privileges, default privileges and owners.
use std::collections::{BTreeMap, BTreeSet};

use gen_model::{Catalog, Grant, Grantee, ObjectId, Policy, QualifiedName, RowSecurity};

use crate::{Change, OwnerChange, PolicyChange, PrivilegeAction, PrivilegesChange, comment, pairs};

/// `ENABLE`/`DISABLE` and `FORCE`/`NO FORCE ROW LEVEL SECURITY` for every
/// table in `new` (a new table starts with neither).
pub(crate) fn row_security(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for name in new.tables.keys() {
        let o = old
            .tables
            .contains_key(name)
            .then(|| old.row_security.get(name).copied())
            .flatten()
            .unwrap_or_default();
        let n = new.row_security.get(name).copied().unwrap_or_default();
        row_security_changes(name, o, n, out);
    }
}

fn row_security_changes(
    table: &QualifiedName,
    o: RowSecurity,
    n: RowSecurity,
    out: &mut Vec<Change>,
) {
    if o.enabled != n.enabled {
        out.push(Change::Policy(PolicyChange::SetRowSecurity {
            table: table.clone(),
            enabled: n.enabled,
        }));
    }
    if o.forced != n.forced {
        out.push(Change::Policy(PolicyChange::ForceRowSecurity {
            table: table.clone(),
            forced: n.forced,
        }));
    }
}

fn policy_id(p: &Policy) -> ObjectId {
    ObjectId::Policy {
        table: p.table.clone(),
        name: p.name.clone(),
    }
}

/// Whether `ALTER POLICY` can turn `o` into `n`: it changes roles and
/// replaces expressions, but cannot change the command or permissiveness,
/// nor remove a `USING` or `WITH CHECK` clause.
fn alterable(o: &Policy, n: &Policy) -> bool {
    o.command == n.command
        && o.permissive == n.permissive
        && (n.using.is_some() || o.using.is_none())
        && (n.check.is_some() || o.check.is_none())
}

pub(crate) fn policies(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.policies, &new.policies) {
        match (o, n) {
            (Some(o), None) => {
                // A policy goes with its table, unless it reads another
                // table that goes too: then each drop would wait for the
                // other (a foreign key the other way), so the policy is
                // dropped first, on its own.
                let id = policy_id(o);
                let gone = |t: &QualifiedName| *t != o.table && !new.tables.contains_key(t);
                let reads_dropped = old.depends.iter().any(|(a, b)| {
                    // Only a table's drop (or its column's), or a view's
                    // (which goes before the table it reads, maybe this
                    // one), waits for the policy's.
                    let table = if let ObjectId::Table { name } = b {
                        Some(name)
                    } else if let ObjectId::Column { table, .. } = b {
                        Some(table)
                    } else {
                        None
                    };
                    let view_goes =
                        matches!(b, ObjectId::View { .. } | ObjectId::MaterializedView { .. })
                            && !new.contains(b);
                    a == &id && (table.is_some_and(gone) || view_goes)
                });
                if new.tables.contains_key(&o.table) || reads_dropped {
                    out.push(Change::Policy(PolicyChange::DropPolicy(o.clone())));
                }
            }
            (None, Some(n)) => {
                out.push(Change::Policy(PolicyChange::CreatePolicy(n.clone())));
                comment(policy_id(n), None, n.comment.as_ref(), out);
            }
            (Some(o), Some(n)) if !alterable(o, n) => {
                out.push(Change::Policy(PolicyChange::DropPolicy(o.clone())));
                out.push(Change::Policy(PolicyChange::CreatePolicy(n.clone())));
                comment(policy_id(n), None, n.comment.as_ref(), out);
            }
            (Some(o), Some(n)) => {
                if o.roles != n.roles || o.using != n.using || o.check != n.check {
                    out.push(Change::Policy(PolicyChange::AlterPolicy {
                        table: n.table.clone(),
                        name: n.name.clone(),
                        roles: (o.roles != n.roles).then(|| n.roles.clone()),
                        using: n.using.clone().filter(|_| o.using != n.using),
                        check: n.check.clone().filter(|_| o.check != n.check),
                    }));
                }
                comment(policy_id(n), o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
}

/// A policy rebuilt because something it depends on is.
pub(crate) fn recreate_policy(
    table: &QualifiedName,
    name: &str,
    old: &Catalog,
    new: &Catalog,
    out: &mut Vec<Change>,
) {
    let key = (table.clone(), name.to_owned());
    let n = &new.policies[&key];
    out.push(Change::Policy(PolicyChange::DropPolicy(
        old.policies[&key].clone(),
    )));
    out.push(Change::Policy(PolicyChange::CreatePolicy(n.clone())));
    comment(policy_id(n), None, n.comment.as_ref(), out);
}

/// Objects that the changes so far create: absent from `old`, or dropped
/// and created again (with the columns of a table rebuilt whole).
fn created<'a>(old: &'a Catalog, out: &[Change]) -> impl Fn(&ObjectId) -> bool + 'a {
    let rebuilt: BTreeSet<ObjectId> = out.iter().filter_map(Change::removes).collect();
    move |id: &ObjectId| {
        !old.contains(id)
            || rebuilt.contains(id)
            || id.table().is_some_and(|t| {
                // A column goes and comes with its table or view.
                rebuilt.contains(&ObjectId::Table { name: t.clone() })
                    || rebuilt.contains(&ObjectId::View { name: t.clone() })
                    || rebuilt.contains(&ObjectId::MaterializedView { name: t.clone() })
            })
    }
}

/// The statements that take an object's privileges from `from` to `to`:
/// revokes first, then grants, one statement per grantee and kind of
/// action.
pub fn privilege_changes(target: &ObjectId, from: &[Grant], to: &[Grant], out: &mut Vec<Change>) {
    let index = |grants: &[Grant]| -> BTreeMap<(Grantee, String), bool> {
        grants
            .iter()
            .map(|g| ((g.grantee.clone(), g.privilege.clone()), g.grantable))
            .collect()
    };
    let (from, to) = (index(from), index(to));
    let mut actions: BTreeMap<(PrivilegeAction, Grantee), Vec<String>> = BTreeMap::new();
    for ((grantee, privilege), &grantable) in &from {
        let action = match to.get(&(grantee.clone(), privilege.clone())) {
            None => PrivilegeAction::Revoke,
            Some(false) if grantable => PrivilegeAction::RevokeGrantOption,
            Some(_) => continue,
        };
        actions
            .entry((action, grantee.clone()))
            .or_default()
            .push(privilege.clone());
    }
    for ((grantee, privilege), &grantable) in &to {
        let action = match from.get(&(grantee.clone(), privilege.clone())) {
            None if grantable => PrivilegeAction::GrantWithOption,
            None => PrivilegeAction::Grant,
            Some(false) if grantable => PrivilegeAction::GrantWithOption,
            Some(_) => continue,
        };
        actions
            .entry((action, grantee.clone()))
            .or_default()
            .push(privilege.clone());
    }
    for ((action, grantee), privileges) in actions {
        out.push(Change::Privileges(PrivilegesChange::Privileges {
            target: target.clone(),
            grantee,
            privileges,
            action,
        }));
    }
}

/// Grants and revokes for every object in `new`. A created object starts
/// from what the server gives it on creation, not from nothing.
pub(crate) fn privileges(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    let created = created(old, out);
    // A kind that must place its grants itself (a language turning
    // untrusted) has planned them already.
    let placed: BTreeSet<ObjectId> = out
        .iter()
        .filter_map(|c| {
            if let Change::Privileges(p) = c {
                Some(p.target().1)
            } else {
                None
            }
        })
        .collect();
    let mut changes = Vec::new();
    let none = Vec::new();
    for (id, n) in &new.privileges {
        if !new.contains(id) || placed.contains(id) {
            continue;
        }
        let from = if created(id) {
            &n.initial
        } else {
            old.privileges.get(id).map_or(&none, |o| &o.grants)
        };
        privilege_changes(id, from, &n.grants, &mut changes);
    }
    for (id, o) in &old.privileges {
        if new.privileges.contains_key(id)
            || !new.contains(id)
            || created(id)
            || placed.contains(id)
        {
            continue;
        }
        privilege_changes(id, &o.grants, &[], &mut changes);
    }
    out.append(&mut changes);
}

/// `ALTER DEFAULT PRIVILEGES` for every role, schema and kind whose
/// defaults differ. Those of a dropped schema go with it.
pub(crate) fn default_privileges(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (id, (o, n)) in old
        .default_privileges
        .keys()
        .chain(new.default_privileges.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|id| {
            (
                id,
                (
                    old.default_privileges.get(id),
                    new.default_privileges.get(id),
                ),
            )
        })
    {
        if let Some(schema) = id.schema()
            && !new.schemas.contains_key(schema)
        {
            continue;
        }
        // Without an entry, a side holds the built-in defaults, which the
        // other side read for the same role and kind.
        let (from, to) = match (o, n) {
            (Some(o), Some(n)) => (&o.grants, &n.grants),
            (Some(o), None) => (&o.grants, &o.initial),
            (None, Some(n)) => (&n.initial, &n.grants),
            (None, None) => continue,
        };
        privilege_changes(id, from, to, out);
    }
}

/// `ALTER … OWNER TO` where owners differ, and for every created object
/// (whoever runs the migration owns it at first). Nothing when ownership
/// is not compared (`new.owners` is empty).
pub(crate) fn owners(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    let created = created(old, out);
    let mut changes = Vec::new();
    for (id, owner) in &new.owners {
        // A sequence tied to a column has the table's owner and moves
        // with it; one about to be tied must be given that owner first.
        if let ObjectId::Sequence { name } = id
            && !created(id)
            && let Some(n) = new.sequences.get(name)
            && n.owned_by.is_some()
            && old
                .sequences
                .get(name)
                .is_some_and(|o| o.owned_by == n.owned_by)
        {
            continue;
        }
        if created(id) || old.owners.get(id) != Some(owner) {
            changes.push(Change::Owner(OwnerChange::SetOwner {
                target: id.clone(),
                owner: owner.clone(),
            }));
        }
    }
    out.append(&mut changes);
}

#[cfg(test)]
mod tests {
    use gen_model::{
        Acl, Catalog, DefaultObjects, DefaultPrivileges, Grant, Grantee, ObjectId, Policy,
        PolicyCommand, QualifiedName, RowSecurity, Table,
    };
    use gen_test_support::{col, role};

    use crate::{
        Change, CommentChange, OwnerChange, PolicyChange, PrivilegeAction, PrivilegesChange,
        TableChange, diff,
    };

    fn name() -> QualifiedName {
        QualifiedName::new("app", "t")
    }

    fn table() -> Table {
        gen_test_support::table(name(), vec![col("id", "integer")])
    }

    fn with_table() -> Catalog {
        let mut c = Catalog::default();
        c.tables.insert(name(), table());
        c
    }

    fn policy(command: PolicyCommand, using: Option<&str>, check: Option<&str>) -> Policy {
        Policy {
            command,
            using: using.map(Into::into),
            check: check.map(Into::into),
            ..gen_test_support::policy(name(), "p")
        }
    }

    fn with_policy(p: Policy) -> Catalog {
        let mut c = with_table();
        c.policies.insert((p.table.clone(), p.name.clone()), p);
        c
    }

    fn kinds(changes: &[Change]) -> Vec<&'static str> {
        changes
            .iter()
            .map(|c| match c {
                Change::Policy(PolicyChange::CreatePolicy(_)) => "create policy",
                Change::Policy(PolicyChange::DropPolicy(_)) => "drop policy",
                Change::Policy(PolicyChange::AlterPolicy { .. }) => "alter policy",
                Change::Policy(PolicyChange::SetRowSecurity { .. }) => "set rls",
                Change::Policy(PolicyChange::ForceRowSecurity { .. }) => "force rls",
                Change::Privileges(PrivilegesChange::Privileges { .. }) => "privileges",
                Change::Owner(OwnerChange::SetOwner { .. }) => "owner",
                Change::Comment(CommentChange::Comment { .. }) => "comment",
                Change::Comment(
                    CommentChange::ConstraintIndexComment { .. }
                    | CommentChange::ViewColumnComment { .. },
                )
                | Change::Schema(_)
                | Change::Extension(_)
                | Change::Table(_)
                | Change::Column(_)
                | Change::Constraint(_)
                | Change::Index(_)
                | Change::Sequence(_)
                | Change::Routine(_)
                | Change::Trigger(_)
                | Change::EventTrigger(_)
                | Change::View(_)
                | Change::Partition(_)
                | Change::Inheritance(_)
                | Change::Type(_)
                | Change::Domain(_)
                | Change::Collation(_)
                | Change::Publication(_)
                | Change::Cast(_)
                | Change::Rule(_)
                | Change::TextSearch(_)
                | Change::Foreign(_)
                | Change::Statistics(_)
                | Change::Operator(_)
                | Change::Language(_)
                | Change::Conversion(_)
                | Change::AccessMethod(_)
                | Change::Subscription(_)
                | Change::OperatorClass(_) => "other",
            })
            .collect()
    }

    fn grant(name: &str, privilege: &str, grantable: bool) -> Grant {
        gen_test_support::grant(role(name), privilege, grantable)
    }

    #[test]
    fn policy_expression_and_roles_change_in_place() {
        let old = with_policy(policy(PolicyCommand::All, Some("a"), None));
        let mut p = policy(PolicyCommand::All, Some("b"), Some("c"));
        p.roles = vec![Grantee::Role("r".into())];
        let changes = diff(&old, &with_policy(p));
        assert_eq!(
            changes,
            [Change::Policy(PolicyChange::AlterPolicy {
                table: name(),
                name: "p".into(),
                roles: Some(vec![Grantee::Role("r".into())]),
                using: Some("b".into()),
                check: Some("c".into()),
            })]
        );
    }

    #[test]
    fn policy_command_permissiveness_or_lost_clause_rebuilds_it() {
        let base = policy(PolicyCommand::All, Some("a"), Some("b"));
        let mut restrictive = base.clone();
        restrictive.permissive = false;
        for new in [
            policy(PolicyCommand::Select, Some("a"), None),
            restrictive,
            policy(PolicyCommand::All, Some("a"), None),
            policy(PolicyCommand::All, None, Some("b")),
        ] {
            let changes = diff(&with_policy(base.clone()), &with_policy(new));
            assert_eq!(kinds(&changes), ["drop policy", "create policy"]);
        }
    }

    #[test]
    fn policy_goes_with_its_table() {
        let old = with_policy(policy(PolicyCommand::All, Some("a"), None));
        let changes = diff(&old, &Catalog::default());
        assert_eq!(kinds(&changes), ["other"], "{changes:?}");
    }

    #[test]
    fn row_security_of_a_new_table_is_set_after_it() {
        let mut new = with_table();
        new.row_security.insert(
            name(),
            RowSecurity {
                enabled: true,
                forced: true,
            },
        );
        let changes = diff(&Catalog::default(), &new);
        assert_eq!(kinds(&changes), ["other", "set rls", "force rls"]);
        let back = diff(&new, &with_table());
        assert_eq!(
            back,
            [
                Change::Policy(PolicyChange::SetRowSecurity {
                    table: name(),
                    enabled: false
                }),
                Change::Policy(PolicyChange::ForceRowSecurity {
                    table: name(),
                    forced: false
                })
            ]
        );
    }

    #[test]
    fn privileges_revoke_then_grant_and_grant_options_move_alone() {
        let id = ObjectId::Table { name: name() };
        let mut old = with_table();
        old.privileges.insert(
            id.clone(),
            Acl {
                grants: vec![
                    grant("a", "SELECT", true),
                    grant("b", "INSERT", false),
                    grant("c", "SELECT", false),
                ],
                initial: Vec::new(),
            },
        );
        let mut new = with_table();
        new.privileges.insert(
            id.clone(),
            Acl {
                grants: vec![grant("a", "SELECT", false), grant("c", "SELECT", true)],
                initial: Vec::new(),
            },
        );
        let got: Vec<(PrivilegeAction, Grantee)> = diff(&old, &new)
            .into_iter()
            .filter_map(|c| {
                if let Change::Privileges(PrivilegesChange::Privileges {
                    grantee, action, ..
                }) = c
                {
                    Some((action, grantee))
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(
            got,
            [
                (PrivilegeAction::Revoke, Grantee::Role("b".into())),
                (
                    PrivilegeAction::RevokeGrantOption,
                    Grantee::Role("a".into())
                ),
                (PrivilegeAction::GrantWithOption, Grantee::Role("c".into())),
            ]
        );
    }

    #[test]
    fn a_created_object_starts_from_what_creation_gives_it() {
        let id = ObjectId::Table { name: name() };
        let mut new = with_table();
        // Default privileges give SELECT to `a`; the schema says only `b`.
        new.privileges.insert(
            id.clone(),
            Acl {
                grants: vec![grant("b", "SELECT", false)],
                initial: vec![grant("a", "SELECT", false)],
            },
        );
        let changes = diff(&Catalog::default(), &new);
        let privileges: Vec<_> = changes
            .iter()
            .filter(|c| matches!(c, Change::Privileges(PrivilegesChange::Privileges { .. })))
            .cloned()
            .collect();
        assert_eq!(
            privileges,
            [
                Change::Privileges(PrivilegesChange::Privileges {
                    target: id.clone(),
                    grantee: Grantee::Role("a".into()),
                    privileges: vec!["SELECT".into()],
                    action: PrivilegeAction::Revoke,
                }),
                Change::Privileges(PrivilegesChange::Privileges {
                    target: id,
                    grantee: Grantee::Role("b".into()),
                    privileges: vec!["SELECT".into()],
                    action: PrivilegeAction::Grant,
                }),
            ]
        );
    }

    #[test]
    fn a_rebuilt_object_counts_as_created() {
        let old = with_table();
        let out = vec![
            Change::Table(TableChange::DropTable(table())),
            Change::Table(TableChange::CreateTable(table())),
        ];
        let created = super::created(&old, &out);
        assert!(created(&ObjectId::Table { name: name() }));
        assert!(created(&ObjectId::Column {
            table: name(),
            column: "id".into()
        }));
        let untouched = super::created(&old, &[]);
        assert!(!untouched(&ObjectId::Table { name: name() }));
    }

    #[test]
    fn default_privileges_start_from_the_built_in_ones() {
        let id = ObjectId::DefaultPrivileges {
            role: "owner".into(),
            schema: None,
            objects: DefaultObjects::Functions,
        };
        let public = Grant {
            grantee: Grantee::Public,
            privilege: "EXECUTE".into(),
            grantable: false,
        };
        let mut new = Catalog::default();
        new.default_privileges.insert(
            id.clone(),
            DefaultPrivileges {
                role: "owner".into(),
                schema: None,
                objects: DefaultObjects::Functions,
                grants: Vec::new(),
                initial: vec![public],
            },
        );
        let changes = diff(&Catalog::default(), &new);
        assert_eq!(
            changes,
            [Change::Privileges(PrivilegesChange::Privileges {
                target: id,
                grantee: Grantee::Public,
                privileges: vec!["EXECUTE".into()],
                action: PrivilegeAction::Revoke,
            })]
        );
        assert_eq!(diff(&new, &Catalog::default()).len(), 1);
    }

    #[test]
    fn owners_are_compared_only_when_read() {
        let id = ObjectId::Table { name: name() };
        let mut old = with_table();
        old.owners.insert(id.clone(), "a".into());
        let mut new = with_table();
        new.owners.insert(id.clone(), "b".into());
        assert_eq!(
            diff(&old, &new),
            [Change::Owner(OwnerChange::SetOwner {
                target: id,
                owner: "b".into()
            })]
        );
        assert!(diff(&old.without_owners(), &new.without_owners()).is_empty());
    }
}
