//! Rendering and ordering for partitions, inheritance, replica identity and
//! column storage.

use std::fmt::Write as _;

use gen_diff::{Action, Change};
use gen_model::{Ident, ObjectId, ReplicaIdentity, Table};

use crate::order::Graph;

/// The SQL of the changes this module owns; `None` for the others.
pub(crate) fn render(change: &Change) -> Option<String> {
    Some(match change {
        Change::AttachPartition {
            table,
            parent,
            bound,
        } => format!("ALTER TABLE {parent} ATTACH PARTITION {table} {bound};"),
        Change::DetachPartition { table, parent } => {
            format!("ALTER TABLE {parent} DETACH PARTITION {table};")
        }
        Change::Inherit { table, parent } => format!("ALTER TABLE {table} INHERIT {parent};"),
        Change::NoInherit { table, parent } => {
            format!("ALTER TABLE {table} NO INHERIT {parent};")
        }
        Change::SetReplicaIdentity { table, identity } => {
            format!(
                "ALTER TABLE {table} REPLICA IDENTITY {};",
                replica_identity(identity)
            )
        }
        Change::AttachIndex { parent, index } => {
            format!("ALTER INDEX {parent} ATTACH PARTITION {index};")
        }
        _ => return None,
    })
}

fn replica_identity(identity: &ReplicaIdentity) -> String {
    match identity {
        ReplicaIdentity::Default => "DEFAULT".to_owned(),
        ReplicaIdentity::Full => "FULL".to_owned(),
        ReplicaIdentity::Nothing => "NOTHING".to_owned(),
        ReplicaIdentity::Index(i) => format!("USING INDEX {}", Ident(i)),
    }
}

/// `CREATE TABLE` of a partition, or the clauses after the column list of
/// a partitioned or inheriting table. Columns and constraints a parent
/// gives are not written: the parent gives them.
pub(crate) fn create_table(t: &Table, lines: Vec<String>) -> String {
    let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
    let inh = &t.inheritance;
    let mut sql = match inh.partition_of() {
        Some(parent) => {
            let mut sql = format!("CREATE {unlogged}TABLE {} PARTITION OF {parent}", t.name);
            if !lines.is_empty() {
                write!(sql, " (\n    {}\n)", lines.join(",\n    ")).expect("writing to a String");
            }
            let bound = inh.partition_bound.as_deref().unwrap_or_default();
            write!(sql, " {bound}").expect("writing to a String");
            sql
        }
        None => {
            let mut sql = format!("CREATE {unlogged}TABLE {} (", t.name);
            if !lines.is_empty() {
                sql.push_str("\n    ");
                sql.push_str(&lines.join(",\n    "));
                sql.push('\n');
            }
            sql.push(')');
            if !inh.parents.is_empty() {
                let parents: Vec<String> = inh.parents.iter().map(ToString::to_string).collect();
                write!(sql, " INHERITS ({})", parents.join(", ")).expect("writing to a String");
            }
            sql
        }
    };
    if let Some(key) = &inh.partition_key {
        write!(sql, " PARTITION BY {key}").expect("writing to a String");
    }
    sql
}

/// Whether a column or constraint is written in `CREATE TABLE`: a
/// partition declares no columns, and what only a parent gives is left out.
pub(crate) fn declares_column(t: &Table, c: &gen_model::Column) -> bool {
    t.inheritance.partition_of().is_none() && !c.inherited.only_inherited()
}

/// Ordering a link between tables.
///
/// Attaching needs the child's columns and checks in place and the
/// parent's columns changed first (the server compares them); detaching
/// comes before the child's columns and constraints are dropped (a child
/// cannot drop what it inherits) and before the parent goes (dropping a
/// partitioned table drops its partitions). A child's own change to an
/// inherited column follows the parent's change that reaches it.
pub(crate) fn edges(g: &mut Graph<'_>) {
    let links: Vec<(Action, ObjectId)> = g
        .vertices()
        .into_iter()
        .filter(|(_, id)| matches!(id, ObjectId::Inheritance { .. }))
        .collect();
    for (action, link) in &links {
        let ObjectId::Inheritance { table, parent } = link else {
            continue;
        };
        let Some(v) = g.exact(*action, link) else {
            continue;
        };
        let parts: Vec<(Action, ObjectId)> = g
            .vertices()
            .into_iter()
            .filter(|(a, id)| {
                *a == *action
                    && matches!(id, ObjectId::Column { table: t, .. } | ObjectId::Constraint { table: t, .. }
                        if t == table || t == parent)
            })
            .collect();
        for (a, id) in parts {
            let part = g.exact(a, &id);
            match action {
                Action::CreateOrAlter => g.edge(part, Some(v)),
                Action::Drop => g.edge(Some(v), part),
            }
        }
        if *action == Action::Drop {
            let parent_drop = g.exact(
                Action::Drop,
                &ObjectId::Table {
                    name: parent.clone(),
                },
            );
            g.edge(Some(v), parent_drop);
        } else {
            let parent_create = g.resolve(
                Action::CreateOrAlter,
                &ObjectId::Table {
                    name: parent.clone(),
                },
            );
            g.edge(parent_create, Some(v));
        }
    }
    // A child's own change to an inherited column follows the parent's.
    let new = g.new_catalog();
    let mut pairs = Vec::new();
    for t in new.tables.values() {
        for parent in &t.inheritance.parents {
            for c in &t.columns {
                if c.inherited.count > 0 {
                    pairs.push((
                        ObjectId::Column {
                            table: parent.clone(),
                            column: c.name.clone(),
                        },
                        ObjectId::Column {
                            table: t.name.clone(),
                            column: c.name.clone(),
                        },
                    ));
                }
            }
        }
    }
    // A column a child inherited goes with the parent's before the child
    // declares one of that name itself.
    let old = g.old_catalog();
    for t in old.tables.values() {
        for parent in &t.inheritance.parents {
            for c in t.columns.iter().filter(|c| c.inherited.count > 0) {
                let parent_column = ObjectId::Column {
                    table: parent.clone(),
                    column: c.name.clone(),
                };
                let child_column = ObjectId::Column {
                    table: t.name.clone(),
                    column: c.name.clone(),
                };
                let (from, to) = (
                    g.exact(Action::Drop, &parent_column),
                    g.exact(Action::CreateOrAlter, &child_column),
                );
                g.edge(from, to);
            }
        }
    }
    for (parent_column, child_column) in pairs {
        let (from, to) = (
            g.exact(Action::CreateOrAlter, &parent_column),
            g.exact(Action::CreateOrAlter, &child_column),
        );
        g.edge(from, to);
        // A child's own column of that name goes before the parent's comes.
        let dropped = g.exact(Action::Drop, &child_column);
        g.edge(dropped, from);
    }
}
