//! Load order: the written order, with a statement's prerequisites hoisted
//! in front of it when they are written after it.
//!
//! Files that psql loads in path order already are in a working order, and
//! that order is a contract: it decides more than names can tell (what
//! `ALTER DEFAULT PRIVILEGES` applies to, what a `DROP … IF EXISTS` of a
//! `pg_dump --clean` removes, which of two definitions a statement sees).
//! So statements are taken in written order, and a statement moves only when
//! a statement before it needs a name it defines: then it is placed right
//! before the first statement that needs it, together with what it needs in
//! turn (a depth-first, stable topological order). Where every name is
//! defined before it is used, the order is the written one.
//!
//! What a statement needs:
//! - every name it references or alters, defined by the nearest statement
//!   before it that defines the name, or else by the first one after it;
//! - the unique key a foreign key references (a primary key, unique
//!   constraint or unique index on exactly those columns);
//! - a column it mentions that none of the tables it references has where
//!   it is written, when a later `ALTER TABLE … ADD COLUMN` adds it to one;
//! - every `CREATE EXTENSION` written after it, when it uses a name no
//!   statement defines and `pg_catalog` does not either, or an index access
//!   method other than btree or an operator class (the extension may bring
//!   it: `citext`, `gist` for `bigint`, `gin_trgm_ops`);
//! - for an index that reaches a table's partitions, the indexes on those
//!   partitions, so it adopts them instead of building its own;
//! - the functions a quoted `LANGUAGE sql` body calls, which the server
//!   needs only when the function runs while loading (an index expression,
//!   a materialized view): the weakest need, given up first in a cycle.
//!
//! What keeps its place: a `DROP` (and the old name of a rename) stays
//! between the statements mentioning what it drops that are written before
//! it and those written after it; `ALTER DEFAULT PRIVILEGES` stays between
//! the objects of its schema created before it and those created after it.
//!
//! Statements that need each other (a cycle) keep their written order among
//! themselves. Everything is linear in the statements and the names they
//! mention, up to a logarithm for the maps.

use std::collections::{BTreeMap, BTreeSet};

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
        NameKind::Key => 8,
        NameKind::Policy => 9,
        NameKind::Rule => 10,
        NameKind::Constraint => 11,
        NameKind::Publication => 12,
        NameKind::Cast => 13,
        NameKind::TextSearchConfiguration => 14,
        NameKind::TextSearchDictionary => 15,
        NameKind::ForeignDataWrapper => 16,
        NameKind::ForeignServer => 17,
        NameKind::Statistics => 18,
        NameKind::Operator => 19,
        NameKind::Language => 20,
        NameKind::Conversion => 21,
        NameKind::AccessMethod => 22,
        NameKind::TextSearchParser => 23,
        NameKind::TextSearchTemplate => 24,
        NameKind::Subscription => 25,
        NameKind::OperatorFamily => 26,
        NameKind::OperatorClass => 27,
    }
}

/// Names an extension can bring into a schema (or, for a foreign data
/// wrapper such as `postgres_fdw`, into the database).
fn extension_can_define(kind: NameKind) -> bool {
    matches!(
        kind,
        NameKind::Relation
            | NameKind::Type
            | NameKind::Function
            | NameKind::Collation
            | NameKind::ForeignDataWrapper
    )
}

/// Whether an unqualified name is one `pg_catalog` defines (`text`,
/// `now`, `regclass`): no extension needs to come first for it.
fn builtin(name: &Name) -> bool {
    static NAMES: std::sync::OnceLock<BTreeSet<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        include_str!("builtins.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(' '))
            .collect()
    });
    let kind = match name.kind {
        NameKind::Type => "type",
        NameKind::Function => "function",
        NameKind::Relation => "relation",
        NameKind::Collation => "collation",
        _ => return false,
    };
    name.schema.is_none()
        && (names.contains(&(kind, name.name.as_str()))
            // A table's name is its row type's too.
            || (kind == "type" && names.contains(&("relation", name.name.as_str()))))
}

