//! What nearly every kind of object needs besides its own row: its schema's
//! name, its comment, and whether an extension made it.
//!
//! These are read once, flat, and joined on the client. Joined into each
//! kind's query instead, they made every query plan three or four more
//! joins: in a fresh backend (every check reads two) planning those joins,
//! and loading the catalog caches they touch, cost more than reading the
//! objects themselves.

use std::collections::HashMap;

use gen_model::QualifiedName;

use crate::rows::{CommentRow, DependRow, SchemaRow};
use crate::{DepKey, class_key};

#[derive(Default)]
pub(crate) struct Lookup {
    /// Every schema's name by oid, system ones included.
    schemas: HashMap<u32, String>,
    /// Comments by (catalog, oid, sub-id).
    comments: HashMap<DepKey, String>,
    /// The catalogs of the objects an extension made, by oid.
    members: HashMap<u32, Vec<String>>,
}

impl Lookup {
    /// From the rows of schemas.sql, comments.sql and depends.sql.
    pub(crate) fn new(
        schemas: &[SchemaRow],
        comments: &[CommentRow],
        depends: &[DependRow],
    ) -> Lookup {
        Lookup {
            schemas: schemas.iter().map(|r| (r.oid, r.nspname.clone())).collect(),
            comments: comments
                .iter()
                .filter_map(|r| {
                    let class = class_key(&r.class)?;
                    Some(((class, r.objoid, r.objsubid), r.description.clone()))
                })
                .collect(),
            members: depends.iter().filter(|r| r.deptype == "e").fold(
                HashMap::new(),
                |mut found, r| {
                    found
                        .entry(r.objid)
                        .or_insert_with(Vec::new)
                        .push(r.class.clone());
                    found
                },
            ),
        }
    }

    /// The name of schema `oid` if it holds application objects: not the
    /// system's own schemas, toast or temporary ones.
    pub(crate) fn schema(&self, oid: u32) -> Option<&str> {
        let name = self.schemas.get(&oid)?;
        let system = name == "pg_catalog"
            || name == "information_schema"
            || name.starts_with("pg_toast")
            || name.starts_with("pg_temp_");
        (!system).then_some(name.as_str())
    }

    /// The name of schema `oid`, whatever it holds.
    pub(crate) fn any_schema(&self, oid: u32) -> Option<&str> {
        self.schemas.get(&oid).map(String::as_str)
    }

    /// Every relation among `relations` (oid, schema oid, name) by its
    /// qualified name, kept or not: what parents are named by.
    pub(crate) fn relation_names<'a>(
        &self,
        relations: impl Iterator<Item = (u32, u32, &'a String)>,
    ) -> HashMap<u32, QualifiedName> {
        relations
            .filter_map(|(oid, schema, name)| {
                let schema = self.any_schema(schema)?;
                Some((oid, QualifiedName::new(schema, name.clone())))
            })
            .collect()
    }

    /// The comment on an object (sub-id 0) or on a column of a relation.
    pub(crate) fn comment(&self, class: &'static str, oid: u32, subid: i32) -> Option<String> {
        self.comments.get(&(class, oid, subid)).cloned()
    }

    /// Whether an extension made the object.
    pub(crate) fn member(&self, class: &str, oid: u32) -> bool {
        self.members
            .get(&oid)
            .is_some_and(|classes| classes.iter().any(|c| c == class))
    }

    /// The schema's name if an application object in it should be read:
    /// an application schema, and the object not an extension's.
    pub(crate) fn owned(&self, class: &'static str, oid: u32, schema: u32) -> Option<String> {
        if self.member(class, oid) {
            return None;
        }
        self.schema(schema).map(str::to_owned)
    }
}

/// A collation as a query prints it (by `regcollation`), qualified.
pub(crate) fn collation(name: &Option<String>) -> Option<String> {
    name.clone().map(qualified_collation)
}

/// A collation's name as `regcollation` prints it, qualified: with an empty
/// search path only `pg_catalog` is searched, and its collations come out
/// bare (`"C"`), everyone else's qualified (`app.german`).
fn qualified_collation(name: String) -> String {
    let mut chars = name.chars();
    let qualified = match chars.next() {
        Some('"') => {
            // Past the quoted identifier ("" is a quote inside it).
            let mut rest = chars.as_str();
            loop {
                match rest.find('"') {
                    Some(i) if rest[i + 1..].starts_with('"') => rest = &rest[i + 2..],
                    Some(i) => break rest[i + 1..].starts_with('.'),
                    None => break false,
                }
            }
        }
        Some(_) => name.contains('.'),
        None => false,
    };
    if qualified {
        name
    } else {
        format!("pg_catalog.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::qualified_collation;

    #[test]
    fn collations_of_pg_catalog_are_qualified() {
        assert_eq!(qualified_collation("\"C\"".into()), "pg_catalog.\"C\"");
        assert_eq!(
            qualified_collation("\"default\"".into()),
            "pg_catalog.\"default\""
        );
        assert_eq!(qualified_collation("app.german".into()), "app.german");
        assert_eq!(
            qualified_collation("\"my.app\".\"x\"\"y\"".into()),
            "\"my.app\".\"x\"\"y\""
        );
        assert_eq!(qualified_collation("\"a.b\"".into()), "pg_catalog.\"a.b\"");
        assert_eq!(
            qualified_collation("\"a\"\".b\"".into()),
            "pg_catalog.\"a\"\".b\""
        );
    }
}
