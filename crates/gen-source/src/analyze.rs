//! What one statement defines, references and alters.
//!
//! References come from the generic walk ([`crate::walk`]); this module adds
//! what only the statement kind tells: the names it creates, and names
//! written as plain strings whose meaning depends on the statement (the
//! object of a `COMMENT ON`, the schemas of a `GRANT ON ALL TABLES IN
//! SCHEMA`, the table of a sequence's `OWNED BY`).

use pg_query::NodeEnum;
use pg_query::protobuf::{self, GrantTargetType, ObjectType, ReindexObjectType};

use crate::privilege::{self, RunAs};
use crate::walk::{self, Found, qualified};
use crate::{Name, NameKind};

/// What [`analyze`] learns about a statement.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    pub defines: Vec<Name>,
    pub references: Vec<Name>,
    pub alters: Vec<Name>,
    pub outside_transaction: bool,
    /// `BEGIN` or `COMMIT` (and their spellings).
    pub boundary: Option<Boundary>,
    /// Names the walk finds that this kind of statement knows are not
    /// references (the grammar reads `sfunc = f` in `CREATE AGGREGATE` as a
    /// type name).
    pub not_references: Vec<Name>,
    /// For `ALTER DEFAULT PRIVILEGES`: the schemas it applies to, empty
    /// for the whole database.
    pub default_privileges: Option<Vec<String>>,
    /// `(partition, parent)` for `CREATE TABLE … PARTITION OF` and
    /// `ALTER TABLE … ATTACH PARTITION`.
    pub partitions: Vec<(Name, Name)>,
    /// For `CREATE INDEX`: the table, and whether the index reaches the
    /// table's partitions (it is not `ON ONLY`).
    pub index_on: Option<(Name, bool)>,
    /// What the loader does with the statement.
    pub class: Class,
    /// Names a `DROP` removes: it runs where it is written, so it keeps its
    /// place among the statements that mention them.
    pub drops: Vec<Name>,
    /// Column names the statement mentions (see [`Found::columns`]).
    pub columns: Vec<String>,
    /// `(table, column)` for each column the statement makes: `CREATE
    /// TABLE`, `ALTER TABLE … ADD COLUMN`, a column rename.
    pub adds_columns: Vec<(Name, String)>,
    /// Functions a quoted `LANGUAGE sql` body calls: needed only when the
    /// function runs while loading, so they yield to every other order.
    pub body_references: Vec<Name>,
    /// Tablespaces the statement puts objects in (`TABLESPACE t`, `SET
    /// default_tablespace`), which the sandbox makes for it.
    pub tablespaces: Vec<String>,
    /// The statement uses an index access method other than btree or names
    /// an operator class, which an extension may bring (`btree_gist` for
    /// an exclusion constraint on `bigint`, `gin_trgm_ops`).
    pub uses_access_method: bool,
    /// The statement is a `CREATE ROLE` (`USER`, `GROUP`).
    pub creates_role: bool,
    /// Who runs it in a sealed sandbox.
    pub run_as: RunAs,
}

/// What a statement is to the loader.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) enum Class {
    /// Schema: loaded.
    #[default]
    Schema,
    /// A session setting (`SET`, `RESET`, `set_config(…, false)`): it
    /// applies to the statements after it in its file.
    Setting(Setting),
    /// Transaction control (`BEGIN`, `COMMIT`, `SAVEPOINT`): the loader
    /// runs statements in transactions of its own.
    Transaction,
    /// A statement about data, not schema (`INSERT`, `COPY`, `setval`…):
    /// not loaded, and named in a warning.
    Data,
    /// A statement a schema file cannot hold (`ROLLBACK`).
    Refused(&'static str),
}

/// Where a statement opens or closes a transaction block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    /// `BEGIN`, `START TRANSACTION`.
    Begin,
    /// `COMMIT`, `END`, `ROLLBACK`, `ABORT`; savepoints are no boundary.
    End,
}

/// A change to the session's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Setting {
    /// `SET name …` or `set_config('name', …)`: the statement's own text
    /// sets it again. `search_path` is the parsed path when `name` is
    /// `search_path`.
    Set {
        name: String,
        search_path: Option<Vec<String>>,
    },
    /// `RESET name` (`SET name TO DEFAULT`).
    Reset { name: String },
    /// `RESET ALL`.
    ResetAll,
}

/// Schemas whose objects come with every database; references into them
/// never order anything and only clutter the output.
const SYSTEM_SCHEMAS: [&str; 3] = ["pg_catalog", "information_schema", "pg_toast"];

pub(crate) fn analyze(node: &NodeEnum) -> Analysis {
    let run_as = privilege::run_as(node);
    let class = match run_as {
        RunAs::Refused(why) => Class::Refused(why),
        _ => classify(node),
    };
    let mut analysis = Analysis {
        class,
        run_as,
        boundary: boundary(node),
        tablespaces: tablespaces(node),
        ..Analysis::default()
    };
    if analysis.class != Class::Schema {
        return analysis;
    }
    let mut found = Found::default();
    walk::walk(node, &mut found);
    statement_specific(node, &mut analysis);
    keys(node, &mut analysis);

    // A CTE shadows a relation of the same name inside its query; an
    // unqualified reference to it is not a reference to a relation.
    let shadowed = |name: &Name| {
        name.kind == NameKind::Relation && name.schema.is_none() && found.ctes.contains(&name.name)
    };
    let names: Vec<Name> = found
        .names
        .iter()
        .filter(|name| !shadowed(name) && !analysis.not_references.contains(name))
        .cloned()
        .collect();
    analysis.references.extend(names);
    analysis.references.extend(analysis.alters.iter().cloned());

    // A qualified name needs its schema.
    let schemas: Vec<Name> = analysis
        .defines
        .iter()
        .chain(&analysis.references)
        .filter_map(|name| name.schema.as_deref())
        .map(|schema| Name::global(NameKind::Schema, schema))
        .collect();
    analysis.references.extend(schemas);

    // `ALTER TABLE IF EXISTS …` (pg_dump's `--clean --if-exists` writes
    // `ALTER TABLE IF EXISTS ONLY t DROP CONSTRAINT IF EXISTS c`) runs
    // whether or not its table exists: like a drop, it keeps its place.
    if let NodeEnum::AlterTableStmt(s) = node
        && s.missing_ok
    {
        analysis.drops.append(&mut analysis.alters);
        analysis.references.clear();
    }
    let missing_ok_alter = matches!(node, NodeEnum::AlterTableStmt(s) if s.missing_ok);
    if missing_ok_alter || matches!(node, NodeEnum::DropStmt(_) | NodeEnum::DropRoleStmt(_)) {
        // A drop needs nothing: it runs where it is written, and keeps its
        // place among the statements mentioning what it drops, or their
        // schemas, through `drops`.
        let schemas: Vec<Name> = analysis
            .drops
            .iter()
            .filter_map(|name| name.schema.as_deref())
            .map(|schema| Name::global(NameKind::Schema, schema))
            .collect();
        analysis.drops.extend(schemas);
        analysis.references.clear();
    }
    tidy(&mut analysis.defines);
    tidy(&mut analysis.alters);
    tidy(&mut analysis.references);
    tidy(&mut analysis.drops);
    tidy(&mut analysis.body_references);
    let defines = &analysis.defines;
    analysis
        .body_references
        .retain(|name| !defines.iter().any(|defined| same_object(defined, name)));
    analysis.columns = found.columns;
    analysis.columns.sort();
    analysis.columns.dedup();
    let defines = &analysis.defines;
    analysis
        .references
        .retain(|name| !defines.iter().any(|defined| same_object(defined, name)));
    analysis
}

/// Sorted, without duplicates, without system objects.
fn tidy(names: &mut Vec<Name>) {
    names.retain(|name| {
        let schema = match name.kind {
            NameKind::Schema => Some(name.name.as_str()),
            _ => name.schema.as_deref(),
        };
        !schema.is_some_and(|s| SYSTEM_SCHEMAS.contains(&s))
    });
    names.sort();
    names.dedup();
}