/// Where each name is defined, and how names resolve.
struct Index<'a> {
    statements: &'a [Statement],
    /// The statements defining each name, in written order.
    defined: BTreeMap<Key<'a>, Vec<usize>>,
    /// The schemas defining each `(namespace, name)`, to resolve an
    /// unqualified name that the search path does not find.
    schemas: BTreeMap<(u8, &'a str), BTreeSet<&'a str>>,
    /// Schemas that `CREATE SCHEMA` statements make.
    created_schemas: BTreeSet<&'a str>,
    /// The statements adding each `(schema, table, column)`, in order.
    columns: BTreeMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// Relations whose columns the files spell out (tables, not views).
    tables_with_columns: BTreeSet<Key<'a>>,
    /// The partitions of each table.
    partitions: BTreeMap<Key<'a>, BTreeSet<Key<'a>>>,
    /// The `CREATE INDEX` statements on each table.
    indexes_on: BTreeMap<Key<'a>, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(statements: &'a [Statement]) -> Self {
        let mut index = Index {
            statements,
            defined: BTreeMap::new(),
            schemas: BTreeMap::new(),
            created_schemas: BTreeSet::new(),
            columns: BTreeMap::new(),
            tables_with_columns: BTreeSet::new(),
            partitions: BTreeMap::new(),
            indexes_on: BTreeMap::new(),
        };
        for statement in statements {
            for name in statement
                .defines
                .iter()
                .filter(|n| n.kind == NameKind::Schema)
            {
                index.created_schemas.insert(name.name.as_str());
            }
        }
        for (i, statement) in statements.iter().enumerate() {
            for name in &statement.defines {
                let key = index.definition_key(i, name);
                index.defined.entry(key).or_default().push(i);
                index
                    .schemas
                    .entry((key.0, key.2))
                    .or_default()
                    .insert(key.1);
            }
        }
        for (i, statement) in statements.iter().enumerate() {
            for (table, column) in &statement.adds_columns {
                if let Some(key) = index.resolve(i, table) {
                    index.tables_with_columns.insert(key);
                    index
                        .columns
                        .entry((key.1, key.2, column.as_str()))
                        .or_default()
                        .push(i);
                }
            }
            for (partition, parent) in &statement.partitions {
                if let (Some(partition), Some(parent)) =
                    (index.resolve(i, partition), index.resolve(i, parent))
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
                .and_then(|(table, _)| index.resolve(i, table))
            {
                index.indexes_on.entry(key).or_default().push(i);
            }
        }
        index
    }

    /// The search path statement `i` runs with: its file's `SET
    /// search_path`, or the project's, or `None` for the default.
    fn search_path(&self, i: usize) -> Option<&'a [String]> {
        self.statements[i].session.search_path()
    }

    /// The schema an unqualified `CREATE` of statement `i` creates in: the
    /// first schema of its search path that exists (`public`, or one a
    /// statement creates), as the server picks it.
    fn creation_schema(&self, i: usize) -> &'a str {
        match self.search_path(i) {
            None => DEFAULT_SCHEMA,
            Some(path) => path
                .iter()
                .map(String::as_str)
                .find(|s| *s == DEFAULT_SCHEMA || self.created_schemas.contains(s))
                .unwrap_or(""),
        }
    }

    fn definition_key(&self, i: usize, name: &'a Name) -> Key<'a> {
        let schema = match (&name.schema, name.kind.is_schema_qualified()) {
            (_, false) => "",
            (Some(schema), true) => schema.as_str(),
            (None, true) => self.creation_schema(i),
        };
        (namespace(name.kind), schema, name.name.as_str())
    }

    /// The key a name used by statement `i` resolves to, if the statements
    /// define it: through `i`'s search path, else (a search path set
    /// outside the files, by a role or the database) the one schema that
    /// defines it.
    fn resolve(&self, i: usize, name: &'a Name) -> Option<Key<'a>> {
        let ns = namespace(name.kind);
        if !name.kind.is_schema_qualified() {
            let key = (ns, "", name.name.as_str());
            return self.defined.contains_key(&key).then_some(key);
        }
        if let Some(schema) = &name.schema {
            let key = (ns, schema.as_str(), name.name.as_str());
            return self.defined.contains_key(&key).then_some(key);
        }
        // pg_catalog comes first in every search path that does not name
        // it: `xml` is the built-in type even where a table `xml` is
        // visible. Not so for a routine: overload resolution weighs every
        // function of the name on the path, and `scale(1)` calls a
        // `public.scale(integer)` over `pg_catalog.scale(numeric)`.
        if builtin(name) && name.kind != NameKind::Function {
            return None;
        }
        let on_path = |schema: &'a str| {
            let key = (ns, schema, name.name.as_str());
            self.defined.contains_key(&key).then_some(key)
        };
        let found = match self.search_path(i) {
            Some(path) => path.iter().find_map(|schema| on_path(schema)),
            None => on_path(DEFAULT_SCHEMA),
        };
        if found.is_some() {
            return found;
        }
        let schemas = self.schemas.get(&(ns, name.name.as_str()))?;
        match schemas.iter().next() {
            Some(schema) if schemas.len() == 1 => Some((ns, schema, name.name.as_str())),
            _ => None,
        }
    }

    /// The statement that provides `name`, resolved to `key`, to statement
    /// `i`: the nearest definition before it, else the first after it. A
    /// routine's name is shared by its overloads: where `name` spells out
    /// the argument types, only the definitions of that signature count.
    fn provider(&self, i: usize, name: &Name, key: &Key<'a>) -> Option<usize> {
        let defined = self.defined.get(key)?;
        if let Some(signature) = &name.signature {
            let same: Vec<usize> = defined
                .iter()
                .copied()
                .filter(|&j| self.signature_of(j, key) == Some(signature))
                .collect();
            if !same.is_empty() {
                return nearest(&same, i);
            }
        }
        nearest(defined, i)
    }

    /// The signature of the routine `key` that statement `j` defines.
    fn signature_of(&self, j: usize, key: &Key<'a>) -> Option<&'a String> {
        self.statements[j]
            .defines
            .iter()
            .find(|n| n.kind == NameKind::Function && self.definition_key(j, n) == *key)?
            .signature
            .as_ref()
    }

    /// The nearest definition of `key` before statement `i`, else the first
    /// after it.
    fn nearest_definition(&self, i: usize, key: &Key<'a>) -> Option<usize> {
        nearest(self.defined.get(key)?, i)
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
}

/// Among `positions` (ascending), the nearest before `i`, else the first
/// after it; never `i` itself.
fn nearest(positions: &[usize], i: usize) -> Option<usize> {
    let at = positions.partition_point(|&j| j < i);
    if at > 0 {
        return Some(positions[at - 1]);
    }
    positions[at..].iter().copied().find(|&j| j != i)
}

/// The order to load `statements` in, as indices into it (see the module's
/// documentation).
pub(crate) fn order(statements: &[Statement]) -> Vec<usize> {
    let index = Index::new(statements);
    let n = statements.len();
    // Three tiers, strongest first: what a statement needs to run, the
    // place of drops and default privileges, and the functions a quoted
    // body calls.
    let mut tiers: [Vec<Vec<usize>>; 3] = std::array::from_fn(|_| vec![Vec::new(); n]);
    needs(&index, &mut tiers[0]);
    drops_keep_their_place(&index, &mut tiers[1]);
    default_privileges_keep_their_place(&index, &mut tiers[1]);
    body_needs(&index, &mut tiers[2]);
    for preds in tiers.iter_mut().flatten() {
        preds.retain(|&p| p < n);
        preds.sort_unstable();
        preds.dedup();
    }

    // Statements that need each other, directly or through others, cannot
    // all be satisfied. Within such a cycle (a strongly connected
    // component) the weakest tier gives way first: a body's calls, then
    // the place of a drop or of default privileges, and last, if needs
    // alone still form a cycle, needs, where written order decides. The
    // cycle as a whole still follows what it needs.
    for weakest in (0..3).rev() {
        let component = components(&tiers);
        for (i, preds) in tiers[weakest].iter_mut().enumerate() {
            preds.retain(|&p| p != i && component[p] != component[i]);
        }
    }
    let predecessors: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            let mut all: Vec<usize> = tiers.iter().flat_map(|t| t[i].iter().copied()).collect();
            all.sort_unstable();
            all.dedup();
            all
        })
        .collect();
    hoisting_order(&predecessors)
}

