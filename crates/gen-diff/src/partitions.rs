//! Partitions, table inheritance, replica identity and per-column storage.
//!
//! A child table (a partition, or a table that `INHERITS`) shares columns and
//! constraints with its parents, and most changes to a parent recurse into
//! it: `ADD COLUMN`, `ALTER COLUMN … TYPE`, `SET DEFAULT`, `SET NOT NULL`,
//! `ADD CONSTRAINT`. So a child is compared not as it was, but as the
//! server leaves it once its parents' own changes have reached it; what
//! differs then is the child's own business.

use std::borrow::Cow;
use std::collections::BTreeSet;

use gen_model::{
    Catalog, Column, ColumnStorage, ConstraintKind, Index, ObjectId, QualifiedName,
    ReplicaIdentity, Table,
};

use crate::index_name::server_name;
use crate::table::{alter_column, create_table};
use crate::{
    Change, ColumnAction, ColumnChange, CommentChange, IndexChange, InheritanceChange,
    PartitionChange, TableChange, comment,
};

/// Whether the table is dropped and created again: being partitioned, and
/// the partition key, cannot change in place, and a child goes down with a
/// rebuilt parent (`DROP TABLE` takes partitions with it and refuses while
/// inheriting tables exist).
pub(crate) fn rebuilt(name: &QualifiedName, old: &Catalog, new: &Catalog) -> bool {
    let (Some(o), Some(n)) = (old.tables.get(name), new.tables.get(name)) else {
        return false;
    };
    if o.inheritance.partition_key != n.inheritance.partition_key {
        return true;
    }
    // A table becomes typed, or of another type, only with the very
    // columns of it: made anew.
    if n.of_type.is_some() && o.of_type != n.of_type {
        return true;
    }
    // `SET ACCESS METHOD` comes with PostgreSQL 15, and reaches a
    // partitioned table from 17 on.
    let partitioned = n.inheritance.partition_key.is_some();
    if o.access_method != n.access_method && (new.major < 15 || (partitioned && new.major < 17)) {
        return true;
    }
    // `INHERIT` leaves the child's own columns and checks declared on the
    // child (`attislocal`); nothing turns them into inherited-only ones as
    // a child created with `INHERITS` has them, so such a child is built anew.
    let gains_parent = n.inheritance.partition_bound.is_none()
        && n.inheritance
            .parents
            .iter()
            .any(|p| !o.inheritance.parents.contains(p));
    if gains_parent
        && (n
            .columns
            .iter()
            .any(|c| c.inherited.only_inherited() && o.column(&c.name).is_some())
            || n.constraints
                .iter()
                .any(|(k, c)| c.inherited.only_inherited() && o.constraints.contains_key(k)))
    {
        return true;
    }
    o.inheritance
        .parents
        .iter()
        .filter(|p| *p != name && n.inheritance.parents.contains(p))
        .any(|p| rebuilt(p, old, new))
}

/// `old` without what hangs off the tables the plan makes anew (their
/// triggers, rules, row-level security, policies and publication
/// membership), which the drop takes along: against it, the new table's
/// are created, none dropped. `old` itself when no table is made anew.
pub(crate) fn without_rebuilt_attachments<'a>(old: &'a Catalog, new: &Catalog) -> Cow<'a, Catalog> {
    let rebuilt: BTreeSet<&QualifiedName> = new
        .tables
        .keys()
        .filter(|name| rebuilt(name, old, new))
        .collect();
    if rebuilt.is_empty() {
        return Cow::Borrowed(old);
    }
    let mut view = old.clone();
    view.triggers
        .retain(|(table, _), _| !rebuilt.contains(table));
    view.rules.retain(|(table, _), _| !rebuilt.contains(table));
    view.policies
        .retain(|(table, _), _| !rebuilt.contains(table));
    view.row_security
        .retain(|table, _| !rebuilt.contains(table));
    for publication in view.publications.values_mut() {
        publication.tables.retain(|t, _| !rebuilt.contains(t));
    }
    Cow::Owned(view)
}

