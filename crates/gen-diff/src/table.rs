//! Tables, their columns and their constraints.
use std::collections::BTreeMap;

use gen_model::{
    CastContext, Catalog, Column, Constraint, ConstraintKind, ObjectId, QualifiedName, Table,
};
use petgraph::graphmap::DiGraphMap;

use crate::change::{column_id, constraint_id, table_id};
use crate::{
    Change, ColumnAction, ColumnChange, CommentChange, ConstraintChange, Conversion, TableChange,
    comment, pairs, partitions,
};

pub(crate) fn tables(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.tables, &new.tables) {
        match (o, n) {
            (Some(o), None) => out.push(Change::Table(TableChange::DropTable(o.clone()))),
            (None, Some(n)) => create_table(n, new, out),
            (Some(o), Some(n)) if partitions::rebuilt(&n.name, old, new) => {
                partitions::rebuild(o, n, new, out);
            }
            (Some(o), Some(n)) => {
                let (o, n) = partitions::prepare(o, n, old, new, out);
                alter_table(&o, &n, old, new, out);
            }
            (None, None) => {}
        }
    }
    break_dropped_cycles(old, new, out);
}

/// Constraints `CREATE TABLE` carries: all but foreign keys, added afterwards
/// so that tables referencing each other can always be created, and `NOT
/// VALID` ones, which only `ALTER TABLE` can leave unvalidated.
fn is_inline(c: &Constraint) -> bool {
    c.kind != ConstraintKind::ForeignKey && c.validated
}

pub(crate) fn create_table(t: &Table, new: &Catalog, out: &mut Vec<Change>) {
    let mut inline = t.clone();
    inline.constraints.retain(|_, c| is_inline(c));
    // A NOT VALID not-null constraint (18) is added after the table, as
    // one of the table's own is always checked.
    let mut not_valid = Vec::new();
    for c in &mut inline.columns {
        if c.not_null && c.not_null_not_valid {
            not_valid.push((c.name.clone(), not_null_added(&t.name, c)));
            *c = without_not_null(c);
        }
    }
    out.push(Change::Table(TableChange::CreateTable(inline)));
    for (column, action) in not_valid {
        out.push(Change::Column(ColumnChange::AlterColumn {
            table: t.name.clone(),
            column,
            action,
        }));
    }
    comment(table_id(&t.name), None, t.comment.as_ref(), out);
    for c in &t.columns {
        comment(column_id(&t.name, &c.name), None, c.comment.as_ref(), out);
    }
    for c in t.constraints.values() {
        // What a parent gives comes with the parent.
        if !is_inline(c) && !c.inherited.only_inherited() {
            out.push(Change::Constraint(ConstraintChange::AddConstraint {
                table: t.name.clone(),
                constraint: c.clone(),
            }));
        }
        constraint_comments(&t.name, None, c, out);
    }
    partitions::after_create(t, new, out);
}