/// The functions quoted `LANGUAGE sql` bodies call, defined by the nearest
/// statement before, else the first after.
fn body_needs(index: &Index<'_>, predecessors: &mut [Vec<usize>]) {
    for (i, statement) in index.statements.iter().enumerate() {
        for name in &statement.body_references {
            if let Some(key) = index.resolve(i, name) {
                predecessors[i].extend(index.provider(i, name, &key));
            }
        }
    }
}

/// The strongly connected component of each statement, by the edges of
/// every tier.
fn components(tiers: &[Vec<Vec<usize>>]) -> Vec<usize> {
    let n = tiers.first().map_or(0, Vec::len);
    let mut graph = DiGraph::<(), ()>::with_capacity(n, 0);
    let nodes: Vec<NodeIndex> = (0..n).map(|_| graph.add_node(())).collect();
    for lists in tiers {
        for (i, preds) in lists.iter().enumerate() {
            for &p in preds {
                graph.add_edge(nodes[p], nodes[i], ());
            }
        }
    }
    let mut component = vec![0usize; n];
    for (c, members) in tarjan_scc(&graph).into_iter().enumerate() {
        for member in members {
            component[member.index()] = c;
        }
    }
    component
}

/// Written order, each statement preceded by whatever it needs that is not
/// placed yet (depth first, needs in written order). `predecessors` must be
/// acyclic.
fn hoisting_order(predecessors: &[Vec<usize>]) -> Vec<usize> {
    let n = predecessors.len();
    let mut visited = vec![false; n];
    let mut out = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if visited[root] {
            continue;
        }
        visited[root] = true;
        stack.push((root, 0));
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(&p) = predecessors[node].get(*next) {
                *next += 1;
                if !visited[p] {
                    visited[p] = true;
                    stack.push((p, 0));
                }
            } else {
                out.push(node);
                stack.pop();
            }
        }
    }
    out
}

