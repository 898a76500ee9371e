//! Verify scripts: Sqitch runs them after a deploy, and they must fail
//! unless what the change created or altered is there in the expected shape
//! and what it dropped is gone.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use gen_model::{Catalog, ConstraintKind, Ident, Literal, ObjectId, QualifiedName};

use crate::{Plan, change};

/// The checks, as one PL/pgSQL `DO` block body, for the objects `plan`
/// touches, judged against `target`, the catalog the plan leads to.
/// Empty when the plan touches nothing checkable.
pub fn checks(plan: &Plan, target: &Catalog) -> Vec<String> {
    let touched: BTreeSet<(&ObjectId, bool)> = plan
        .steps
        .iter()
        .map(|s| (&s.object, target.contains(&s.object)))
        .collect();
    let authorization: BTreeSet<&ObjectId> = plan
        .hazards()
        .filter(|(_, h)| h.kind == crate::HazardKind::AuthorizationChange)
        .map(|(s, _)| &s.object)
        .collect();
    let mut out = Vec::new();
    for (id, exists) in touched {
        if exists {
            if let Some(check) = present(id, target) {
                out.push(check);
            }
            // Row-level security and privileges are checked where a step
            // changed who may do what.
            if authorization.contains(id) {
                out.extend(crate::security::checks(id, target));
            }
        } else if let Some(condition) = exists_condition(id) {
            // An index may give its name to a constraint's index in the same change.
            let condition = if let ObjectId::Index { name } = id {
                format!(
                    "{condition} AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conindid = {})",
                    regclass(name)
                )
            } else {
                condition
            };
            out.push(raise_if(&condition, &format!("{id} should be gone")));
        }
    }
    out
}

/// The whole verify script for a change.
pub fn script(header: &str, plan: &Plan, target: &Catalog) -> String {
    script_with_roles(header, plan, target, &[])
}

/// [`script`] for a change that also creates `roles` (named by the schema
/// files' `CREATE ROLE`): each must exist after the deploy.
pub fn script_with_roles(header: &str, plan: &Plan, target: &Catalog, roles: &[&str]) -> String {
    let checks = checks(plan, target);
    let mut out = format!("{header}\n\nBEGIN;\n\n");
    if checks.is_empty() {
        out.push_str("-- Nothing to verify: the change alters no object gen can check.\n");
    } else {
        // Checks compare with definitions read under an empty search_path,
        // where the server qualifies every name.
        out.push_str("SET LOCAL search_path = '';\n\n");
        let body = checks.join("\n");
        let mut tag = "verify".to_owned();
        while body.contains(&format!("${tag}$")) {
            tag.push('_');
        }
        write!(out, "DO ${tag}$\nBEGIN\n{body}\nEND\n${tag}$;\n").expect("writing to a String");
    }
    if !roles.is_empty() {
        out.push_str("\nDO $verify_roles$\nBEGIN\n");
        for role in roles {
            let condition = format!(
                "NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {})",
                Literal(role)
            );
            out.push_str(&raise_if(&condition, &format!("role {role} is missing")));
            out.push('\n');
        }
        out.push_str("END\n$verify_roles$;\n");
    }
    out.push_str("\nROLLBACK;\n");
    out
}

pub(crate) fn raise_if(condition: &str, message: &str) -> String {
    format!(
        "    IF {condition} THEN\n        RAISE EXCEPTION USING MESSAGE = {};\n    END IF;",
        Literal(message)
    )
}

pub(crate) fn regclass(name: &impl ToString) -> String {
    format!("to_regclass({})", Literal(&name.to_string()))
}

/// A condition true when relation `name` exists with one of `relkinds`
/// (a list of SQL literals).
fn relation_of_kind(name: &QualifiedName, relkinds: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = {} AND relkind IN ({relkinds}))",
        regclass(name)
    )
}

/// A check that raises unless publication `p` publishes what it says: its
/// operations, and exactly its tables and schemas.
fn publication_present(p: &gen_model::Publication, major: u32, message: &str) -> String {
    let of_it = format!(
        "(SELECT oid FROM pg_catalog.pg_publication WHERE pubname = {})",
        Literal(&p.name)
    );
    let mut condition = format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = {} AND puballtables = {} AND pubinsert = {} AND pubupdate = {} AND pubdelete = {} AND pubtruncate = {} AND pubviaroot = {})",
        Literal(&p.name),
        p.all_tables,
        p.publish.insert,
        p.publish.update,
        p.publish.delete,
        p.publish.truncate,
        p.via_root
    );
    write!(
        condition,
        "\n        OR (SELECT count(*) FROM pg_catalog.pg_publication_rel WHERE prpubid = {of_it}) <> {}",
        p.tables.len()
    )
    .expect("writing to a String");
    for table in p.tables.keys() {
        write!(
            condition,
            "\n        OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication_rel WHERE prpubid = {of_it} AND prrelid = {})",
            regclass(table)
        )
        .expect("writing to a String");
    }
    // Publications name schemas from PostgreSQL 15 on (0: a catalog not
    // read from a server, taken as the newest).
    if major == 0 || major >= 15 {
        write!(
            condition,
            "\n        OR (SELECT count(*) FROM pg_catalog.pg_publication_namespace WHERE pnpubid = {of_it}) <> {}",
            p.schemas.len()
        )
        .expect("writing to a String");
    }
    raise_if(&condition, message)
}

