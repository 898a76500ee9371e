//! Indexes: the SQL and the hazards of each change.

use gen_diff::IndexChange;
use gen_model::{Catalog, Index};

use super::Kind;
use crate::Step;
use crate::hazard::{Hazard, HazardKind, hazard, tablespace_hazard};
use crate::lock::Lock;
use crate::online::Online;

impl Kind for IndexChange {
    fn sql(&self) -> String {
        match self {
            IndexChange::CreateIndex(i) => create(i, Build::InTransaction),
            IndexChange::DropIndex(i) => drop(i, Build::InTransaction),
            // -1 is the default on every supported major.
            IndexChange::SetColumnStatistics {
                name,
                column,
                target,
            } => format!(
                "ALTER INDEX {name} ALTER COLUMN {column} SET STATISTICS {};",
                target.unwrap_or(-1)
            ),
            IndexChange::SetIndexTablespace { name, tablespace } => format!(
                "ALTER INDEX {name} SET TABLESPACE {};",
                gen_model::Ident(tablespace.as_deref().unwrap_or("pg_default"))
            ),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        match self {
            IndexChange::CreateIndex(index) => vec![Lock::share(&index.table)],
            IndexChange::DropIndex(index) => vec![Lock::exclusive(&index.table)],
            IndexChange::SetColumnStatistics { .. } | IndexChange::SetIndexTablespace { .. } => {
                Vec::new()
            }
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            IndexChange::CreateIndex(i) => {
                let mut out = Vec::new();
                if old.tables.contains_key(&i.table) {
                    out.push(hazard(
                        BlocksWrites,
                        format!("building index {} blocks writes to {}", i.name, i.table),
                    ));
                }
                out.extend(tablespace_hazard(
                    format!("index {}", i.name),
                    i.tablespace.as_deref(),
                ));
                out
            }
            IndexChange::SetIndexTablespace { name, tablespace } => {
                let mut out = vec![hazard(
                    AccessExclusiveLock,
                    format!(
                        "moving index {name} to another tablespace copies its files while its table is locked against writes and the index against use"
                    ),
                )];
                out.extend(tablespace_hazard(
                    format!("index {name}"),
                    tablespace.as_deref(),
                ));
                out
            }
            IndexChange::DropIndex(..) | IndexChange::SetColumnStatistics { .. } => Vec::new(),
        }
    }

    fn online(&self, online: &Online<'_>) -> Option<Vec<Step>> {
        match self {
            IndexChange::CreateIndex(i) if online.stays(&i.table) => Some(vec![online.step(
                create(i, Build::Concurrently),
                false,
                vec![hazard(
                    HazardKind::NotTransactional,
                    format!(
                        "{} is built concurrently, outside a transaction: if the build fails, an INVALID index is left behind to drop by hand",
                        i.name
                    ),
                )],
            )]),
            IndexChange::DropIndex(i) if online.stays(&i.table) => Some(vec![online.step(
                drop(i, Build::Concurrently),
                false,
                vec![hazard(
                    HazardKind::NotTransactional,
                    format!("{} is dropped concurrently, outside a transaction", i.name),
                )],
            )]),
            IndexChange::CreateIndex(..)
            | IndexChange::DropIndex(..)
            | IndexChange::SetColumnStatistics { .. }
            | IndexChange::SetIndexTablespace { .. } => None,
        }
    }
}

/// Where an index is built or dropped: inside the migration's transaction,
/// or concurrently outside any (online mode), which keeps the table
/// writable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Build {
    InTransaction,
    Concurrently,
}

/// `CREATE INDEX`. The server writes every definition as `CREATE INDEX …`
/// or `CREATE UNIQUE INDEX …` (`pg_get_indexdef`); `CONCURRENTLY` goes
/// right after that head.
pub(crate) fn create(i: &Index, build: Build) -> String {
    let mut sql = create_alone(i, build);
    for (column, target) in &i.column_statistics {
        sql.push_str(&format!(
            "\nALTER INDEX {} ALTER COLUMN {column} SET STATISTICS {target};",
            i.name
        ));
    }
    sql
}

/// The index's definition with its tablespace, which `pg_get_indexdef`
/// leaves out: `TABLESPACE t` goes before a predicate.
fn definition(i: &Index) -> std::borrow::Cow<'_, str> {
    let Some(tablespace) = &i.tablespace else {
        return std::borrow::Cow::Borrowed(&i.definition);
    };
    let clause = format!(" TABLESPACE {}", gen_model::Ident(tablespace));
    std::borrow::Cow::Owned(match i.definition.find(" WHERE (") {
        Some(at) => format!("{}{clause}{}", &i.definition[..at], &i.definition[at..]),
        None => format!("{}{clause}", i.definition),
    })
}

fn create_alone(i: &Index, build: Build) -> String {
    let definition = definition(i);
    match build {
        Build::InTransaction => format!("{definition};"),
        Build::Concurrently => {
            let (head, rest) = ["CREATE UNIQUE INDEX ", "CREATE INDEX "]
                .into_iter()
                .find_map(|head| Some((head, definition.strip_prefix(head)?)))
                .unwrap_or_else(|| {
                    panic!(
                        "index {} has a definition pg_get_indexdef does not write: {}",
                        i.name, i.definition
                    )
                });
            format!("{head}CONCURRENTLY {rest};")
        }
    }
}

/// `DROP INDEX`.
pub(crate) fn drop(i: &Index, build: Build) -> String {
    match build {
        Build::InTransaction => format!("DROP INDEX {};", i.name),
        Build::Concurrently => format!("DROP INDEX CONCURRENTLY {};", i.name),
    }
}

/// Verify: a condition true when index `name` exists.
pub(crate) fn exists_condition(name: &gen_model::QualifiedName) -> String {
    crate::verify::relation_of_kind(name, "'i', 'I'")
}

/// Verify: a condition true when index `name` exists and no constraint has
/// taken it over (an index may give its name to a constraint's index in
/// the same change): what "gone" must disprove.
pub(crate) fn standing_condition(name: &gen_model::QualifiedName) -> String {
    format!(
        "{} AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conindid = {})",
        exists_condition(name),
        crate::verify::regclass(name)
    )
}