/// What each statement needs (see the module's documentation).
fn needs<'a>(index: &Index<'a>, predecessors: &mut [Vec<usize>]) {
    let statements = index.statements;
    let extensions: Vec<usize> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.defines.iter().any(|d| d.kind == NameKind::Extension))
        .map(|(i, _)| i)
        .collect();
    for (i, statement) in statements.iter().enumerate() {
        let preds = &mut predecessors[i];
        let mut unresolved = false;
        let mut tables = Vec::new();
        let mut unknown_table = false;
        for name in statement.references.iter().chain(&statement.alters) {
            let Some(key) = index.resolve(i, name) else {
                unresolved |= extension_can_define(name.kind) && !builtin(name);
                unknown_table |= name.kind == NameKind::Relation;
                continue;
            };
            preds.extend(index.provider(i, name, &key));
            if key.0 == namespace(NameKind::Relation) {
                unknown_table |= !index.tables_with_columns.contains(&key);
                tables.push(key);
            }
        }
        // An unqualified name is created in the first schema of the search
        // path that exists, which must come first.
        for name in &statement.defines {
            if name.schema.is_none() && name.kind.is_schema_qualified() {
                let schema = index.definition_key(i, name).1;
                let key = (namespace(NameKind::Schema), "", schema);
                preds.extend(index.nearest_definition(i, &key));
            }
        }
        // A column the statement mentions that none of its tables has yet
        // where it is written, but one gets later (`ALTER TABLE … ADD
        // COLUMN`): that addition goes first. Where a relation whose
        // columns the files do not spell out is involved (a view, a table
        // made elsewhere), the column may be its own.
        if !unknown_table {
            for column in &statement.columns {
                let adders = |t: &Key<'a>| index.columns.get(&(t.1, t.2, column.as_str()));
                let exists = tables
                    .iter()
                    .any(|t| adders(t).is_some_and(|a| a.first().is_some_and(|&j| j < i)));
                if exists {
                    continue;
                }
                if let Some(adder) = tables
                    .iter()
                    .find_map(|t| adders(t).and_then(|a| nearest(a, i)))
                {
                    preds.push(adder);
                }
            }
        }
        if unresolved || statement.uses_access_method {
            // Every extension: those written before are in place already
            // in a working order, but a statement moved ahead of them
            // takes them along.
            preds.extend(extensions.iter().filter(|&&e| e != i));
        }
        // An index that reaches a table's partitions goes after the indexes
        // on those partitions: the server adopts a partition's index that
        // matches rather than build one under a name of its own.
        if let Some((table, true)) = &statement.index_on
            && let Some(key) = index.resolve(i, table)
        {
            for partition in index.partitions_below(key) {
                preds.extend(index.indexes_on.get(&partition).into_iter().flatten());
            }
        }
    }
}

