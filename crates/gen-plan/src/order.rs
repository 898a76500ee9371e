//! Ordering changes on a graph with two vertices per object.
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use gen_diff::{
    Action, Change, ColumnChange, CommentChange, DomainChange, OwnerChange, PrivilegesChange,
    TableChange, TypeChange,
};
use gen_model::{Catalog, ConstraintKind, ObjectId};
use petgraph::graph::{DiGraph, NodeIndex};

use crate::CycleError;

type Vertex = (Action, ObjectId);

/// The order in which kinds are dropped and created when nothing else
/// decides: dependents go first on the way down and last on the way up.
fn rank(action: Action, id: &ObjectId) -> u8 {
    let create = match id {
        ObjectId::Schema { .. } => 0,
        ObjectId::Extension { .. } => 1,
        ObjectId::Sequence { .. } => 2,
        ObjectId::Table { .. } => 3,
        ObjectId::Column { .. } => 4,
        ObjectId::Constraint { .. } => 5,
        ObjectId::Index { .. } => 6,
        ObjectId::SequenceOwnership { .. } => 7,
        ObjectId::View { .. } => 8,
        ObjectId::MaterializedView { .. } => 9,
        ObjectId::Policy { .. } => 10,
        // Early: objects take the defaults in force when they are created.
        ObjectId::DefaultPrivileges { .. } => 1,
        ObjectId::Inheritance { .. } => 11,
        ObjectId::ReplicaIdentity { .. } => 12,
        ObjectId::Collation { .. } => 13,
        ObjectId::Type { .. } => 14,
        ObjectId::Domain { .. } => 15,
        ObjectId::DomainConstraint { .. } => 16,
        ObjectId::TypeAttribute { .. } => 17,
        ObjectId::Function { .. } => 18,
        ObjectId::Aggregate { .. } => 19,
        ObjectId::Trigger { .. } => 20,
        ObjectId::EventTrigger { .. } => 21,
        // Last: it names tables, their columns and schemas.
        ObjectId::Publication { .. } => 22,
        ObjectId::Cast { .. } => 23,
        ObjectId::Rule { .. } => 24,
        // Early: they need nothing but extensions, and what uses them
        // may name them only in text (a function body's
        // `to_tsvector('app.simple', …)`) that the server does not record.
        ObjectId::TextSearchDictionary { .. }
        | ObjectId::TextSearchConfiguration { .. }
        | ObjectId::TextSearchParser { .. }
        | ObjectId::TextSearchTemplate { .. } => 1,
        // Early, in this order: a server needs its wrapper, a mapping its server.
        ObjectId::ForeignDataWrapper { .. }
        | ObjectId::ForeignServer { .. }
        | ObjectId::UserMapping { .. } => 1,
        ObjectId::ForeignTable { .. } => 3,
        // With the table's indexes.
        ObjectId::Statistics { .. } => 6,
        // With the functions they are made of.
        ObjectId::Operator { .. } => 18,
        // Early: functions are written in it.
        ObjectId::Language { .. } => 1,
        // With the functions they are made of.
        ObjectId::Conversion { .. } => 18,
        // Early: tables are stored by them.
        ObjectId::AccessMethod { .. } => 1,
        // Last: it needs nothing of the schema's, and nothing needs it.
        ObjectId::Subscription { .. } => 25,
        // With the operators and functions they are made of.
        ObjectId::OperatorFamily { .. } | ObjectId::OperatorClass { .. } => 18,
    };
    match action {
        Action::Drop => 40 - create,
        Action::CreateOrAlter => create,
    }
}

pub(crate) struct Graph<'a> {
    graph: DiGraph<Vertex, ()>,
    index: BTreeMap<Vertex, NodeIndex>,
    steps: BTreeMap<NodeIndex, Vec<&'a Change>>,
    /// Vertices that create or drop a whole table, standing for its parts.
    whole: BTreeSet<NodeIndex>,
    old: &'a Catalog,
    new: &'a Catalog,
}

impl<'a> Graph<'a> {
    fn vertex(&mut self, v: Vertex) -> NodeIndex {
        if let Some(&i) = self.index.get(&v) {
            return i;
        }
        let i = self.graph.add_node(v.clone());
        self.index.insert(v, i);
        i
    }

