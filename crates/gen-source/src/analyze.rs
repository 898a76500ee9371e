//! What one statement defines, references and alters.
//!
//! References come from the generic walk ([`crate::walk`]); this module adds
//! what only the statement kind tells: the names it creates, and names
//! written as plain strings whose meaning depends on the statement (the
//! object of a `COMMENT ON`, the schemas of a `GRANT ON ALL TABLES IN
//! SCHEMA`, the table of a sequence's `OWNED BY`).

use pg_query::NodeEnum;
use pg_query::protobuf::{self, GrantTargetType, ObjectType, ReindexObjectType};

use crate::walk::{self, Found, qualified};
use crate::{Name, NameKind};

/// What [`analyze`] learns about a statement.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    pub defines: Vec<Name>,
    pub references: Vec<Name>,
    pub alters: Vec<Name>,
    pub outside_transaction: bool,
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
}

/// Schemas whose objects come with every database; references into them
/// never order anything and only clutter the output.
const SYSTEM_SCHEMAS: [&str; 3] = ["pg_catalog", "information_schema", "pg_toast"];

pub(crate) fn analyze(node: &NodeEnum) -> Analysis {
    let mut analysis = Analysis::default();
    let mut found = Found::default();
    walk::walk(node, &mut found);
    statement_specific(node, &mut analysis);

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

    tidy(&mut analysis.defines);
    tidy(&mut analysis.alters);
    tidy(&mut analysis.references);
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
        NodeEnum::CreateForeignTableStmt(s) => out.defines.extend(
            s.base_stmt
                .as_ref()
                .and_then(|b| b.relation.as_ref())
                .map(relation),
        ),
        NodeEnum::ViewStmt(s) => out.defines.extend(s.view.as_ref().map(relation)),
        NodeEnum::CreateTableAsStmt(s) => out.defines.extend(
            s.into
                .as_ref()
                .and_then(|into| into.rel.as_ref())
                .map(relation),
        ),
        NodeEnum::CreateSeqStmt(s) => {
            out.defines.extend(s.sequence.as_ref().map(relation));
            out.references.extend(owned_by(&s.options));
        }
        NodeEnum::AlterSeqStmt(s) => {
            out.alters.extend(s.sequence.as_ref().map(relation));
            out.references.extend(owned_by(&s.options));
        }
        NodeEnum::IndexStmt(s) => {
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
                        && is_trigger_state(cmd.subtype)
                        && !cmd.name.is_empty()
                    {
                        out.references.push(trigger_name(r, &cmd.name));
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
            out.defines
                .extend(qualified(NameKind::Function, &strings(&s.funcname)));
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
        NodeEnum::CreateEventTrigStmt(s) => {
            out.references
                .extend(qualified(NameKind::Function, &strings(&s.funcname)));
            out.defines
                .push(Name::global(NameKind::EventTrigger, &s.trigname));
        }
        NodeEnum::AlterEventTrigStmt(s) => out
            .alters
            .push(Name::global(NameKind::EventTrigger, &s.trigname)),
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
        NodeEnum::CreateRoleStmt(s) => out.defines.push(Name::global(NameKind::Role, &s.role)),
        NodeEnum::VacuumStmt(_)
        | NodeEnum::CreatedbStmt(_)
        | NodeEnum::DropdbStmt(_)
        | NodeEnum::AlterSystemStmt(_)
        | NodeEnum::CreateTableSpaceStmt(_)
        | NodeEnum::DropTableSpaceStmt(_)
        | NodeEnum::CreateSubscriptionStmt(_)
        | NodeEnum::DropSubscriptionStmt(_) => out.outside_transaction = true,
        NodeEnum::ReindexStmt(s) => {
            let whole = s.kind == ReindexObjectType::ReindexObjectSystem as i32
                || s.kind == ReindexObjectType::ReindexObjectDatabase as i32;
            let concurrently = def_elems(&s.params).any(|(name, _)| name == "concurrently");
            out.outside_transaction = whole || concurrently;
        }
        NodeEnum::DropStmt(s) => out.outside_transaction = s.concurrent,
        _ => {}
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
    } else {
        return;
    };
    for object in s.objects.iter().filter_map(|n| n.node.as_ref()) {
        let parts = name_parts(object);
        out.references.extend(match kind {
            NameKind::Schema => parts.last().map(|s| Name::global(kind, s)),
            _ => qualified(kind, &parts),
        });
    }
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
    if objtype == ObjectType::ObjectTrigger
        && let Some((trigger, table)) = parts.split_last()
        && let Some(table) = qualified(NameKind::Relation, table)
    {
        return vec![
            Name::qualified(
                NameKind::Trigger,
                table.schema.as_deref(),
                format!("{}.{trigger}", table.name),
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
        ObjectType::ObjectCollation => qualified(NameKind::Collation, &parts),
        ObjectType::ObjectSchema => parts.last().map(|s| Name::global(NameKind::Schema, s)),
        ObjectType::ObjectExtension => parts.last().map(|s| Name::global(NameKind::Extension, s)),
        ObjectType::ObjectEventTrigger => parts
            .last()
            .map(|s| Name::global(NameKind::EventTrigger, s)),
        ObjectType::ObjectRole => parts.last().map(|s| Name::global(NameKind::Role, s)),
        _ => None,
    };
    name.into_iter().collect()
}

/// A trigger's name for ordering: `table.trigger` in the table's schema.
fn trigger_name(table: &protobuf::RangeVar, trigger: &str) -> Name {
    Name::qualified(
        NameKind::Trigger,
        Some(&table.schemaname),
        format!("{}.{trigger}", table.relname),
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
fn def_elems(options: &[protobuf::Node]) -> impl Iterator<Item = (&str, Option<&NodeEnum>)> {
    options.iter().filter_map(|option| match &option.node {
        Some(NodeEnum::DefElem(d)) => Some((
            d.defname.as_str(),
            d.arg.as_ref().and_then(|a| a.node.as_ref()),
        )),
        _ => None,
    })
}

/// The values of `String` nodes in a node list.
fn strings(nodes: &[protobuf::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| n.node.as_ref().and_then(string_value))
        .map(str::to_owned)
        .collect()
}

fn string_value(node: &NodeEnum) -> Option<&str> {
    match node {
        NodeEnum::String(s) => Some(&s.sval),
        _ => None,
    }
}

/// The strings of a `List` node (or of a lone `String`).
fn list_strings(node: &NodeEnum) -> Vec<String> {
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
