//! Expand and contract: a change split in two around a data step.
//!
//! `gen add NAME --split` plans `old` to [`expanded`] (everything the new
//! schema adds or alters, while what it drops and what holds data stays),
//! leaves an empty change for the hand-written data step, and plans
//! [`expanded`] to `new` (the drops). Both halves are ordinary plans, so
//! their order, hazards, reverts and verify scripts come from the same
//! place as any other change's.

use std::collections::BTreeSet;

use gen_model::{Catalog, Column, ObjectId, Table};

/// The catalog between `old` and `new`: `new`, plus the tables, columns and
/// sequences of `old` that `new` drops and that hold data, with what they
/// need to stay as they were (their types, domains, constraints, indexes,
/// grants and owners). A column kept this way accepts rows without it:
/// its `NOT NULL` is dropped where nothing fills it, since the code that
/// runs between the halves no longer writes it.
pub fn expanded(old: &Catalog, new: &Catalog) -> Catalog {
    let mut mid = new.clone();
    let mut kept_types: BTreeSet<String> = BTreeSet::new();

    // Tables the new schema drops stay whole.
    for (name, table) in &old.tables {
        if !new.tables.contains_key(name) {
            kept_types.extend(table.columns.iter().map(|c| base_type(c).to_owned()));
            mid.tables.insert(name.clone(), table.clone());
            for (iname, index) in &old.indexes {
                if index.table == *name {
                    mid.indexes.insert(iname.clone(), index.clone());
                }
            }
        }
    }

    // Columns it drops from tables it keeps stay, in their old places;
    // the new columns follow, as ADD COLUMN places them.
    for (name, table) in &new.tables {
        let Some(before) = old.tables.get(name) else {
            continue;
        };
        let dropped: Vec<&Column> = before
            .columns
            .iter()
            .filter(|c| table.column(&c.name).is_none() && c.generated.is_none())
            .collect();
        if dropped.is_empty() {
            continue;
        }
        kept_types.extend(dropped.iter().map(|c| base_type(c).to_owned()));
        let merged = merge_columns(before, table);
        let Some(target) = mid.tables.get_mut(name) else {
            continue;
        };
        target.columns = merged;
        // The constraints of the old table that the new one lacks and
        // that its columns can still hold; one primary key at most.
        let has_key = target
            .constraints
            .values()
            .any(|c| c.kind == gen_model::ConstraintKind::PrimaryKey);
        for (cname, constraint) in &before.constraints {
            let fits = constraint
                .columns
                .iter()
                .all(|col| target.column(col).is_some());
            let second_key = has_key && constraint.kind == gen_model::ConstraintKind::PrimaryKey;
            if fits
                && !second_key
                && !target.constraints.contains_key(cname)
                && constraint
                    .columns
                    .iter()
                    .any(|col| dropped.iter().any(|d| d.name == *col))
            {
                target.constraints.insert(cname.clone(), constraint.clone());
            }
        }
    }

    // The sequences of what stays.
    for (name, sequence) in &old.sequences {
        if new.sequences.contains_key(name) {
            continue;
        }
        let owner_stays = sequence.owned_by.as_ref().is_some_and(|(table, column)| {
            mid.tables
                .get(table)
                .is_some_and(|t| t.column(column).is_some())
        });
        if owner_stays {
            mid.sequences.insert(name.clone(), sequence.clone());
        }
    }

    // The types and domains of what stays.
    for (name, ty) in &old.types {
        if kept_types.contains(&name.to_string()) && !mid.types.contains_key(name) {
            mid.types.insert(name.clone(), ty.clone());
        }
    }
    for (name, domain) in &old.domains {
        if kept_types.contains(&name.to_string()) && !mid.domains.contains_key(name) {
            mid.domains.insert(name.clone(), domain.clone());
        }
    }

    // Their grants, owners and dependencies, as they were.
    let kept = |mid: &Catalog, id: &ObjectId| !new.contains(id) && mid.contains(id);
    let privileges: Vec<_> = old
        .privileges
        .iter()
        .filter(|(id, _)| kept(&mid, id))
        .map(|(id, acl)| (id.clone(), acl.clone()))
        .collect();
    mid.privileges.extend(privileges);
    let owners: Vec<_> = old
        .owners
        .iter()
        .filter(|(id, _)| kept(&mid, id))
        .map(|(id, owner)| (id.clone(), owner.clone()))
        .collect();
    mid.owners.extend(owners);
    let depends: Vec<(ObjectId, ObjectId)> = old
        .depends
        .iter()
        .filter(|(a, b)| (kept(&mid, a) || kept(&mid, b)) && mid.contains(a) && mid.contains(b))
        .cloned()
        .collect();
    mid.depends.extend(depends);
    mid
}

/// The type a column's values are of, without array brackets.
fn base_type(column: &Column) -> &str {
    column
        .base_type
        .strip_suffix("[]")
        .unwrap_or(&column.base_type)
}

/// `before`'s columns in their order, each as `after` has it where it
/// still exists and as it was (accepting rows without it) where not, then
/// `after`'s new columns.
fn merge_columns(before: &Table, after: &Table) -> Vec<Column> {
    let mut out: Vec<Column> = before
        .columns
        .iter()
        .filter_map(|c| match after.column(&c.name) {
            Some(now) => Some(now.clone()),
            None if c.generated.is_some() => None,
            None => {
                let mut kept = c.clone();
                if kept.default.is_none() && kept.identity.is_none() {
                    kept.not_null = false;
                    kept.not_null_name = None;
                }
                Some(kept)
            }
        })
        .collect();
    out.extend(
        after
            .columns
            .iter()
            .filter(|c| before.column(&c.name).is_none())
            .cloned(),
    );
    out
}