/// A condition true when an object with this identity exists at all.
fn exists_condition(id: &ObjectId) -> Option<String> {
    Some(match id {
        ObjectId::Schema { name } => format!(
            "to_regnamespace({}) IS NOT NULL",
            Literal(&Ident(name).to_string())
        ),
        ObjectId::Extension { name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = {})",
            Literal(name)
        ),
        ObjectId::Publication { name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = {})",
            Literal(name)
        ),
        ObjectId::Cast { source, target } => change::cast::exists_condition(source, target),
        ObjectId::Rule { table, name } => change::rule::exists_condition(table, name),
        ObjectId::TextSearchConfiguration { name } => {
            change::text_search::exists_condition("pg_ts_config", "cfg", name)
        }
        ObjectId::TextSearchDictionary { name } => {
            change::text_search::exists_condition("pg_ts_dict", "dict", name)
        }
        ObjectId::ForeignDataWrapper { name } => change::foreign::wrapper_exists(name),
        ObjectId::ForeignServer { name } => change::foreign::server_exists(name),
        ObjectId::UserMapping { server, user } => {
            change::foreign::user_mapping_exists(server, user)
        }
        ObjectId::ForeignTable { name } => relation_of_kind(name, "'f'"),
        ObjectId::Operator { name, left, right } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace WHERE n.nspname = {} AND o.oprname = {} AND o.oprleft = {} AND o.oprright = to_regtype({}))",
            Literal(&name.schema),
            Literal(&name.name),
            if left == "NONE" {
                "0".to_owned()
            } else {
                format!("to_regtype({})", Literal(left))
            },
            Literal(right)
        ),
        ObjectId::Statistics { name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace WHERE n.nspname = {} AND s.stxname = {})",
            Literal(&name.schema),
            Literal(&name.name)
        ),
        // Kinds share one namespace: a view may take a dropped table's name.
        ObjectId::Table { name } => relation_of_kind(name, "'r', 'p'"),
        ObjectId::Sequence { name } => relation_of_kind(name, "'S'"),
        ObjectId::Index { name } => relation_of_kind(name, "'i', 'I'"),
        ObjectId::Column { table, column } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = {} AND attname = {} AND NOT attisdropped)",
            regclass(table),
            Literal(column)
        ),
        ObjectId::Constraint { table, constraint } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = {} AND conname = {})",
            regclass(table),
            Literal(constraint)
        ),
        ObjectId::SequenceOwnership { .. } => return None,
        ObjectId::Function { .. }
        | ObjectId::Aggregate { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::EventTrigger { .. } => crate::routines::exists_condition(id),
        ObjectId::View { name } => relation_of_kind(name, "'v'"),
        ObjectId::MaterializedView { name } => relation_of_kind(name, "'m'"),
        ObjectId::Policy { table, name } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = {} AND polname = {})",
            regclass(table),
            Literal(name)
        ),
        ObjectId::DefaultPrivileges {
            role,
            schema,
            objects,
        } => crate::security::default_privileges_exist(role, schema.as_deref(), *objects),
        ObjectId::Inheritance { table, parent } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhrelid = {} AND inhparent = {})",
            regclass(table),
            regclass(parent)
        ),
        ObjectId::ReplicaIdentity { table } => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = {} AND relreplident <> 'd')",
            regclass(table)
        ),
        ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::Collation { .. }
        | ObjectId::TypeAttribute { .. } => crate::types::exists_condition(id.as_type_object()?),
    })
}