/// Whether two names may denote the same object: a statement referencing
/// what it defines itself (a self-referencing foreign key, the table named
/// by `CREATE TABLE`) is not a dependency.
fn same_object(a: &Name, b: &Name) -> bool {
    let namespace = |kind| match kind {
        NameKind::Type => NameKind::Relation,
        kind => kind,
    };
    namespace(a.kind) == namespace(b.kind)
        && a.name == b.name
        && (a.schema == b.schema || a.schema.is_none() || b.schema.is_none())
}

fn statement_specific(node: &NodeEnum, out: &mut Analysis) {
    match node {
        NodeEnum::CreateSchemaStmt(s) => {
            let name = match (&s.schemaname, &s.authrole) {
                (name, _) if !name.is_empty() => name.clone(),
                (_, Some(role)) => role.rolename.clone(),
                _ => String::new(),
            };
            if !name.is_empty() {
                // Elements of `CREATE SCHEMA s CREATE TABLE t …` land in s.
                for element in s.schema_elts.iter().filter_map(|n| n.node.as_ref()) {
                    let inner = analyze(element);
                    out.defines
                        .extend(inner.defines.into_iter().map(|mut defined| {
                            if defined.kind.is_schema_qualified() && defined.schema.is_none() {
                                defined.schema = Some(name.clone());
                            }
                            defined
                        }));
                    out.outside_transaction |= inner.outside_transaction;
                }
                out.defines.push(Name::global(NameKind::Schema, name));
            }
        }
        NodeEnum::CreateExtensionStmt(s) => {
            out.defines
                .push(Name::global(NameKind::Extension, &s.extname));
            for (name, arg) in def_elems(&s.options) {
                if name == "schema"
                    && let Some(schema) = arg.and_then(string_value)
                {
                    out.references.push(Name::global(NameKind::Schema, schema));
                }
            }
        }
        NodeEnum::CreateStmt(s) => {
            out.defines.extend(s.relation.as_ref().map(relation));
            out.references.extend(access_method(&s.access_method));
            if s.partbound.is_some()
                && let Some(table) = &s.relation
            {
                for parent in s.inh_relations.iter().filter_map(|n| match &n.node {
                    Some(NodeEnum::RangeVar(r)) => Some(relation(r)),
                    _ => None,
                }) {
                    out.partitions.push((relation(table), parent));
                }
            }
        }
        NodeEnum::CreateForeignTableStmt(s) => {
            out.defines.extend(
                s.base_stmt
                    .as_ref()
                    .and_then(|b| b.relation.as_ref())
                    .map(relation),
            );
            out.references
                .push(Name::global(NameKind::ForeignServer, &s.servername));
        }
        NodeEnum::CreateStatsStmt(s) => out
            .defines
            .extend(qualified(NameKind::Statistics, &strings(&s.defnames))),
        NodeEnum::AlterStatsStmt(s) => out
            .alters
            .extend(qualified(NameKind::Statistics, &strings(&s.defnames))),
        NodeEnum::CreateFdwStmt(s) => {
            out.defines
                .push(Name::global(NameKind::ForeignDataWrapper, &s.fdwname));
            for (_, arg) in def_elems(&s.func_options) {
                if let Some(arg) = arg {
                    out.references
                        .extend(qualified(NameKind::Function, &name_parts(arg)));
                }
            }
        }
        NodeEnum::AlterFdwStmt(s) => {
            out.alters
                .push(Name::global(NameKind::ForeignDataWrapper, &s.fdwname));
            for (_, arg) in def_elems(&s.func_options) {
                if let Some(arg) = arg {
                    out.references
                        .extend(qualified(NameKind::Function, &name_parts(arg)));
                }
            }
        }
        // With `connect = false` (the only way the sandbox runs one) and
        // without a slot, neither needs to run outside a transaction.
        NodeEnum::CreateOpFamilyStmt(s) => out.defines.extend(qualified(
            NameKind::OperatorFamily,
            &strings(&s.opfamilyname),
        )),
        NodeEnum::AlterOpFamilyStmt(s) => {
            out.alters.extend(qualified(
                NameKind::OperatorFamily,
                &strings(&s.opfamilyname),
            ));
            operator_class_items(&s.items, out);
        }
        NodeEnum::CreateOpClassStmt(s) => {
            operator_class_items(&s.items, out);
            let class = strings(&s.opclassname);
            out.defines
                .extend(qualified(NameKind::OperatorClass, &class));
            if s.opfamilyname.is_empty() {
                // Without FAMILY, a class makes a family of its own name.
                out.defines
                    .extend(qualified(NameKind::OperatorFamily, &class));
            } else {
                out.references.extend(qualified(
                    NameKind::OperatorFamily,
                    &strings(&s.opfamilyname),
                ));
            }
        }
        NodeEnum::CreateSubscriptionStmt(s) => {
            out.defines
                .push(Name::global(NameKind::Subscription, &s.subname));
        }
        NodeEnum::AlterSubscriptionStmt(s) => {
            out.alters
                .push(Name::global(NameKind::Subscription, &s.subname));
        }
        NodeEnum::DropSubscriptionStmt(s) => {
            out.drops
                .push(Name::global(NameKind::Subscription, &s.subname));
        }
        NodeEnum::CreateAmStmt(s) => {
            out.defines
                .push(Name::global(NameKind::AccessMethod, &s.amname));
            out.references
                .extend(qualified(NameKind::Function, &strings(&s.handler_name)));
        }
        NodeEnum::CreateConversionStmt(s) => {
            out.defines.extend(qualified(
                NameKind::Conversion,
                &strings(&s.conversion_name),
            ));
            out.references
                .extend(qualified(NameKind::Function, &strings(&s.func_name)));
        }
        NodeEnum::CreatePlangStmt(s) => {
            out.defines
                .push(Name::global(NameKind::Language, &s.plname));
            for handler in [&s.plhandler, &s.plinline, &s.plvalidator] {
                out.references
                    .extend(qualified(NameKind::Function, &strings(handler)));
            }
        }
        NodeEnum::CreateForeignServerStmt(s) => {
            out.defines
                .push(Name::global(NameKind::ForeignServer, &s.servername));
            out.references
                .push(Name::global(NameKind::ForeignDataWrapper, &s.fdwname));
        }
        NodeEnum::AlterForeignServerStmt(s) => out
            .alters
            .push(Name::global(NameKind::ForeignServer, &s.servername)),
        NodeEnum::CreateUserMappingStmt(s) => out
            .references
            .push(Name::global(NameKind::ForeignServer, &s.servername)),
        NodeEnum::AlterUserMappingStmt(s) => out
            .references
            .push(Name::global(NameKind::ForeignServer, &s.servername)),
        NodeEnum::ViewStmt(s) => out.defines.extend(s.view.as_ref().map(relation)),
        NodeEnum::CreateTableAsStmt(s) => {
            out.defines.extend(
                s.into
                    .as_ref()
                    .and_then(|into| into.rel.as_ref())
                    .map(relation),
            );
            out.references.extend(
                s.into
                    .as_ref()
                    .and_then(|into| access_method(&into.access_method)),
            );
        }
        NodeEnum::CreateSeqStmt(s) => {
            out.defines.extend(s.sequence.as_ref().map(relation));
            out.references.extend(owned_by(&s.options));
        }
        NodeEnum::AlterSeqStmt(s) => {
            out.alters.extend(s.sequence.as_ref().map(relation));
            out.references.extend(owned_by(&s.options));
        }
        NodeEnum::IndexStmt(s) => {
            out.references.extend(access_method(&s.access_method));
            for param in &s.index_params {
                if let Some(NodeEnum::IndexElem(e)) = &param.node {
                    out.references
                        .extend(qualified(NameKind::OperatorClass, &strings(&e.opclass)));
                }
            }
            if !s.idxname.is_empty() {
                let schema = s.relation.as_ref().map(|r| r.schemaname.as_str());
                out.defines
                    .push(Name::qualified(NameKind::Relation, schema, &s.idxname));
            }
            out.outside_transaction = s.concurrent;
            out.index_on = s.relation.as_ref().map(|r| (relation(r), r.inh));
        }
        NodeEnum::AlterTableStmt(s) => {
            let kind = if s.objtype == ObjectType::ObjectType as i32 {
                NameKind::Type
            } else {
                NameKind::Relation
            };
            if let Some(r) = &s.relation {
                out.alters
                    .push(Name::qualified(kind, Some(&r.schemaname), &r.relname));
                // `REPLICA IDENTITY USING INDEX i` needs the index, which
                // lives in the table's schema.
                for cmd in &s.cmds {
                    if let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node
                        && let Some(NodeEnum::ReplicaIdentityStmt(ri)) =
                            cmd.def.as_ref().and_then(|d| d.node.as_ref())
                        && !ri.name.is_empty()
                    {
                        out.references.push(Name::qualified(
                            NameKind::Relation,
                            Some(&r.schemaname),
                            &ri.name,
                        ));
                    }
                }
                if kind == NameKind::Relation && s.objtype != ObjectType::ObjectIndex as i32 {
                    for cmd in &s.cmds {
                        if let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node
                            && cmd.subtype == protobuf::AlterTableType::AtAttachPartition as i32
                            && let Some(NodeEnum::PartitionCmd(p)) =
                                cmd.def.as_ref().and_then(|d| d.node.as_ref())
                            && let Some(partition) = &p.name
                        {
                            out.partitions.push((relation(partition), relation(r)));
                        }
                    }
                }
                // `ENABLE/DISABLE [REPLICA | ALWAYS] TRIGGER name` needs the trigger.
                for cmd in &s.cmds {
                    if let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node
                        && !cmd.name.is_empty()
                    {
                        if is_trigger_state(cmd.subtype) {
                            out.references.push(trigger_name(r, &cmd.name));
                        } else if is_rule_state(cmd.subtype) {
                            out.references.push(part_name(NameKind::Rule, r, &cmd.name));
                        }
                    }
                }
            }
            out.outside_transaction = s.cmds.iter().any(|cmd| match &cmd.node {
                Some(NodeEnum::AlterTableCmd(cmd)) => matches!(
                    cmd.def.as_ref().and_then(|d| d.node.as_ref()),
                    Some(NodeEnum::PartitionCmd(p)) if p.concurrent
                ),
                _ => false,
            });
        }
        NodeEnum::CreateFunctionStmt(s) => {
            out.defines.extend(
                qualified(NameKind::Function, &strings(&s.funcname))
                    .map(|name| name.with_signature(parameter_signature(&s.parameters))),
            );
            out.references.extend(language(&s.options));
            out.body_references = sql_body_functions(&s.options);
        }
        NodeEnum::DefineStmt(s) => define_stmt(s, out),
        NodeEnum::CompositeTypeStmt(s) => {
            if let Some(r) = &s.typevar {
                out.defines.push(Name::qualified(
                    NameKind::Type,
                    Some(&r.schemaname),
                    &r.relname,
                ));
            }
        }
        NodeEnum::CreateEnumStmt(s) => out
            .defines
            .extend(qualified(NameKind::Type, &strings(&s.type_name))),
        NodeEnum::CreateRangeStmt(s) => {
            let range = qualified(NameKind::Type, &strings(&s.type_name));
            out.defines.extend(multirange(s, range.as_ref()));
            out.defines.extend(range);
        }
        NodeEnum::CreateDomainStmt(s) => out
            .defines
            .extend(qualified(NameKind::Type, &strings(&s.domainname))),
        NodeEnum::AlterEnumStmt(s) => out
            .alters
            .extend(qualified(NameKind::Type, &strings(&s.type_name))),
        NodeEnum::AlterDomainStmt(s) => out
            .alters
            .extend(qualified(NameKind::Type, &strings(&s.type_name))),
        NodeEnum::CreateTrigStmt(s) => {
            out.references
                .extend(qualified(NameKind::Function, &strings(&s.funcname)));
            if let Some(r) = &s.relation {
                out.defines.push(trigger_name(r, &s.trigname));
            }
        }
        NodeEnum::CreatePolicyStmt(s) => {
            if let Some(table) = &s.table {
                out.defines
                    .push(part_name(NameKind::Policy, table, &s.policy_name));
            }
        }
        NodeEnum::AlterPolicyStmt(s) => {
            if let Some(table) = &s.table {
                out.references
                    .push(part_name(NameKind::Policy, table, &s.policy_name));
            }
        }
        NodeEnum::RuleStmt(s) => {
            if let Some(table) = &s.relation {
                out.defines
                    .push(part_name(NameKind::Rule, table, &s.rulename));
            }
        }
        NodeEnum::CreateCastStmt(s) => {
            out.defines
                .extend(cast_name(s.sourcetype.as_ref(), s.targettype.as_ref()));
        }
        NodeEnum::AlterTsconfigurationStmt(s) => {
            out.alters.extend(qualified(
                NameKind::TextSearchConfiguration,
                &strings(&s.cfgname),
            ));
            for dictionary in &s.dicts {
                if let Some(node) = &dictionary.node {
                    out.references.extend(qualified(
                        NameKind::TextSearchDictionary,
                        &list_strings(node),
                    ));
                }
            }
        }
        NodeEnum::CreateEventTrigStmt(s) => {
            out.references
                .extend(qualified(NameKind::Function, &strings(&s.funcname)));
            out.defines
                .push(Name::global(NameKind::EventTrigger, &s.trigname));
        }
        NodeEnum::AlterEventTrigStmt(s) => out
            .alters
            .push(Name::global(NameKind::EventTrigger, &s.trigname)),
        NodeEnum::CreatePublicationStmt(s) => {
            out.defines
                .push(Name::global(NameKind::Publication, &s.pubname));
            out.references.extend(publication_schemas(&s.pubobjects));
        }
        NodeEnum::AlterPublicationStmt(s) => {
            out.alters
                .push(Name::global(NameKind::Publication, &s.pubname));
            out.references.extend(publication_schemas(&s.pubobjects));
        }
        NodeEnum::CommentStmt(s) => {
            if let Some(object) = &s.object {
                out.references.extend(object_names(s.objtype, object));
            }
        }
        NodeEnum::AlterOwnerStmt(s) => {
            if let Some(object) = &s.object {
                out.references.extend(object_names(s.object_type, object));
            }
        }
        NodeEnum::GrantStmt(s) => grant(s, out),
        NodeEnum::GrantRoleStmt(s) => {
            for granted in &s.granted_roles {
                if let Some(NodeEnum::AccessPriv(p)) = &granted.node {
                    out.references
                        .push(Name::global(NameKind::Role, &p.priv_name));
                }
            }
        }
        NodeEnum::AlterDefaultPrivilegesStmt(s) => {
            let mut schemas = Vec::new();
            for (name, arg) in def_elems(&s.options) {
                if name == "schemas" {
                    schemas.extend(arg.map(list_strings).unwrap_or_default());
                }
            }
            out.references.extend(
                schemas
                    .iter()
                    .map(|schema| Name::global(NameKind::Schema, schema)),
            );
            out.default_privileges = Some(schemas);
            if let Some(action) = &s.action {
                grant(action, out);
            }
        }
        NodeEnum::CreateRoleStmt(s) => {
            out.creates_role = true;
            out.defines.push(Name::global(NameKind::Role, &s.role));
        }
        NodeEnum::DoStmt(s) => {
            out.references.extend(language(&s.args));
            // `DO $$ BEGIN IF NOT EXISTS (…) THEN CREATE ROLE r; END IF; END $$`:
            // how schema files (and gen's own scripts) create a role that
            // may exist already.
            let body = def_elems(&s.args)
                .find(|(name, _)| *name == "as")
                .and_then(|(_, arg)| arg.and_then(string_value));
            if let Some(body) = body {
                out.defines.extend(
                    do_block_roles(body)
                        .into_iter()
                        .map(|role| Name::global(NameKind::Role, role)),
                );
            }
        }
        NodeEnum::VacuumStmt(_)
        | NodeEnum::CreatedbStmt(_)
        | NodeEnum::DropdbStmt(_)
        | NodeEnum::AlterSystemStmt(_)
        | NodeEnum::CreateTableSpaceStmt(_)
        | NodeEnum::DropTableSpaceStmt(_) => out.outside_transaction = true,
        NodeEnum::ReindexStmt(s) => {
            let whole = s.kind == ReindexObjectType::ReindexObjectSystem as i32
                || s.kind == ReindexObjectType::ReindexObjectDatabase as i32;
            let concurrently = def_elems(&s.params).any(|(name, _)| name == "concurrently");
            out.outside_transaction = whole || concurrently;
        }
        NodeEnum::DropStmt(s) => {
            out.outside_transaction = s.concurrent;
            for object in &s.objects {
                out.drops.extend(object_names(s.remove_type, object));
            }
        }
        NodeEnum::DropRoleStmt(s) => {
            for role in &s.roles {
                if let Some(NodeEnum::RoleSpec(r)) = &role.node {
                    out.drops.push(Name::global(NameKind::Role, &r.rolename));
                }
            }
        }
        NodeEnum::RenameStmt(s) => rename(s, out),
        NodeEnum::AlterObjectSchemaStmt(s) => set_schema(s, out),
        _ => {}
    }
}

