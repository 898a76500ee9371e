//! Publications: members joining, leaving and changing, ordered around the
//! tables and columns they name.

use std::collections::{BTreeMap, BTreeSet};

use gen_model::{Catalog, ObjectId, Publication, Publish, PublishedTable, QualifiedName};
use gen_test_support::*;

use super::{deploy, hazard_lines, planned};

/// A table with its column list and row filter.
type Member<'a> = (&'a QualifiedName, Option<&'a [&'a str]>, Option<&'a str>);

fn publication(tables: &[Member<'_>]) -> Publication {
    Publication {
        name: "feed".to_owned(),
        all_tables: false,
        publish: Publish {
            insert: true,
            update: true,
            delete: true,
            truncate: true,
        },
        via_root: false,
        tables: tables
            .iter()
            .map(|(t, columns, filter)| {
                let member = PublishedTable {
                    columns: columns.map(|c| c.iter().map(|c| (*c).to_owned()).collect()),
                    row_filter: filter.map(str::to_owned),
                };
                ((*t).clone(), member)
            })
            .collect::<BTreeMap<_, _>>(),
        schemas: BTreeSet::new(),
        comment: None,
    }
}

/// A catalog with `users` (columns `columns`) and publication `p`, with
/// the edges the introspection records.
fn with(columns: &[&str], p: Publication) -> Catalog {
    let users = q("public", "users");
    let mut c = db()
        .table(table(
            users.clone(),
            columns.iter().map(|c| col(c, "text")).collect(),
        ))
        .build();
    for (t, member) in &p.tables {
        c.depends
            .insert((p.id(), ObjectId::Table { name: t.clone() }));
        for column in member.columns.iter().flatten() {
            c.depends.insert((p.id(), column_id(t, column)));
        }
    }
    c.publications.insert(p.name.clone(), p);
    c
}

#[test]
fn a_member_leaves_before_a_listed_column_goes_and_comes_back_after() {
    let users = q("public", "users");
    let old = with(
        &["id", "name"],
        publication(&[(&users, Some(&["id", "name"]), None)]),
    );
    let new = with(
        &["id", "name", "email"],
        publication(&[(&users, Some(&["id", "email"]), Some("(id IS NOT NULL)"))]),
    );
    assert_eq!(
        deploy(&old, &new),
        "ALTER PUBLICATION feed DROP TABLE ONLY public.users;\n\n\
         ALTER TABLE public.users ADD COLUMN email text;\n\n\
         ALTER PUBLICATION feed ADD TABLE ONLY public.users (id, email) WHERE ((id IS NOT NULL));\n"
    );
    assert_eq!(
        hazard_lines(&planned(&old, &new)),
        "access-exclusive-lock on column public.users.email: takes an ACCESS EXCLUSIVE lock on public.users: reads and writes wait until the deploy commits\n\
         replication-change on publication feed: publication feed sends other columns or rows of public.users from now on\n"
    );
}

#[test]
fn a_publication_is_created_after_its_tables_with_every_option_said() {
    let users = q("public", "users");
    let old = db().build();
    let new = with(&["id"], publication(&[(&users, None, None)]));
    assert_eq!(
        deploy(&old, &new),
        "CREATE TABLE public.users (\n    id text\n);\n\n\
         CREATE PUBLICATION feed FOR TABLE ONLY public.users\n    \
         WITH (publish = 'insert, update, delete, truncate', publish_via_partition_root = false);\n"
    );
    // Dropping it warns the subscribers, who stop receiving changes.
    assert!(hazard_lines(&planned(&new, &old)).starts_with(
        "replication-change on publication feed: subscribers of publication feed stop receiving changes"
    ));
}