/// A check that raises unless the object exists with the shape `target` gives it.
fn present(id: &ObjectId, target: &Catalog) -> Option<String> {
    let missing = |what: &str| format!("{id} is missing or {what}");
    Some(match id {
        ObjectId::Column { table, column } => {
            let c = target.tables.get(table)?.column(column)?;
            let condition = format!(
                "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = {} AND attname = {} AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = {} AND attnotnull = {})",
                regclass(table),
                Literal(column),
                Literal(&c.data_type),
                c.not_null
            );
            raise_if(
                &condition,
                &missing(&format!(
                    "not {}{}",
                    c.data_type,
                    if c.not_null { " NOT NULL" } else { "" }
                )),
            )
        }
        // Definitions are not compared: the server may print a definition
        // it read back differently from the one it was given.
        ObjectId::Constraint { table, constraint } => {
            let c = target.tables.get(table)?.constraints.get(constraint)?;
            let contype = match c.kind {
                ConstraintKind::PrimaryKey => "p",
                ConstraintKind::Unique => "u",
                ConstraintKind::Check => "c",
                ConstraintKind::ForeignKey => "f",
                ConstraintKind::Exclusion => "x",
            };
            let condition = format!(
                "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = {} AND conname = {} AND contype = {} AND convalidated = {})",
                regclass(table),
                Literal(constraint),
                Literal(contype),
                c.validated
            );
            raise_if(&condition, &missing("of another kind"))
        }
        ObjectId::Policy { table, name } => {
            let p = target.policies.get(&(table.clone(), name.clone()))?;
            crate::security::policy_present(id, p)
        }
        ObjectId::ReplicaIdentity { table } => {
            let t = target.tables.get(table)?;
            let (code, index) = match &t.replica_identity {
                gen_model::ReplicaIdentity::Default => ("d", None),
                gen_model::ReplicaIdentity::Full => ("f", None),
                gen_model::ReplicaIdentity::Nothing => ("n", None),
                gen_model::ReplicaIdentity::Index(i) => ("i", Some(i)),
            };
            let mut condition = format!(
                "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = {} AND relreplident = {})",
                regclass(table),
                Literal(code)
            );
            if let Some(i) = index {
                write!(
                    condition,
                    " OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indrelid = {} AND indexrelid = {} AND indisreplident)",
                    regclass(table),
                    regclass(&gen_model::QualifiedName::new(table.schema.clone(), i.clone()))
                )
                .expect("writing to a String");
            }
            raise_if(&condition, &missing("set otherwise"))
        }
        ObjectId::Type { .. } | ObjectId::TypeAttribute { .. }
            if crate::types::shape_mismatch(id.as_type_object()?, target).is_some() =>
        {
            let (condition, what) = crate::types::shape_mismatch(id.as_type_object()?, target)?;
            let exists = exists_condition(id)?;
            raise_if(&format!("NOT ({exists}) OR {condition}"), &missing(&what))
        }
        ObjectId::Function { .. }
        | ObjectId::Aggregate { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::EventTrigger { .. } => {
            let (condition, message) = crate::routines::present(id, target)?;
            raise_if(&condition, &message)
        }
        ObjectId::Publication { name } => {
            let p = target.publications.get(name)?;
            publication_present(p, target.major, &missing("publishes otherwise"))
        }
        ObjectId::Cast { source, target: to } => {
            let c = target.casts.get(&(source.clone(), to.clone()))?;
            raise_if(
                &change::cast::mismatch_condition(c),
                &missing("converts or applies otherwise"),
            )
        }
        ObjectId::Rule { table, name } => {
            let r = target.rules.get(&(table.clone(), name.clone()))?;
            raise_if(
                &change::rule::mismatch_condition(r),
                &missing("fires otherwise"),
            )
        }
        ObjectId::TextSearchConfiguration { name } => {
            let c = target.text_search_configurations.get(name)?;
            let exists = exists_condition(id)?;
            raise_if(
                &format!(
                    "NOT ({exists}) OR {}",
                    change::text_search::mismatch_condition(c)
                ),
                &missing("maps token types otherwise"),
            )
        }
        // Checked for existing alone.
        ObjectId::Schema { .. }
        | ObjectId::Extension { .. }
        | ObjectId::Sequence { .. }
        | ObjectId::Table { .. }
        | ObjectId::Index { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::Collation { .. }
        | ObjectId::TypeAttribute { .. }
        | ObjectId::View { .. }
        | ObjectId::MaterializedView { .. }
        | ObjectId::DefaultPrivileges { .. }
        | ObjectId::TextSearchDictionary { .. }
        | ObjectId::ForeignDataWrapper { .. }
        | ObjectId::ForeignServer { .. }
        | ObjectId::UserMapping { .. }
        | ObjectId::ForeignTable { .. }
        | ObjectId::Statistics { .. }
        | ObjectId::Operator { .. }
        | ObjectId::Inheritance { .. } => raise_if(
            &format!("NOT ({})", exists_condition(id)?),
            &format!("{id} is missing"),
        ),
    })
}