/// The link between `t` and `parent`, as the change that makes it.
fn link(t: &Table, parent: &QualifiedName) -> Change {
    match &t.inheritance.partition_bound {
        Some(bound) => Change::Partition(PartitionChange::AttachPartition {
            table: t.name.clone(),
            parent: parent.clone(),
            bound: bound.clone(),
        }),
        None => Change::Inheritance(InheritanceChange::Inherit {
            table: t.name.clone(),
            parent: parent.clone(),
        }),
    }
}

/// The change that undoes the link between `t` and `parent`.
fn unlink(t: &Table, parent: &QualifiedName) -> Change {
    if t.inheritance.partition_bound.is_some() {
        Change::Partition(PartitionChange::DetachPartition {
            table: t.name.clone(),
            parent: parent.clone(),
        })
    } else {
        Change::Inheritance(InheritanceChange::NoInherit {
            table: t.name.clone(),
            parent: parent.clone(),
        })
    }
}

/// Whether `parent` is a parent of both `o` and `n` in the same way (the
/// same partition bound, or both by plain inheritance).
fn kept(parent: &QualifiedName, o: &Table, n: &Table) -> bool {
    o.inheritance.parents.contains(parent)
        && n.inheritance.parents.contains(parent)
        && o.inheritance.partition_bound == n.inheritance.partition_bound
}

/// Emits the links `o` loses and gains on its way to `n` and its replica
/// identity, and returns the pair of tables whose remaining differences are
/// the table's own: `o` as its kept parents' changes leave it, and `n`
/// without what those parents give it. A table with nothing to take away
/// comes back as it is rather than copied (at 1000 tables, copying every
/// table took about 15% of gen's CPU time in a diff).
pub(crate) fn prepare<'a>(
    o: &'a Table,
    n: &'a Table,
    old: &Catalog,
    new: &Catalog,
    out: &mut Vec<Change>,
) -> (Cow<'a, Table>, Cow<'a, Table>) {
    let kept_parents: Vec<&QualifiedName> = n
        .inheritance
        .parents
        .iter()
        .filter(|p| kept(p, o, n))
        .collect();
    for parent in &o.inheritance.parents {
        if !kept(parent, o, n) {
            out.push(unlink(o, parent));
        }
    }
    let mut linked = false;
    for parent in &n.inheritance.parents {
        if !kept(parent, o, n) {
            out.push(link(n, parent));
            linked = true;
        }
    }
    if o.replica_identity != n.replica_identity {
        out.push(Change::Table(TableChange::SetReplicaIdentity {
            table: n.name.clone(),
            identity: n.replica_identity.clone(),
        }));
    }

    // Constraints the target keeps: a parent's are added and dropped
    // through the parent.
    let keep = |name: &String, c: &gen_model::Constraint| {
        !c.inherited.only_inherited()
            || (kept_parents.is_empty()
                && (o.constraints.contains_key(name)
                    // A table being attached must have the parent's checks already.
                    || (linked && c.kind == ConstraintKind::Check)))
    };
    let target = if n.constraints.iter().all(|(name, c)| keep(name, c)) {
        Cow::Borrowed(n)
    } else {
        let mut target = n.clone();
        target.constraints.retain(|name, c| keep(name, c));
        Cow::Owned(target)
    };
    if kept_parents.is_empty() {
        return (Cow::Borrowed(o), target);
    }

    let mut base = o.clone();
    for parent in &kept_parents {
        let (Some(po), Some(pn)) = (old.tables.get(*parent), new.tables.get(*parent)) else {
            continue;
        };
        let mut i = 0;
        while i < base.columns.len() {
            let c = &mut base.columns[i];
            let from_parent = c.inherited.count > 0 && po.column(&c.name).is_some();
            match (from_parent, po.column(&c.name), pn.column(&c.name)) {
                (true, Some(_), None) if c.inherited.only_inherited() => {
                    // The parent's DROP COLUMN takes the child's copy along.
                    base.columns.remove(i);
                    continue;
                }
                (true, Some(_), None) => c.inherited.count -= 1,
                (true, Some(pc_old), Some(pc_new)) => recurse(pc_old, pc_new, c),
                _ => {}
            }
            i += 1;
        }
        for pc in &pn.columns {
            if po.column(&pc.name).is_some() {
                continue;
            }
            let inherited_only = n
                .column(&pc.name)
                .is_some_and(|c| c.inherited.only_inherited());
            match base.columns.iter().position(|c| c.name == pc.name) {
                // The parent's ADD COLUMN adds it here too.
                None => base.columns.push(inherited_copy(pc, None)),
                // It would merge with the child's own column and stay
                // declared here: the child's goes first.
                Some(i) if inherited_only && base.columns[i].inherited.count == 0 => {
                    out.push(Change::Column(ColumnChange::DropColumn {
                        table: n.name.clone(),
                        column: base.columns[i].clone(),
                    }));
                    base.columns[i] = inherited_copy(pc, None);
                }
                Some(_) => {}
            }
        }
    }
    // Constraints a parent gives are added and dropped through the parent.
    base.constraints
        .retain(|_, c| !c.inherited.only_inherited());
    (Cow::Owned(base), target)
}

