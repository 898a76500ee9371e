//! Foreign data wrappers, servers, user mappings and foreign tables: the
//! change type, and the comparison that emits it.

use gen_model::{Catalog, ForeignDataWrapper, ForeignServer, ForeignTable, ObjectId, UserMapping};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs};

/// A change to foreign data; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ForeignChange {
    /// `CREATE FOREIGN DATA WRAPPER name [HANDLER f] [VALIDATOR f] [OPTIONS (…)];`
    CreateWrapper(ForeignDataWrapper),
    /// `DROP FOREIGN DATA WRAPPER name;`
    DropWrapper(ForeignDataWrapper),
    /// `ALTER FOREIGN DATA WRAPPER name {HANDLER f | NO HANDLER}
    /// {VALIDATOR f | NO VALIDATOR} OPTIONS (ADD | SET | DROP …);`
    AlterWrapper {
        /// As it is.
        old: ForeignDataWrapper,
        /// As it is to be.
        new: ForeignDataWrapper,
    },
    /// `CREATE SERVER name [TYPE '…'] [VERSION '…'] FOREIGN DATA WRAPPER w [OPTIONS (…)];`
    CreateServer(ForeignServer),
    /// `DROP SERVER name;`
    DropServer(ForeignServer),
    /// `ALTER SERVER name [VERSION '…'] OPTIONS (ADD | SET | DROP …);`
    AlterServer {
        /// As it is.
        old: ForeignServer,
        /// As it is to be.
        new: ForeignServer,
    },
    /// `CREATE USER MAPPING FOR user SERVER s [OPTIONS (…)];`
    CreateUserMapping(UserMapping),
    /// `DROP USER MAPPING FOR user SERVER s;`
    DropUserMapping(UserMapping),
    /// `ALTER USER MAPPING FOR user SERVER s OPTIONS (ADD | SET | DROP …);`
    AlterUserMapping {
        /// As it is.
        old: UserMapping,
        /// As it is to be.
        new: UserMapping,
    },
    /// `CREATE FOREIGN TABLE name (…) SERVER s [OPTIONS (…)];`, or as a
    /// partition: `CREATE FOREIGN TABLE name PARTITION OF parent FOR VALUES …
    /// SERVER s;`, with its column comments.
    CreateForeignTable(ForeignTable),
    /// `DROP FOREIGN TABLE name;`
    DropForeignTable(ForeignTable),
}

impl ForeignChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            ForeignChange::CreateWrapper(w) => (CreateOrAlter, w.id()),
            ForeignChange::DropWrapper(w) => (Drop, w.id()),
            ForeignChange::AlterWrapper { new, .. } => (CreateOrAlter, new.id()),
            ForeignChange::CreateServer(s) => (CreateOrAlter, s.id()),
            ForeignChange::DropServer(s) => (Drop, s.id()),
            ForeignChange::AlterServer { new, .. } => (CreateOrAlter, new.id()),
            ForeignChange::CreateUserMapping(m) => (CreateOrAlter, m.id()),
            ForeignChange::DropUserMapping(m) => (Drop, m.id()),
            ForeignChange::AlterUserMapping { new, .. } => (CreateOrAlter, new.id()),
            ForeignChange::CreateForeignTable(t) => (CreateOrAlter, t.id()),
            ForeignChange::DropForeignTable(t) => (Drop, t.id()),
        }
    }

    /// The variant's name, `CreateServer` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            ForeignChange::CreateWrapper(..) => "CreateWrapper",
            ForeignChange::DropWrapper(..) => "DropWrapper",
            ForeignChange::AlterWrapper { .. } => "AlterWrapper",
            ForeignChange::CreateServer(..) => "CreateServer",
            ForeignChange::DropServer(..) => "DropServer",
            ForeignChange::AlterServer { .. } => "AlterServer",
            ForeignChange::CreateUserMapping(..) => "CreateUserMapping",
            ForeignChange::DropUserMapping(..) => "DropUserMapping",
            ForeignChange::AlterUserMapping { .. } => "AlterUserMapping",
            ForeignChange::CreateForeignTable(..) => "CreateForeignTable",
            ForeignChange::DropForeignTable(..) => "DropForeignTable",
        }
    }
}