/// The functions a quoted `LANGUAGE sql` body calls. The server does not
/// record them (`pg_depend` knows only SQL-standard bodies), and with
/// `check_function_bodies` off it does not need them to create the
/// function; but whatever calls the function while loading (an index
/// expression, a materialized view, a `SELECT`) needs them to exist.
fn sql_body_functions(options: &[protobuf::Node]) -> Vec<Name> {
    let mut language = None;
    let mut body = None;
    for (name, arg) in def_elems(options) {
        match name {
            "language" => language = arg.and_then(string_value).map(str::to_ascii_lowercase),
            "as" => {
                body = arg
                    .map(list_strings)
                    .and_then(|parts| parts.into_iter().next())
            }
            _ => {}
        }
    }
    let (Some("sql"), Some(body)) = (language.as_deref(), body) else {
        return Vec::new();
    };
    // A body that does not parse is the server's to report, when it runs.
    let Ok(parsed) = crate::keywords::parse(&body) else {
        return Vec::new();
    };
    let mut found = Found::default();
    for stmt in parsed.protobuf.stmts.iter().filter_map(|s| s.stmt.as_ref()) {
        walk::walk(stmt, &mut found);
    }
    found
        .names
        .into_iter()
        .filter(|name| name.kind == NameKind::Function)
        .collect()
}

