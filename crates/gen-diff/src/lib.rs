//! Comparing two catalogs into a list of [`Change`]s. Pure: no I/O.
//!
//! The list says *what* differs; gen-plan decides the order. Changes are
//! emitted in a fixed order (kind, then name) so the output is deterministic
//! even before ordering, and several actions on one column come out in the
//! only order Postgres accepts (drop default before a type change, set not
//! null before adding identity, …).

// A catch-all arm would let a new kind of object or change through
// without deciding what it needs.
#![deny(clippy::wildcard_enum_match_arm)]

mod change;
mod index_name;
mod partitions;
mod routines;
mod security;
mod table;
mod types;
mod view;

use std::collections::{BTreeMap, BTreeSet};

pub use change::slot_option;
pub use change::{
    AccessMethodChange, Action, CastChange, Change, CollationChange, ColumnAction, ColumnChange,
    CommentChange, ConstraintChange, Conversion, ConversionChange, DomainChange, EnumPosition,
    EventTriggerChange, ExtensionChange, FieldCast, ForeignChange, IndexChange, InheritanceChange,
    LanguageChange, OperatorChange, OperatorClassChange, OwnerChange, PartitionChange,
    PolicyChange, PrivilegeAction, PrivilegesChange, PublicationChange, RoutineChange, RowField,
    RuleChange, SchemaChange, SequenceChange, StatisticsChange, SubscriptionChange, TableChange,
    TextSearchChange, TriggerChange, TypeChange, ViewChange,
};
use gen_model::{Catalog, ObjectId, QualifiedName};
pub use security::privilege_changes;

/// Everything that must change to turn `old` into `new`.
pub fn diff(old: &Catalog, new: &Catalog) -> Vec<Change> {
    // An enum whose new labels the plan uses is rebuilt rather than
    // extended; which ones is known from the catalogs, before any change.
    let forced = types::enums_to_rebuild(old, new);
    diff_forcing(old, new, &forced)
}

fn diff_forcing(old: &Catalog, new: &Catalog, forced: &BTreeSet<QualifiedName>) -> Vec<Change> {
    let mut out = Vec::new();
    schemas(old, new, &mut out);
    extensions(old, new, &mut out);
    sequences(old, new, &mut out);
    table::tables(old, new, &mut out);
    indexes(old, new, &mut out);
    table::clusters(old, new, &mut out);
    types::types(old, new, forced, &mut out);
    // What hangs off a table made anew (its triggers, rules, row-level
    // security and policies, its place in publications) goes down with
    // the old table and is made again with the new one.
    let attached = partitions::without_rebuilt_attachments(old, new);
    routines::routines(&attached, new, &mut out);
    view::views(old, new, &mut out);
    security::row_security(&attached, new, &mut out);
    security::policies(&attached, new, &mut out);
    change::publications(&attached, new, &mut out);
    change::casts(old, new, &mut out);
    change::rules(&attached, new, &mut out);
    change::text_search(old, new, &mut out);
    change::foreign(old, new, &mut out);
    change::statistics(old, new, &mut out);
    change::operators(old, new, &mut out);
    change::operator_classes(old, new, &mut out);
    change::languages(old, new, &mut out);
    change::conversions(old, new, &mut out);
    change::access_methods(old, new, &mut out);
    change::subscriptions(old, new, &mut out);
    partitions::attach_indexes(old, new, &mut out);
    recreate_dependents(old, new, &mut out);
    partitions::own_named_indexes(old, new, &mut out);
    // Last: whatever was created or rebuilt above gets its grants again.
    security::default_privileges(old, new, &mut out);
    security::owners(old, new, &mut out);
    security::privileges(old, new, &mut out);
    out
}

