//! SQL for row-level security, policies, privileges and owners.

use gen_diff::{Change, CommentChange, OwnerChange, PolicyChange, PrivilegeAction};
use gen_model::{
    Catalog, DefaultObjects, Grant, Grantee, Ident, Literal, ObjectId, Policy, PolicyCommand,
};

use crate::verify::{raise_if, regclass};

pub(crate) fn list(roles: &[Grantee]) -> String {
    roles
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn create_policy(p: &Policy) -> String {
    let mut sql = format!("CREATE POLICY {} ON {}", Ident(&p.name), p.table);
    if !p.permissive {
        sql.push_str("\n    AS RESTRICTIVE");
    }
    if p.command != gen_model::PolicyCommand::All {
        sql.push_str(&format!("\n    FOR {}", p.command.keyword()));
    }
    if p.roles != [Grantee::Public] {
        sql.push_str(&format!("\n    TO {}", list(&p.roles)));
    }
    if let Some(using) = &p.using {
        sql.push_str(&format!("\n    USING ({using})"));
    }
    if let Some(check) = &p.check {
        sql.push_str(&format!("\n    WITH CHECK ({check})"));
    }
    sql.push(';');
    sql
}

/// An aggregate's identity arguments as `ALTER AGGREGATE` takes them: `*`
/// for an aggregate over all rows.
fn aggregate_args(args: &str) -> &str {
    if args.is_empty() { "*" } else { args }
}

/// `kind name` after `ALTER` for objects that have owners: what
/// `COMMENT ON` names them by too.
pub(crate) fn owned(id: &ObjectId) -> String {
    match id {
        ObjectId::Schema { .. }
        | ObjectId::Sequence { .. }
        | ObjectId::Table { .. }
        | ObjectId::View { .. }
        | ObjectId::MaterializedView { .. }
        | ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::Collation { .. }
        | ObjectId::Function { .. }
        | ObjectId::Aggregate { .. }
        | ObjectId::EventTrigger { .. }
        | ObjectId::Publication { .. }
        | ObjectId::TextSearchConfiguration { .. }
        | ObjectId::TextSearchDictionary { .. }
        | ObjectId::ForeignDataWrapper { .. }
        | ObjectId::ForeignServer { .. }
        | ObjectId::ForeignTable { .. }
        | ObjectId::Statistics { .. }
        | ObjectId::Operator { .. }
        | ObjectId::Language { .. }
        | ObjectId::Conversion { .. }
        | ObjectId::Subscription { .. }
        | ObjectId::OperatorFamily { .. }
        | ObjectId::OperatorClass { .. } => crate::render::comment_target(id),
        ObjectId::UserMapping { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::TypeAttribute { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::Rule { .. }
        | ObjectId::Cast { .. }
        | ObjectId::AccessMethod { .. }
        | ObjectId::TextSearchParser { .. }
        | ObjectId::TextSearchTemplate { .. } => {
            unreachable!("{id} has no owner of its own")
        }
        // gen-catalog reads owners of nothing else.
        ObjectId::Extension { .. }
        | ObjectId::Column { .. }
        | ObjectId::Constraint { .. }
        | ObjectId::Index { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::Policy { .. }
        | ObjectId::DefaultPrivileges { .. }
        | ObjectId::Inheritance { .. }
        | ObjectId::ReplicaIdentity { .. } => unreachable!("{id} has no owner of its own"),
    }
}

/// `ON kind name` for `GRANT`, with the column list a column grant
/// puts before it: `(email) ON TABLE app.users`.
fn privilege_object(id: &ObjectId) -> (String, String) {
    match id {
        ObjectId::Schema { name } => (String::new(), format!("SCHEMA {}", Ident(name))),
        ObjectId::Sequence { name } => (String::new(), format!("SEQUENCE {name}")),
        // `TABLE` covers views and materialized views too.
        ObjectId::Table { name }
        | ObjectId::View { name }
        | ObjectId::MaterializedView { name }
        | ObjectId::ForeignTable { name } => (String::new(), format!("TABLE {name}")),
        ObjectId::ForeignDataWrapper { name } => {
            (String::new(), crate::change::foreign::wrapper_target(name))
        }
        ObjectId::Language { name } => (String::new(), crate::change::language::target(name)),
        ObjectId::ForeignServer { name } => (
            String::new(),
            format!("FOREIGN {}", crate::change::foreign::server_target(name)),
        ),
        ObjectId::Column { table, column } => {
            (format!(" ({})", Ident(column)), format!("TABLE {table}"))
        }
        ObjectId::DefaultPrivileges { objects, .. } => {
            (String::new(), objects.keyword().to_owned())
        }
        ObjectId::Type { name } => (String::new(), format!("TYPE {name}")),
        ObjectId::Domain { name } => (String::new(), format!("DOMAIN {name}")),
        // ROUTINE covers functions, procedures and aggregates alike.
        ObjectId::Function { name, args } => (String::new(), format!("ROUTINE {name}({args})")),
        ObjectId::Aggregate { name, args } => (
            String::new(),
            format!("ROUTINE {name}({})", aggregate_args(args)),
        ),
        ObjectId::Collation { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::TypeAttribute { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::EventTrigger { .. }
        | ObjectId::Publication { .. }
        | ObjectId::Cast { .. }
        | ObjectId::Rule { .. }
        | ObjectId::TextSearchConfiguration { .. }
        | ObjectId::TextSearchDictionary { .. }
        | ObjectId::UserMapping { .. }
        | ObjectId::Statistics { .. }
        | ObjectId::Operator { .. }
        | ObjectId::Conversion { .. }
        | ObjectId::AccessMethod { .. }
        | ObjectId::TextSearchParser { .. }
        | ObjectId::TextSearchTemplate { .. }
        | ObjectId::Subscription { .. }
        | ObjectId::OperatorFamily { .. }
        | ObjectId::OperatorClass { .. } => unreachable!("{id} has no privileges"),
        // gen-catalog reads privileges of nothing else.
        ObjectId::Extension { .. }
        | ObjectId::Constraint { .. }
        | ObjectId::Index { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::Policy { .. }
        | ObjectId::Inheritance { .. }
        | ObjectId::ReplicaIdentity { .. } => unreachable!("{id} has no privileges"),
    }
}

pub(crate) fn privileges_sql(
    target: &ObjectId,
    grantee: &Grantee,
    privileges: &[String],
    action: PrivilegeAction,
) -> String {
    let (columns, object) = privilege_object(target);
    let privileges = privileges
        .iter()
        .map(|p| format!("{p}{columns}"))
        .collect::<Vec<_>>()
        .join(", ");
    let statement = match action {
        PrivilegeAction::Grant => format!("GRANT {privileges} ON {object} TO {grantee}"),
        PrivilegeAction::GrantWithOption => {
            format!("GRANT {privileges} ON {object} TO {grantee} WITH GRANT OPTION")
        }
        PrivilegeAction::Revoke => format!("REVOKE {privileges} ON {object} FROM {grantee}"),
        PrivilegeAction::RevokeGrantOption => {
            format!("REVOKE GRANT OPTION FOR {privileges} ON {object} FROM {grantee}")
        }
    };
    // Default privileges are granted through their own statement; the
    // statement alone acts on any other object.
    if let ObjectId::DefaultPrivileges { role, schema, .. } = target {
        let mut prefix = format!("ALTER DEFAULT PRIVILEGES FOR ROLE {}", Ident(role));
        if let Some(schema) = schema {
            prefix.push_str(&format!(" IN SCHEMA {}", Ident(schema)));
        }
        format!("{prefix} {statement};")
    } else {
        format!("{statement};")
    }
}

/// A condition true when default privileges of this role, schema and kind
/// are recorded.
pub(crate) fn default_privileges_exist(
    role: &str,
    schema: Option<&str>,
    objects: DefaultObjects,
) -> String {
    let namespace = match schema {
        Some(s) => format!("to_regnamespace({})", Literal(&Ident(s).to_string())),
        None => "0".to_owned(),
    };
    let objtype = match objects {
        DefaultObjects::Tables => "r",
        DefaultObjects::Sequences => "S",
        DefaultObjects::Functions => "f",
        DefaultObjects::Types => "T",
        DefaultObjects::Schemas => "n",
    };
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_default_acl WHERE defaclrole = {}::regrole AND defaclnamespace = {namespace} AND defaclobjtype = {})",
        Literal(&Ident(role).to_string()),
        Literal(objtype)
    )
}

/// A check that raises unless the policy exists with its command and
/// permissiveness (expressions are not compared: the server may print
/// one it read back differently).
pub(crate) fn policy_present(id: &ObjectId, p: &Policy) -> String {
    let polcmd = match p.command {
        PolicyCommand::All => "*",
        PolicyCommand::Select => "r",
        PolicyCommand::Insert => "a",
        PolicyCommand::Update => "w",
        PolicyCommand::Delete => "d",
    };
    raise_if(
        &format!(
            "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = {} AND polname = {} AND polcmd = {} AND polpermissive = {})",
            regclass(&p.table),
            Literal(&p.name),
            Literal(polcmd),
            p.permissive
        ),
        &format!("{id} is missing or of another kind"),
    )
}

/// What a description of `id` shows besides its definition: row-level
/// security and policies of a table, its grants (columns' included) and
/// owner; a policy's own definition; default privileges as statements.
pub(crate) fn describe(catalog: &Catalog, id: &ObjectId, out: &mut Vec<Change>) {
    let grants = |target: &ObjectId, out: &mut Vec<Change>| {
        if let Some(acl) = catalog.privileges.get(target) {
            push_grants(target, &acl.initial, &acl.grants, out);
        }
    };
    if let ObjectId::Policy { table, name } = id {
        if let Some(p) = catalog.policies.get(&(table.clone(), name.clone())) {
            out.push(Change::Policy(PolicyChange::CreatePolicy(p.clone())));
            if p.comment.is_some() {
                out.push(Change::Comment(CommentChange::Comment {
                    target: id.clone(),
                    comment: p.comment.clone(),
                }));
            }
        }
        return;
    }
    if let ObjectId::DefaultPrivileges { .. } = id {
        if let Some(d) = catalog.default_privileges.get(id) {
            push_grants(id, &d.initial, &d.grants, out);
        }
        return;
    }
    // Grants on the object itself, where it has any; a table's row-level
    // security and policies before its grants, its columns' after.
    if let ObjectId::Table { name } = id {
        if let Some(rls) = catalog.row_security.get(name) {
            if rls.enabled {
                out.push(Change::Policy(PolicyChange::SetRowSecurity {
                    table: name.clone(),
                    enabled: true,
                }));
            }
            if rls.forced {
                out.push(Change::Policy(PolicyChange::ForceRowSecurity {
                    table: name.clone(),
                    forced: true,
                }));
            }
        }
        for p in catalog.policies.values().filter(|p| &p.table == name) {
            describe(
                catalog,
                &ObjectId::Policy {
                    table: name.clone(),
                    name: p.name.clone(),
                },
                out,
            );
        }
        grants(id, out);
        if let Some(t) = catalog.tables.get(name) {
            for c in &t.columns {
                grants(
                    &ObjectId::Column {
                        table: name.clone(),
                        column: c.name.clone(),
                    },
                    out,
                );
            }
        }
    } else {
        grants(id, out);
    }
    if let Some(owner) = catalog.owners.get(id) {
        out.push(Change::Owner(OwnerChange::SetOwner {
            target: id.clone(),
            owner: owner.clone(),
        }));
    }
}

/// Grants and revokes from what a new object holds to what `id` holds.
fn push_grants(id: &ObjectId, initial: &[Grant], grants: &[Grant], out: &mut Vec<Change>) {
    gen_diff::privilege_changes(id, initial, grants, out);
}

/// Checks that raise unless an object's row-level security and privileges
/// are what `target` says (for the kinds whose privileges gen reads).
pub(crate) fn checks(id: &ObjectId, target: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    if let ObjectId::Table { name } = id {
        let rls = target.row_security.get(name).copied().unwrap_or_default();
        out.push(raise_if(
            &format!(
                "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = {} AND relrowsecurity = {} AND relforcerowsecurity = {})",
                regclass(name),
                rls.enabled,
                rls.forced
            ),
            &format!("{id} does not have the expected row-level security"),
        ));
    }
    let actual = match id {
        ObjectId::Schema { name } => format!(
            "SELECT e.grantee, e.privilege_type, e.is_grantable FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) e WHERE n.oid = to_regnamespace({}) AND e.grantee <> n.nspowner",
            Literal(&Ident(name).to_string())
        ),
        ObjectId::Table { name }
        | ObjectId::Sequence { name }
        | ObjectId::View { name }
        | ObjectId::MaterializedView { name } => format!(
            "SELECT e.grantee, e.privilege_type, e.is_grantable FROM pg_catalog.pg_class c, pg_catalog.aclexplode(coalesce(c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))) e WHERE c.oid = {} AND e.grantee <> c.relowner",
            regclass(name)
        ),
        ObjectId::Column { table, column } => format!(
            "SELECT e.grantee, e.privilege_type, e.is_grantable FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid, pg_catalog.aclexplode(coalesce(a.attacl, pg_catalog.acldefault('c', c.relowner))) e WHERE a.attrelid = {} AND a.attname = {} AND e.grantee <> c.relowner",
            regclass(table),
            Literal(column)
        ),
        // Privileges gen reads, not checked here.
        ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::Function { .. }
        | ObjectId::Aggregate { .. }
        | ObjectId::DefaultPrivileges { .. } => return out,
        // No privileges of their own, or none gen reads.
        ObjectId::Extension { .. }
        | ObjectId::Constraint { .. }
        | ObjectId::Index { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::Collation { .. }
        | ObjectId::TypeAttribute { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::EventTrigger { .. }
        | ObjectId::Policy { .. }
        | ObjectId::Inheritance { .. }
        | ObjectId::ReplicaIdentity { .. }
        | ObjectId::Publication { .. }
        | ObjectId::Cast { .. }
        | ObjectId::Rule { .. }
        | ObjectId::TextSearchConfiguration { .. }
        | ObjectId::TextSearchDictionary { .. }
        | ObjectId::ForeignDataWrapper { .. }
        | ObjectId::ForeignServer { .. }
        | ObjectId::UserMapping { .. }
        | ObjectId::ForeignTable { .. }
        | ObjectId::Statistics { .. }
        | ObjectId::Operator { .. }
        | ObjectId::Language { .. }
        | ObjectId::Conversion { .. }
        | ObjectId::AccessMethod { .. }
        | ObjectId::TextSearchParser { .. }
        | ObjectId::TextSearchTemplate { .. }
        | ObjectId::Subscription { .. }
        | ObjectId::OperatorFamily { .. }
        | ObjectId::OperatorClass { .. } => return out,
    };
    let grants = target
        .privileges
        .get(id)
        .map(|a| a.grants.as_slice())
        .unwrap_or_default();
    let expected = if grants.is_empty() {
        "SELECT NULL::oid, NULL::text, NULL::boolean WHERE false".to_owned()
    } else {
        let rows: Vec<String> = grants
            .iter()
            .map(|g| {
                let grantee = match &g.grantee {
                    Grantee::Public => "0::oid".to_owned(),
                    Grantee::Role(r) => format!("{}::regrole::oid", Literal(&Ident(r).to_string())),
                };
                format!("({grantee}, {}, {})", Literal(&g.privilege), g.grantable)
            })
            .collect();
        format!("VALUES {}", rows.join(", "))
    };
    out.push(raise_if(
        &format!("EXISTS (({actual} EXCEPT {expected}) UNION ALL ({expected} EXCEPT {actual}))"),
        &format!("{id} does not have the expected privileges"),
    ));
    out
}

#[cfg(test)]
mod tests {
    use gen_model::{
        Acl, Catalog, DefaultObjects, DefaultPrivileges, Grant, Grantee, ObjectId, Policy,
        PolicyCommand, QualifiedName,
    };
    use gen_test_support::{Db, col, role, table};

    use crate::HazardKind;
    use crate::tests::checked::plan;

    fn name() -> QualifiedName {
        QualifiedName::new("app", "T")
    }

    /// Schema `app` and, when `with_table`, table `app."T"` (id integer)
    /// with the edges gen-catalog gives them.
    fn catalog(with_table: bool) -> Catalog {
        let c = Db::default().schema("app");
        if with_table {
            c.table(table(name(), vec![col("id", "integer")])).build()
        } else {
            c.build()
        }
    }

    fn add_policy(c: &mut Catalog, p: Policy) {
        c.depends.insert((
            ObjectId::Policy {
                table: p.table.clone(),
                name: p.name.clone(),
            },
            ObjectId::Table {
                name: p.table.clone(),
            },
        ));
        c.policies.insert((p.table.clone(), p.name.clone()), p);
    }

    #[test]
    fn policies_follow_their_new_table_and_quote_names() {
        let mut new = catalog(true);
        add_policy(
            &mut new,
            Policy {
                table: name(),
                name: "Read Own".into(),
                permissive: false,
                command: PolicyCommand::Select,
                roles: vec![role("Reader"), role("app")],
                using: Some("(id = 1)".into()),
                check: None,
                comment: None,
            },
        );
        let p = plan(&catalog(false), &new).unwrap();
        assert_eq!(
            p.sql(),
            "CREATE TABLE app.\"T\" (\n    id integer\n);\n\n\
             CREATE POLICY \"Read Own\" ON app.\"T\"\n    AS RESTRICTIVE\n    FOR SELECT\n    TO \"Reader\", app\n    USING ((id = 1));\n"
        );
        assert!(
            p.hazards()
                .any(|(_, h)| h.kind == HazardKind::AuthorizationChange)
        );
    }

    #[test]
    fn grants_render_per_kind_with_columns_and_options() {
        let mut old = catalog(true);
        let mut new = catalog(true);
        let table = ObjectId::Table { name: name() };
        let column = ObjectId::Column {
            table: name(),
            column: "id".into(),
        };
        let g = |grantee: Grantee, privilege: &str, grantable: bool| Grant {
            grantee,
            privilege: privilege.into(),
            grantable,
        };
        old.privileges.insert(
            table.clone(),
            Acl {
                grants: vec![
                    g(Grantee::Public, "SELECT", false),
                    g(role("w"), "INSERT", true),
                ],
                initial: Vec::new(),
            },
        );
        new.privileges.insert(
            table,
            Acl {
                grants: vec![g(role("w"), "INSERT", false)],
                initial: Vec::new(),
            },
        );
        new.privileges.insert(
            column,
            Acl {
                grants: vec![g(role("r"), "UPDATE", true)],
                initial: Vec::new(),
            },
        );
        new.privileges.insert(
            ObjectId::Schema { name: "app".into() },
            Acl {
                grants: vec![g(Grantee::Public, "USAGE", false)],
                initial: Vec::new(),
            },
        );
        let p = plan(&old, &new).unwrap();
        assert_eq!(
            p.sql(),
            "GRANT USAGE ON SCHEMA app TO PUBLIC;\n\n\
             REVOKE SELECT ON TABLE app.\"T\" FROM PUBLIC;\n\n\
             REVOKE GRANT OPTION FOR INSERT ON TABLE app.\"T\" FROM w;\n\n\
             GRANT UPDATE (id) ON TABLE app.\"T\" TO r WITH GRANT OPTION;\n"
        );
        assert!(p.steps.iter().all(|s| {
            s.hazards
                .iter()
                .any(|h| h.kind == HazardKind::AuthorizationChange)
        }));
    }

    #[test]
    fn default_privileges_change_before_objects_are_created() {
        let mut new = catalog(true);
        let id = ObjectId::DefaultPrivileges {
            role: "owner".into(),
            schema: Some("app".into()),
            objects: DefaultObjects::Tables,
        };
        new.default_privileges.insert(
            id.clone(),
            DefaultPrivileges {
                role: "owner".into(),
                schema: Some("app".into()),
                objects: DefaultObjects::Tables,
                grants: vec![Grant {
                    grantee: role("r"),
                    privilege: "SELECT".into(),
                    grantable: false,
                }],
                initial: Vec::new(),
            },
        );
        new.depends
            .insert((id, ObjectId::Schema { name: "app".into() }));
        let p = plan(&Catalog::default(), &new).unwrap();
        assert_eq!(
            p.sql(),
            "CREATE SCHEMA app;\n\n\
             ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA app GRANT SELECT ON TABLES TO r;\n\n\
             CREATE TABLE app.\"T\" (\n    id integer\n);\n"
        );
    }

    #[test]
    fn owners_are_set_after_creation() {
        let mut new = catalog(true);
        new.owners
            .insert(ObjectId::Table { name: name() }, "Owner".into());
        let p = plan(&catalog(false), &new).unwrap();
        assert_eq!(
            p.sql(),
            "CREATE TABLE app.\"T\" (\n    id integer\n);\n\n\
             ALTER TABLE app.\"T\" OWNER TO \"Owner\";\n"
        );
    }
}