/// The roles a PL/pgSQL block creates with a plain `CREATE ROLE` among
/// its statements (not through `EXECUTE`).
pub(crate) fn do_block_roles(body: &str) -> Vec<String> {
    let wrapped =
        format!("CREATE FUNCTION gen_do() RETURNS void LANGUAGE plpgsql AS $gen_do${body}$gen_do$");
    let Ok(tree) = pg_query::parse_plpgsql(&wrapped) else {
        return Vec::new();
    };
    let mut queries = Vec::new();
    collect_queries(&tree, &mut queries);
    queries
        .iter()
        .filter_map(|q| crate::keywords::parse(q).ok())
        .flat_map(|parsed| parsed.protobuf.stmts)
        .filter_map(|raw| match raw.stmt.and_then(|s| s.node) {
            Some(NodeEnum::CreateRoleStmt(r)) => Some(r.role),
            _ => None,
        })
        .collect()
}

/// A `DO` block's text with each plain role statement among its PL/pgSQL
/// statements (`GRANT role TO role`, `CREATE ROLE`…) made `NULL`, padded
/// with spaces to its length so that positions in the text hold. `None`
/// for any other statement, or a block without one.
pub(crate) fn without_role_statements(sql: &str) -> Option<String> {
    let parsed = pg_query::parse(sql, 0).ok()?;
    let Some(NodeEnum::DoStmt(s)) = parsed
        .protobuf
        .stmts
        .first()
        .and_then(|raw| raw.stmt.as_ref())
        .and_then(|stmt| stmt.node.as_ref())
    else {
        return None;
    };
    let body = def_elems(&s.args)
        .find(|(name, _)| *name == "as")
        .and_then(|(_, arg)| arg.and_then(string_value))?;
    let language = def_elems(&s.args)
        .find(|(name, _)| *name == "language")
        .and_then(|(_, arg)| arg.and_then(string_value));
    if language.is_some_and(|l| !l.eq_ignore_ascii_case("plpgsql")) {
        return None;
    }
    // The body as written: only a dollar-quoted one is there verbatim.
    let body_at = sql.find(body)?;
    let wrapped =
        format!("CREATE FUNCTION gen_do() RETURNS void LANGUAGE plpgsql AS $gen_do${body}$gen_do$");
    let tree = pg_query::parse_plpgsql(&wrapped).ok()?;
    let mut queries = Vec::new();
    collect_queries(&tree, &mut queries);
    let mut out = sql.to_owned();
    let mut from = body_at;
    let mut changed = false;
    for query in queries {
        let is_role_statement = pg_query::parse(&query, 0).is_ok_and(|q| {
            q.protobuf.stmts.iter().any(|raw| {
                raw.stmt
                    .as_ref()
                    .and_then(|stmt| stmt.node.as_ref())
                    .is_some_and(|node| privilege::run_as(node) == RunAs::Skipped)
            })
        });
        let Some(at) = out[from..].find(&query).map(|at| from + at) else {
            continue;
        };
        from = at + query.len();
        if !is_role_statement {
            continue;
        }
        let blank: String = query
            .chars()
            .enumerate()
            .map(|(i, c)| match (i, c) {
                (_, '\n') => '\n',
                (0..4, _) => "NULL".chars().nth(i).unwrap_or(' '),
                _ => ' ',
            })
            .collect();
        out.replace_range(at..from, &blank);
        changed = true;
    }
    changed.then_some(out)
}

/// The SQL of every plain statement in a PL/pgSQL parse tree.
fn collect_queries(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(query) = map
                .get("PLpgSQL_stmt_execsql")
                .and_then(|s| s.get("sqlstmt"))
                .and_then(|s| s.get("PLpgSQL_expr"))
                .and_then(|e| e.get("query"))
                .and_then(serde_json::Value::as_str)
            {
                out.push(query.to_owned());
            }
            for v in map.values() {
                collect_queries(v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                collect_queries(v, out);
            }
        }
        _ => {}
    }
}

fn boundary(node: &NodeEnum) -> Option<Boundary> {
    use protobuf::TransactionStmtKind as T;
    let NodeEnum::TransactionStmt(s) = node else {
        return None;
    };
    match T::try_from(s.kind).ok()? {
        T::TransStmtBegin | T::TransStmtStart => Some(Boundary::Begin),
        T::TransStmtCommit | T::TransStmtRollback => Some(Boundary::End),
        T::TransStmtSavepoint
        | T::TransStmtRelease
        | T::TransStmtRollbackTo
        | T::TransStmtPrepare
        | T::TransStmtCommitPrepared
        | T::TransStmtRollbackPrepared
        | T::Undefined => None,
    }
}

