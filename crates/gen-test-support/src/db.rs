//! A catalog under construction.

use gen_model::{CastContext, Catalog, ConstraintKind, Index, ObjectId, Schema, Sequence, Table};

use crate::{column_id, constraint_id, index_id, table_id};

/// A catalog under construction. [`Db::build`] adds the dependency edges
/// the introspection would find, so tests only spell out the unusual ones.
#[derive(Debug, Default)]
pub struct Db {
    /// What is built so far, for the kinds `Db` has no method for.
    pub catalog: Catalog,
    /// Edges given by hand, added in this order (to test that order does
    /// not matter).
    extra: Vec<(ObjectId, ObjectId)>,
}

/// A catalog with schema `public`, as every database has.
pub fn db() -> Db {
    Db::default().schema("public")
}

impl Db {
    pub fn schema(mut self, name: &str) -> Self {
        self.catalog.schemas.insert(
            name.to_owned(),
            Schema {
                name: name.to_owned(),
                comment: None,
            },
        );
        self
    }
    pub fn schema_comment(mut self, name: &str, text: &str) -> Self {
        self.catalog.schemas.get_mut(name).unwrap().comment = Some(text.to_owned());
        self
    }
    pub fn table(mut self, t: Table) -> Self {
        self.catalog.tables.insert(t.name.clone(), t);
        self
    }
    pub fn sequence(mut self, s: Sequence) -> Self {
        self.catalog.sequences.insert(s.name.clone(), s);
        self
    }
    pub fn index(mut self, i: Index) -> Self {
        self.catalog.indexes.insert(i.name.clone(), i);
        self
    }
    /// A cast from `pg_cast`, which decides how a column changes type.
    pub fn cast(mut self, from: &str, to: &str, context: CastContext) -> Self {
        self.catalog
            .cast_contexts
            .insert((from.to_owned(), to.to_owned()), context);
        self
    }
    /// An edge `build` would not find: `dependent` needs `referenced`.
    pub fn dep(mut self, dependent: ObjectId, referenced: ObjectId) -> Self {
        self.extra.push((dependent, referenced));
        self
    }

    /// The catalog with the edges `pg_depend` and gen-catalog's structural
    /// pass would give it: objects on their schema and table, an index on
    /// its table, a `nextval` default on its sequence, `OWNED BY` on the
    /// sequence and column, and a foreign key on the referenced table's
    /// primary key and its columns. Edges to objects the catalog lacks are
    /// left out, as the introspection never sees them.
    pub fn build(self) -> Catalog {
        let Db { mut catalog, extra } = self;
        let mut edges = extra;
        for t in catalog.tables.values() {
            let table = table_id(&t.name);
            edges.push((
                table.clone(),
                ObjectId::Schema {
                    name: t.name.schema.clone(),
                },
            ));
            for c in &t.columns {
                edges.push((column_id(&t.name, &c.name), table.clone()));
                let nextval = c
                    .default
                    .as_deref()
                    .and_then(|d| d.strip_prefix("nextval('"))
                    .and_then(|d| d.split_once("'::regclass"))
                    .map(|(name, _)| name);
                if let Some(s) = catalog
                    .sequences
                    .values()
                    .find(|s| Some(s.name.to_string().as_str()) == nextval)
                {
                    edges.push((
                        column_id(&t.name, &c.name),
                        ObjectId::Sequence {
                            name: s.name.clone(),
                        },
                    ));
                }
            }
            for c in t.constraints.values() {
                let id = constraint_id(&t.name, &c.name);
                edges.push((id.clone(), table.clone()));
                for column in &c.columns {
                    edges.push((id.clone(), column_id(&t.name, column)));
                }
                let Some(target) = c.references.as_ref().and_then(|r| catalog.tables.get(r)) else {
                    continue;
                };
                if let Some(key) = target
                    .constraints
                    .values()
                    .find(|k| k.kind == ConstraintKind::PrimaryKey)
                {
                    edges.push((id.clone(), constraint_id(&target.name, &key.name)));
                    for column in &key.columns {
                        edges.push((id.clone(), column_id(&target.name, column)));
                    }
                }
            }
        }
        for i in catalog.indexes.values() {
            edges.push((index_id(&i.name), table_id(&i.table)));
        }
        for s in catalog.sequences.values() {
            let seq = ObjectId::Sequence {
                name: s.name.clone(),
            };
            edges.push((
                seq.clone(),
                ObjectId::Schema {
                    name: s.name.schema.clone(),
                },
            ));
            if let Some((table, column)) = &s.owned_by {
                let owned = ObjectId::SequenceOwnership {
                    sequence: s.name.clone(),
                };
                edges.push((owned.clone(), seq));
                edges.push((owned, column_id(table, column)));
            }
        }
        for (a, b) in edges {
            if catalog.contains(&b) {
                catalog.depends.insert((a, b));
            }
        }
        catalog
    }
}
