//! Load order: a stable topological sort of statements by the names they
//! define and reference.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::{Name, NameKind, Statement};

/// Where unqualified names go with the default `search_path`.
const DEFAULT_SCHEMA: &str = "public";

/// A resolved name. Relations and types share a namespace in Postgres (a
/// table's row type has the table's name), so a column of type `users`
/// depends on `CREATE TABLE users`.
type Key<'a> = (u8, &'a str, &'a str);

fn namespace(kind: NameKind) -> u8 {
    match kind {
        NameKind::Schema => 0,
        NameKind::Extension => 1,
        NameKind::Relation | NameKind::Type => 2,
        NameKind::Function => 3,
        NameKind::Collation => 4,
        NameKind::Role => 5,
        NameKind::Trigger => 6,
        NameKind::EventTrigger => 7,
    }
}

/// Where each name is defined and altered.
struct Index<'a> {
    defined: BTreeMap<Key<'a>, Vec<usize>>,
    altered: BTreeMap<Key<'a>, Vec<usize>>,
    /// The schemas defining each `(namespace, name)`, to resolve an
    /// unqualified name that `public` does not define.
    schemas: BTreeMap<(u8, &'a str), BTreeSet<&'a str>>,
    /// The partitions of each table.
    partitions: BTreeMap<Key<'a>, BTreeSet<Key<'a>>>,
    /// The `CREATE INDEX` statements on each table.
    indexes_on: BTreeMap<Key<'a>, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(statements: &'a [Statement]) -> Self {
        let mut index = Index {
            defined: BTreeMap::new(),
            altered: BTreeMap::new(),
            schemas: BTreeMap::new(),
            partitions: BTreeMap::new(),
            indexes_on: BTreeMap::new(),
        };
        for (i, statement) in statements.iter().enumerate() {
            for name in &statement.defines {
                let key = definition_key(name);
                index.defined.entry(key).or_default().push(i);
                index
                    .schemas
                    .entry((key.0, key.2))
                    .or_default()
                    .insert(key.1);
            }
        }
        for (i, statement) in statements.iter().enumerate() {
            for name in &statement.alters {
                if let Some(key) = index.resolve(name) {
                    index.altered.entry(key).or_default().push(i);
                }
            }
            for (partition, parent) in &statement.partitions {
                if let (Some(partition), Some(parent)) =
                    (index.resolve(partition), index.resolve(parent))
                {
                    index
                        .partitions
                        .entry(parent)
                        .or_default()
                        .insert(partition);
                }
            }
            if let Some(key) = statement
                .index_on
                .as_ref()
                .and_then(|(table, _)| index.resolve(table))
            {
                index.indexes_on.entry(key).or_default().push(i);
            }
        }
        index
    }

    /// The partitions of `table`, and theirs, and so on.
    fn partitions_below(&self, table: Key<'a>) -> BTreeSet<Key<'a>> {
        let mut found = BTreeSet::new();
        let mut queue = vec![table];
        while let Some(t) = queue.pop() {
            for &p in self.partitions.get(&t).into_iter().flatten() {
                if found.insert(p) {
                    queue.push(p);
                }
            }
        }
        found
    }

    /// The key a referenced name resolves to, if the statements define it.
    fn resolve(&self, name: &'a Name) -> Option<Key<'a>> {
        let ns = namespace(name.kind);
        if !name.kind.is_schema_qualified() {
            let key = (ns, "", name.name.as_str());
            return self.defined.contains_key(&key).then_some(key);
        }
        if let Some(schema) = &name.schema {
            let key = (ns, schema.as_str(), name.name.as_str());
            return self.defined.contains_key(&key).then_some(key);
        }
        let key = (ns, DEFAULT_SCHEMA, name.name.as_str());
        if self.defined.contains_key(&key) {
            return Some(key);
        }
        // Not in `public`: if exactly one schema defines it, a search_path
        // set elsewhere (a role's default, `SET search_path`) most likely
        // finds it there.
        let schemas = self.schemas.get(&(ns, name.name.as_str()))?;
        match schemas.iter().next() {
            Some(schema) if schemas.len() == 1 => Some((ns, schema, name.name.as_str())),
            _ => None,
        }
    }
}

fn definition_key(name: &Name) -> Key<'_> {
    let schema = match (&name.schema, name.kind.is_schema_qualified()) {
        (_, false) => "",
        (Some(schema), true) => schema.as_str(),
        (None, true) => DEFAULT_SCHEMA,
    };
    (namespace(name.kind), schema, name.name.as_str())
}