/// What the loader does with a statement.
fn classify(node: &NodeEnum) -> Class {
    use protobuf::TransactionStmtKind as T;
    use protobuf::VariableSetKind as V;
    match node {
        NodeEnum::VariableSetStmt(s) => {
            let name = s.name.to_ascii_lowercase();
            match V::try_from(s.kind) {
                Ok(V::VarSetValue | V::VarSetCurrent) => Class::Setting(Setting::Set {
                    search_path: (name == "search_path").then(|| {
                        s.args
                            .iter()
                            .filter_map(|a| match &a.node {
                                Some(NodeEnum::AConst(c)) => match &c.val {
                                    Some(protobuf::a_const::Val::Sval(v)) => Some(v.sval.clone()),
                                    _ => None,
                                },
                                _ => None,
                            })
                            .filter(|schema| !schema.is_empty())
                            .collect()
                    }),
                    name,
                }),
                Ok(V::VarSetDefault | V::VarReset) => Class::Setting(Setting::Reset { name }),
                Ok(V::VarResetAll) => Class::Setting(Setting::ResetAll),
                // `SET TRANSACTION …`, `SET SESSION CHARACTERISTICS …`.
                _ => Class::Transaction,
            }
        }
        NodeEnum::SelectStmt(s) => select_class(s),
        NodeEnum::TransactionStmt(s) => match T::try_from(s.kind) {
            Ok(T::TransStmtRollback | T::TransStmtRollbackTo) => {
                Class::Refused("a schema file cannot roll back what it created")
            }
            Ok(T::TransStmtPrepare | T::TransStmtCommitPrepared | T::TransStmtRollbackPrepared) => {
                Class::Refused("two-phase commit has no place in a schema file")
            }
            _ => Class::Transaction,
        },
        NodeEnum::InsertStmt(_)
        | NodeEnum::UpdateStmt(_)
        | NodeEnum::DeleteStmt(_)
        | NodeEnum::MergeStmt(_)
        | NodeEnum::CopyStmt(_)
        | NodeEnum::TruncateStmt(_) => Class::Data,
        _ => Class::Schema,
    }
}

/// `SELECT pg_catalog.set_config('search_path', '', false)` is pg_dump's
/// way of setting the search path; `SELECT pg_catalog.setval(…)` sets a
/// sequence's value, which is data. Any other `SELECT` is loaded as
/// written (it may call a function that creates objects).
fn select_class(s: &protobuf::SelectStmt) -> Class {
    if !s.from_clause.is_empty() || s.target_list.len() != 1 {
        return Class::Schema;
    }
    let Some(NodeEnum::ResTarget(target)) = s.target_list[0].node.as_ref() else {
        return Class::Schema;
    };
    let Some(NodeEnum::FuncCall(call)) = target.val.as_ref().and_then(|v| v.node.as_ref()) else {
        return Class::Schema;
    };
    let name = strings(&call.funcname);
    match name.last().map(String::as_str) {
        Some("setval") => Class::Data,
        Some("set_config") if call.args.len() == 3 => {
            let constant = |i: usize| match call.args[i].node.as_ref() {
                Some(NodeEnum::AConst(c)) => match &c.val {
                    Some(protobuf::a_const::Val::Sval(v)) => Some(v.sval.clone()),
                    Some(protobuf::a_const::Val::Boolval(b)) => Some(b.boolval.to_string()),
                    _ => None,
                },
                _ => None,
            };
            // `set_config(…, true)` is local to a transaction, which a
            // loaded file does not have: like `SET LOCAL` outside one, it
            // sets nothing for later statements, but it runs as written.
            match (constant(0), constant(1), constant(2).as_deref()) {
                (Some(setting), Some(value), Some("false")) => {
                    let name = setting.to_ascii_lowercase();
                    Class::Setting(Setting::Set {
                        search_path: (name == "search_path").then(|| parse_search_path(&value)),
                        name,
                    })
                }
                _ => Class::Schema,
            }
        }
        _ => Class::Schema,
    }
}

/// The schemas of a `search_path` value written as one string
/// (`'"$user", public'`), with identifier folding and quoting.
pub(crate) fn parse_search_path(value: &str) -> Vec<String> {
    walk::identifiers(value, ',')
        .into_iter()
        .filter(|schema| !schema.is_empty())
        .collect()
}

/// Keys a foreign key can reference, the keys foreign keys need, and the
/// columns `ALTER TABLE … ADD COLUMN` defines.
fn keys(node: &NodeEnum, out: &mut Analysis) {
    match node {
        NodeEnum::CreateStmt(s) => {
            let Some(table) = &s.relation else { return };
            for element in s.table_elts.iter().filter_map(|e| e.node.as_ref()) {
                match element {
                    NodeEnum::ColumnDef(column) => {
                        out.adds_columns
                            .push((relation(table), column.colname.clone()));
                        out.defines.extend(implicit_sequence(table, column));
                        column_constraints(table, column, out);
                    }
                    NodeEnum::Constraint(c) => constraint(table, c, &[], out),
                    _ => {}
                }
            }
        }
        NodeEnum::AlterTableStmt(s) => {
            let Some(table) = &s.relation else { return };
            for cmd in &s.cmds {
                let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
                    continue;
                };
                use protobuf::AlterTableType as T;
                if cmd.subtype == T::AtValidateConstraint as i32 && !cmd.name.is_empty() {
                    out.references
                        .push(part_name(NameKind::Constraint, table, &cmd.name));
                }
                if cmd.subtype == T::AtDropConstraint as i32 && !cmd.name.is_empty() {
                    out.drops
                        .push(part_name(NameKind::Constraint, table, &cmd.name));
                }
                if cmd.subtype == T::AtAlterConstraint as i32
                    && let Some(NodeEnum::Constraint(c)) =
                        cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    out.references
                        .push(part_name(NameKind::Constraint, table, &c.conname));
                    continue;
                }
                match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::ColumnDef(column)) => {
                        if cmd.subtype == protobuf::AlterTableType::AtAddColumn as i32 {
                            out.adds_columns
                                .push((relation(table), column.colname.clone()));
                            out.defines.extend(implicit_sequence(table, column));
                        }
                        column_constraints(table, column, out);
                    }
                    Some(NodeEnum::Constraint(c)) => constraint(table, c, &[], out),
                    _ => {}
                }
            }
        }
        NodeEnum::IndexStmt(s) => {
            out.uses_access_method |= !matches!(s.access_method.as_str(), "" | "btree")
                || s.index_params.iter().any(
                    |p| matches!(&p.node, Some(NodeEnum::IndexElem(e)) if !e.opclass.is_empty()),
                );
            let Some(table) = &s.relation else { return };
            let columns: Option<Vec<String>> = s
                .index_params
                .iter()
                .map(|p| match &p.node {
                    Some(NodeEnum::IndexElem(e)) if !e.name.is_empty() => Some(e.name.clone()),
                    _ => None,
                })
                .collect();
            if s.unique
                && s.where_clause.is_none()
                && let Some(columns) = columns
            {
                out.defines.push(key_name(table, columns));
                if s.primary {
                    out.defines.push(key_name(table, Vec::new()));
                }
            }
        }
        _ => {}
    }
}

/// The sequence a `serial` or identity column makes, under the name the
/// server gives it (`table_column_seq`; longer names are shortened, and
/// then not found here).
fn implicit_sequence(table: &protobuf::RangeVar, column: &protobuf::ColumnDef) -> Option<Name> {
    let serial = column.type_name.as_ref().is_some_and(|t| {
        let names = strings(&t.names);
        names.len() == 1
            && matches!(
                names[0].as_str(),
                "serial" | "serial2" | "serial4" | "serial8" | "smallserial" | "bigserial"
            )
    });
    let identity = column.constraints.iter().any(|c| {
        matches!(&c.node, Some(NodeEnum::Constraint(c))
            if c.contype == protobuf::ConstrType::ConstrIdentity as i32)
    });
    (serial || identity).then(|| {
        Name::qualified(
            NameKind::Relation,
            Some(&table.schemaname),
            format!("{}_{}_seq", table.relname, column.colname),
        )
    })
}

fn column_constraints(
    table: &protobuf::RangeVar,
    column: &protobuf::ColumnDef,
    out: &mut Analysis,
) {
    for c in column.constraints.iter().filter_map(|c| match &c.node {
        Some(NodeEnum::Constraint(c)) => Some(c),
        _ => None,
    }) {
        constraint(table, c, std::slice::from_ref(&column.colname), out);
    }
}