/// Carries into a child's column what a parent's change to the same column
/// does to it.
fn recurse(parent_old: &Column, parent_new: &Column, child: &mut Column) {
    if parent_old.data_type != parent_new.data_type || parent_old.collation != parent_new.collation
    {
        child.data_type = parent_new.data_type.clone();
        child.base_type = parent_new.base_type.clone();
        child.collation = parent_new.collation.clone();
    }
    // A NO INHERIT not-null constraint (18) stays the parent's own; made
    // inheritable, the child gets it where it has none.
    let inherits = |c: &Column| c.not_null && !c.not_null_no_inherit;
    if (parent_old.not_null != parent_new.not_null
        || parent_old.not_null_not_valid != parent_new.not_null_not_valid)
        && (inherits(parent_old) || inherits(parent_new))
        && !(parent_old.not_null_no_inherit || parent_new.not_null_no_inherit)
    {
        if parent_new.not_null && !child.not_null {
            child.not_null_name.clone_from(&parent_new.not_null_name);
        }
        child.not_null = parent_new.not_null;
        child.not_null_not_valid = parent_new.not_null_not_valid;
    } else if !inherits(parent_old)
        && inherits(parent_new)
        && parent_old.not_null
        && !child.not_null
    {
        child.not_null = true;
        child.not_null_name.clone_from(&parent_new.not_null_name);
        child.not_null_not_valid = parent_new.not_null_not_valid;
    }
    if parent_old.default != parent_new.default {
        child.default = parent_new.default.clone();
    }
    let (so, sn) = (&parent_old.storage, &parent_new.storage);
    if so.statistics != sn.statistics {
        child.storage.statistics = sn.statistics;
    }
    if so.storage != sn.storage {
        child.storage.storage = sn.storage.clone();
    }
    if so.compression != sn.compression {
        child.storage.compression = sn.compression.clone();
    }
}

/// A parent's column as a child gets it without declaring it.
fn inherited_copy(parent: &Column, comment: Option<&String>) -> Column {
    let mut c = parent.clone();
    c.inherited = gen_model::Inherited {
        local: false,
        count: 1,
    };
    c.identity = None;
    c.comment = comment.cloned();
    c.storage.statistics = None;
    c
}

/// What follows `CREATE TABLE` of `n`: the settings of the columns a child
/// gets from its parents but holds differently (its own default, `NOT
/// NULL`, …), storage settings `CREATE TABLE` cannot say, and the replica
/// identity.
pub(crate) fn after_create(n: &Table, new: &Catalog, out: &mut Vec<Change>) {
    for c in &n.columns {
        let parent_column = n
            .inheritance
            .parents
            .iter()
            .filter_map(|p| new.tables.get(p)?.column(&c.name))
            .next();
        match parent_column {
            Some(pc) if c.inherited.only_inherited() => {
                let mut base = inherited_copy(pc, c.comment.as_ref());
                // From 18 on a partition's CREATE TABLE names its not-null
                // constraints itself (an inherited one cannot be renamed).
                if n.inheritance.partition_of().is_some() && c.not_null && c.not_null_name.is_some()
                {
                    base.not_null = true;
                    base.not_null_name.clone_from(&c.not_null_name);
                }
                alter_column(&n.name, &base, c, [new, new], out);
            }
            _ => {
                let base = ColumnStorage {
                    type_storage: c.storage.type_storage.clone(),
                    ..ColumnStorage::default()
                };
                storage_changes(&n.name, &c.name, &base, &c.storage, out);
            }
        }
    }
    if n.replica_identity != ReplicaIdentity::Default {
        out.push(Change::Table(TableChange::SetReplicaIdentity {
            table: n.name.clone(),
            identity: n.replica_identity.clone(),
        }));
    }
}