/// Every key statement `i` defines or uses.
fn mentions<'a, 'b>(index: &'b Index<'a>, i: usize) -> impl Iterator<Item = Key<'a>> + 'b {
    let statement = &index.statements[i];
    statement
        .defines
        .iter()
        .map(move |name| index.definition_key(i, name))
        .chain(
            statement
                .references
                .iter()
                .chain(&statement.alters)
                .filter_map(move |name| index.resolve(i, name)),
        )
}

/// A `DROP` runs where it is written: after the statements before it that
/// mention what it drops, before those after it (up to the next drop of the
/// same name).
fn drops_keep_their_place(index: &Index<'_>, predecessors: &mut [Vec<usize>]) {
    let statements = index.statements;
    let mut drops: BTreeMap<Key<'_>, Vec<usize>> = BTreeMap::new();
    for (i, statement) in statements.iter().enumerate() {
        for name in &statement.drops {
            let key = index
                .resolve(i, name)
                .unwrap_or_else(|| index.definition_key(i, name));
            drops.entry(key).or_default().push(i);
        }
    }
    if drops.is_empty() {
        return;
    }
    let mut mentioned: BTreeMap<Key<'_>, Vec<usize>> = BTreeMap::new();
    for i in 0..statements.len() {
        for key in mentions(index, i) {
            if drops.contains_key(&key) {
                mentioned.entry(key).or_default().push(i);
            }
        }
    }
    for (key, dropped_at) in &drops {
        let Some(users) = mentioned.get(key) else {
            continue;
        };
        for &u in users {
            let next = dropped_at.partition_point(|&d| d <= u);
            if let Some(&d) = dropped_at.get(next) {
                predecessors[d].push(u);
            }
            if let Some(&d) = next.checked_sub(1).and_then(|p| dropped_at.get(p))
                && d != u
            {
                predecessors[u].push(d);
            }
        }
        for pair in dropped_at.windows(2) {
            predecessors[pair[1]].push(pair[0]);
        }
    }
}

/// `ALTER DEFAULT PRIVILEGES` applies to what is created after it: it stays
/// after the objects of its schemas (all schemas, without `IN SCHEMA`)
/// created before it, and before those created after it.
fn default_privileges_keep_their_place(index: &Index<'_>, predecessors: &mut [Vec<usize>]) {
    let statements = index.statements;
    let all: Vec<usize> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.default_privileges.is_some())
        .map(|(i, _)| i)
        .collect();
    if all.is_empty() {
        return;
    }
    for pair in all.windows(2) {
        predecessors[pair[1]].push(pair[0]);
    }
    let applies = |d: usize, schema: &str| match &statements[d].default_privileges {
        Some(schemas) => schemas.is_empty() || schemas.iter().any(|s| s == schema),
        None => false,
    };
    for (i, statement) in statements.iter().enumerate() {
        if statement.default_privileges.is_some() {
            continue;
        }
        for name in statement.defines.iter().filter(|d| {
            matches!(
                d.kind,
                NameKind::Relation | NameKind::Type | NameKind::Function | NameKind::Schema
            )
        }) {
            let key = index.definition_key(i, name);
            let schema = if name.kind == NameKind::Schema {
                key.2
            } else {
                key.1
            };
            let at = all.partition_point(|&d| d < i);
            if let Some(&before) = all[..at].iter().rev().find(|&&d| applies(d, schema)) {
                predecessors[i].push(before);
            }
            if let Some(&after) = all[at..].iter().find(|&&d| applies(d, schema)) {
                predecessors[after].push(i);
            }
        }
    }
}