/// A primary key or unique constraint defines a key; a foreign key needs
/// one. `column` is the column a column constraint is written on.
fn constraint(
    table: &protobuf::RangeVar,
    c: &protobuf::Constraint,
    column: &[String],
    out: &mut Analysis,
) {
    use protobuf::ConstrType as C;
    let columns = |nodes: &[protobuf::Node]| {
        let written = strings(nodes);
        if written.is_empty() {
            column.to_vec()
        } else {
            written
        }
    };
    let contype = C::try_from(c.contype);
    // A temporal key (`WITHOUT OVERLAPS`, PostgreSQL 18) is a GiST index
    // too, and a foreign key to one (`PERIOD`) uses its operators.
    if contype == Ok(C::ConstrExclusion) || c.without_overlaps || c.fk_with_period {
        out.uses_access_method = true;
    }
    if !c.conname.is_empty() {
        out.defines
            .push(part_name(NameKind::Constraint, table, &c.conname));
    }
    if matches!(
        contype,
        Ok(C::ConstrPrimary | C::ConstrUnique | C::ConstrExclusion)
    ) && c.indexname.is_empty()
    {
        // The index the constraint makes, under the constraint's name or
        // the server's default for it.
        let name = if c.conname.is_empty() {
            let keys = columns(&c.keys);
            match contype {
                Ok(C::ConstrPrimary) => format!("{}_pkey", table.relname),
                Ok(C::ConstrUnique) => format!("{}_{}_key", table.relname, keys.join("_")),
                _ => format!("{}_{}_excl", table.relname, keys.join("_")),
            }
        } else {
            c.conname.clone()
        };
        out.defines.push(Name::qualified(
            NameKind::Relation,
            Some(&table.schemaname),
            name,
        ));
    }
    match contype {
        Ok(C::ConstrPrimary) => {
            out.defines.push(key_name(table, columns(&c.keys)));
            out.defines.push(key_name(table, Vec::new()));
        }
        Ok(C::ConstrUnique) if c.where_clause.is_none() => {
            out.defines.push(key_name(table, columns(&c.keys)));
        }
        Ok(C::ConstrForeign) => {
            if let Some(referenced) = &c.pktable {
                out.references
                    .push(key_name(referenced, strings(&c.pk_attrs)));
            }
        }
        _ => {}
    }
}

/// `table(a,b)` in the table's schema, columns sorted: a foreign key
/// matches a unique key on the same set of columns, in any order.
fn key_name(table: &protobuf::RangeVar, mut columns: Vec<String>) -> Name {
    columns.sort();
    Name::qualified(
        NameKind::Key,
        Some(&table.schemaname),
        format!("{}({})", table.relname, columns.join(",")),
    )
}

/// `ALTER … RENAME TO new` defines the new name (and drops the old);
/// `ALTER TABLE … RENAME COLUMN a TO b` defines column `b`.
fn rename(s: &protobuf::RenameStmt, out: &mut Analysis) {
    let Ok(kind) = ObjectType::try_from(s.rename_type) else {
        return;
    };
    if let Some(table) = &s.relation {
        match kind {
            ObjectType::ObjectColumn | ObjectType::ObjectAttribute => {
                out.adds_columns.push((relation(table), s.newname.clone()));
            }
            ObjectType::ObjectTable
            | ObjectType::ObjectView
            | ObjectType::ObjectMatview
            | ObjectType::ObjectSequence
            | ObjectType::ObjectIndex
            | ObjectType::ObjectForeignTable => {
                out.drops.push(relation(table));
                out.defines.push(Name::qualified(
                    NameKind::Relation,
                    Some(&table.schemaname),
                    &s.newname,
                ));
            }
            _ => {}
        }
        return;
    }
    let Some(object) = &s.object else { return };
    for old in object_names(s.rename_type, object) {
        let new = Name {
            name: s.newname.clone(),
            ..old.clone()
        };
        out.drops.push(old);
        out.defines.push(new);
    }
}

/// `ALTER … SET SCHEMA s` defines the object's name in `s`.
fn set_schema(s: &protobuf::AlterObjectSchemaStmt, out: &mut Analysis) {
    let olds = match (&s.relation, &s.object) {
        (Some(table), _) => vec![relation(table)],
        (None, Some(object)) => object_names(s.object_type, object),
        (None, None) => Vec::new(),
    };
    for old in olds.into_iter().filter(|n| n.kind.is_schema_qualified()) {
        let new = Name {
            schema: Some(s.newschema.clone()),
            ..old.clone()
        };
        out.drops.push(old);
        out.defines.push(new);
    }
}

/// The multirange type `CREATE TYPE … AS RANGE` creates with the range:
/// `multirange_type_name`, else the server's own name for it (`multi`
/// before the first `range` in the name, or `_multirange` appended), in
/// the range's schema.
fn multirange(s: &protobuf::CreateRangeStmt, range: Option<&Name>) -> Option<Name> {
    let range = range?;
    for (name, arg) in def_elems(&s.params) {
        if name == "multirange_type_name" {
            let parts = arg.map(name_parts).unwrap_or_default();
            return qualified(NameKind::Type, &parts);
        }
    }
    let name = match range.name.find("range") {
        Some(at) => format!("{}multi{}", &range.name[..at], &range.name[at..]),
        None => format!("{}_multirange", range.name),
    };
    Some(Name::qualified(
        NameKind::Type,
        range.schema.as_deref(),
        name,
    ))
}

/// `CREATE AGGREGATE`, `CREATE TYPE` (base and shell), `CREATE COLLATION`,
/// `CREATE OPERATOR`.
fn define_stmt(s: &protobuf::DefineStmt, out: &mut Analysis) {
    let names = strings(&s.defnames);
    let kind = s.kind;
    if kind == ObjectType::ObjectAggregate as i32 {
        out.defines.extend(qualified(NameKind::Function, &names));
    } else if kind == ObjectType::ObjectType as i32 {
        out.defines.extend(qualified(NameKind::Type, &names));
    } else if kind == ObjectType::ObjectCollation as i32 {
        out.defines.extend(qualified(NameKind::Collation, &names));
    } else if kind == ObjectType::ObjectOperator as i32 {
        out.defines.extend(qualified(NameKind::Operator, &names));
    } else if kind == ObjectType::ObjectTsconfiguration as i32 {
        out.defines
            .extend(qualified(NameKind::TextSearchConfiguration, &names));
    } else if kind == ObjectType::ObjectTsdictionary as i32 {
        out.defines
            .extend(qualified(NameKind::TextSearchDictionary, &names));
    } else if kind == ObjectType::ObjectTsparser as i32 {
        out.defines
            .extend(qualified(NameKind::TextSearchParser, &names));
    } else if kind == ObjectType::ObjectTstemplate as i32 {
        out.defines
            .extend(qualified(NameKind::TextSearchTemplate, &names));
    }
    for (name, arg) in def_elems(&s.definition) {
        let Some(arg) = arg else { continue };
        let parts = name_parts(arg);
        if !matches!(
            name,
            "stype"
                | "mstype"
                | "subtype"
                | "element"
                | "like"
                | "basetype"
                | "leftarg"
                | "rightarg"
        ) {
            out.not_references.extend(qualified(NameKind::Type, &parts));
        }
        let function = matches!(
            name,
            "sfunc"
                | "finalfunc"
                | "combinefunc"
                | "serialfunc"
                | "deserialfunc"
                | "msfunc"
                | "minvfunc"
                | "mfinalfunc"
                | "function"
                | "procedure"
                | "input"
                | "output"
                | "receive"
                | "send"
                | "typmod_in"
                | "typmod_out"
                | "analyze"
                | "subtype_diff"
                | "canonical"
        );
        // The grammar reads these arguments as type names or name lists.
        if function {
            out.references.extend(qualified(NameKind::Function, &parts));
        } else if name == "from" && kind == ObjectType::ObjectCollation as i32 {
            out.references
                .extend(qualified(NameKind::Collation, &parts));
        } else if name == "copy" && kind == ObjectType::ObjectTsconfiguration as i32 {
            out.references
                .extend(qualified(NameKind::TextSearchConfiguration, &parts));
        } else if name == "parser" && kind == ObjectType::ObjectTsconfiguration as i32 {
            out.references
                .extend(qualified(NameKind::TextSearchParser, &parts));
        } else if name == "template" && kind == ObjectType::ObjectTsdictionary as i32 {
            out.references
                .extend(qualified(NameKind::TextSearchTemplate, &parts));
        } else if kind == ObjectType::ObjectTsparser as i32
            || kind == ObjectType::ObjectTstemplate as i32
        {
            // START, GETTOKEN, INIT, LEXIZE, …: all functions.
            out.references.extend(qualified(NameKind::Function, &parts));
        }
    }
}