/// `SET STATISTICS`, `SET STORAGE` and `SET COMPRESSION` for one column.
pub(crate) fn storage_changes(
    table: &QualifiedName,
    column: &str,
    o: &ColumnStorage,
    n: &ColumnStorage,
    out: &mut Vec<Change>,
) {
    let mut push = |action| {
        out.push(Change::Column(ColumnChange::AlterColumn {
            table: table.clone(),
            column: column.to_owned(),
            action,
        }))
    };
    if o.statistics != n.statistics {
        push(ColumnAction::SetStatistics(n.statistics));
    }
    if o.storage != n.storage {
        push(ColumnAction::SetStorage(
            n.storage.clone().unwrap_or_else(|| n.type_storage.clone()),
        ));
    }
    if o.compression != n.compression {
        push(ColumnAction::SetCompression(n.compression.clone()));
    }
}

/// Drops `o` and creates `n` again, for a table rebuilt because of a
/// change it cannot take in place.
pub(crate) fn rebuild(o: &Table, n: &Table, new: &Catalog, out: &mut Vec<Change>) {
    out.push(Change::Table(TableChange::DropTable(o.clone())));
    create_table(n, new, out);
}

/// Drops and creates a table that depends on an object rebuilt in the plan
/// (a partition whose partitioned table is rebuilt). Its indexes follow by
/// the same closure, being dependents of the table.
pub(crate) fn recreate_table(
    name: &QualifiedName,
    old: &Catalog,
    new: &Catalog,
    out: &mut Vec<Change>,
) -> bool {
    let (Some(o), Some(n)) = (old.tables.get(name), new.tables.get(name)) else {
        return false;
    };
    rebuild(o, n, new, out);
    true
}

/// `ALTER INDEX parent ATTACH PARTITION index` for an index that exists on
/// both sides and is attached only in `new`.
pub(crate) fn attach_indexes(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for n in new.indexes.values() {
        let Some(parent) = &n.parent else { continue };
        if let Some(o) = old.indexes.get(&n.name)
            && o.parent.is_none()
            && o.table == n.table
            && !rebuilt(&n.table, old, new)
        {
            out.push(Change::Partition(PartitionChange::AttachIndex {
                parent: parent.clone(),
                index: n.name.clone(),
            }));
        }
    }
}

/// A replica identity rebuilt with the index it names.
pub(crate) fn recreate_replica_identity(
    table: &QualifiedName,
    new: &Catalog,
    out: &mut Vec<Change>,
) -> bool {
    let Some(n) = new.tables.get(table) else {
        return false;
    };
    out.push(Change::Table(TableChange::SetReplicaIdentity {
        table: table.clone(),
        identity: n.replica_identity.clone(),
    }));
    true
}

/// Whether the partitions under an index's table (at any depth) have
/// their indexes for it under other names: an attached index can neither
/// be detached nor renamed without guessing, so the index is built again,
/// and its partitions' with it. That includes a partition made in this
/// plan whose index has a name of its own, which `CREATE TABLE … PARTITION
/// OF` would copy from the index under the server's name.
pub(crate) fn partition_indexes_differ(o: &Index, n: &Index, old: &Catalog, new: &Catalog) -> bool {
    let partitioned = |c: &Catalog, t: &QualifiedName| {
        c.tables
            .get(t)
            .is_some_and(|t| t.inheritance.partition_key.is_some())
    };
    if !partitioned(old, &o.table) || !partitioned(new, &n.table) || rebuilt(&n.table, old, new) {
        return false;
    }
    let stays = |t: &QualifiedName| {
        let (Some(ot), Some(nt)) = (old.tables.get(t), new.tables.get(t)) else {
            return false;
        };
        ot.inheritance.parents.iter().any(|p| kept(p, ot, nt)) && !rebuilt(t, old, new)
    };
    // A name that is not the one the server would give (or one that cannot
    // be told) is the index's own: rebuilding is right either way, merely
    // heavier when the guess was wrong.
    let made = |i: &Index| {
        (!old.tables.contains_key(&i.table) || rebuilt(&i.table, old, new))
            && server_name(&i.table.name, &i.definition).as_deref() != Some(i.name.name.as_str())
    };
    let below = |catalog: &Catalog, root: &QualifiedName, is_new: bool| {
        let mut found = BTreeSet::new();
        let mut parents = vec![root.clone()];
        while let Some(parent) = parents.pop() {
            for i in catalog.indexes.values() {
                if i.parent.as_ref() == Some(&parent) {
                    parents.push(i.name.clone());
                    if stays(&i.table) || (is_new && made(i)) {
                        found.insert((i.table.clone(), i.name.clone()));
                    }
                }
            }
        }
        found
    };
    below(old, &o.name, false) != below(new, &n.name, true)
}

