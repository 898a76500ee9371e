//! Rendering and ordering for partitions, inheritance, replica identity and
//! column storage.
use std::fmt::Write as _;

use gen_diff::{Action, Change, IndexChange, TableChange};
use gen_model::{Catalog, Ident, Index, ObjectId, ReplicaIdentity, Table};

use crate::order::Graph;

pub(crate) fn replica_identity(identity: &ReplicaIdentity) -> String {
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
    // The index of a partition that its parent's dropped index takes along
    // is created again after that drop, not before.
    for n in g.new_catalog().indexes.values() {
        let Some(o) = g.old_catalog().indexes.get(&n.name) else {
            continue;
        };
        if o.parent.is_none() {
            continue;
        }
        let create = g.exact(
            Action::CreateOrAlter,
            &ObjectId::Index {
                name: n.name.clone(),
            },
        );
        for above in ancestors(o, g.old_catalog()) {
            let drop = g.resolve(
                Action::Drop,
                &ObjectId::Index {
                    name: above.name.clone(),
                },
            );
            g.reverse(create, drop);
            if n.parent.is_some() {
                g.edge(drop, create);
            }
        }
    }
    // A partition's index created under a name of its own goes before what
    // would have the server build one for it under the server's name: the
    // creation of an index above it, the attaching of its table or of a
    // table above it. The server then adopts it.
    let new = g.new_catalog();
    for c in new.indexes.values().filter(|i| i.parent.is_some()) {
        let Some(create) = g
            .exact(
                Action::CreateOrAlter,
                &ObjectId::Index {
                    name: c.name.clone(),
                },
            )
            .filter(|&i| builds(g, i))
        else {
            continue;
        };
        let mut index = c;
        for above in ancestors(c, new) {
            let made = g
                .exact(
                    Action::CreateOrAlter,
                    &ObjectId::Index {
                        name: above.name.clone(),
                    },
                )
                .filter(|&i| builds(g, i));
            let link = g.exact(
                Action::CreateOrAlter,
                &ObjectId::Inheritance {
                    table: index.table.clone(),
                    parent: above.table.clone(),
                },
            );
            // The tables in between are there first too, so the index
            // above reaches it through them (otherwise a partition made
            // later copies the index above, under the server's name).
            let between = g
                .resolve(
                    Action::CreateOrAlter,
                    &ObjectId::Index {
                        name: index.name.clone(),
                    },
                )
                .filter(|&i| builds(g, i));
            g.reverse(made, between);
            g.edge(between, made);
            for later in [made, link] {
                g.reverse(later, Some(create));
                g.edge(Some(create), later);
            }
            index = above;
        }
    }
    // A partition's index that goes while its table leaves the parent goes
    // after the detaching: attached, it can only go with the parent's.
    let old = g.old_catalog();
    for o in old.indexes.values() {
        let Some(parent) = o.parent.as_ref().and_then(|p| old.indexes.get(p)) else {
            continue;
        };
        let drop = g.exact(
            Action::Drop,
            &ObjectId::Index {
                name: o.name.clone(),
            },
        );
        let detach = g.exact(
            Action::Drop,
            &ObjectId::Inheritance {
                table: o.table.clone(),
                parent: parent.table.clone(),
            },
        );
        g.reverse(drop, detach);
        g.edge(detach, drop);
    }
    for (parent_column, child_column) in pairs {
        // A new child is created after the parent's columns change, which
        // then need not reach it.
        let from = g.exact(Action::CreateOrAlter, &parent_column);
        let to = g.resolve(Action::CreateOrAlter, &child_column);
        g.edge(from, to);
        let child_table = child_column
            .table()
            .and_then(|t| g.exact(Action::CreateOrAlter, &ObjectId::Table { name: t.clone() }))
            .filter(|&i| g.is_whole(i));
        g.edge(from, child_table);
        // A child's own column of that name goes before the parent's comes.
        let dropped = g.exact(Action::Drop, &child_column);
        g.edge(dropped, from);
    }
}

/// Whether vertex `i` builds an index: its own `CREATE INDEX`, or the
/// `CREATE TABLE` that stands for the indexes the server makes with it.
fn builds(g: &Graph<'_>, i: petgraph::graph::NodeIndex) -> bool {
    g.changes(i).iter().any(|c| {
        matches!(
            c,
            Change::Index(IndexChange::CreateIndex(_)) | Change::Table(TableChange::CreateTable(_))
        )
    })
}

/// The indexes `index` is attached to, nearest first.
fn ancestors<'a>(index: &'a Index, catalog: &'a Catalog) -> impl Iterator<Item = &'a Index> {
    std::iter::successors(Some(index), |i| {
        i.parent.as_ref().and_then(|p| catalog.indexes.get(p))
    })
    .skip(1)
}

#[cfg(test)]
mod tests {
    use gen_model::{Catalog, Column, Index, ObjectId, QualifiedName, ReplicaIdentity, Table};
    use gen_test_support::{ColumnExt, TableExt};

    use crate::tests::checked::plan;

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn col(name: &str) -> Column {
        gen_test_support::col(name, "integer")
    }

    fn table(name: &str, columns: Vec<Column>) -> Table {
        gen_test_support::table(q(name), columns)
    }