fn alter_table(o: &Table, n: &Table, old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    if o.unlogged != n.unlogged {
        out.push(Change::Table(TableChange::SetUnlogged {
            table: n.name.clone(),
            unlogged: n.unlogged,
        }));
    }
    if o.of_type.is_some() && n.of_type.is_none() {
        out.push(Change::Table(TableChange::SetNotOf {
            table: n.name.clone(),
        }));
    }
    if o.access_method != n.access_method {
        out.push(Change::Table(TableChange::SetAccessMethod {
            table: n.name.clone(),
            access_method: n.access_method.clone(),
        }));
    }
    if o.tablespace != n.tablespace {
        out.push(Change::Table(TableChange::SetTablespace {
            table: n.name.clone(),
            tablespace: n.tablespace.clone(),
        }));
    }
    if o.options != n.options {
        let (set, reset) = crate::option_changes(&o.options, &n.options);
        out.push(Change::Table(TableChange::SetTableOptions {
            table: n.name.clone(),
            set,
            reset,
        }));
    }
    comment(
        table_id(&n.name),
        o.comment.as_ref(),
        n.comment.as_ref(),
        out,
    );

    let old_cols: BTreeMap<&str, &Column> =
        o.columns.iter().map(|c| (c.name.as_str(), c)).collect();
    // A typed table's columns come, go and change type with its type's
    // attributes (`ALTER TYPE … CASCADE`): only their options are its own.
    let typed = o.of_type.is_some() && o.of_type == n.of_type;
    for nc in &n.columns {
        match old_cols.get(nc.name.as_str()) {
            None if typed => {
                let made = Column {
                    not_null: false,
                    not_null_name: None,
                    default: None,
                    identity: None,
                    generated: None,
                    comment: None,
                    ..nc.clone()
                };
                alter_column(&n.name, &made, nc, [old, new], out);
            }
            None => add_column(&n.name, nc, out),
            Some(oc) if typed => {
                let retyped = Column {
                    data_type: oc.data_type.clone(),
                    base_type: oc.base_type.clone(),
                    collation: oc.collation.clone(),
                    ..nc.clone()
                };
                alter_column(&n.name, oc, &retyped, [old, new], out);
            }
            Some(oc) => alter_column(&n.name, oc, nc, [old, new], out),
        }
    }
    for oc in &o.columns {
        if n.column(&oc.name).is_none() && !typed {
            out.push(Change::Column(ColumnChange::DropColumn {
                table: n.name.clone(),
                column: oc.clone(),
            }));
        }
    }

    for (oc, nc) in pairs(&o.constraints, &n.constraints) {
        match (oc, nc) {
            (Some(oc), None) => out.push(Change::Constraint(ConstraintChange::DropConstraint {
                table: n.name.clone(),
                constraint: oc.clone(),
            })),
            (None, Some(nc)) => {
                out.push(Change::Constraint(ConstraintChange::AddConstraint {
                    table: n.name.clone(),
                    constraint: nc.clone(),
                }));
                constraint_comments(&n.name, None, nc, out);
            }
            (Some(oc), Some(nc)) => {
                let same_meaning = oc.kind == nc.kind
                    && oc.definition_without_validity() == nc.definition_without_validity();
                if same_meaning && (oc.validated == nc.validated || nc.validated) {
                    if !oc.validated && nc.validated {
                        out.push(Change::Constraint(ConstraintChange::ValidateConstraint {
                            table: n.name.clone(),
                            name: nc.name.clone(),
                        }));
                    }
                    index_storage(&n.name, oc, nc, out);
                    constraint_comments(&n.name, Some(oc), nc, out);
                } else {
                    // A constraint cannot be altered in place, nor made NOT VALID again.
                    out.push(Change::Constraint(ConstraintChange::DropConstraint {
                        table: n.name.clone(),
                        constraint: oc.clone(),
                    }));
                    out.push(Change::Constraint(ConstraintChange::AddConstraint {
                        table: n.name.clone(),
                        constraint: nc.clone(),
                    }));
                    constraint_comments(&n.name, None, nc, out);
                }
            }
            (None, None) => {}
        }
    }
}

/// The storage parameters and tablespace of the index behind a key or
/// exclusion constraint, changed in place: the index keeps its name, and
/// the foreign keys that use it stay.
fn index_storage(table: &QualifiedName, o: &Constraint, n: &Constraint, out: &mut Vec<Change>) {
    if o.index_options != n.index_options {
        let (set, reset) = crate::option_changes(&o.index_options, &n.index_options);
        out.push(Change::Constraint(ConstraintChange::SetIndexOptions {
            table: table.clone(),
            name: n.name.clone(),
            set,
            reset,
        }));
    }
    if o.index_tablespace != n.index_tablespace {
        out.push(Change::Constraint(ConstraintChange::SetIndexTablespace {
            table: table.clone(),
            name: n.name.clone(),
            tablespace: n.index_tablespace.clone(),
        }));
    }
}

/// The comments of a constraint and of the index behind it.
pub(crate) fn constraint_comments(
    table: &QualifiedName,
    old: Option<&Constraint>,
    new: &Constraint,
    out: &mut Vec<Change>,
) {
    comment(
        constraint_id(table, &new.name),
        old.and_then(|c| c.comment.as_ref()),
        new.comment.as_ref(),
        out,
    );
    let old_index = old.and_then(|c| c.index_comment.as_ref());
    if old_index != new.index_comment.as_ref() {
        out.push(Change::Comment(CommentChange::ConstraintIndexComment {
            table: table.clone(),
            constraint: new.name.clone(),
            comment: new.index_comment.clone(),
        }));
    }
}

