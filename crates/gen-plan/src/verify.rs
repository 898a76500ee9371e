//! Verify scripts: Sqitch runs them after a deploy, and they must fail
//! unless what the change created or altered is there in the expected shape
//! and what it dropped is gone.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use gen_model::{Catalog, Literal, ObjectId, QualifiedName};

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
            let condition = if let ObjectId::Index { name } = id {
                change::index::standing_condition(name)
            } else {
                condition
            };
            out.push(raise_if(&condition, &format!("{id} should be gone")));
        }
    }
    out
}

/// The whole verify script for a plan: every check runs, and the script
/// fails naming each one that does not hold.
pub fn script(header: &str, plan: &Plan, target: &Catalog) -> String {
    script_with(header, plan, target, &[], None)
}

/// The verify script of Sqitch change `project:name`, which also creates
/// `roles` (named by the schema files' `CREATE ROLE`): each must exist
/// after the deploy.
///
/// A verify stays true when later changes alter what this one made: where
/// a check does not hold and a Sqitch registry (in whatever schema
/// `--registry` named) shows a change of the project deployed after this
/// one, the script says so in a notice rather than failing. Right after the change's own deploy (nothing later is
/// deployed) every check must hold.
pub fn change_script(
    header: &str,
    plan: &Plan,
    target: &Catalog,
    roles: &[&str],
    project: &str,
    name: &str,
) -> String {
    script_with(header, plan, target, roles, Some((project, name)))
}

fn script_with(
    header: &str,
    plan: &Plan,
    target: &Catalog,
    roles: &[&str],
    change: Option<(&str, &str)>,
) -> String {
    let mut checks = checks(plan, target);
    for role in roles {
        let condition = format!(
            "NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {})",
            Literal(role)
        );
        checks.push(raise_if(&condition, &format!("role {role} is missing")));
    }
    let mut out = format!("{header}\n\nBEGIN;\n\n");
    if checks.is_empty() {
        out.push_str("-- Nothing to verify: the change alters no object gen can check.\n");
        out.push_str("\nROLLBACK;\n");
        return out;
    }
    // Checks compare with definitions read under an empty search_path,
    // where the server qualifies every name.
    out.push_str("SET LOCAL search_path = '';\n\n");
    let body = checks.join("\n");
    let mut tag = "verify".to_owned();
    while body.contains(&format!("${tag}$")) {
        tag.push('_');
    }
    const FAIL: &str = "RAISE EXCEPTION USING MESSAGE = array_to_string(failed, '; ');";
    let verdict = match change {
        None => format!("    IF cardinality(failed) > 0 THEN\n        {FAIL}\n    END IF;"),
        Some((project, name)) => format!(
            "    IF cardinality(failed) > 0 THEN
        -- A change deployed after this one may have altered what it made:
        -- asked of every Sqitch registry, whatever its schema is called.
        FOR registry IN SELECT c.relnamespace::pg_catalog.regnamespace::text FROM pg_catalog.pg_class c WHERE c.relname = 'changes' AND EXISTS (SELECT FROM pg_catalog.pg_class r WHERE r.relnamespace = c.relnamespace AND r.relname = 'releases') LOOP
            EXECUTE format('SELECT EXISTS (SELECT FROM %1$s.changes later JOIN %1$s.changes this ON this.project = later.project AND later.committed_at > this.committed_at WHERE this.project = $1 AND this.change = $2)', registry)
                INTO later USING {}, {};
            EXIT WHEN later;
        END LOOP;
        IF later THEN
            RAISE NOTICE USING MESSAGE = 'changed since by a later change: ' || array_to_string(failed, '; ');
        ELSE
            {FAIL}
        END IF;
    END IF;",
            Literal(project),
            Literal(name)
        ),
    };
    let later = if change.is_some() {
        "    later boolean := false;\n    registry text;\n"
    } else {
        ""
    };
    write!(
        out,
        "DO ${tag}$\nDECLARE\n    failed text[] := '{{}}';\n{later}BEGIN\n{body}\n{verdict}\nEND\n${tag}$;\n"
    )
    .expect("writing to a String");
    out.push_str("\nROLLBACK;\n");
    out
}

/// A check: where `condition` holds, `message` joins the failures the
/// script reports at its end.
pub(crate) fn raise_if(condition: &str, message: &str) -> String {
    format!(
        "    IF {condition} THEN\n        failed := failed || {}::text;\n    END IF;",
        Literal(message)
    )
}

pub(crate) fn regclass(name: &impl ToString) -> String {
    format!("to_regclass({})", Literal(&name.to_string()))
}

/// A condition true when relation `name` exists with one of `relkinds`
/// (a list of SQL literals).
pub(crate) fn relation_of_kind(name: &QualifiedName, relkinds: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = {} AND relkind IN ({relkinds}))",
        regclass(name)
    )
}