    /// The object that holds `id` and is created or dropped with it.
    fn owner(&self, action: Action, id: &ObjectId) -> Option<ObjectId> {
        let catalog = match action {
            Action::Drop => self.old,
            Action::CreateOrAlter => self.new,
        };
        match id {
            ObjectId::Column { table, .. }
            | ObjectId::Constraint { table, .. }
            | ObjectId::Policy { table, .. } => Some(ObjectId::Table {
                name: table.clone(),
            }),
            ObjectId::Index { name } => catalog.indexes.get(name).map(|i| ObjectId::Table {
                name: i.table.clone(),
            }),
            ObjectId::Inheritance { table, .. } | ObjectId::ReplicaIdentity { table } => {
                Some(ObjectId::Table {
                    name: table.clone(),
                })
            }
            ObjectId::Trigger { table, .. } | ObjectId::Rule { table, .. } => {
                Some(ObjectId::Table {
                    name: table.clone(),
                })
            }
            // An identity column's sequence comes with its table; only
            // its grants are its own.
            ObjectId::Sequence { name } => {
                catalog.identity_column(name).map(|(t, _)| ObjectId::Table {
                    name: t.name.clone(),
                })
            }
            // A checked constraint is written into CREATE DOMAIN.
            ObjectId::DomainConstraint { domain, .. } => Some(ObjectId::Domain {
                name: domain.clone(),
            }),
            // Not part of a table or domain.
            ObjectId::Schema { .. }
            | ObjectId::Extension { .. }
            | ObjectId::Table { .. }
            | ObjectId::SequenceOwnership { .. }
            | ObjectId::Type { .. }
            | ObjectId::Domain { .. }
            | ObjectId::Collation { .. }
            | ObjectId::TypeAttribute { .. }
            | ObjectId::Function { .. }
            | ObjectId::Aggregate { .. }
            | ObjectId::EventTrigger { .. }
            | ObjectId::View { .. }
            | ObjectId::MaterializedView { .. }
            | ObjectId::DefaultPrivileges { .. }
            | ObjectId::Publication { .. }
            | ObjectId::Cast { .. }
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
            | ObjectId::OperatorClass { .. } => None,
        }
    }

    /// The vertex that creates (or drops) `id`: its own, or that of the
    /// table created (or dropped) whole together with it.
    ///
    /// A vertex that only comments does not count: a column of a new table
    /// may have a vertex for its comment, but `CREATE TABLE` makes it.
    pub(crate) fn resolve(&self, action: Action, id: &ObjectId) -> Option<NodeIndex> {
        let exact = self.index.get(&(action, id.clone())).copied();
        if let Some(i) = exact
            && !self.only_comments(i)
        {
            return Some(i);
        }
        if let Some(owner) = self.owner(action, id)
            && let Some(&i) = self.index.get(&(action, owner))
            && self.whole.contains(&i)
        {
            return Some(i);
        }
        exact
    }

    /// The changes vertex `i` stands for.
    pub(crate) fn changes(&self, i: NodeIndex) -> &[&'a Change] {
        self.steps.get(&i).map_or(&[], Vec::as_slice)
    }

    /// Whether a vertex only comments on its object (or grants on it, or
    /// hands it to an owner) rather than making it.
    fn only_comments(&self, i: NodeIndex) -> bool {
        self.steps.get(&i).is_some_and(|steps| {
            steps.iter().all(|c| {
                matches!(
                    c,
                    Change::Comment(CommentChange::Comment { .. })
                        | Change::Comment(CommentChange::ConstraintIndexComment { .. })
                        | Change::Comment(CommentChange::ViewColumnComment { .. })
                        | Change::Privileges(PrivilegesChange::Privileges { .. })
                        | Change::Owner(OwnerChange::SetOwner { .. })
                )
            })
        })
    }

    pub(crate) fn exact(&self, action: Action, id: &ObjectId) -> Option<NodeIndex> {
        self.index.get(&(action, id.clone())).copied()
    }

    /// Every vertex, in identity order.
    pub(crate) fn vertices(&self) -> Vec<Vertex> {
        self.index.keys().cloned().collect()
    }

    /// Whether vertex `i` creates or drops a whole table.
    pub(crate) fn is_whole(&self, i: NodeIndex) -> bool {
        self.whole.contains(&i)
    }

    /// Turns the edge `from → to`, if there is one, into `to → from`.
    pub(crate) fn reverse(&mut self, from: Option<NodeIndex>, to: Option<NodeIndex>) {
        if let (Some(a), Some(b)) = (from, to)
            && let Some(e) = self.graph.find_edge(a, b)
        {
            self.graph.remove_edge(e);
            self.graph.update_edge(b, a, ());
        }
    }