/// `CLUSTER ON` for every table whose clustering index changes, after the
/// indexes are planned (the step follows its index's creation). A table
/// made anew starts without one.
pub(crate) fn clusters(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for n in new.tables.values() {
        let o = old
            .tables
            .get(&n.name)
            .filter(|_| !partitions::rebuilt(&n.name, old, new));
        cluster(o, n, new, out);
    }
}

/// `CLUSTER ON` from `old`'s index (none for a new table) to `new`'s.
fn cluster(old: Option<&Table>, new: &Table, catalog: &Catalog, out: &mut Vec<Change>) {
    let was = old.and_then(|t| t.cluster_on.as_ref());
    if was == new.cluster_on.as_ref() {
        return;
    }
    match &new.cluster_on {
        Some(index) => {
            let name = QualifiedName::new(new.name.schema.clone(), index.clone());
            let holder = if catalog.indexes.contains_key(&name) {
                ObjectId::Index { name }
            } else if new.constraints.contains_key(index) {
                constraint_id(&new.name, index)
            } else {
                table_id(&new.name)
            };
            out.push(Change::Table(TableChange::ClusterOn {
                table: new.name.clone(),
                index: index.clone(),
                holder,
            }));
        }
        None => out.push(Change::Table(TableChange::SetWithoutCluster {
            table: new.name.clone(),
        })),
    }
}

fn add_column(table: &QualifiedName, c: &Column, out: &mut Vec<Change>) {
    // As in create_table: a NOT VALID not-null comes after the column.
    let not_valid = c.not_null && c.not_null_not_valid;
    out.push(Change::Column(ColumnChange::AddColumn {
        table: table.clone(),
        column: if not_valid {
            without_not_null(c)
        } else {
            c.clone()
        },
    }));
    if not_valid {
        out.push(Change::Column(ColumnChange::AlterColumn {
            table: table.clone(),
            column: c.name.clone(),
            action: not_null_added(table, c),
        }));
    }
    partitions::storage_changes(table, &c.name, &Default::default(), &c.storage, out);
    comment(column_id(table, &c.name), None, c.comment.as_ref(), out);
}

/// A column as it is before its not-null constraint is added.
fn without_not_null(c: &Column) -> Column {
    Column {
        not_null: false,
        not_null_name: None,
        not_null_not_valid: false,
        not_null_no_inherit: false,
        ..c.clone()
    }
}

/// `ADD CONSTRAINT … NOT NULL` of a column, with its name and flags.
fn not_null_added(table: &QualifiedName, c: &Column) -> ColumnAction {
    ColumnAction::AddNotNull {
        name: c
            .not_null_name
            .clone()
            .unwrap_or_else(|| gen_model::default_not_null_name(&table.name, &c.name)),
        not_valid: c.not_null_not_valid,
        no_inherit: c.not_null_no_inherit,
    }
}

/// How `ALTER COLUMN … TYPE` converts values. `USING` only when no
/// assignment cast leads from the old type to the new one: a bare type
/// change keeps the server's assignment semantics (it refuses to truncate a
/// `varchar`), which an explicit cast in `USING` would silently give up.
///
/// Casts are looked up on both sides: a type an extension brings in exists
/// only in the new catalog, and a type going away only in the old one.
fn conversion(old: &Column, new: &Column, catalogs: [&Catalog; 2]) -> Conversion {
    type_conversion(&old.base_type, &new.base_type, catalogs)
}