/// The order to load `statements` in, as indices into it.
///
/// A statement comes after every statement defining a name it references
/// or alters, and a statement that alters nothing comes after every
/// statement altering what it references (so a view sees the column an
/// `ALTER TABLE` adds). An index on a partitioned table comes after the
/// indexes on its partitions, so it adopts those that match. Among
/// statements free to go, the earliest in the input goes first (Kahn's
/// algorithm with a min-heap on the input index),
/// so the result is deterministic and stays as close to file order as the
/// names allow. A cycle does not stop the sort: its statements keep their
/// input order among themselves.
pub(crate) fn order(statements: &[Statement]) -> Vec<usize> {
    let index = Index::new(statements);
    let n = statements.len();
    let predecessors: Vec<BTreeSet<usize>> = statements
        .iter()
        .enumerate()
        .map(|(i, statement)| predecessors(&index, statements, i, statement))
        .collect();

    // Statements that depend on each other, directly or through others,
    // cannot all be satisfied: within such a cycle (a strongly connected
    // component) dependencies are dropped and input order decides, while
    // the cycle as a whole still follows what it depends on.
    let mut graph = DiGraph::<(), ()>::with_capacity(n, 0);
    let nodes: Vec<NodeIndex> = (0..n).map(|_| graph.add_node(())).collect();
    for (i, preds) in predecessors.iter().enumerate() {
        for &p in preds {
            graph.add_edge(nodes[p], nodes[i], ());
        }
    }
    let mut component = vec![0usize; n];
    for (c, members) in tarjan_scc(&graph).into_iter().enumerate() {
        for member in members {
            component[member.index()] = c;
        }
    }

    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting_on = vec![0usize; n];
    for (i, preds) in predecessors.iter().enumerate() {
        for &p in preds.iter().filter(|&&p| component[p] != component[i]) {
            successors[p].push(i);
            waiting_on[i] += 1;
        }
    }

    let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
        .filter(|&i| waiting_on[i] == 0)
        .map(Reverse)
        .collect();
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    // The earliest statement not yet placed: with cycles removed the heap
    // never runs dry early, but if it did, this keeps the sort total.
    let mut earliest = 0;
    while out.len() < n {
        let next = match ready.pop() {
            Some(Reverse(i)) if done[i] => continue,
            Some(Reverse(i)) => i,
            None => {
                while done[earliest] {
                    earliest += 1;
                }
                earliest
            }
        };
        done[next] = true;
        out.push(next);
        for &s in &successors[next] {
            waiting_on[s] = waiting_on[s].saturating_sub(1);
            if waiting_on[s] == 0 && !done[s] {
                ready.push(Reverse(s));
            }
        }
    }
    out
}

/// The statements that must load before statement `i`.
///
/// Besides names, two kinds of statement change what later statements
/// create without naming it: `ALTER DEFAULT PRIVILEGES` goes before every
/// object it applies to (its schema's, or any for the whole database), and
/// `CREATE EXTENSION` before everything but default privileges and what the
/// extension itself needs, since nothing says which types, functions and
/// operator classes it brings (`public.citext`, `gist` for `bigint`).
fn predecessors(
    index: &Index<'_>,
    statements: &[Statement],
    i: usize,
    statement: &Statement,
) -> BTreeSet<usize> {
    let mut predecessors = BTreeSet::new();
    let defines_keys: BTreeSet<Key<'_>> = statement.defines.iter().map(definition_key).collect();
    // Whether statement `j` needs something statement `i` defines.
    let needs_this = |j: &Statement| {
        j.references
            .iter()
            .filter_map(|r| index.resolve(r))
            .any(|r| defines_keys.contains(&r))
    };
    let is_extension = |s: &Statement| s.defines.iter().any(|d| d.kind == NameKind::Extension);
    if statement.default_privileges.is_none() && !is_extension(statement) {
        predecessors.extend(
            statements
                .iter()
                .enumerate()
                .filter(|(_, j)| is_extension(j) && !needs_this(j))
                .map(|(j, _)| j),
        );
    }
    let created_in: Vec<Option<&str>> = statement
        .defines
        .iter()
        .filter(|d| !matches!(d.kind, NameKind::Schema | NameKind::Role))
        .map(|d| definition_key(d).1)
        .map(|schema| (!schema.is_empty()).then_some(schema))
        .collect();
    if !created_in.is_empty() {
        predecessors.extend(
            statements
                .iter()
                .enumerate()
                .filter(|(_, j)| match &j.default_privileges {
                    Some(schemas) if schemas.is_empty() => !needs_this(j),
                    Some(schemas) => created_in
                        .iter()
                        .flatten()
                        .any(|s| schemas.iter().any(|d| d == s)),
                    None => false,
                })
                .map(|(j, _)| j),
        );
    }
    // An index that reaches a table's partitions goes after the indexes
    // on those partitions: the server adopts a partition's index that
    // matches rather than build one under a name of its own, and it does
    // so whatever order the files put them in.
    if let Some((table, true)) = &statement.index_on
        && let Some(key) = index.resolve(table)
    {
        for partition in index.partitions_below(key) {
            predecessors.extend(index.indexes_on.get(&partition).into_iter().flatten());
        }
    }
    let alters_something = !statement.alters.is_empty();
    let defines: BTreeSet<Key<'_>> = statement.defines.iter().map(definition_key).collect();
    for name in statement.references.iter().chain(&statement.alters) {
        let Some(key) = index.resolve(name) else {
            continue;
        };
        predecessors.extend(index.defined.get(&key).into_iter().flatten().copied());
        if alters_something {
            continue;
        }
        // An alteration that itself needs this statement (`ALTER SEQUENCE s
        // OWNED BY t.id` for `CREATE TABLE t (id … DEFAULT nextval('s'))`, a
        // foreign key added to a table this one points back at) must come
        // after it, not before.
        let independent = |&&j: &&usize| {
            !statements[j]
                .references
                .iter()
                .filter_map(|r| index.resolve(r))
                .any(|r| defines.contains(&r))
        };
        predecessors.extend(
            index
                .altered
                .get(&key)
                .into_iter()
                .flatten()
                .filter(independent),
        );
    }
    predecessors.remove(&i);
    predecessors
}