    /// The catalog the plan starts from.
    pub(crate) fn old_catalog(&self) -> &'a Catalog {
        self.old
    }

    /// The catalog the plan leads to.
    pub(crate) fn new_catalog(&self) -> &'a Catalog {
        self.new
    }

    pub(crate) fn edge(&mut self, from: Option<NodeIndex>, to: Option<NodeIndex>) {
        if let (Some(a), Some(b)) = (from, to)
            && a != b
        {
            self.graph.update_edge(a, b, ());
        }
    }
}

/// Orders `changes` so that each runs after everything it needs.
/// The names an object holds in its schema's namespace of relations: a
/// table's, view's, sequence's or index's own, and a table's key
/// constraints' indexes; a table dropped whole frees its indexes' names
/// too (`indexes` holds each table's indexes).
fn relation_names(
    catalog: &Catalog,
    indexes: &BTreeMap<&gen_model::QualifiedName, Vec<&gen_model::QualifiedName>>,
    id: &ObjectId,
) -> Vec<(String, String)> {
    let key = |kind: &ConstraintKind| {
        matches!(
            kind,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion
        )
    };
    let own = |name: &gen_model::QualifiedName| (name.schema.clone(), name.name.clone());
    match id {
        ObjectId::Table { name } => std::iter::once(own(name))
            .chain(
                catalog
                    .tables
                    .get(name)
                    .into_iter()
                    .flat_map(|t| t.constraints.values())
                    .filter(|c| key(&c.kind))
                    .map(|c| (name.schema.clone(), c.name.clone())),
            )
            .chain(indexes.get(name).into_iter().flatten().map(|i| own(i)))
            .collect(),
        ObjectId::View { name }
        | ObjectId::MaterializedView { name }
        | ObjectId::Sequence { name }
        | ObjectId::Index { name }
        | ObjectId::ForeignTable { name } => vec![own(name)],
        ObjectId::Constraint { table, constraint } => catalog
            .tables
            .get(table)
            .and_then(|t| t.constraints.get(constraint))
            .filter(|c| key(&c.kind))
            .map(|c| vec![(table.schema.clone(), c.name.clone())])
            .unwrap_or_default(),
        // Their names are not tracked here.
        ObjectId::Schema { .. }
        | ObjectId::Extension { .. }
        | ObjectId::Column { .. }
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
        | ObjectId::Policy { .. }
        | ObjectId::DefaultPrivileges { .. }
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
        | ObjectId::Statistics { .. }
        | ObjectId::Operator { .. }
        | ObjectId::Language { .. }
        | ObjectId::Conversion { .. }
        | ObjectId::AccessMethod { .. }
        | ObjectId::TextSearchParser { .. }
        | ObjectId::TextSearchTemplate { .. }
        | ObjectId::Subscription { .. }
        | ObjectId::OperatorFamily { .. }
        | ObjectId::OperatorClass { .. } => Vec::new(),
    }
}

/// Each table's indexes.
fn indexes_by_table(
    catalog: &Catalog,
) -> BTreeMap<&gen_model::QualifiedName, Vec<&gen_model::QualifiedName>> {
    let mut out: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for index in catalog.indexes.values() {
        out.entry(&index.table).or_default().push(&index.name);
    }
    out
}