/// Whether `ALTER COLUMN … TYPE` from `o` to `n` makes the server write
/// every row anew, as it decides (`ATColumnChangeRequiresRewrite`): not
/// when the conversion is a relabelling (a binary-coercible cast, a domain
/// without constraints and its base type, a collation) or a length
/// coercion its support function proves a no-op (a wider `varchar`,
/// `varbit`, `numeric` precision at the same scale, time precision).
/// `timestamp` and `timestamptz` convert without a rewrite only where the
/// session's time zone is UTC, which the plan cannot know: a rewrite.
pub(crate) fn rewrites(o: &Column, n: &Column, catalogs: [&Catalog; 2]) -> bool {
    if o.data_type == n.data_type {
        // The collation alone.
        return false;
    }
    if o.data_type.ends_with("[]") || n.data_type.ends_with("[]") {
        // Arrays convert element by element (ArrayCoerceExpr).
        return true;
    }
    if o.base_type == n.base_type {
        return !widens(&o.base_type, modifier(&o.data_type), modifier(&n.data_type));
    }
    let [old, new] = catalogs;
    fn domain<'c>(catalog: &'c Catalog, name: &str) -> Option<&'c gen_model::Domain> {
        catalog
            .domains
            .values()
            .find(|d| d.name.to_string() == name)
    }
    // Into a domain over the old type, or out of one into its base type:
    // a relabelling unless the domain has constraints to check.
    if let Some(d) = domain(new, &n.base_type)
        && d.base_type == o.data_type
    {
        return d.not_null || !d.constraints.is_empty();
    }
    if let Some(d) = domain(old, &o.base_type)
        && d.base_type == n.data_type
    {
        return false;
    }
    let key = (o.base_type.clone(), n.base_type.clone());
    let binary = catalogs.iter().any(|c| c.binary_casts.contains(&key));
    // A binary cast into a type with a length (`text` to `varchar(20)`)
    // still checks every value's length.
    !(binary && n.data_type == n.base_type)
}

/// The modifier of a type as `format_type` writes it: `20` of
/// `character varying(20)`, `3` of `timestamp(3) without time zone`,
/// `10,2` of `numeric(10,2)`.
fn modifier(data_type: &str) -> Option<&str> {
    let (_, rest) = data_type.split_once('(')?;
    rest.split_once(')').map(|(m, _)| m)
}

/// Whether a change of `base`'s modifier from `from` to `to` keeps every
/// stored value as it is, as the type's length-coercion support function
/// decides (`varchar_support`, `numeric_support`, `timestamp_support`, …).
fn widens(base: &str, from: Option<&str>, to: Option<&str>) -> bool {
    let number = |m: Option<&str>| m.and_then(|m| m.trim().parse::<i64>().ok());
    match base {
        "character varying" | "bit varying" => match (number(from), number(to)) {
            (_, None) => true,
            (Some(f), Some(t)) => t >= f,
            (None, Some(_)) => false,
        },
        "numeric" => {
            let parts = |m: Option<&str>| {
                m.map(|m| {
                    let mut it = m.split(',').map(|p| p.trim().parse::<i64>().unwrap_or(0));
                    (it.next().unwrap_or(0), it.next().unwrap_or(0))
                })
            };
            match (parts(from), parts(to)) {
                (_, None) => true,
                (Some((fp, fs)), Some((tp, ts))) => ts == fs && tp >= fp,
                (None, Some(_)) => false,
            }
        }
        "timestamp without time zone"
        | "timestamp with time zone"
        | "time without time zone"
        | "time with time zone"
        | "interval" => match (number(from), number(to)) {
            (_, None) => true,
            (_, Some(t)) if t >= 6 => true,
            (Some(f), Some(t)) => t >= f,
            (None, Some(_)) => false,
        },
        _ => false,
    }
}

/// How values of type `from` become values of type `to` (see
/// [`conversion`]), for a column or an attribute of a composite type.
pub(crate) fn type_conversion(from: &str, to: &str, catalogs: [&Catalog; 2]) -> Conversion {
    if from == to || matches!(to, "text" | "character varying" | "character") {
        // Same type with other modifiers, or any type to a string type by
        // I/O conversion, which counts as an assignment cast.
        return Conversion::Assignment;
    }
    // Arrays convert element by element.
    let (from, to) = match (from.strip_suffix("[]"), to.strip_suffix("[]")) {
        (Some(f), Some(t)) => (f, t),
        _ => (from, to),
    };
    if from == to {
        return Conversion::Assignment;
    }
    let key = (from.to_owned(), to.to_owned());
    match catalogs.iter().find_map(|c| c.cast_contexts.get(&key)) {
        Some(CastContext::Assignment | CastContext::Implicit) => Conversion::Assignment,
        Some(CastContext::Explicit) => Conversion::Explicit,
        // From a string type the server converts through the target's input
        // function, which is what going through text would do anyway.
        None if matches!(from, "text" | "character varying" | "character") => Conversion::Explicit,
        None => Conversion::ViaText,
    }
}