    fn partitioned(name: &str) -> Table {
        table(name, vec![col("a")]).partitioned("LIST (a)")
    }

    fn partition(name: &str, parent: &str, bound: &str) -> Table {
        table(name, vec![col("a").inherited()]).partition_of(&q(parent), bound)
    }

    /// A catalog with the dependency edges introspection would find: each
    /// link on both tables, a partition on its parent (`pg_depend`).
    fn catalog(tables: Vec<Table>) -> Catalog {
        let mut c = Catalog::default();
        for t in tables {
            let id = ObjectId::Table {
                name: t.name.clone(),
            };
            for parent in &t.inheritance.parents {
                let link = ObjectId::Inheritance {
                    table: t.name.clone(),
                    parent: parent.clone(),
                };
                let parent = ObjectId::Table {
                    name: parent.clone(),
                };
                c.depends.insert((link.clone(), id.clone()));
                c.depends.insert((link, parent.clone()));
                c.depends.insert((id.clone(), parent));
            }
            for col in &t.columns {
                c.depends.insert((
                    ObjectId::Column {
                        table: t.name.clone(),
                        column: col.name.clone(),
                    },
                    id.clone(),
                ));
            }
            c.tables.insert(t.name.clone(), t);
        }
        c
    }

    fn sql(old: &Catalog, new: &Catalog) -> String {
        plan(old, new).expect("plans order").sql()
    }

    #[test]
    fn a_partition_is_created_after_its_parent_and_declares_no_columns() {
        let new = catalog(vec![
            partition("m1", "m", "FOR VALUES IN (1)"),
            partitioned("m"),
        ]);
        assert_eq!(
            sql(&Catalog::default(), &new),
            "CREATE TABLE public.m (\n    a integer\n) PARTITION BY LIST (a);\n\n\
             CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES IN (1);\n"
        );
    }

    #[test]
    fn a_surviving_partition_is_detached_before_its_parent_is_dropped() {
        let old = catalog(vec![
            partitioned("m"),
            partition("m1", "m", "FOR VALUES IN (1)"),
        ]);
        let new = catalog(vec![table("m1", vec![col("a")])]);
        assert_eq!(
            sql(&old, &new),
            "ALTER TABLE public.m DETACH PARTITION public.m1;\n\nDROP TABLE public.m;\n"
        );
    }

    #[test]
    fn attaching_follows_the_columns_the_table_gains() {
        let old = catalog(vec![partitioned("m"), table("m1", Vec::new())]);
        let new = catalog(vec![partitioned("m"), partition("m1", "m", "DEFAULT")]);
        assert_eq!(
            sql(&old, &new),
            "ALTER TABLE public.m1 ADD COLUMN a integer;\n\n\
             ALTER TABLE public.m ATTACH PARTITION public.m1 DEFAULT;\n"
        );
    }

    #[test]
    fn a_partitions_index_of_its_own_name_goes_before_its_parents_index() {
        let mut new = catalog(vec![
            partitioned("m"),
            partition("m1", "m", "FOR VALUES IN (1)"),
        ]);
        for (name, table, parent) in [("m_a", "m", None), ("m1_own", "m1", Some("m_a"))] {
            new.indexes.insert(
                q(name),
                Index {
                    name: q(name),
                    table: q(table),
                    definition: format!("CREATE INDEX {name} ON public.{table} USING btree (a)"),
                    comment: None,
                    parent: parent.map(q),
                    column_statistics: Vec::new(),
                    tablespace: None,
                },
            );
            new.depends.insert((
                ObjectId::Index { name: q(name) },
                ObjectId::Table { name: q(table) },
            ));
        }
        new.depends.insert((
            ObjectId::Index { name: q("m1_own") },
            ObjectId::Index { name: q("m_a") },
        ));
        new.depends.insert((
            ObjectId::Index { name: q("m1_own") },
            ObjectId::Inheritance {
                table: q("m1"),
                parent: q("m"),
            },
        ));
        assert_eq!(
            sql(&Catalog::default(), &new),
            "CREATE TABLE public.m (\n    a integer\n) PARTITION BY LIST (a);\n\n\
             CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES IN (1);\n\n\
             CREATE INDEX m1_own ON public.m1 USING btree (a);\n\n\
             CREATE INDEX m_a ON public.m USING btree (a);\n"
        );
    }

    #[test]
    fn replica_identity_follows_the_index_it_names() {
        let old = catalog(vec![table("t", vec![col("a")])]);
        let mut t = table("t", vec![col("a")]);
        t.replica_identity = ReplicaIdentity::Index("t_a".to_owned());
        let mut new = catalog(vec![t]);
        new.indexes.insert(
            q("t_a"),
            Index {
                name: q("t_a"),
                table: q("t"),
                definition: "CREATE UNIQUE INDEX t_a ON public.t USING btree (a)".to_owned(),
                comment: None,
                parent: None,
                column_statistics: Vec::new(),
                tablespace: None,
            },
        );
        new.depends.insert((
            ObjectId::ReplicaIdentity { table: q("t") },
            ObjectId::Index { name: q("t_a") },
        ));
        assert_eq!(
            sql(&old, &new),
            "CREATE UNIQUE INDEX t_a ON public.t USING btree (a);\n\n\
             ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_a;\n"
        );
    }
}