/// Wrappers, servers and user mappings created, dropped and altered in
/// place (a server's wrapper or type cannot change in place: it is made
/// anew, and what uses it with it); foreign tables created, dropped, and
/// made anew when anything but their comments changes (they hold no rows).
pub(crate) fn foreign(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.foreign_data_wrappers, &new.foreign_data_wrappers) {
        match (o, n) {
            (Some(o), None) => out.push(ForeignChange::DropWrapper(o.clone()).into()),
            (None, Some(n)) => create_wrapper(n, out),
            (Some(o), Some(n)) => {
                if (&o.handler, &o.validator, &o.options) != (&n.handler, &n.validator, &n.options)
                {
                    out.push(
                        ForeignChange::AlterWrapper {
                            old: o.clone(),
                            new: n.clone(),
                        }
                        .into(),
                    );
                }
                comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
    for (o, n) in pairs(&old.foreign_servers, &new.foreign_servers) {
        match (o, n) {
            (Some(o), None) => out.push(ForeignChange::DropServer(o.clone()).into()),
            (None, Some(n)) => create_server(n, out),
            (Some(o), Some(n)) if o.wrapper != n.wrapper || o.server_type != n.server_type => {
                recreate_server(o, n, out)
            }
            (Some(o), Some(n)) => {
                if (&o.version, &o.options) != (&n.version, &n.options) {
                    out.push(
                        ForeignChange::AlterServer {
                            old: o.clone(),
                            new: n.clone(),
                        }
                        .into(),
                    );
                }
                comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
    for (o, n) in pairs(&old.user_mappings, &new.user_mappings) {
        match (o, n) {
            (Some(o), None) => out.push(ForeignChange::DropUserMapping(o.clone()).into()),
            (None, Some(n)) => out.push(ForeignChange::CreateUserMapping(n.clone()).into()),
            (Some(o), Some(n)) if o.options != n.options => out.push(
                ForeignChange::AlterUserMapping {
                    old: o.clone(),
                    new: n.clone(),
                }
                .into(),
            ),
            (Some(_), Some(_)) | (None, None) => {}
        }
    }
    for (o, n) in pairs(&old.foreign_tables, &new.foreign_tables) {
        match (o, n) {
            (Some(o), None) => out.push(ForeignChange::DropForeignTable(o.clone()).into()),
            (None, Some(n)) => create_table(n, out),
            (Some(o), Some(n)) if !same_but_comments(o, n) => recreate_table(o, n, out),
            (Some(o), Some(n)) => table_comments(o, n, out),
            (None, None) => {}
        }
    }
}

/// Whether two foreign tables differ in their comments at most.
fn same_but_comments(o: &ForeignTable, n: &ForeignTable) -> bool {
    let bare = |t: &ForeignTable| {
        let mut t = t.clone();
        t.comment = None;
        for c in &mut t.columns {
            c.comment = None;
        }
        t
    };
    bare(o) == bare(n)
}

/// The comments of a foreign table and its columns, from `o`'s to `n`'s.
fn table_comments(o: &ForeignTable, n: &ForeignTable, out: &mut Vec<Change>) {
    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
    for c in &n.columns {
        let was = o
            .columns
            .iter()
            .find(|oc| oc.name == c.name)
            .and_then(|oc| oc.comment.as_ref());
        comment(column(n, &c.name), was, c.comment.as_ref(), out);
    }
}

fn column(t: &ForeignTable, name: &str) -> ObjectId {
    ObjectId::Column {
        table: t.name.clone(),
        column: name.to_owned(),
    }
}

fn create_wrapper(n: &ForeignDataWrapper, out: &mut Vec<Change>) {
    out.push(ForeignChange::CreateWrapper(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}

fn create_server(n: &ForeignServer, out: &mut Vec<Change>) {
    out.push(ForeignChange::CreateServer(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}

/// The server dropped as it is in `old` and created as it is in `new`.
pub(crate) fn recreate_server(o: &ForeignServer, n: &ForeignServer, out: &mut Vec<Change>) {
    out.push(ForeignChange::DropServer(o.clone()).into());
    create_server(n, out);
}

/// The wrapper dropped as it is in `old` and created as it is in `new`.
pub(crate) fn recreate_wrapper(
    o: &ForeignDataWrapper,
    n: &ForeignDataWrapper,
    out: &mut Vec<Change>,
) {
    out.push(ForeignChange::DropWrapper(o.clone()).into());
    create_wrapper(n, out);
}

/// The mapping dropped as it is in `old` and created as it is in `new`.
pub(crate) fn recreate_user_mapping(o: &UserMapping, n: &UserMapping, out: &mut Vec<Change>) {
    out.push(ForeignChange::DropUserMapping(o.clone()).into());
    out.push(ForeignChange::CreateUserMapping(n.clone()).into());
}

pub(crate) fn create_table(n: &ForeignTable, out: &mut Vec<Change>) {
    out.push(ForeignChange::CreateForeignTable(n.clone()).into());
    let none = ForeignTable {
        comment: None,
        columns: Vec::new(),
        ..n.clone()
    };
    table_comments(&none, n, out);
}

/// The foreign table dropped as it is in `old` and created as in `new`.
pub(crate) fn recreate_table(o: &ForeignTable, n: &ForeignTable, out: &mut Vec<Change>) {
    out.push(ForeignChange::DropForeignTable(o.clone()).into());
    create_table(n, out);
}

/// The changes that create `id` as `catalog` holds it, if it is foreign data.
pub(crate) fn creation(catalog: &Catalog, id: &ObjectId, out: &mut Vec<Change>) {
    if let ObjectId::ForeignDataWrapper { name } = id
        && let Some(w) = catalog.foreign_data_wrappers.get(name)
    {
        create_wrapper(w, out);
    } else if let ObjectId::ForeignServer { name } = id
        && let Some(s) = catalog.foreign_servers.get(name)
    {
        create_server(s, out);
    } else if let ObjectId::UserMapping { server, user } = id
        && let Some(m) = catalog.user_mappings.get(&(server.clone(), user.clone()))
    {
        out.push(ForeignChange::CreateUserMapping(m.clone()).into());
    } else if let ObjectId::ForeignTable { name } = id
        && let Some(t) = catalog.foreign_tables.get(name)
    {
        create_table(t, out);
    }
}