pub(crate) fn alter_column(
    table: &QualifiedName,
    o: &Column,
    n: &Column,
    catalogs: [&Catalog; 2],
    out: &mut Vec<Change>,
) {
    let id = column_id(table, &n.name);
    // Before 17 a column cannot take a generation expression in place, and
    // no major turns a stored one virtual or back; a generated column holds
    // no data of its own, so drop and add loses nothing.
    // From 17 on a generated column changes its expression in place (on
    // 18 a virtual one too, with no rewrite).
    let set_expression = catalogs[1].major >= 17
        && o.generated.is_some()
        && o.virtual_generated == n.virtual_generated
        && (!n.virtual_generated || catalogs[1].major >= 18);
    if n.generated.is_some()
        && (o.generated != n.generated || o.virtual_generated != n.virtual_generated)
        && !set_expression
    {
        out.push(Change::Column(ColumnChange::DropColumn {
            table: table.clone(),
            column: o.clone(),
        }));
        add_column(table, n, out);
        return;
    }
    let mut actions = Vec::new();
    let type_changes = o.data_type != n.data_type || o.collation != n.collation;
    let identity_added = o.identity.is_none() && n.identity.is_some();
    if o.default.is_some() && (o.default != n.default || type_changes || identity_added) {
        actions.push(ColumnAction::DropDefault);
    }
    if let (Some(oi), None) = (&o.identity, &n.identity) {
        actions.push(ColumnAction::DropIdentity {
            sequence: oi.sequence.clone(),
        });
    }
    if o.generated.is_some() && n.generated.is_none() {
        actions.push(ColumnAction::DropExpression);
    }
    if let (Some(from), Some(to)) = (&o.generated, &n.generated)
        && from != to
    {
        actions.push(ColumnAction::SetExpression {
            expression: to.clone(),
            stored: !n.virtual_generated,
        });
    }
    // Narrowing an identity column's type converts its sequence, which
    // refuses bounds the narrower type cannot hold: then the identity's
    // options change first, while the column is still of the wider type
    // (widening is the other way round: the type first, below).
    let mut identity_from = None;
    if let (true, Some(oi), Some(ni)) = (type_changes, &o.identity, &n.identity)
        && !fits(&oi.options.converted_to(&ni.options.data_type))
    {
        let to = gen_model::SequenceOptions {
            data_type: oi.options.data_type.clone(),
            ..ni.options.clone()
        };
        if oi.options != to {
            actions.push(ColumnAction::SetIdentityOptions {
                from: oi.options.clone(),
                to: to.clone(),
            });
        }
        identity_from = Some(to.converted_to(&ni.options.data_type));
    }
    if type_changes {
        actions.push(ColumnAction::Type {
            from: o.data_type.clone(),
            to: n.data_type.clone(),
            collation: n.collation.clone(),
            conversion: conversion(o, n, catalogs),
            rewrites: rewrites(o, n, catalogs),
        });
    }
    if let Some(d) = &n.default
        && (o.default.as_ref() != Some(d) || type_changes)
    {
        actions.push(ColumnAction::SetDefault(d.clone()));
    }
    let default_name = || gen_model::default_not_null_name(&table.name, &n.name);
    // From 18 on a valid not-null constraint cannot be made NOT VALID
    // again: it is dropped and added.
    let readded = o.not_null && n.not_null && !o.not_null_not_valid && n.not_null_not_valid;
    if readded {
        actions.push(ColumnAction::DropNotNull);
    }
    let flagged = n.not_null_not_valid || n.not_null_no_inherit;
    match (&o.not_null_name, &n.not_null_name) {
        // From 18 on: a name of its own, or a new one, or NOT VALID or NO
        // INHERIT, which only ADD CONSTRAINT can say.
        (_, Some(name))
            if (!o.not_null || readded) && n.not_null && (*name != default_name() || flagged) =>
        {
            actions.push(ColumnAction::AddNotNull {
                name: name.clone(),
                not_valid: n.not_null_not_valid,
                no_inherit: n.not_null_no_inherit,
            });
        }
        _ if !o.not_null && n.not_null => actions.push(ColumnAction::SetNotNull),
        (Some(from), Some(to)) if o.not_null && n.not_null && !readded && from != to => {
            actions.push(ColumnAction::RenameNotNull {
                from: from.clone(),
                to: to.clone(),
            });
        }
        _ => {}
    }
    if o.not_null && n.not_null && !readded {
        let name = n.not_null_name.clone().unwrap_or_else(default_name);
        if o.not_null_not_valid && !n.not_null_not_valid {
            actions.push(ColumnAction::ValidateNotNull { name: name.clone() });
        }
        if o.not_null_no_inherit != n.not_null_no_inherit {
            actions.push(ColumnAction::SetNotNullInherit {
                name,
                inherit: !n.not_null_no_inherit,
            });
        }
    }
    // Dropping identity leaves NOT NULL in place; an identity column is always NOT NULL.
    if o.not_null && !n.not_null {
        actions.push(ColumnAction::DropNotNull);
    }
    match (&o.identity, &n.identity) {
        (None, Some(ni)) => actions.push(ColumnAction::AddIdentity(ni.clone())),
        (Some(oi), Some(ni)) => {
            if oi.always != ni.always {
                actions.push(ColumnAction::SetGeneration { always: ni.always });
            }
            // A type change converts the identity's sequence to the new type,
            // moving bounds that were the old type's defaults along with it.
            let from = if let Some(from) = identity_from {
                from
            } else if type_changes {
                oi.options.converted_to(&ni.options.data_type)
            } else {
                oi.options.clone()
            };
            if from != ni.options {
                actions.push(ColumnAction::SetIdentityOptions {
                    from,
                    to: ni.options.clone(),
                });
            }
        }
        _ => {}
    }
    for action in actions {
        out.push(Change::Column(ColumnChange::AlterColumn {
            table: table.clone(),
            column: n.name.clone(),
            action,
        }));
    }
    partitions::storage_changes(table, &n.name, &o.storage, &n.storage, out);
    comment(id, o.comment.as_ref(), n.comment.as_ref(), out);
}

