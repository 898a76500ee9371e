//! Publications: the SQL and the hazards of each change.

use gen_diff::PublicationChange;
use gen_model::{Catalog, Ident, Literal, Publication, PublishedTable, QualifiedName};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;

impl Kind for PublicationChange {
    fn sql(&self) -> String {
        match self {
            PublicationChange::CreatePublication(p) => create(p),
            PublicationChange::DropPublication(p) => {
                format!("DROP PUBLICATION {};", Ident(&p.name))
            }
            PublicationChange::SetPublicationOptions { publication } => format!(
                "ALTER PUBLICATION {} SET ({});",
                Ident(&publication.name),
                options(publication)
            ),
            PublicationChange::AddPublicationTable {
                name,
                table,
                member,
                ..
            } => format!(
                "ALTER PUBLICATION {} ADD TABLE {};",
                Ident(name),
                table_spec(table, member)
            ),
            PublicationChange::DropPublicationTable { name, table, .. } => {
                format!("ALTER PUBLICATION {} DROP TABLE ONLY {table};", Ident(name))
            }
            PublicationChange::AddPublicationSchema { name, schema } => format!(
                "ALTER PUBLICATION {} ADD TABLES IN SCHEMA {};",
                Ident(name),
                Ident(schema)
            ),
            PublicationChange::DropPublicationSchema { name, schema } => format!(
                "ALTER PUBLICATION {} DROP TABLES IN SCHEMA {};",
                Ident(name),
                Ident(schema)
            ),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        let replication = |message: String| vec![hazard(HazardKind::ReplicationChange, message)];
        match self {
            // A new publication has no subscriber yet.
            PublicationChange::CreatePublication(..) => Vec::new(),
            PublicationChange::DropPublication(p) => replication(format!(
                "subscribers of publication {} stop receiving changes until it is there again",
                Ident(&p.name)
            )),
            PublicationChange::SetPublicationOptions { publication } => replication(format!(
                "publication {} sends {} from now on{}",
                Ident(&publication.name),
                what_is_published(publication),
                if publication.via_root {
                    ", partitions' changes as their root table's"
                } else {
                    ""
                }
            )),
            PublicationChange::AddPublicationTable {
                name,
                table,
                again: true,
                ..
            } => replication(format!(
                "publication {} sends other columns or rows of {table} from now on",
                Ident(name)
            )),
            PublicationChange::AddPublicationTable {
                name,
                table,
                again: false,
                ..
            } => replication(format!(
                "publication {} sends changes of {table}; subscribers copy it only after REFRESH PUBLICATION",
                Ident(name)
            )),
            // Said by the change that adds it back.
            PublicationChange::DropPublicationTable { again: true, .. } => Vec::new(),
            PublicationChange::DropPublicationTable {
                name,
                table,
                again: false,
            } => replication(format!(
                "publication {} stops sending changes of {table}",
                Ident(name)
            )),
            PublicationChange::AddPublicationSchema { name, schema } => replication(format!(
                "publication {} sends changes of every table in schema {}",
                Ident(name),
                Ident(schema)
            )),
            PublicationChange::DropPublicationSchema { name, schema } => replication(format!(
                "publication {} stops sending changes of the tables in schema {}",
                Ident(name),
                Ident(schema)
            )),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// `CREATE PUBLICATION`, with its members in name order and every option
/// said, so that the server's defaults never decide. The tables follow one
/// `TABLE` (`FOR TABLE ONLY a, ONLY b`), which PostgreSQL 14 reads as well
/// as 15 and later, where each may repeat it.
fn create(p: &Publication) -> String {
    let mut sql = format!("CREATE PUBLICATION {}", Ident(&p.name));
    let members: Vec<String> = p
        .tables
        .iter()
        .enumerate()
        .map(|(i, (table, member))| {
            let keyword = if i == 0 { "TABLE " } else { "" };
            format!("{keyword}{}", table_spec(table, member))
        })
        .chain(
            p.schemas
                .iter()
                .map(|s| format!("TABLES IN SCHEMA {}", Ident(s))),
        )
        .collect();
    if p.all_tables {
        sql.push_str(" FOR ALL TABLES");
    } else if !members.is_empty() {
        sql.push_str(" FOR ");
        sql.push_str(&members.join(",\n    "));
    }
    sql.push_str(&format!("\n    WITH ({});", options(p)));
    sql
}

/// `ONLY t (a, b) WHERE (…)`: `ONLY`, because the server lists each
/// inheritance child it publishes on its own.
fn table_spec(table: &QualifiedName, member: &PublishedTable) -> String {
    let mut spec = format!("ONLY {table}");
    if let Some(columns) = &member.columns {
        let columns: Vec<String> = columns.iter().map(|c| Ident(c).to_string()).collect();
        spec.push_str(&format!(" ({})", columns.join(", ")));
    }
    if let Some(filter) = &member.row_filter {
        spec.push_str(&format!(" WHERE ({filter})"));
    }
    spec
}

fn options(p: &Publication) -> String {
    format!(
        "publish = {}, publish_via_partition_root = {}",
        Literal(&p.publish.option()),
        p.via_root
    )
}

fn what_is_published(p: &Publication) -> String {
    let option = p.publish.option();
    if option.is_empty() {
        "no changes".to_owned()
    } else {
        option.replace(", ", "/") + " changes"
    }
}

/// Verify: a condition true when publication `name` exists.
pub(crate) fn exists_condition(name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = {})",
        Literal(name)
    )
}

/// Verify: a check that raises unless publication `p` publishes what it
/// says: its operations, and exactly its tables and schemas.
pub(crate) fn present(p: &Publication, major: u32, message: &str) -> String {
    use std::fmt::Write as _;
    let of_it = format!(
        "(SELECT oid FROM pg_catalog.pg_publication WHERE pubname = {})",
        Literal(&p.name)
    );
    let mut condition = format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = {} AND puballtables = {} AND pubinsert = {} AND pubupdate = {} AND pubdelete = {} AND pubtruncate = {} AND pubviaroot = {})",
        Literal(&p.name),
        p.all_tables,
        p.publish.insert,
        p.publish.update,
        p.publish.delete,
        p.publish.truncate,
        p.via_root
    );
    write!(
        condition,
        "\n        OR (SELECT count(*) FROM pg_catalog.pg_publication_rel WHERE prpubid = {of_it}) <> {}",
        p.tables.len()
    )
    .expect("writing to a String");
    for table in p.tables.keys() {
        write!(
            condition,
            "\n        OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication_rel WHERE prpubid = {of_it} AND prrelid = {})",
            crate::verify::regclass(table)
        )
        .expect("writing to a String");
    }
    // Publications name schemas from PostgreSQL 15 on (0: a catalog not
    // read from a server, taken as the newest).
    if major == 0 || major >= 15 {
        write!(
            condition,
            "\n        OR (SELECT count(*) FROM pg_catalog.pg_publication_namespace WHERE pnpubid = {of_it}) <> {}",
            p.schemas.len()
        )
        .expect("writing to a String");
    }
    crate::verify::raise_if(&condition, message)
}