/// A condition true when an object with this identity exists at all: each
/// kind's own, in its module.
fn exists_condition(id: &ObjectId) -> Option<String> {
    Some(match id {
        ObjectId::Schema { name } => change::schema::exists_condition(name),
        ObjectId::Extension { name } => change::extension::exists_condition(name),
        ObjectId::Publication { name } => change::publication::exists_condition(name),
        ObjectId::Cast { source, target } => change::cast::exists_condition(source, target),
        ObjectId::Rule { table, name } => change::rule::exists_condition(table, name),
        ObjectId::TextSearchConfiguration { name } => {
            change::text_search::exists_condition("pg_ts_config", "cfg", name)
        }
        ObjectId::TextSearchDictionary { name } => {
            change::text_search::exists_condition("pg_ts_dict", "dict", name)
        }
        ObjectId::TextSearchParser { name } => {
            change::text_search::exists_condition("pg_ts_parser", "prs", name)
        }
        ObjectId::TextSearchTemplate { name } => {
            change::text_search::exists_condition("pg_ts_template", "tmpl", name)
        }
        ObjectId::ForeignDataWrapper { name } => change::foreign::wrapper_exists(name),
        ObjectId::ForeignServer { name } => change::foreign::server_exists(name),
        ObjectId::UserMapping { server, user } => {
            change::foreign::user_mapping_exists(server, user)
        }
        ObjectId::ForeignTable { name } => change::foreign::table_exists(name),
        ObjectId::Operator { name, left, right } => {
            change::operator::exists_condition(name, left, right)
        }
        ObjectId::Statistics { name } => change::statistics::exists_condition(name),
        ObjectId::Language { name } => change::language::exists_condition(name),
        ObjectId::Conversion { name } => change::conversion::exists_condition(name),
        ObjectId::AccessMethod { name } => change::access_method::exists_condition(name),
        ObjectId::Subscription { name } => change::subscription::exists_condition(name),
        ObjectId::OperatorFamily { name, method } => {
            change::operator_class::exists_condition("pg_opfamily", "opf", name, method)
        }
        ObjectId::OperatorClass { name, method } => {
            change::operator_class::exists_condition("pg_opclass", "opc", name, method)
        }
        ObjectId::Table { name } => change::table::exists_condition(name),
        ObjectId::Sequence { name } => change::sequence::exists_condition(name),
        ObjectId::Index { name } => change::index::exists_condition(name),
        ObjectId::Column { table, column } => change::column::exists_condition(table, column),
        ObjectId::Constraint { table, constraint } => {
            change::constraint::exists_condition(table, constraint)
        }
        ObjectId::SequenceOwnership { .. } => return None,
        ObjectId::Function { .. }
        | ObjectId::Aggregate { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::EventTrigger { .. } => crate::routines::exists_condition(id),
        ObjectId::View { name } => change::view::exists_condition(name, false),
        ObjectId::MaterializedView { name } => change::view::exists_condition(name, true),
        ObjectId::Policy { table, name } => change::policy::exists_condition(table, name),
        ObjectId::DefaultPrivileges {
            role,
            schema,
            objects,
        } => crate::security::default_privileges_exist(role, schema.as_deref(), *objects),
        ObjectId::Inheritance { table, parent } => {
            change::inheritance::exists_condition(table, parent)
        }
        ObjectId::ReplicaIdentity { table } => change::table::replica_identity_exists(table),
        ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::Collation { .. }
        | ObjectId::TypeAttribute { .. } => crate::types::exists_condition(id.as_type_object()?),
    })
}

/// A check that raises unless the object exists with the shape `target`
/// gives it: each kind's own, in its module; kinds without a shape to
/// check are checked for existing.
fn present(id: &ObjectId, target: &Catalog) -> Option<String> {
    let missing = |what: &str| format!("{id} is missing or {what}");
    Some(match id {
        ObjectId::Column { table, column } => {
            change::column::present(table, column, target, missing)?
        }
        ObjectId::Constraint { table, constraint } => {
            change::constraint::present(table, constraint, target, &missing("of another kind"))?
        }
        ObjectId::Policy { table, name } => {
            let p = target.policies.get(&(table.clone(), name.clone()))?;
            crate::security::policy_present(id, p)
        }
        ObjectId::ReplicaIdentity { table } => {
            change::table::replica_identity_present(table, target, &missing("set otherwise"))?
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
            change::publication::present(p, target.major, &missing("publishes otherwise"))
        }
        ObjectId::Cast { source, target: to } => {
            let c = target.casts.get(&(source.clone(), to.clone()))?;
            raise_if(
                &change::cast::mismatch_condition(c),
                &missing("converts or applies otherwise"),
            )
        }
        ObjectId::Subscription { name } => {
            let s = target.subscriptions.get(name)?;
            raise_if(
                &change::subscription::mismatch_condition(s),
                &missing("subscribed to other publications"),
            )
        }
        ObjectId::AccessMethod { name } => {
            let a = target.access_methods.get(name)?;
            raise_if(
                &change::access_method::mismatch_condition(a),
                &missing("of another type or handler"),
            )
        }
        ObjectId::Conversion { name } => {
            let c = target.conversions.get(name)?;
            raise_if(
                &change::conversion::mismatch_condition(c),
                &missing("converts otherwise"),
            )
        }
        ObjectId::Language { name } => {
            let l = target.languages.get(name)?;
            raise_if(
                &change::language::mismatch_condition(l),
                &missing("differs in trust or handlers"),
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
        | ObjectId::TextSearchParser { .. }
        | ObjectId::TextSearchTemplate { .. }
        | ObjectId::OperatorFamily { .. }
        | ObjectId::OperatorClass { .. }
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