/// Whether a sequence's bounds are within the range of its type: a type
/// change converts the bounds that were the old type's defaults, and
/// refuses any other that the new type cannot hold.
fn fits(options: &gen_model::SequenceOptions) -> bool {
    let (min, max) = match options.data_type.as_str() {
        "smallint" => (i64::from(i16::MIN), i64::from(i16::MAX)),
        "integer" => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    (min..=max).contains(&options.min_value) && (min..=max).contains(&options.max_value)
}

/// Tables dropped together may reference each other in a cycle; `DROP TABLE`
/// of either one fails while the other's foreign key points at it. Drop the
/// foreign keys inside each such cycle first, and only those.
fn break_dropped_cycles(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    let dropped: Vec<&Table> = old
        .tables
        .values()
        .filter(|t| !new.tables.contains_key(&t.name))
        .collect();
    let mut graph: DiGraphMap<&QualifiedName, ()> = DiGraphMap::new();
    for t in &dropped {
        graph.add_node(&t.name);
        for c in t.constraints.values() {
            if let Some(target) = &c.references
                && target != &t.name
                && !new.tables.contains_key(target)
            {
                graph.add_edge(&t.name, target, ());
            }
        }
    }
    let mut in_cycle = std::collections::BTreeSet::new();
    for scc in petgraph::algo::tarjan_scc(&graph) {
        if scc.len() > 1 {
            in_cycle.extend(scc);
        }
    }
    for t in dropped {
        if !in_cycle.contains(&t.name) {
            continue;
        }
        for c in t.constraints.values() {
            if c.references
                .as_ref()
                .is_some_and(|r| in_cycle.contains(r) && r != &t.name)
            {
                out.push(Change::Constraint(ConstraintChange::DropConstraint {
                    table: t.name.clone(),
                    constraint: c.clone(),
                }));
            }
        }
    }
}