/// Partition indexes with a name of their own that the server would
/// otherwise make by itself in this plan, under its own name: when an
/// index above them is created (`CREATE INDEX` on a partitioned table
/// builds one on every partition) or their table, or one above it, is
/// attached (`ATTACH PARTITION` builds the parent's indexes). Created
/// first, under their own name, they are adopted instead: the server
/// attaches a matching index rather than building one (gen-plan orders
/// them before those steps).
///
/// An index the server would name exactly so is left to it, so an
/// index over many partitions stays one statement.
pub(crate) fn own_named_indexes(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    let created: BTreeSet<&QualifiedName> = out
        .iter()
        .filter_map(|c| {
            if let Change::Index(IndexChange::CreateIndex(i)) = c {
                Some(&i.name)
            } else {
                None
            }
        })
        .collect();
    let attached: BTreeSet<(&QualifiedName, &QualifiedName)> = out
        .iter()
        .filter_map(|c| {
            if let Change::Partition(PartitionChange::AttachPartition { table, parent, .. }) = c {
                Some((table, parent))
            } else {
                None
            }
        })
        .collect();
    let dropped_indexes: BTreeSet<&QualifiedName> = out
        .iter()
        .filter_map(|c| {
            if let Change::Index(IndexChange::DropIndex(i)) = c {
                Some(&i.name)
            } else {
                None
            }
        })
        .collect();
    let dropped_tables: BTreeSet<&QualifiedName> = out
        .iter()
        .filter_map(|c| {
            if let Change::Table(TableChange::DropTable(t)) = c {
                Some(&t.name)
            } else {
                None
            }
        })
        .collect();

    let mut more = Vec::new();
    let mut made = Vec::new();
    for n in new.indexes.values() {
        if n.parent.is_none() || created.contains(&n.name) {
            continue;
        }
        if server_name(&n.table.name, &n.definition).as_deref() == Some(n.name.name.as_str()) {
            continue;
        }
        // Whether the server builds an index for this partition here.
        let mut built = false;
        let mut index = n;
        while let Some(parent) = &index.parent {
            let Some(p) = new.indexes.get(parent) else {
                break;
            };
            if created.contains(&p.name) || attached.contains(&(&index.table, &p.table)) {
                built = true;
                break;
            }
            index = p;
        }
        if !built {
            continue;
        }
        // An index the plan leaves in place is adopted as it is; a lone
        // one of another definition makes way.
        if let Some(o) = old.indexes.get(&n.name) {
            let gone = dropped_indexes.contains(&o.name)
                || dropped_tables.contains(&o.table)
                || ancestors(o, old).any(|a| dropped_indexes.contains(&a.name));
            if !gone {
                if o.parent.is_some() || (o.table == n.table && o.definition == n.definition) {
                    continue;
                }
                more.push(Change::Index(IndexChange::DropIndex(o.clone())));
            }
        }
        more.push(Change::Index(IndexChange::CreateIndex(n.clone())));
        // Made anew, it has no comment yet.
        let id = ObjectId::Index {
            name: n.name.clone(),
        };
        comment(id.clone(), None, n.comment.as_ref(), &mut more);
        made.push(id);
    }
    out.retain(|c| !matches!(c, Change::Comment(CommentChange::Comment { target, .. }) if made.contains(target)));
    out.append(&mut more);
}

/// The indexes `index` is attached to, nearest first.
fn ancestors<'a>(index: &'a Index, catalog: &'a Catalog) -> impl Iterator<Item = &'a Index> {
    std::iter::successors(Some(index), |i| {
        i.parent.as_ref().and_then(|p| catalog.indexes.get(p))
    })
    .skip(1)
}