/// Schemas and types named in a `GRANT`/`REVOKE` (tables and functions are
/// `RangeVar`s and `ObjectWithArgs`, found by the generic walk).
fn grant(s: &protobuf::GrantStmt, out: &mut Analysis) {
    let in_schema = s.targtype == GrantTargetType::AclTargetAllInSchema as i32;
    let kind = if in_schema || s.objtype == ObjectType::ObjectSchema as i32 {
        NameKind::Schema
    } else if s.objtype == ObjectType::ObjectType as i32
        || s.objtype == ObjectType::ObjectDomain as i32
    {
        NameKind::Type
    } else if s.objtype == ObjectType::ObjectFdw as i32 {
        NameKind::ForeignDataWrapper
    } else if s.objtype == ObjectType::ObjectForeignServer as i32 {
        NameKind::ForeignServer
    } else if s.objtype == ObjectType::ObjectLanguage as i32 {
        NameKind::Language
    } else {
        return;
    };
    for object in s.objects.iter().filter_map(|n| n.node.as_ref()) {
        let parts = name_parts(object);
        out.references.extend(match kind {
            NameKind::Schema
            | NameKind::ForeignDataWrapper
            | NameKind::ForeignServer
            | NameKind::Language => parts.last().map(|s| Name::global(kind, s)),
            _ => qualified(kind, &parts),
        });
    }
}

/// The tablespaces a statement names for what it makes or moves.
fn tablespaces(node: &NodeEnum) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // A table's constraints, and its columns' (`id int PRIMARY KEY USING
    // INDEX TABLESPACE t`).
    fn constraint_space(elements: &[protobuf::Node], out: &mut Vec<String>) {
        for element in elements {
            match &element.node {
                Some(NodeEnum::Constraint(c)) => out.push(c.indexspace.clone()),
                Some(NodeEnum::ColumnDef(c)) => constraint_space(&c.constraints, out),
                _ => {}
            }
        }
    }
    match node {
        NodeEnum::CreateStmt(s) => {
            out.push(s.tablespacename.clone());
            constraint_space(&s.table_elts, &mut out);
            constraint_space(&s.constraints, &mut out);
        }
        NodeEnum::IndexStmt(s) => out.push(s.table_space.clone()),
        NodeEnum::CreateTableAsStmt(s) => {
            out.extend(s.into.as_ref().map(|into| into.table_space_name.clone()));
        }
        NodeEnum::AlterTableStmt(s) => {
            for cmd in &s.cmds {
                let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
                    continue;
                };
                if cmd.subtype == protobuf::AlterTableType::AtSetTableSpace as i32 {
                    out.push(cmd.name.clone());
                }
                if let Some(def) = &cmd.def {
                    constraint_space(std::slice::from_ref(def.as_ref()), &mut out);
                }
            }
        }
        NodeEnum::AlterTableMoveAllStmt(s) => out.push(s.new_tablespacename.clone()),
        NodeEnum::VariableSetStmt(s) if s.name.eq_ignore_ascii_case("default_tablespace") => {
            out.extend(
                s.args
                    .iter()
                    .filter_map(|a| a.node.as_ref())
                    .filter_map(|a| string_value(a).map(str::to_owned)),
            );
        }
        _ => {}
    }
    out.retain(|t| !t.is_empty() && t != "pg_default" && t != "pg_global");
    out
}

/// The operators and support functions an operator class or family is
/// made of (`OPERATOR 1 =~`, `FUNCTION 1 f(text)`).
fn operator_class_items(items: &[protobuf::Node], out: &mut Analysis) {
    for item in items {
        let Some(NodeEnum::CreateOpClassItem(i)) = &item.node else {
            continue;
        };
        let Some(name) = &i.name else { continue };
        let kind = match i.itemtype {
            1 => NameKind::Operator,
            2 => NameKind::Function,
            _ => continue,
        };
        out.references
            .extend(qualified(kind, &strings(&name.objname)));
    }
}

/// The access method a `CREATE TABLE … USING` or `CREATE INDEX … USING`
/// names, unless every database has it.
fn access_method(name: &str) -> Option<Name> {
    let builtin = ["", "heap", "btree", "hash", "gist", "gin", "spgist", "brin"];
    (!builtin.contains(&name)).then(|| Name::global(NameKind::AccessMethod, name))
}

/// The language a `CREATE FUNCTION` or `DO` is written in, from its
/// options, unless every database has it.
fn language(options: &[protobuf::Node]) -> Option<Name> {
    def_elems(options)
        .find(|(name, _)| *name == "language")
        .and_then(|(_, arg)| arg.and_then(string_value))
        .filter(|l| !matches!(*l, "sql" | "plpgsql" | "c" | "internal"))
        .map(|l| Name::global(NameKind::Language, l))
}

/// The argument types of `CREATE FUNCTION`'s parameters: the input ones
/// (`IN`, `INOUT`, `VARIADIC`), which tell overloads apart.
fn parameter_signature(parameters: &[protobuf::Node]) -> Option<String> {
    use protobuf::FunctionParameterMode as Mode;
    signature(parameters.iter().filter_map(|parameter| {
        let Some(NodeEnum::FunctionParameter(p)) = &parameter.node else {
            return None;
        };
        let input = !matches!(
            Mode::try_from(p.mode),
            Ok(Mode::FuncParamOut | Mode::FuncParamTable)
        );
        input.then_some(p.arg_type.as_ref())
    }))
}

/// The argument types an `ObjectWithArgs` spells out.
fn argument_signature(types: &[protobuf::Node]) -> Option<String> {
    signature(types.iter().map(|t| match &t.node {
        Some(NodeEnum::TypeName(t)) => Some(t),
        _ => None,
    }))
}

/// Argument types as [`crate::walk::type_signature`] writes them, joined
/// by commas; `None` where one is missing or known only to the server
/// (`%TYPE`).
fn signature<'a>(types: impl Iterator<Item = Option<&'a protobuf::TypeName>>) -> Option<String> {
    let mut signature = Vec::new();
    for t in types {
        let t = t.filter(|t| !t.pct_type)?;
        let name = strings(&t.names).pop()?;
        signature.push(crate::walk::type_signature(&name, t.array_bounds.len()));
    }
    Some(signature.join(","))
}