pub(crate) fn order<'a>(
    changes: &'a [Change],
    old: &'a Catalog,
    new: &'a Catalog,
) -> Result<Vec<&'a Change>, CycleError> {
    let mut g = Graph {
        graph: DiGraph::new(),
        index: BTreeMap::new(),
        steps: BTreeMap::new(),
        whole: BTreeSet::new(),
        old,
        new,
    };
    for change in changes {
        let v = g.vertex(change.target());
        g.steps.entry(v).or_default().push(change);
        if matches!(
            change,
            Change::Table(TableChange::CreateTable(_))
                | Change::Table(TableChange::DropTable(_))
                | Change::Domain(DomainChange::CreateDomain(_))
                | Change::Domain(DomainChange::DropDomain(_))
        ) {
            g.whole.insert(v);
        }
    }

    // An identity is added after the column's other alters (SET NOT NULL,
    // DROP DEFAULT), which sit on the column's own vertex.
    for change in changes {
        if let Change::Column(ColumnChange::AlterColumn {
            table,
            column,
            action: gen_diff::ColumnAction::AddIdentity(_),
        }) = change
        {
            let column = ObjectId::Column {
                table: table.clone(),
                column: column.clone(),
            };
            let (from, to) = (
                g.exact(Action::CreateOrAlter, &column),
                g.exact(Action::CreateOrAlter, &change.target().1),
            );
            g.edge(from, to);
        }
    }

    // Grants on an identity column's sequence follow the column's creation
    // or its identity, whatever table it is on.
    for change in changes {
        let (Action::CreateOrAlter, ObjectId::Sequence { name }) = change.target() else {
            continue;
        };
        if let Some((t, c)) = new.identity_column(&name) {
            let column = ObjectId::Column {
                table: t.name.clone(),
                column: c.name.clone(),
            };
            let sequence = ObjectId::Sequence { name };
            let (from, to) = (
                g.exact(Action::CreateOrAlter, &column),
                g.exact(Action::CreateOrAlter, &sequence),
            );
            g.edge(from, to);
        }
    }

    // From 18 on a not-null constraint's name is taken in its schema: one
    // renamed away (a detached partition's, named after the parent it
    // left) is renamed before a table created with that name for its own
    // (the parent made anew), which would otherwise get another.
    for change in changes {
        let Change::Column(ColumnChange::AlterColumn {
            table,
            action: gen_diff::ColumnAction::RenameNotNull { from, .. },
            ..
        }) = change
        else {
            continue;
        };
        let rename = g.exact(Action::CreateOrAlter, &change.target().1);
        for other in changes {
            if let Change::Table(TableChange::CreateTable(t)) = other
                && t.name.schema == table.schema
                && t.columns
                    .iter()
                    .any(|c| c.not_null_name.as_deref() == Some(from.as_str()))
            {
                let create = g.exact(Action::CreateOrAlter, &other.target().1);
                g.edge(rename, create);
            }
        }
    }

    // A type rebuilt under its own name goes, under its parked name, after
    // every column and type moved off it.
    for change in changes {
        if let Change::Type(TypeChange::DropRetiredType { after, .. }) = change {
            let to = g.exact(Action::Drop, &change.target().1);
            for (action, id) in after {
                let from = g.exact(*action, id);
                g.edge(from, to);
            }
        }
    }

    let vertices: Vec<Vertex> = g.index.keys().cloned().collect();
    // Steps on a part of a table created (dropped) whole, such as a comment
    // on a new column, run after (before) the table's own step.
    for (action, id) in &vertices {
        let part = g.exact(*action, id);
        let whole = g
            .owner(*action, id)
            .and_then(|owner| g.exact(*action, &owner))
            .filter(|i| g.whole.contains(i));
        match action {
            Action::CreateOrAlter => g.edge(whole, part),
            Action::Drop => g.edge(part, whole),
        }
    }
    // The plan gives a created object the grants the new defaults give it
    // on creation, so default privileges change before anything is created
    // (except the schema they are scoped to).
    for (action, d) in &vertices {
        let ObjectId::DefaultPrivileges { schema, .. } = d else {
            continue;
        };
        let from = g.exact(*action, d);
        for (action, id) in &vertices {
            // Everything else is created under the new defaults.
            let skip = matches!(id, ObjectId::DefaultPrivileges { .. })
                || (matches!(id, ObjectId::Schema { .. }) && schema.is_some());
            if *action == Action::CreateOrAlter && !skip {
                let to = g.exact(Action::CreateOrAlter, id);
                g.edge(from, to);
            }
        }
    }
    for (action, id) in &vertices {
        if *action == Action::Drop {
            let drop = g.exact(Action::Drop, id);
            let create = g.exact(Action::CreateOrAlter, id);
            g.edge(drop, create);
        }
    }
    // Creates follow what they need in the new catalog.
    for (a, b) in &new.depends {
        let (from, to) = (
            g.resolve(Action::CreateOrAlter, b),
            g.resolve(Action::CreateOrAlter, a),
        );
        g.edge(from, to);
    }
    // A routine comes after those its body calls (an index that runs it
    // needs them), where the server records nothing.
    for (a, b) in &new.calls {
        let (from, to) = (
            g.resolve(Action::CreateOrAlter, b),
            g.resolve(Action::CreateOrAlter, a),
        );
        g.edge(from, to);
    }
    for (a, b) in &old.depends {
        // Drops precede the drops of what they needed in the old catalog.
        let (from, to) = (g.resolve(Action::Drop, a), g.resolve(Action::Drop, b));
        g.edge(from, to);
        // An object altered in place lets go of what it needed (a column
        // changing away from a type) before that goes.
        // (Unless the new `a` needs the new `b`: then `b` comes back first.)
        let altered = g.exact(Action::CreateOrAlter, a);
        if altered.is_some()
            && g.resolve(Action::Drop, a).is_none()
            && !new.depends.contains(&(a.clone(), b.clone()))
        {
            let dropped = g.resolve(Action::Drop, b);
            g.edge(altered, dropped);
        }
    }

    crate::partitions::edges(&mut g);

    // A typed table's column comes with its type's attribute (`ALTER TYPE
    // … ADD ATTRIBUTE … CASCADE`): its options are set after that.
    for t in new.tables.values() {
        let Some(of_type) = &t.of_type else { continue };
        let Some((type_name, _)) = new
            .types
            .keys()
            .map(|name| (name, name.to_string()))
            .find(|(_, text)| text == of_type)
        else {
            continue;
        };
        let made = g.exact(
            Action::CreateOrAlter,
            &ObjectId::Type {
                name: type_name.clone(),
            },
        );
        for c in &t.columns {
            let column = ObjectId::Column {
                table: t.name.clone(),
                column: c.name.clone(),
            };
            let options = g.exact(Action::CreateOrAlter, &column);
            g.edge(made, options);
        }
    }

    // Tables, views, sequences and indexes (a key constraint's index too)
    // share one namespace per schema: a name goes free when the object
    // holding it is dropped, and only then can another take it (a table
    // renamed by hand to `x_legacy` that keeps its `x_pkey`).
    let (old_indexes, new_indexes) = (indexes_by_table(old), indexes_by_table(new));
    let mut holders: BTreeMap<(String, String), Vec<NodeIndex>> = BTreeMap::new();
    for (action, id) in &vertices {
        if *action == Action::Drop {
            for name in relation_names(old, &old_indexes, id) {
                holders
                    .entry(name)
                    .or_default()
                    .extend(g.exact(Action::Drop, id));
            }
        }
    }
    for (action, id) in &vertices {
        if *action != Action::CreateOrAlter || holders.is_empty() {
            continue;
        }
        let create = g.exact(Action::CreateOrAlter, id);
        let held = relation_names(old, &old_indexes, id);
        for name in relation_names(new, &new_indexes, id) {
            if !holders.contains_key(&name) {
                continue;
            }
            // Unless the old object of that name is this one, still there.
            let held_by_self = held.contains(&name);
            for &drop in holders.get(&name).into_iter().flatten() {
                // An edge that would close a cycle is left out: the plan
                // then orders as it did before names were considered.
                let closes_cycle = create
                    .is_some_and(|c| petgraph::algo::has_path_connecting(&g.graph, c, drop, None));
                if !held_by_self && g.graph[drop].1 != *id && !closes_cycle {
                    g.edge(Some(drop), create);
                }
            }
        }
    }

    // Columns come in the order their table declares them (a table's
    // added columns land at its end in plan order), other objects by name.
    let position = |action: Action, id: &ObjectId| {
        let ObjectId::Column { table, column } = id else {
            return None;
        };
        let catalog = match action {
            Action::Drop => old,
            Action::CreateOrAlter => new,
        };
        let at = catalog
            .tables
            .get(table)?
            .columns
            .iter()
            .position(|c| &c.name == column)?;
        Some((table.clone(), at))
    };
    // Kahn's algorithm, taking the smallest ready vertex each time.
    let key = |g: &Graph, i: NodeIndex| {
        let (action, id) = &g.graph[i];
        Reverse((
            *action,
            rank(*action, id),
            position(*action, id),
            id.clone(),
            i,
        ))
    };
    let mut indegree: BTreeMap<NodeIndex, usize> = g
        .graph
        .node_indices()
        .map(|i| (i, g.graph.neighbors_directed(i, petgraph::Incoming).count()))
        .collect();
    let mut ready: BinaryHeap<_> = indegree
        .iter()
        .filter(|&(_, &d)| d == 0)
        .map(|(&i, _)| key(&g, i))
        .collect();
    let mut out = Vec::with_capacity(changes.len());
    let mut done = 0;
    while let Some(Reverse((_, _, _, _, i))) = ready.pop() {
        done += 1;
        out.extend(g.steps.get(&i).into_iter().flatten().copied());
        for next in g.graph.neighbors_directed(i, petgraph::Outgoing) {
            let d = indegree.get_mut(&next).expect("every vertex has a degree");
            *d -= 1;
            if *d == 0 {
                ready.push(key(&g, next));
            }
        }
    }
    if done < g.graph.node_count() {
        // Name the steps that need each other, not everything that waits
        // behind them: the strongly connected components of what is left.
        let mut left = g.graph.clone();
        left.retain_nodes(|_, i| indegree.get(&i).is_some_and(|&d| d > 0));
        let mut objects: Vec<String> = petgraph::algo::tarjan_scc(&left)
            .into_iter()
            .filter(|members| members.len() > 1)
            .flatten()
            .map(|i| {
                let (action, id) = &left[i];
                format!("{id} ({action:?})")
            })
            .collect();
        objects.sort();
        return Err(CycleError { objects });
    }
    Ok(out)
}