/// The index of a partition attached to its parent's index is made and
/// dropped with that one; only its comment is its own. True when `o`/`n`
/// is such an index and has been dealt with here.
pub(crate) fn partition_index(
    o: Option<&Index>,
    n: Option<&Index>,
    old: &Catalog,
    new: &Catalog,
    out: &mut Vec<Change>,
) -> bool {
    let still_attached = |i: &Index| {
        let Some(parent_index) = i.parent.as_ref().and_then(|p| old.indexes.get(p)) else {
            return false;
        };
        new.tables
            .get(&i.table)
            .is_some_and(|t| t.inheritance.parents.contains(&parent_index.table))
    };
    match (o, n) {
        (_, Some(n)) if n.parent.is_some() => {
            let old_comment = o.and_then(|o| o.comment.as_ref());
            comment(
                ObjectId::Index {
                    name: n.name.clone(),
                },
                old_comment,
                n.comment.as_ref(),
                out,
            );
            true
        }
        // Still attached to a parent's index that goes away: it goes too,
        // and comes back on its own.
        (Some(o), Some(n))
            if o.parent.is_some()
                && still_attached(o)
                && o.parent.as_ref().is_some_and(|p| {
                    !new.indexes.contains_key(p)
                    || out.iter().any(
                        |c| matches!(c, Change::Index(IndexChange::DropIndex(d)) if &d.name == p),
                    )
                }) =>
        {
            out.push(Change::Index(IndexChange::CreateIndex(n.clone())));
            comment(
                ObjectId::Index {
                    name: n.name.clone(),
                },
                None,
                n.comment.as_ref(),
                out,
            );
            true
        }
        // Dropped with the parent's index, or detached with its table and
        // then dropped on its own.
        (Some(o), None) => o.parent.is_some() && (still_attached(o) || rebuilt(&o.table, old, new)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use gen_model::{Catalog, Column, Constraint, Inherited, QualifiedName, Table};
    use gen_test_support::{ColumnExt, TableExt};

    use crate::{Change, ColumnAction, ColumnChange, diff};

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn col(name: &str) -> Column {
        gen_test_support::col(name, "integer")
    }

    fn table(name: &str, columns: Vec<Column>) -> Table {
        gen_test_support::table(q(name), columns)
    }

    fn partitioned(name: &str, key: &str, columns: Vec<Column>) -> Table {
        table(name, columns).partitioned(key)
    }

    fn partition(name: &str, parent: &Table, bound: &str) -> Table {
        let columns = parent.columns.iter().cloned().map(ColumnExt::inherited);
        table(name, columns.collect()).partition_of(&parent.name, bound)
    }

    fn catalog(tables: Vec<Table>) -> Catalog {
        let mut c = Catalog::default();
        for t in tables {
            c.tables.insert(t.name.clone(), t);
        }
        c
    }

    fn kinds(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                let (action, id) = c.target();
                let variant = c.variant();
                format!("{variant} {action:?} {id}")
            })
            .collect()
    }

    #[test]
    fn a_column_added_to_a_partitioned_table_is_added_once() {
        let parent = partitioned("m", "RANGE (a)", vec![col("a")]);
        let old = catalog(vec![parent.clone(), partition("m1", &parent, "DEFAULT")]);
        let parent = partitioned("m", "RANGE (a)", vec![col("a"), col("b")]);
        let new = catalog(vec![parent.clone(), partition("m1", &parent, "DEFAULT")]);
        assert_eq!(
            kinds(&diff(&old, &new)),
            ["AddColumn CreateOrAlter column public.m.b"]
        );
        assert_eq!(
            kinds(&diff(&new, &old)),
            ["DropColumn Drop column public.m.b"]
        );
    }

    #[test]
    fn a_partition_of_its_own_default_sets_it_after_the_parent_change_reaches_it() {
        let parent = partitioned("m", "RANGE (a)", vec![col("a")]);
        let old = catalog(vec![parent.clone(), partition("m1", &parent, "DEFAULT")]);
        let mut b = col("b");
        b.default = Some("1".to_owned());
        let parent = partitioned("m", "RANGE (a)", vec![col("a"), b]);
        let mut child = partition("m1", &parent, "DEFAULT");
        child.columns[1].default = Some("2".to_owned());
        let new = catalog(vec![parent, child]);
        let changes = diff(&old, &new);
        assert!(changes.contains(&Change::Column(ColumnChange::AlterColumn {
            table: q("m1"),
            column: "b".to_owned(),
            action: ColumnAction::SetDefault("2".to_owned()),
        })));
        assert!(
            !changes
                .iter()
                .any(|c| matches!(c, Change::Column(ColumnChange::AddColumn { table, .. }) if table == &q("m1")))
        );
    }

    #[test]
    fn a_table_that_gains_a_parent_is_attached_after_taking_its_checks() {
        let mut parent = partitioned("m", "RANGE (a)", vec![col("a")]);
        parent.constraints.insert(
            "m_a_check".to_owned(),
            Constraint {
                name: "m_a_check".to_owned(),
                kind: gen_model::ConstraintKind::Check,
                definition: "CHECK ((a > 0))".to_owned(),
                columns: vec!["a".to_owned()],
                references: None,
                validated: true,
                comment: None,
                index_comment: None,
                inherited: Inherited::default(),
                index_options: Vec::new(),
                index_tablespace: None,
            },
        );
        let old = catalog(vec![parent.clone(), table("m1", vec![col("a")])]);
        let mut child = partition("m1", &parent, "DEFAULT");
        let mut check = parent.constraints["m_a_check"].clone();
        check.inherited = Inherited {
            local: false,
            count: 1,
        };
        child.constraints.insert(check.name.clone(), check);
        let new = catalog(vec![parent, child]);
        assert_eq!(
            kinds(&diff(&old, &new)),
            [
                "AttachPartition CreateOrAlter inheritance of public.m1 from public.m",
                "AddConstraint CreateOrAlter constraint m_a_check on public.m1",
            ]
        );
        // Detached, the table keeps the check as its own; the old side lacks it.
        assert_eq!(
            kinds(&diff(&new, &old)),
            [
                "DetachPartition Drop inheritance of public.m1 from public.m",
                "DropConstraint Drop constraint m_a_check on public.m1",
            ]
        );
    }

    #[test]
    fn a_changed_partition_key_rebuilds_the_table_and_its_partitions() {
        let parent = partitioned("m", "RANGE (a)", vec![col("a")]);
        let old = catalog(vec![parent.clone(), partition("m1", &parent, "DEFAULT")]);
        let parent = partitioned("m", "LIST (a)", vec![col("a")]);
        let new = catalog(vec![parent.clone(), partition("m1", &parent, "DEFAULT")]);
        assert_eq!(
            kinds(&diff(&old, &new)),
            [
                "DropTable Drop table public.m",
                "CreateTable CreateOrAlter table public.m",
                "DropTable Drop table public.m1",
                "CreateTable CreateOrAlter table public.m1",
            ]
        );
    }

    fn index(name: &str, table: &str, parent: Option<&str>) -> gen_model::Index {
        gen_model::Index {
            parent: parent.map(q),
            ..gen_test_support::index(name, &q(table), &["a"])
        }
    }

    fn with_indexes(mut c: Catalog, indexes: Vec<gen_model::Index>) -> Catalog {
        for i in indexes {
            c.indexes.insert(i.name.clone(), i);
        }
        c
    }

    #[test]
    fn a_partitions_index_of_its_own_name_is_created_with_its_parents() {
        let parent = partitioned("m", "RANGE (a)", vec![col("a")]);
        let tables = vec![
            parent.clone(),
            partition("m1", &parent, "FOR VALUES FROM (0) TO (1)"),
            partition("m2", &parent, "FOR VALUES FROM (1) TO (2)"),
        ];
        let old = catalog(tables.clone());
        let new = with_indexes(
            catalog(tables),
            vec![
                index("m_a", "m", None),
                index("m1_own", "m1", Some("m_a")),
                index("m2_a_idx", "m2", Some("m_a")),
            ],
        );
        // The server names m2's index itself, and would name m1's so too.
        assert_eq!(
            kinds(&diff(&old, &new)),
            [
                "CreateIndex CreateOrAlter index public.m_a",
                "CreateIndex CreateOrAlter index public.m1_own",
            ]
        );
        assert_eq!(
            kinds(&diff(&new, &old)),
            ["DropIndex Drop index public.m_a"]
        );
    }

    #[test]
    fn a_partitions_index_renamed_under_a_kept_index_rebuilds_that_index() {
        let parent = partitioned("m", "RANGE (a)", vec![col("a")]);
        let tables = vec![
            parent.clone(),
            partition("m1", &parent, "FOR VALUES FROM (0) TO (1)"),
        ];
        let old = with_indexes(
            catalog(tables.clone()),
            vec![
                index("m_a", "m", None),
                index("m1_a_idx", "m1", Some("m_a")),
            ],
        );
        let new = with_indexes(
            catalog(tables),
            vec![index("m_a", "m", None), index("m1_own", "m1", Some("m_a"))],
        );
        assert_eq!(
            kinds(&diff(&old, &new)),
            [
                "DropIndex Drop index public.m_a",
                "CreateIndex CreateOrAlter index public.m_a",
                "CreateIndex CreateOrAlter index public.m1_own",
            ]
        );
        // Back to the server's name: the rebuilt index makes it.
        assert_eq!(
            kinds(&diff(&new, &old)),
            [
                "DropIndex Drop index public.m_a",
                "CreateIndex CreateOrAlter index public.m_a",
            ]
        );
    }

    #[test]
    fn a_new_partition_under_a_kept_index_rebuilds_it_only_for_a_name_of_its_own() {
        let parent = partitioned("m", "RANGE (a)", vec![col("a")]);
        let m1 = partition("m1", &parent, "FOR VALUES FROM (0) TO (1)");
        let old = with_indexes(
            catalog(vec![parent.clone(), m1.clone()]),
            vec![
                index("m_a", "m", None),
                index("m1_a_idx", "m1", Some("m_a")),
            ],
        );
        let tables = vec![
            parent.clone(),
            m1,
            partition("m2", &parent, "FOR VALUES FROM (1) TO (2)"),
        ];
        let named = |m2_index: gen_model::Index| {
            with_indexes(
                catalog(tables.clone()),
                vec![
                    index("m_a", "m", None),
                    index("m1_a_idx", "m1", Some("m_a")),
                    m2_index,
                ],
            )
        };
        assert_eq!(
            kinds(&diff(&old, &named(index("m2_a_idx", "m2", Some("m_a"))))),
            ["CreateTable CreateOrAlter table public.m2"]
        );
        assert_eq!(
            kinds(&diff(&old, &named(index("m2_own", "m2", Some("m_a"))))),
            [
                "CreateTable CreateOrAlter table public.m2",
                "DropIndex Drop index public.m_a",
                "CreateIndex CreateOrAlter index public.m_a",
                "CreateIndex CreateOrAlter index public.m2_own",
            ]
        );
        // An expression index is named after the expression.
        let expression = |name: &str| {
            let mut i = index(name, "m2", Some("m_a"));
            i.definition = format!("CREATE INDEX {name} ON public.m2 USING btree (lower(a))");
            i
        };
        assert_eq!(
            kinds(&diff(&old, &named(expression("m2_lower_idx")))),
            ["CreateTable CreateOrAlter table public.m2"]
        );
        assert_eq!(
            kinds(&diff(&old, &named(expression("m2_own")))),
            [
                "CreateTable CreateOrAlter table public.m2",
                "DropIndex Drop index public.m_a",
                "CreateIndex CreateOrAlter index public.m_a",
                "CreateIndex CreateOrAlter index public.m2_own",
            ]
        );
    }

    #[test]
    fn a_changed_bound_detaches_and_attaches_again() {
        let parent = partitioned("m", "LIST (a)", vec![col("a")]);
        let old = catalog(vec![
            parent.clone(),
            partition("m1", &parent, "FOR VALUES IN (1)"),
        ]);
        let new = catalog(vec![
            parent.clone(),
            partition("m1", &parent, "FOR VALUES IN (2)"),
        ]);
        assert_eq!(
            kinds(&diff(&old, &new)),
            [
                "DetachPartition Drop inheritance of public.m1 from public.m",
                "AttachPartition CreateOrAlter inheritance of public.m1 from public.m",
            ]
        );
    }
}
