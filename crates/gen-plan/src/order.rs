//! Ordering changes on a graph with two vertices per object.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use gen_diff::{Action, Change};
use gen_model::{Catalog, ObjectId};
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
        ObjectId::Function { .. } => 8,
        ObjectId::Aggregate { .. } => 9,
        ObjectId::View { .. } => 10,
        ObjectId::MaterializedView { .. } => 11,
        ObjectId::Trigger { .. } => 12,
        ObjectId::EventTrigger { .. } => 13,
    };
    match action {
        Action::Drop => u8::MAX - create,
        Action::CreateOrAlter => create,
    }
}

struct Graph<'a> {
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
            ObjectId::Column { table, .. } | ObjectId::Constraint { table, .. } => {
                Some(ObjectId::Table {
                    name: table.clone(),
                })
            }
            ObjectId::Index { name } => catalog.indexes.get(name).map(|i| ObjectId::Table {
                name: i.table.clone(),
            }),
            ObjectId::Trigger { table, .. } => Some(ObjectId::Table {
                name: table.clone(),
            }),
            _ => None,
        }
    }

    /// The vertex that creates (or drops) `id`: its own, or that of the
    /// table created (or dropped) whole together with it.
    ///
    /// A vertex that only comments does not count: a column of a new table
    /// may have a vertex for its comment, but `CREATE TABLE` makes it.
    fn resolve(&self, action: Action, id: &ObjectId) -> Option<NodeIndex> {
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

    /// Whether a vertex only comments on its object rather than making it.
    fn only_comments(&self, i: NodeIndex) -> bool {
        self.steps.get(&i).is_some_and(|steps| {
            steps.iter().all(|c| {
                matches!(
                    c,
                    Change::Comment { .. }
                        | Change::ConstraintIndexComment { .. }
                        | Change::ViewColumnComment { .. }
                )
            })
        })
    }

    fn exact(&self, action: Action, id: &ObjectId) -> Option<NodeIndex> {
        self.index.get(&(action, id.clone())).copied()
    }

    fn edge(&mut self, from: Option<NodeIndex>, to: Option<NodeIndex>) {
        if let (Some(a), Some(b)) = (from, to)
            && a != b
        {
            self.graph.update_edge(a, b, ());
        }
    }
}

/// Orders `changes` so that each runs after everything it needs.
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
        if matches!(change, Change::CreateTable(_) | Change::DropTable(_)) {
            g.whole.insert(v);
        }
    }

    // An identity is added after the column's other alters (SET NOT NULL,
    // DROP DEFAULT), which sit on the column's own vertex.
    for change in changes {
        if let Change::AlterColumn {
            table,
            column,
            action: gen_diff::ColumnAction::AddIdentity(_),
        } = change
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

    // Kahn's algorithm, taking the smallest ready vertex each time.
    let key = |g: &Graph, i: NodeIndex| {
        let (action, id) = &g.graph[i];
        Reverse((*action, rank(*action, id), id.clone(), i))
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
    while let Some(Reverse((_, _, _, i))) = ready.pop() {
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
        let objects = indegree
            .iter()
            .filter(|&(_, &d)| d > 0)
            .map(|(&i, _)| {
                let (action, id) = &g.graph[i];
                format!("{id} ({action:?})")
            })
            .collect();
        return Err(CycleError { objects });
    }
    Ok(out)
}
