//! Publications: the change type, and the comparison that emits it.

use gen_model::{Catalog, ObjectId, Publication, PublishedTable, QualifiedName};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, keyed_pairs, pairs};

/// A change to a publication; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum PublicationChange {
    /// `CREATE PUBLICATION name [FOR ALL TABLES | FOR TABLE ONLY t (cols)
    /// WHERE (…), TABLES IN SCHEMA s] WITH (publish = '…',
    /// publish_via_partition_root = …);`
    CreatePublication(Publication),
    /// `DROP PUBLICATION name;`
    DropPublication(Publication),
    /// `ALTER PUBLICATION name SET (publish = '…', publish_via_partition_root = …);`
    SetPublicationOptions {
        /// The publication as it is to be.
        publication: Publication,
    },
    /// `ALTER PUBLICATION name ADD TABLE ONLY t (cols) WHERE (…);`
    AddPublicationTable {
        /// Publication name.
        name: String,
        /// The table.
        table: QualifiedName,
        /// Its column list and row filter.
        member: PublishedTable,
        /// The table was a member with another column list or row filter,
        /// taken out before.
        again: bool,
    },
    /// `ALTER PUBLICATION name DROP TABLE ONLY t;`
    DropPublicationTable {
        /// Publication name.
        name: String,
        /// The table.
        table: QualifiedName,
        /// The table is added back, with another column list or row filter.
        again: bool,
    },
    /// `ALTER PUBLICATION name ADD TABLES IN SCHEMA s;`
    AddPublicationSchema {
        /// Publication name.
        name: String,
        /// The schema.
        schema: String,
    },
    /// `ALTER PUBLICATION name DROP TABLES IN SCHEMA s;`
    DropPublicationSchema {
        /// Publication name.
        name: String,
        /// The schema.
        schema: String,
    },
}

impl PublicationChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        let named = |name: &String| ObjectId::Publication { name: name.clone() };
        match self {
            PublicationChange::CreatePublication(p) => (CreateOrAlter, p.id()),
            PublicationChange::DropPublication(p) => (Drop, p.id()),
            PublicationChange::SetPublicationOptions { publication } => {
                (CreateOrAlter, publication.id())
            }
            PublicationChange::AddPublicationTable { name, .. }
            | PublicationChange::AddPublicationSchema { name, .. } => (CreateOrAlter, named(name)),
            // Before what it lets go of is dropped: a member must still
            // exist to be dropped from the publication.
            PublicationChange::DropPublicationTable { name, .. }
            | PublicationChange::DropPublicationSchema { name, .. } => (Drop, named(name)),
        }
    }

    /// Whether the change leaves the publication in place though it is
    /// ordered with drops: a member taken out.
    pub fn keeps_publication(&self) -> bool {
        match self {
            PublicationChange::DropPublicationTable { .. }
            | PublicationChange::DropPublicationSchema { .. } => true,
            PublicationChange::CreatePublication(..)
            | PublicationChange::DropPublication(..)
            | PublicationChange::SetPublicationOptions { .. }
            | PublicationChange::AddPublicationTable { .. }
            | PublicationChange::AddPublicationSchema { .. } => false,
        }
    }

    /// The variant's name, `CreatePublication` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            PublicationChange::CreatePublication(..) => "CreatePublication",
            PublicationChange::DropPublication(..) => "DropPublication",
            PublicationChange::SetPublicationOptions { .. } => "SetPublicationOptions",
            PublicationChange::AddPublicationTable { .. } => "AddPublicationTable",
            PublicationChange::DropPublicationTable { .. } => "DropPublicationTable",
            PublicationChange::AddPublicationSchema { .. } => "AddPublicationSchema",
            PublicationChange::DropPublicationSchema { .. } => "DropPublicationSchema",
        }
    }
}