/// The object of `COMMENT ON <objtype> <object>` or `ALTER <objtype>
/// <object> OWNER TO`: a relation for relations and their parts (columns,
/// triggers, policies, constraints), a schema, an extension, a role…
/// Functions come as `ObjectWithArgs`, which the generic walk finds.
fn object_names(objtype: i32, object: &protobuf::Node) -> Vec<Name> {
    let Some(object) = &object.node else {
        return Vec::new();
    };
    let Ok(objtype) = ObjectType::try_from(objtype) else {
        return Vec::new();
    };
    let parts = name_parts(object);
    let part = match objtype {
        ObjectType::ObjectTrigger => Some(NameKind::Trigger),
        ObjectType::ObjectPolicy => Some(NameKind::Policy),
        ObjectType::ObjectRule => Some(NameKind::Rule),
        ObjectType::ObjectTabconstraint => Some(NameKind::Constraint),
        _ => None,
    };
    if let Some(kind) = part
        && let Some((name, table)) = parts.split_last()
        && let Some(table) = qualified(NameKind::Relation, table)
    {
        return vec![
            Name::qualified(
                kind,
                table.schema.as_deref(),
                format!("{}.{name}", table.name),
            ),
            table,
        ];
    }
    let name = match objtype {
        ObjectType::ObjectTable
        | ObjectType::ObjectView
        | ObjectType::ObjectMatview
        | ObjectType::ObjectSequence
        | ObjectType::ObjectIndex
        | ObjectType::ObjectForeignTable => qualified(NameKind::Relation, &parts),
        ObjectType::ObjectColumn
        | ObjectType::ObjectTrigger
        | ObjectType::ObjectPolicy
        | ObjectType::ObjectRule
        | ObjectType::ObjectTabconstraint => parts
            .split_last()
            .and_then(|(_, table)| qualified(NameKind::Relation, table)),
        ObjectType::ObjectType | ObjectType::ObjectDomain => qualified(NameKind::Type, &parts),
        ObjectType::ObjectFunction
        | ObjectType::ObjectProcedure
        | ObjectType::ObjectRoutine
        | ObjectType::ObjectAggregate => qualified(NameKind::Function, &parts).map(|name| {
            let signature = match object {
                NodeEnum::ObjectWithArgs(o) if !o.args_unspecified => {
                    argument_signature(&o.objargs)
                }
                _ => None,
            };
            name.with_signature(signature)
        }),
        ObjectType::ObjectCollation => qualified(NameKind::Collation, &parts),
        ObjectType::ObjectTsconfiguration => qualified(NameKind::TextSearchConfiguration, &parts),
        ObjectType::ObjectTsdictionary => qualified(NameKind::TextSearchDictionary, &parts),
        ObjectType::ObjectCast => match object {
            NodeEnum::List(types) => {
                let type_name = |i: usize| match types.items.get(i).and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::TypeName(t)) => Some(t),
                    _ => None,
                };
                cast_name(type_name(0), type_name(1))
            }
            _ => None,
        },
        ObjectType::ObjectSchema => parts.last().map(|s| Name::global(NameKind::Schema, s)),
        ObjectType::ObjectExtension => parts.last().map(|s| Name::global(NameKind::Extension, s)),
        ObjectType::ObjectEventTrigger => parts
            .last()
            .map(|s| Name::global(NameKind::EventTrigger, s)),
        ObjectType::ObjectRole => parts.last().map(|s| Name::global(NameKind::Role, s)),
        ObjectType::ObjectPublication => {
            parts.last().map(|s| Name::global(NameKind::Publication, s))
        }
        ObjectType::ObjectStatisticExt => qualified(NameKind::Statistics, &parts),
        ObjectType::ObjectOperator => qualified(NameKind::Operator, &parts),
        ObjectType::ObjectFdw => parts
            .last()
            .map(|s| Name::global(NameKind::ForeignDataWrapper, s)),
        ObjectType::ObjectForeignServer => parts
            .last()
            .map(|s| Name::global(NameKind::ForeignServer, s)),
        ObjectType::ObjectLanguage => parts.last().map(|s| Name::global(NameKind::Language, s)),
        ObjectType::ObjectConversion => qualified(NameKind::Conversion, &parts),
        // The access method comes first: `USING hash` of `ci_ops`.
        ObjectType::ObjectOpfamily => {
            qualified(NameKind::OperatorFamily, parts.get(1..).unwrap_or_default())
        }
        ObjectType::ObjectOpclass => {
            qualified(NameKind::OperatorClass, parts.get(1..).unwrap_or_default())
        }
        ObjectType::ObjectTsparser => qualified(NameKind::TextSearchParser, &parts),
        ObjectType::ObjectTstemplate => qualified(NameKind::TextSearchTemplate, &parts),
        ObjectType::ObjectAccessMethod => parts
            .last()
            .map(|s| Name::global(NameKind::AccessMethod, s)),
        _ => None,
    };
    name.into_iter().collect()
}

/// The schemas a publication's `TABLES IN SCHEMA` names; its tables are
/// relations the walk finds.
fn publication_schemas(objects: &[protobuf::Node]) -> Vec<Name> {
    use protobuf::PublicationObjSpecType as T;
    objects
        .iter()
        .filter_map(|o| match &o.node {
            Some(NodeEnum::PublicationObjSpec(spec))
                if T::try_from(spec.pubobjtype) == Ok(T::PublicationobjTablesInSchema) =>
            {
                Some(Name::global(NameKind::Schema, &spec.name))
            }
            _ => None,
        })
        .collect()
}

/// A trigger's name for ordering: `table.trigger` in the table's schema.
fn trigger_name(table: &protobuf::RangeVar, trigger: &str) -> Name {
    part_name(NameKind::Trigger, table, trigger)
}

/// A part of a table (trigger, policy, rule, constraint) for ordering:
/// `table.part` in the table's schema.
fn part_name(kind: NameKind, table: &protobuf::RangeVar, part: &str) -> Name {
    Name::qualified(
        kind,
        Some(&table.schemaname),
        format!("{}.{part}", table.relname),
    )
}

/// Whether an `ALTER TABLE` subcommand sets one trigger's enabled state.
fn is_trigger_state(subtype: i32) -> bool {
    use protobuf::AlterTableType as T;
    [
        T::AtEnableTrig,
        T::AtEnableAlwaysTrig,
        T::AtEnableReplicaTrig,
        T::AtDisableTrig,
    ]
    .iter()
    .any(|t| *t as i32 == subtype)
}

/// Whether an `ALTER TABLE` subcommand sets one rule's enabled state.
fn is_rule_state(subtype: i32) -> bool {
    use protobuf::AlterTableType as T;
    [
        T::AtEnableRule,
        T::AtEnableAlwaysRule,
        T::AtEnableReplicaRule,
        T::AtDisableRule,
    ]
    .iter()
    .any(|t| *t as i32 == subtype)
}

/// A cast's name for ordering: its types' own names, without schemas,
/// which `CREATE CAST` and `COMMENT ON CAST` may spell differently.
fn cast_name(
    source: Option<&protobuf::TypeName>,
    target: Option<&protobuf::TypeName>,
) -> Option<Name> {
    let last = |t: Option<&protobuf::TypeName>| strings(&t?.names).pop();
    Some(Name::global(
        NameKind::Cast,
        format!("{} AS {}", last(source)?, last(target)?),
    ))
}

/// The relation of a sequence's `OWNED BY [schema.]table.column`.
fn owned_by(options: &[protobuf::Node]) -> Option<Name> {
    let (_, arg) = def_elems(options).find(|(name, _)| *name == "owned_by")?;
    let parts = list_strings(arg?);
    let (_, table) = parts.split_last()?;
    if table.is_empty() {
        // `OWNED BY NONE`
        return None;
    }
    qualified(NameKind::Relation, table)
}

fn relation(r: &protobuf::RangeVar) -> Name {
    Name::qualified(NameKind::Relation, Some(&r.schemaname), &r.relname)
}

/// `(defname, arg)` of every `DefElem` in an option list.
pub(crate) fn def_elems(
    options: &[protobuf::Node],
) -> impl Iterator<Item = (&str, Option<&NodeEnum>)> {
    options.iter().filter_map(|option| match &option.node {
        Some(NodeEnum::DefElem(d)) => Some((
            d.defname.as_str(),
            d.arg.as_ref().and_then(|a| a.node.as_ref()),
        )),
        _ => None,
    })
}

/// The values of `String` nodes in a node list.
pub(crate) fn strings(nodes: &[protobuf::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| n.node.as_ref().and_then(string_value))
        .map(str::to_owned)
        .collect()
}

pub(crate) fn string_value(node: &NodeEnum) -> Option<&str> {
    match node {
        NodeEnum::String(s) => Some(&s.sval),
        _ => None,
    }
}

/// The strings of a `List` node (or of a lone `String`).
pub(crate) fn list_strings(node: &NodeEnum) -> Vec<String> {
    match node {
        NodeEnum::List(list) => strings(&list.items),
        other => string_value(other).map(str::to_owned).into_iter().collect(),
    }
}

/// The parts of a possibly qualified name, however the grammar wrapped it:
/// a `List` of `String`s, a lone `String`, a `TypeName`, an
/// `ObjectWithArgs`.
fn name_parts(node: &NodeEnum) -> Vec<String> {
    match node {
        NodeEnum::TypeName(t) => strings(&t.names),
        NodeEnum::ObjectWithArgs(o) => strings(&o.objname),
        other => list_strings(other),
    }
}