/// The changes that create `id` as `catalog` holds it, with its comment
/// and settings, for the kinds whose module says how: empty otherwise, or
/// when the catalog does not hold it.
pub fn creation(catalog: &Catalog, id: &ObjectId) -> Vec<Change> {
    let mut out = Vec::new();
    match id {
        ObjectId::Cast { source, target } => {
            if let Some(c) = catalog.casts.get(&(source.clone(), target.clone())) {
                change::create_cast(c, &mut out);
            }
        }
        ObjectId::Rule { table, name } => {
            if let Some(r) = catalog.rules.get(&(table.clone(), name.clone())) {
                change::create_rule(r, &mut out);
            }
        }
        ObjectId::TextSearchConfiguration { name } => {
            if let Some(c) = catalog.text_search_configurations.get(name) {
                change::create_configuration(c, &mut out);
            }
        }
        ObjectId::TextSearchDictionary { name } => {
            if let Some(d) = catalog.text_search_dictionaries.get(name) {
                change::create_dictionary(d, &mut out);
            }
        }
        ObjectId::TextSearchParser { name } => {
            if let Some(p) = catalog.text_search_parsers.get(name) {
                change::create_parser(p, &mut out);
            }
        }
        ObjectId::TextSearchTemplate { name } => {
            if let Some(t) = catalog.text_search_templates.get(name) {
                change::create_template(t, &mut out);
            }
        }
        ObjectId::ForeignDataWrapper { .. }
        | ObjectId::ForeignServer { .. }
        | ObjectId::UserMapping { .. }
        | ObjectId::ForeignTable { .. } => change::foreign_creation(catalog, id, &mut out),
        ObjectId::Statistics { name } => {
            if let Some(s) = catalog.statistics.get(name) {
                change::create_statistics(s, &mut out);
            }
        }
        ObjectId::Operator { name, left, right } => {
            let key = (name.clone(), left.clone(), right.clone());
            if let Some(o) = catalog.operators.get(&key) {
                change::create_operator(o, &mut out);
            }
        }
        ObjectId::Language { name } => {
            if let Some(l) = catalog.languages.get(name) {
                change::create_language(l, &mut out);
            }
        }
        ObjectId::Conversion { name } => {
            if let Some(c) = catalog.conversions.get(name) {
                change::create_conversion(c, &mut out);
            }
        }
        ObjectId::AccessMethod { name } => {
            if let Some(a) = catalog.access_methods.get(name) {
                change::create_access_method(a, &mut out);
            }
        }
        ObjectId::Subscription { name } => {
            if let Some(s) = catalog.subscriptions.get(name) {
                change::create_subscription(s, &mut out);
            }
        }
        ObjectId::OperatorFamily { name, method } => {
            let key = (name.clone(), method.clone());
            if let Some(f) = catalog.operator_families.get(&key) {
                change::create_operator_family(f, &mut out);
            }
        }
        ObjectId::OperatorClass { name, method } => {
            let key = (name.clone(), method.clone());
            if let Some(c) = catalog.operator_classes.get(&key) {
                change::create_operator_class(c, &mut out);
            }
        }
        // Described by gen-plan from their own parts.
        ObjectId::Schema { .. }
        | ObjectId::Extension { .. }
        | ObjectId::Sequence { .. }
        | ObjectId::Table { .. }
        | ObjectId::Column { .. }
        | ObjectId::Constraint { .. }
        | ObjectId::Index { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::Collation { .. }
        | ObjectId::TypeAttribute { .. }
        | ObjectId::Function { .. }
        | ObjectId::Aggregate { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::EventTrigger { .. }
        | ObjectId::View { .. }
        | ObjectId::MaterializedView { .. }
        | ObjectId::Policy { .. }
        | ObjectId::DefaultPrivileges { .. }
        | ObjectId::Inheritance { .. }
        | ObjectId::ReplicaIdentity { .. }
        | ObjectId::Publication { .. } => {}
    }
    out
}

/// An object that is dropped and created again takes down everything that
/// depends on it (`DROP CONSTRAINT` of a primary key fails while a foreign
/// key uses it), so each such dependent is dropped and created again too —
/// transitively, and nothing outside that closure. A column whose type
/// changes is a root as well: the server rebuilds indexes and constraints
/// on it by itself, but refuses while views, policies or triggers use it.
fn recreate_dependents(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    let mut dependents: BTreeMap<&ObjectId, Vec<&ObjectId>> = BTreeMap::new();
    for (a, b) in &old.depends {
        dependents.entry(b).or_default().push(a);
    }
    let dropped: BTreeSet<ObjectId> = out.iter().filter_map(Change::removes).collect();
    let retyped = out.iter().filter_map(|c| {
        let Change::Column(ColumnChange::AlterColumn {
            table,
            column,
            action: ColumnAction::Type { .. },
        }) = c
        else {
            return None;
        };
        Some(ObjectId::Column {
            table: table.clone(),
            column: column.clone(),
        })
    });
    // A composite type whose attribute changes type in place: the server
    // refuses that while a view's rule uses the type (as newer minor
    // releases of every major do), so its views are rebuilt around it.
    let retyped_types: BTreeSet<ObjectId> = out
        .iter()
        .filter_map(|c| {
            if let Change::Type(TypeChange::AlterAttributeType { type_name, .. }) = c {
                Some(ObjectId::Type {
                    name: type_name.clone(),
                })
            } else {
                None
            }
        })
        .collect();
    // Roots: what is dropped and comes back, and columns dropped for good (a
    // view that stays but no longer uses the column has to let go of it
    // first), and views dropped for good (a view of the same text may stay
    // on a table that takes the dropped view's name). Other objects dropped
    // for good take nothing along that stays:
    // what used them changed and is planned on its own.
    // A dropped table's columns and constraints go with it; what depends on
    // them (a view on its columns) depends on the table going.
    let parts: Vec<ObjectId> = out
        .iter()
        .filter_map(|c| {
            if let Change::Table(TableChange::DropTable(t)) = c {
                Some(t)
            } else {
                None
            }
        })
        .flat_map(|t| {
            let columns = t.columns.iter().map(|c| ObjectId::Column {
                table: t.name.clone(),
                column: c.name.clone(),
            });
            let constraints = t.constraints.keys().map(|c| ObjectId::Constraint {
                table: t.name.clone(),
                constraint: c.clone(),
            });
            columns.chain(constraints).collect::<Vec<_>>()
        })
        .collect();
    let mut queue: Vec<ObjectId> = dropped
        .iter()
        .filter(|id| {
            new.contains(id)
                || matches!(
                    id,
                    ObjectId::Column { .. }
                        | ObjectId::View { .. }
                        | ObjectId::MaterializedView { .. }
                )
        })
        .cloned()
        .chain(parts)
        .chain(retyped)
        .chain(retyped_types.iter().cloned())
        .collect();
    let mut done = dropped.clone();
    // The objects rebuilt around what they depend on, and their changes.
    let mut rebuilt: BTreeSet<ObjectId> = BTreeSet::new();
    let mut rebuilds: Vec<Change> = Vec::new();
    // A foreign key whose two sides are both retyped is dropped first and
    // added again: the server checks the key's types after each ALTER
    // COLUMN … TYPE, and halfway (one side retyped, `text` against
    // `integer`) they need not match.
    let retyped_columns: Vec<ObjectId> = queue
        .iter()
        .filter(|id| {
            matches!(id, ObjectId::Column { table, .. }
                if !dropped.contains(id)
                    && !dropped.contains(&ObjectId::Table { name: table.clone() }))
        })
        .cloned()
        .collect();
    for fk in foreign_keys_over(&retyped_columns, old, new) {
        if !done.contains(&fk) && recreate(&fk, old, new, &mut rebuilds) {
            rebuilt.insert(fk.clone());
            done.insert(fk);
        }
    }
    while let Some(id) = queue.pop() {
        let retyped_column = matches!(id, ObjectId::Column { .. }) && !dropped.contains(&id);
        let retyped_type = retyped_types.contains(&id) && !dropped.contains(&id);
        for &dependent in dependents.get(&id).into_iter().flatten() {
            if done.contains(dependent) || !new.contains(dependent) {
                continue;
            }
            if retyped_type
                && !matches!(
                    dependent,
                    ObjectId::View { .. } | ObjectId::MaterializedView { .. }
                )
            {
                continue;
            }
            if retyped_column
                && matches!(
                    dependent,
                    ObjectId::Constraint { .. }
                        | ObjectId::Index { .. }
                        | ObjectId::Statistics { .. }
                        | ObjectId::Operator { .. }
                )
            {
                continue;
            }
            // Whatever goes with a dropped table is not recreated on its own.
            if let Some(table) = dependent.table()
                && dropped.contains(&ObjectId::Table {
                    name: table.clone(),
                })
            {
                continue;
            }
            if types::goes_with(dependent, &done) {
                continue;
            }
            // A partition or child the new schema detaches from a table
            // made anew is detached first and stays.
            if let (ObjectId::Table { name: parent }, ObjectId::Table { name: child }) =
                (&id, dependent)
                && new
                    .tables
                    .get(child)
                    .is_some_and(|c| !c.inheritance.parents.contains(parent))
            {
                continue;
            }
            // A column of a type an extension brings, the extension
            // dropped and created (another schema, an older version), holds
            // its values as text in between; what reads the column is
            // rebuilt around it.
            if let (ObjectId::Extension { name }, ObjectId::Column { table, column }) =
                (&id, dependent)
                && let Some(mut changes) = extension_type_released(name, table, column, old, new)
            {
                rebuilt.insert(dependent.clone());
                rebuilds.append(&mut changes);
                done.insert(dependent.clone());
                queue.push(dependent.clone());
                continue;
            }
            // A column is rebuilt around a routine its default calls; a type
            // rebuilt under a column moves the column over itself.
            if matches!(dependent, ObjectId::Column { .. })
                && !matches!(
                    id,
                    ObjectId::Function { .. }
                        | ObjectId::Aggregate { .. }
                        | ObjectId::Extension { .. }
                )
            {
                continue;
            }
            let mut changes = Vec::new();
            if recreate(dependent, old, new, &mut changes) {
                rebuilt.insert(dependent.clone());
                rebuilds.append(&mut changes);
                done.insert(dependent.clone());
                queue.push(dependent.clone());
            }
        }
    }
    // The closure is whole: what was planned in place for an object in it
    // gives way to its rebuild, at once.
    if !rebuilt.is_empty() {
        out.retain(|c| !rebuilt.contains(&c.target().1));
    }
    out.append(&mut rebuilds);
}

/// The changes that take `column` of `table` through text around extension
/// `extension` being dropped and created, when the column's type is one the
/// extension brings (in its schema, on both sides): the type released in
/// the drop phase, then the column's changes from text to what `new` has.
/// `None` for a column that depends on the extension otherwise (its
/// default calls one of its functions).
fn extension_type_released(
    extension: &str,
    table: &QualifiedName,
    column: &str,
    old: &Catalog,
    new: &Catalog,
) -> Option<Vec<Change>> {
    let in_schema = |catalog: &Catalog, c: &gen_model::Column| {
        catalog.extensions.get(extension).is_some_and(|e| {
            c.base_type
                .strip_prefix(&format!("{}.", gen_model::Ident(&e.schema)))
                .is_some()
        })
    };
    let o = old.tables.get(table)?.column(column)?;
    let n = new.tables.get(table)?.column(column)?;
    if !in_schema(old, o) || !in_schema(new, n) {
        return None;
    }
    let as_text = gen_model::Column {
        data_type: "text".to_owned(),
        base_type: "text".to_owned(),
        collation: None,
        default: None,
        ..o.clone()
    };
    let mut out = vec![Change::Column(ColumnChange::ReleaseType {
        table: table.clone(),
        column: column.to_owned(),
        from: o.data_type.clone(),
        extension: extension.to_owned(),
        had_default: o.default.is_some(),
    })];
    table::alter_column(table, &as_text, n, [old, new], &mut out);
    Some(out)
}

/// The foreign keys kept on both sides whose own columns and the key of
/// the table they reference are both among `retyped`, to types that one
/// side retyped alone cannot match (`integer` and `text`; `integer` and
/// `bigint` can).
fn foreign_keys_over(retyped: &[ObjectId], old: &Catalog, new: &Catalog) -> Vec<ObjectId> {
    let columns: BTreeSet<(&QualifiedName, &str)> = retyped
        .iter()
        .filter_map(|id| {
            if let ObjectId::Column { table, column } = id {
                Some((table, column.as_str()))
            } else {
                None
            }
        })
        .collect();
    if columns.is_empty() {
        return Vec::new();
    }
    // Old and new base type of a retyped column.
    let types = |table: &QualifiedName, column: &str| -> Option<(String, String)> {
        if !columns.contains(&(table, column)) {
            return None;
        }
        let o = old.tables.get(table)?.column(column)?;
        let n = new.tables.get(table)?.column(column)?;
        Some((o.base_type.clone(), n.base_type.clone()))
    };
    // The retyped columns of `table`'s primary and unique keys.
    let key_types = |table: &QualifiedName| -> Vec<(String, String)> {
        old.tables.get(table).map_or_else(Vec::new, |t| {
            t.constraints
                .values()
                .filter(|c| {
                    matches!(
                        c.kind,
                        gen_model::ConstraintKind::PrimaryKey | gen_model::ConstraintKind::Unique
                    )
                })
                .flat_map(|c| c.columns.iter().filter_map(|col| types(table, col)))
                .collect()
        })
    };
    let mut out = Vec::new();
    for t in old.tables.values() {
        for c in t.constraints.values() {
            if c.kind != gen_model::ConstraintKind::ForeignKey
                || !new
                    .tables
                    .get(&t.name)
                    .is_some_and(|n| n.constraints.contains_key(&c.name))
            {
                continue;
            }
            let own: Vec<(String, String)> = c
                .columns
                .iter()
                .filter_map(|col| types(&t.name, col))
                .collect();
            let referenced = c.references.as_ref().map(key_types).unwrap_or_default();
            let halfway_apart = own.iter().any(|(own_old, own_new)| {
                referenced.iter().any(|(ref_old, ref_new)| {
                    !spannable(own_new, ref_old) || !spannable(own_old, ref_new)
                })
            });
            if halfway_apart {
                out.push(ObjectId::Constraint {
                    table: t.name.clone(),
                    constraint: c.name.clone(),
                });
            }
        }
    }
    out
}

/// Whether a foreign key can join a column of type `a` to a key of type
/// `b`: the same type, or two of one family the server compares across
/// (the integers; the strings).
fn spannable(a: &str, b: &str) -> bool {
    const INTEGERS: [&str; 3] = ["smallint", "integer", "bigint"];
    const STRINGS: [&str; 3] = ["text", "character varying", "character"];
    a == b
        || (INTEGERS.contains(&a) && INTEGERS.contains(&b))
        || (STRINGS.contains(&a) && STRINGS.contains(&b))
}

/// The changes that drop `id` as it is in `old` and create it as it is in
/// `new`, with everything that goes with it (comments, …). False for kinds
/// that are never rebuilt this way.
fn recreate(id: &ObjectId, old: &Catalog, new: &Catalog, out: &mut Vec<Change>) -> bool {
    match id {
        ObjectId::Constraint { table, constraint } => {
            let o = &old.tables[table].constraints[constraint];
            let n = &new.tables[table].constraints[constraint];
            out.push(Change::Constraint(ConstraintChange::DropConstraint {
                table: table.clone(),
                constraint: o.clone(),
            }));
            out.push(Change::Constraint(ConstraintChange::AddConstraint {
                table: table.clone(),
                constraint: n.clone(),
            }));
            table::constraint_comments(table, None, n, out);
            true
        }
        // The index of a partition comes and goes with its parent's.
        ObjectId::Index { name } if new.indexes[name].parent.is_some() => false,
        ObjectId::Index { name } => {
            let n = &new.indexes[name];
            out.push(Change::Index(IndexChange::DropIndex(
                old.indexes[name].clone(),
            )));
            out.push(Change::Index(IndexChange::CreateIndex(n.clone())));
            comment(id.clone(), None, n.comment.as_ref(), out);
            true
        }
        // An enum may be used by columns, which a drop would take along.
        ObjectId::Type { name }
            if matches!(old.types[name].kind, gen_model::TypeKind::Enum { .. }) =>
        {
            types::rebuild(id, old, new, &mut BTreeSet::new(), out);
            true
        }
        // So may a composite type, or a domain or composite type over it.
        ObjectId::Type { name }
            if matches!(old.types[name].kind, gen_model::TypeKind::Composite { .. })
                && matches!(new.types[name].kind, gen_model::TypeKind::Composite { .. })
                && types::stored(id, old) =>
        {
            types::rebuild(id, old, new, &mut BTreeSet::new(), out);
            true
        }
        ObjectId::Type { name } => {
            out.push(Change::Type(TypeChange::DropType(old.types[name].clone())));
            types::create_type(&new.types[name], out);
            true
        }
        ObjectId::Domain { .. } => {
            types::rebuild(id, old, new, &mut BTreeSet::new(), out);
            true
        }
        ObjectId::DomainConstraint { domain, constraint } => {
            let o = &old.domains[domain].constraints[constraint];
            let n = &new.domains[domain].constraints[constraint];
            out.push(Change::Domain(DomainChange::DropDomainConstraint {
                domain: domain.clone(),
                constraint: o.clone(),
            }));
            out.push(Change::Domain(DomainChange::AddDomainConstraint {
                domain: domain.clone(),
                constraint: n.clone(),
            }));
            comment(id.clone(), None, n.comment.as_ref(), out);
            true
        }
        ObjectId::Collation { .. } => {
            types::rebuild(id, old, new, &mut BTreeSet::new(), out);
            true
        }
        ObjectId::Function { .. }
        | ObjectId::Aggregate { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::EventTrigger { .. } => routines::recreate(id, old, new, out),
        ObjectId::Column { table, column } => {
            routines::rebuild_default(table, column, old, new, out)
        }
        ObjectId::View { name } | ObjectId::MaterializedView { name } => {
            view::recreate(&old.views[name], &new.views[name], out);
            true
        }
        ObjectId::Policy { table, name } => {
            security::recreate_policy(table, name, old, new, out);
            true
        }
        ObjectId::Table { name } => partitions::recreate_table(name, old, new, out),
        ObjectId::ReplicaIdentity { table } => {
            partitions::recreate_replica_identity(table, new, out)
        }
        ObjectId::Publication { name } => {
            change::recreate_publication(&old.publications[name], &new.publications[name], out);
            true
        }
        ObjectId::Cast { source, target } => {
            let key = (source.clone(), target.clone());
            change::recreate_cast(&old.casts[&key], &new.casts[&key], out);
            true
        }
        ObjectId::Rule { table, name } => {
            let key = (table.clone(), name.clone());
            change::recreate_rule(&old.rules[&key], &new.rules[&key], out);
            true
        }
        ObjectId::TextSearchConfiguration { name } => {
            change::recreate_configuration(
                &old.text_search_configurations[name],
                &new.text_search_configurations[name],
                out,
            );
            true
        }
        ObjectId::TextSearchDictionary { name } => {
            change::recreate_dictionary(
                &old.text_search_dictionaries[name],
                &new.text_search_dictionaries[name],
                out,
            );
            true
        }
        ObjectId::TextSearchParser { name } => {
            change::recreate_parser(
                &old.text_search_parsers[name],
                &new.text_search_parsers[name],
                out,
            );
            true
        }
        ObjectId::TextSearchTemplate { name } => {
            change::recreate_template(
                &old.text_search_templates[name],
                &new.text_search_templates[name],
                out,
            );
            true
        }
        ObjectId::ForeignDataWrapper { name } => {
            change::recreate_wrapper(
                &old.foreign_data_wrappers[name],
                &new.foreign_data_wrappers[name],
                out,
            );
            true
        }
        ObjectId::ForeignServer { name } => {
            change::recreate_server(&old.foreign_servers[name], &new.foreign_servers[name], out);
            true
        }
        ObjectId::UserMapping { server, user } => {
            let key = (server.clone(), user.clone());
            change::recreate_user_mapping(&old.user_mappings[&key], &new.user_mappings[&key], out);
            true
        }
        ObjectId::ForeignTable { name } => {
            change::recreate_foreign_table(
                &old.foreign_tables[name],
                &new.foreign_tables[name],
                out,
            );
            true
        }
        ObjectId::Statistics { name } => {
            change::recreate_statistics(&old.statistics[name], &new.statistics[name], out);
            true
        }
        ObjectId::Operator { name, left, right } => {
            let key = (name.clone(), left.clone(), right.clone());
            change::recreate_operator(&old.operators[&key], &new.operators[&key], out);
            true
        }
        ObjectId::Conversion { name } => {
            change::recreate_conversion(&old.conversions[name], &new.conversions[name], out);
            true
        }
        ObjectId::OperatorClass { name, method } => {
            let key = (name.clone(), method.clone());
            change::recreate_operator_class(
                &old.operator_classes[&key],
                &new.operator_classes[&key],
                out,
            );
            true
        }
        ObjectId::AccessMethod { name } => {
            change::recreate_access_method(
                &old.access_methods[name],
                &new.access_methods[name],
                out,
            );
            true
        }
        // Never dropped and created again for what they use: they are
        // altered in place, or go and come with what they belong to.
        ObjectId::Schema { .. }
        | ObjectId::Extension { .. }
        | ObjectId::Sequence { .. }
        | ObjectId::SequenceOwnership { .. }
        | ObjectId::TypeAttribute { .. }
        | ObjectId::DefaultPrivileges { .. }
        | ObjectId::Inheritance { .. }
        | ObjectId::Language { .. }
        | ObjectId::Subscription { .. }
        | ObjectId::OperatorFamily { .. } => false,
    }
}

/// `key=value` options to set and keys to reset, sorted.
pub(crate) fn option_changes(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let key = |o: &String| o.split_once('=').map_or(o.clone(), |(k, _)| k.to_owned());
    let set = new.iter().filter(|o| !old.contains(o)).cloned().collect();
    let new_keys: Vec<String> = new.iter().map(key).collect();
    let reset = old
        .iter()
        .map(key)
        .filter(|k| !new_keys.contains(k))
        .collect();
    (set, reset)
}

/// Walks two maps side by side: `(old, new)` for every key in either.
fn pairs<'a, K: Ord, V>(
    old: &'a BTreeMap<K, V>,
    new: &'a BTreeMap<K, V>,
) -> impl Iterator<Item = (Option<&'a V>, Option<&'a V>)> {
    keyed_pairs(old, new).map(|(_, o, n)| (o, n))
}

/// [`pairs`], with the key.
fn keyed_pairs<'a, K: Ord, V>(
    old: &'a BTreeMap<K, V>,
    new: &'a BTreeMap<K, V>,
) -> impl Iterator<Item = (&'a K, Option<&'a V>, Option<&'a V>)> {
    let keys: BTreeSet<&K> = old.keys().chain(new.keys()).collect();
    keys.into_iter().map(|k| (k, old.get(k), new.get(k)))
}

/// A comment change, if the comment differs.
fn comment(target: ObjectId, old: Option<&String>, new: Option<&String>, out: &mut Vec<Change>) {
    if old != new {
        out.push(Change::Comment(CommentChange::Comment {
            target,
            comment: new.cloned(),
        }));
    }
}

fn schemas(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.schemas, &new.schemas) {
        match (o, n) {
            (Some(o), None) => out.push(Change::Schema(SchemaChange::DropSchema(o.clone()))),
            (None, Some(n)) => {
                out.push(Change::Schema(SchemaChange::CreateSchema(n.clone())));
                let id = ObjectId::Schema {
                    name: n.name.clone(),
                };
                comment(id, None, n.comment.as_ref(), out);
            }
            (Some(o), Some(n)) => {
                let id = ObjectId::Schema {
                    name: n.name.clone(),
                };
                comment(id, o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
}

fn extensions(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.extensions, &new.extensions) {
        match (o, n) {
            (Some(o), None) => {
                out.push(Change::Extension(ExtensionChange::DropExtension(o.clone())))
            }
            (None, Some(n)) => {
                out.push(Change::Extension(ExtensionChange::CreateExtension(
                    n.clone(),
                )));
                let id = ObjectId::Extension {
                    name: n.name.clone(),
                };
                // A fresh extension carries its control file's comment;
                // only a different one (or none) is news.
                comment(id, n.default_comment.as_ref(), n.comment.as_ref(), out);
            }
            // Extension scripts only go forward: an older version is had
            // by dropping and creating, which rebuilds what depends on it;
            // so is another schema for one that cannot move.
            (Some(o), Some(n))
                if is_downgrade(&o.version, &n.version)
                    || (o.schema != n.schema && (o.fixed_schema || n.fixed_schema)) =>
            {
                out.push(Change::Extension(ExtensionChange::DropExtension(o.clone())));
                out.push(Change::Extension(ExtensionChange::CreateExtension(
                    n.clone(),
                )));
                let id = ObjectId::Extension {
                    name: n.name.clone(),
                };
                comment(id, n.default_comment.as_ref(), n.comment.as_ref(), out);
            }
            (Some(o), Some(n)) => {
                if o.schema != n.schema {
                    out.push(Change::Extension(ExtensionChange::MoveExtension {
                        name: n.name.clone(),
                        schema: n.schema.clone(),
                    }));
                }
                if o.version != n.version {
                    out.push(Change::Extension(ExtensionChange::UpdateExtension {
                        name: n.name.clone(),
                        version: n.version.clone(),
                    }));
                }
                let id = ObjectId::Extension {
                    name: n.name.clone(),
                };
                comment(id, o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
}

/// Whether `to` is an older version than `from`, for versions made of
/// numbers and dots (`1.3` < `1.4` < `1.10`); other spellings never count
/// as older, and `ALTER EXTENSION … UPDATE` says whether a path exists.
fn is_downgrade(from: &str, to: &str) -> bool {
    let parse = |v: &str| -> Option<Vec<u64>> { v.split('.').map(|p| p.parse().ok()).collect() };
    match (parse(from), parse(to)) {
        (Some(from), Some(to)) => to < from,
        _ => false,
    }
}

/// Whether the column a sequence is owned by disappears in `new`, taking
/// the sequence with it.
fn owner_dropped(owned_by: Option<&(QualifiedName, String)>, new: &Catalog) -> bool {
    owned_by.is_some_and(|(table, column)| {
        !new.contains(&ObjectId::Column {
            table: table.clone(),
            column: column.clone(),
        })
    })
}

fn sequences(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.sequences, &new.sequences) {
        match (o, n) {
            (Some(o), None) => {
                // Dropping the owning column drops the sequence too.
                if !owner_dropped(o.owned_by.as_ref(), new) {
                    out.push(Change::Sequence(SequenceChange::DropSequence(o.clone())));
                }
            }
            (None, Some(n)) => {
                out.push(Change::Sequence(SequenceChange::CreateSequence(n.clone())));
                if n.owned_by.is_some() {
                    out.push(Change::Sequence(SequenceChange::SetSequenceOwner {
                        name: n.name.clone(),
                        owned_by: n.owned_by.clone(),
                    }));
                }
                let id = ObjectId::Sequence {
                    name: n.name.clone(),
                };
                comment(id, None, n.comment.as_ref(), out);
            }
            (Some(o), Some(n)) => {
                if o.unlogged != n.unlogged {
                    out.push(Change::Sequence(SequenceChange::SetSequenceUnlogged {
                        name: n.name.clone(),
                        unlogged: n.unlogged,
                    }));
                }
                if o.options != n.options {
                    out.push(Change::Sequence(SequenceChange::AlterSequence {
                        name: n.name.clone(),
                        from: o.options.clone(),
                        to: n.options.clone(),
                    }));
                }
                // A table made anew would take the sequences its columns
                // own down with it: they are let go first and owned again.
                let owner_rebuilt = o
                    .owned_by
                    .as_ref()
                    .is_some_and(|(table, _)| partitions::rebuilt(table, old, new));
                if o.owned_by != n.owned_by || owner_rebuilt {
                    if o.owned_by.is_some()
                        && n.owned_by.is_some()
                        && (owner_dropped(o.owned_by.as_ref(), new) || owner_rebuilt)
                    {
                        out.push(Change::Sequence(SequenceChange::ReleaseSequenceOwner {
                            name: n.name.clone(),
                        }));
                    }
                    out.push(Change::Sequence(SequenceChange::SetSequenceOwner {
                        name: n.name.clone(),
                        owned_by: n.owned_by.clone(),
                    }));
                }
                let id = ObjectId::Sequence {
                    name: n.name.clone(),
                };
                comment(id, o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
}

fn indexes(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.indexes, &new.indexes) {
        let id = |i: &gen_model::Index| ObjectId::Index {
            name: i.name.clone(),
        };
        if partitions::partition_index(o, n, old, new, out) {
            continue;
        }
        match (o, n) {
            (Some(o), None) => {
                // An index goes with its table.
                if new.tables.contains_key(&o.table) || new.views.contains_key(&o.table) {
                    out.push(Change::Index(IndexChange::DropIndex(o.clone())));
                }
            }
            (None, Some(n)) => {
                out.push(Change::Index(IndexChange::CreateIndex(n.clone())));
                comment(id(n), None, n.comment.as_ref(), out);
            }
            (Some(o), Some(n)) => {
                if o.definition != n.definition
                    || partitions::partition_indexes_differ(o, n, old, new)
                {
                    if new.tables.contains_key(&o.table) || new.views.contains_key(&o.table) {
                        out.push(Change::Index(IndexChange::DropIndex(o.clone())));
                    }
                    out.push(Change::Index(IndexChange::CreateIndex(n.clone())));
                    comment(id(n), None, n.comment.as_ref(), out);
                } else {
                    if o.tablespace != n.tablespace {
                        out.push(Change::Index(IndexChange::SetIndexTablespace {
                            name: n.name.clone(),
                            tablespace: n.tablespace.clone(),
                        }));
                    }
                    column_statistics(o, n, out);
                    comment(id(n), o.comment.as_ref(), n.comment.as_ref(), out);
                }
            }
            (None, None) => {}
        }
    }
}

/// Sampling targets of an index's columns set or reset in place.
fn column_statistics(o: &gen_model::Index, n: &gen_model::Index, out: &mut Vec<Change>) {
    let columns: BTreeSet<i16> = o
        .column_statistics
        .iter()
        .chain(&n.column_statistics)
        .map(|(c, _)| *c)
        .collect();
    let target = |i: &gen_model::Index, c: i16| {
        i.column_statistics
            .iter()
            .find(|(n, _)| *n == c)
            .map(|(_, v)| *v)
    };
    for c in columns {
        if target(o, c) != target(n, c) {
            out.push(Change::Index(IndexChange::SetColumnStatistics {
                name: n.name.clone(),
                column: c,
                target: target(n, c),
            }));
        }
    }
}

#[cfg(test)]
mod tests;