/// Every difference in publications. Members change in place; a member
/// whose column list or row filter changes is dropped and added again; a
/// publication that turns to or from `FOR ALL TABLES` is created anew,
/// which is the only way the server offers.
pub(crate) fn publications(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.publications, &new.publications) {
        match (o, n) {
            (Some(o), None) => out.push(PublicationChange::DropPublication(o.clone()).into()),
            (None, Some(n)) => create(n, out),
            (Some(o), Some(n)) if o.all_tables != n.all_tables => recreate(o, n, out),
            (Some(o), Some(n)) => {
                alter(o, n, out);
                comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
}

/// The publication dropped as it is in `old` and created as it is in `new`.
pub(crate) fn recreate(o: &Publication, n: &Publication, out: &mut Vec<Change>) {
    out.push(PublicationChange::DropPublication(o.clone()).into());
    create(n, out);
}

fn create(n: &Publication, out: &mut Vec<Change>) {
    out.push(PublicationChange::CreatePublication(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}

fn alter(o: &Publication, n: &Publication, out: &mut Vec<Change>) {
    if o.publish != n.publish || o.via_root != n.via_root {
        out.push(
            PublicationChange::SetPublicationOptions {
                publication: n.clone(),
            }
            .into(),
        );
    }
    let name = &n.name;
    for (table, was, is) in keyed_pairs(&o.tables, &n.tables) {
        // A member whose column list or row filter changes leaves and comes
        // back; taking it out comes before drops, so before the table or
        // one of its listed columns goes.
        let changed = was.is_some() && is.is_some() && was != is;
        if was.is_some() && (is.is_none() || changed) {
            out.push(
                PublicationChange::DropPublicationTable {
                    name: name.clone(),
                    table: table.clone(),
                    again: changed,
                }
                .into(),
            );
        }
        if let Some(member) = is
            && (was.is_none() || changed)
        {
            out.push(
                PublicationChange::AddPublicationTable {
                    name: name.clone(),
                    table: table.clone(),
                    member: member.clone(),
                    again: changed,
                }
                .into(),
            );
        }
    }
    for schema in o.schemas.difference(&n.schemas) {
        out.push(
            PublicationChange::DropPublicationSchema {
                name: name.clone(),
                schema: schema.clone(),
            }
            .into(),
        );
    }
    for schema in n.schemas.difference(&o.schemas) {
        out.push(
            PublicationChange::AddPublicationSchema {
                name: name.clone(),
                schema: schema.clone(),
            }
            .into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use gen_model::{Catalog, Publication, Publish, PublishedTable};
    use gen_test_support::q;

    use crate::{Change, diff};

    fn feed(all_tables: bool, tables: &[(&str, Option<&str>)], schemas: &[&str]) -> Catalog {
        let mut c = Catalog::default();
        let p = Publication {
            name: "feed".to_owned(),
            all_tables,
            publish: Publish {
                insert: true,
                update: true,
                delete: true,
                truncate: !schemas.is_empty(),
            },
            via_root: false,
            tables: tables
                .iter()
                .map(|(t, filter)| {
                    let member = PublishedTable {
                        columns: None,
                        row_filter: filter.map(str::to_owned),
                    };
                    (q("public", t), member)
                })
                .collect::<BTreeMap<_, _>>(),
            schemas: schemas
                .iter()
                .map(|s| (*s).to_owned())
                .collect::<BTreeSet<_>>(),
            comment: None,
        };
        c.publications.insert(p.name.clone(), p);
        c
    }

    fn variants(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| format!("{} {:?}", c.variant(), c.target().0))
            .collect()
    }

    #[test]
    fn members_leave_join_and_change_in_place() {
        let old = feed(false, &[("a", Some("(x > 0)")), ("b", None)], &[]);
        let new = feed(false, &[("a", Some("(x > 1)")), ("c", None)], &["archive"]);
        assert_eq!(
            variants(&diff(&old, &new)),
            [
                "SetPublicationOptions CreateOrAlter",
                "DropPublicationTable Drop",
                "AddPublicationTable CreateOrAlter",
                "DropPublicationTable Drop",
                "AddPublicationTable CreateOrAlter",
                "AddPublicationSchema CreateOrAlter",
            ]
        );
        // Taking members out is ordered with drops but removes nothing whole.
        assert!(diff(&old, &new).iter().all(|c| c.removes().is_none()));
    }

    #[test]
    fn turning_to_all_tables_creates_the_publication_anew() {
        let old = feed(false, &[("a", None)], &[]);
        let new = feed(true, &[], &[]);
        assert_eq!(
            variants(&diff(&old, &new)),
            ["DropPublication Drop", "CreatePublication CreateOrAlter"]
        );
    }
}
