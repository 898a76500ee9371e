//! Foreign data: the SQL, the hazards and the verify checks of each change.
//!
//! A secret option's value is never in a catalog: where one is created, the
//! statement reads it from a psql variable named after its object and
//! option (`:'gen_secret_<server>_<option>'`), and a `needs-secret` hazard
//! names the variable and the environment variable `gen deploy` takes it
//! from.

use std::fmt::Write as _;

use gen_diff::ForeignChange;
use gen_model::{
    Catalog, FdwOption, ForeignColumn, ForeignTable, Ident, Literal, QualifiedName, UserMapping,
};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;

/// The psql variable a secret option's value is read from: `gen_secret_`
/// and the parts that name it, lower case, anything but letters and
/// digits made `_`.
pub fn secret_variable(parts: &[&str]) -> String {
    let mut name = "gen_secret".to_owned();
    for part in parts {
        name.push('_');
        name.extend(part.chars().map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        }));
    }
    name
}

/// `OPTIONS (name 'value', …)` for a new object, empty without options.
fn options_clause(options: &[FdwOption], owner: &[&str]) -> String {
    if options.is_empty() {
        return String::new();
    }
    let list: Vec<String> = options.iter().map(|o| option(o, owner)).collect();
    format!(" OPTIONS ({})", list.join(", "))
}

fn option(o: &FdwOption, owner: &[&str]) -> String {
    let value = match &o.value {
        Some(v) => Literal(v).to_string(),
        None => {
            let mut parts = owner.to_vec();
            parts.push(&o.name);
            format!(":'{}'", secret_variable(&parts))
        }
    };
    format!("{} {value}", Ident(&o.name))
}

/// `OPTIONS (ADD …, SET …, DROP …)` from `old` to `new`; a secret present
/// on both sides is left as it is (gen never knows its value).
fn options_change(old: &[FdwOption], new: &[FdwOption], owner: &[&str]) -> Option<String> {
    let mut list = Vec::new();
    for o in old {
        if !new.iter().any(|n| n.name == o.name) {
            list.push(format!("DROP {}", Ident(&o.name)));
        }
    }
    for n in new {
        match old.iter().find(|o| o.name == n.name) {
            None => list.push(format!("ADD {}", option(n, owner))),
            Some(o) if o.value != n.value && n.value.is_some() => {
                list.push(format!("SET {}", option(n, owner)));
            }
            // Unchanged, or a secret kept as it is.
            Some(_) => {}
        }
    }
    (!list.is_empty()).then(|| format!(" OPTIONS ({})", list.join(", ")))
}

/// The secrets a statement with `options` reads, as hazards.
fn secret_hazards<'a>(
    options: impl IntoIterator<Item = &'a FdwOption>,
    owner: &[&str],
    what: &str,
) -> Vec<Hazard> {
    options
        .into_iter()
        .filter(|o| o.value.is_none())
        .map(|o| {
            let mut parts = owner.to_vec();
            parts.push(&o.name);
            let variable = secret_variable(&parts);
            hazard(
                HazardKind::NeedsSecret,
                format!(
                    "{what} reads option {} from psql variable {variable}: give it as {} to gen deploy, or --set {variable}=… to sqitch deploy",
                    o.name,
                    variable.to_ascii_uppercase()
                ),
            )
        })
        .collect()
}

fn mapping_owner(m: &UserMapping) -> [&str; 2] {
    [m.server.as_str(), m.user.as_str()]
}

fn user(name: &str) -> String {
    if name == "PUBLIC" {
        "PUBLIC".to_owned()
    } else {
        Ident(name).to_string()
    }
}

fn table_owner(name: &QualifiedName) -> [&str; 2] {
    [name.schema.as_str(), name.name.as_str()]
}

fn column_definition(c: &ForeignColumn, table: &QualifiedName) -> String {
    let mut sql = format!("{} {}", Ident(&c.name), c.data_type);
    let column = [table.schema.as_str(), table.name.as_str(), c.name.as_str()];
    sql.push_str(&options_clause(&c.options, &column));
    if let Some(collation) = &c.collation {
        write!(sql, " COLLATE {collation}").expect("writing to a String");
    }
    if c.not_null {
        sql.push_str(" NOT NULL");
    }
    if let Some(default) = &c.default {
        write!(sql, " DEFAULT {default}").expect("writing to a String");
    }
    sql
}

fn create_table(t: &ForeignTable) -> String {
    let mut sql = format!("CREATE FOREIGN TABLE {}", t.name);
    let mut elements: Vec<String> = t
        .columns
        .iter()
        .map(|c| column_definition(c, &t.name))
        .collect();
    elements.extend(
        t.checks
            .iter()
            .map(|(name, definition)| format!("CONSTRAINT {} {definition}", Ident(name))),
    );
    match &t.partition_of {
        Some((parent, bound)) => {
            write!(sql, " PARTITION OF {parent}").expect("writing to a String");
            if !elements.is_empty() {
                write!(sql, " (\n    {}\n)", elements.join(",\n    "))
                    .expect("writing to a String");
            }
            write!(sql, " {bound}").expect("writing to a String");
        }
        None => {
            write!(sql, " (\n    {}\n)", elements.join(",\n    ")).expect("writing to a String");
        }
    }
    write!(
        sql,
        "\n    SERVER {}{};",
        Ident(&t.server),
        options_clause(&t.options, &table_owner(&t.name))
    )
    .expect("writing to a String");
    sql
}

impl Kind for ForeignChange {
    fn sql(&self) -> String {
        match self {
            ForeignChange::CreateWrapper(w) => {
                let mut sql = format!("CREATE FOREIGN DATA WRAPPER {}", Ident(&w.name));
                if let Some(h) = &w.handler {
                    write!(sql, " HANDLER {h}").expect("writing to a String");
                }
                if let Some(v) = &w.validator {
                    write!(sql, " VALIDATOR {v}").expect("writing to a String");
                }
                sql.push_str(&options_clause(&w.options, &[&w.name]));
                sql.push(';');
                sql
            }
            ForeignChange::DropWrapper(w) => {
                format!("DROP FOREIGN DATA WRAPPER {};", Ident(&w.name))
            }
            ForeignChange::AlterWrapper { old, new } => {
                let mut sql = format!("ALTER FOREIGN DATA WRAPPER {}", Ident(&new.name));
                if old.handler != new.handler {
                    match &new.handler {
                        Some(h) => write!(sql, " HANDLER {h}"),
                        None => write!(sql, " NO HANDLER"),
                    }
                    .expect("writing to a String");
                }
                if old.validator != new.validator {
                    match &new.validator {
                        Some(v) => write!(sql, " VALIDATOR {v}"),
                        None => write!(sql, " NO VALIDATOR"),
                    }
                    .expect("writing to a String");
                }
                sql.push_str(
                    &options_change(&old.options, &new.options, &[&new.name]).unwrap_or_default(),
                );
                sql.push(';');
                sql
            }
            ForeignChange::CreateServer(s) => {
                let mut sql = format!("CREATE SERVER {}", Ident(&s.name));
                if let Some(t) = &s.server_type {
                    write!(sql, " TYPE {}", Literal(t)).expect("writing to a String");
                }
                if let Some(v) = &s.version {
                    write!(sql, " VERSION {}", Literal(v)).expect("writing to a String");
                }
                write!(
                    sql,
                    " FOREIGN DATA WRAPPER {}{};",
                    Ident(&s.wrapper),
                    options_clause(&s.options, &[&s.name])
                )
                .expect("writing to a String");
                sql
            }
            ForeignChange::DropServer(s) => format!("DROP SERVER {};", Ident(&s.name)),
            ForeignChange::AlterServer { old, new } => {
                let mut sql = format!("ALTER SERVER {}", Ident(&new.name));
                if old.version != new.version {
                    match &new.version {
                        Some(v) => write!(sql, " VERSION {}", Literal(v)),
                        None => write!(sql, " VERSION NULL"),
                    }
                    .expect("writing to a String");
                }
                sql.push_str(
                    &options_change(&old.options, &new.options, &[&new.name]).unwrap_or_default(),
                );
                sql.push(';');
                sql
            }
            ForeignChange::CreateUserMapping(m) => format!(
                "CREATE USER MAPPING FOR {} SERVER {}{};",
                user(&m.user),
                Ident(&m.server),
                options_clause(&m.options, &mapping_owner(m))
            ),
            ForeignChange::DropUserMapping(m) => format!(
                "DROP USER MAPPING FOR {} SERVER {};",
                user(&m.user),
                Ident(&m.server)
            ),
            ForeignChange::AlterUserMapping { old, new } => format!(
                "ALTER USER MAPPING FOR {} SERVER {}{};",
                user(&new.user),
                Ident(&new.server),
                options_change(&old.options, &new.options, &mapping_owner(new)).unwrap_or_default()
            ),
            ForeignChange::CreateForeignTable(t) => create_table(t),
            ForeignChange::DropForeignTable(t) => format!("DROP FOREIGN TABLE {};", t.name),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        fn added<'a>(
            old: &'a [FdwOption],
            new: &'a [FdwOption],
        ) -> impl Iterator<Item = &'a FdwOption> {
            new.iter().filter(|n| !old.iter().any(|o| o.name == n.name))
        }
        match self {
            ForeignChange::CreateWrapper(w) => secret_hazards(
                &w.options,
                &[&w.name],
                &format!("creating foreign data wrapper {}", Ident(&w.name)),
            ),
            ForeignChange::AlterWrapper { old, new } => secret_hazards(
                added(&old.options, &new.options),
                &[&new.name],
                &format!("altering foreign data wrapper {}", Ident(&new.name)),
            ),
            ForeignChange::CreateServer(s) => secret_hazards(
                &s.options,
                &[&s.name],
                &format!("creating server {}", Ident(&s.name)),
            ),
            ForeignChange::AlterServer { old, new } => secret_hazards(
                added(&old.options, &new.options),
                &[&new.name],
                &format!("altering server {}", Ident(&new.name)),
            ),
            ForeignChange::CreateUserMapping(m) => secret_hazards(
                &m.options,
                &mapping_owner(m),
                &format!(
                    "creating the user mapping for {} on server {}",
                    user(&m.user),
                    Ident(&m.server)
                ),
            ),
            ForeignChange::AlterUserMapping { old, new } => secret_hazards(
                added(&old.options, &new.options),
                &mapping_owner(new),
                &format!(
                    "altering the user mapping for {} on server {}",
                    user(&new.user),
                    Ident(&new.server)
                ),
            ),
            ForeignChange::CreateForeignTable(t) => {
                let mut out = secret_hazards(
                    &t.options,
                    &table_owner(&t.name),
                    &format!("creating foreign table {}", t.name),
                );
                for c in &t.columns {
                    out.extend(secret_hazards(
                        &c.options,
                        &[&t.name.schema, &t.name.name, &c.name],
                        &format!("creating foreign table {}", t.name),
                    ));
                }
                out
            }
            // Nothing holds rows or locks a table of this database.
            ForeignChange::DropWrapper(..)
            | ForeignChange::DropServer(..)
            | ForeignChange::DropUserMapping(..)
            | ForeignChange::DropForeignTable(..) => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// `COMMENT ON` and `ALTER … OWNER TO` targets.
pub(crate) fn wrapper_target(name: &str) -> String {
    format!("FOREIGN DATA WRAPPER {}", Ident(name))
}

/// `COMMENT ON` and `ALTER … OWNER TO` targets.
pub(crate) fn server_target(name: &str) -> String {
    format!("SERVER {}", Ident(name))
}

/// A condition true when the wrapper exists.
pub(crate) fn wrapper_exists(name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_foreign_data_wrapper WHERE fdwname = {})",
        Literal(name)
    )
}

/// A condition true when the server exists.
pub(crate) fn server_exists(name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_foreign_server WHERE srvname = {})",
        Literal(name)
    )
}

/// A condition true when the user mapping exists.
pub(crate) fn user_mapping_exists(server: &str, name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_user_mappings WHERE srvname = {} AND {})",
        Literal(server),
        if name == "PUBLIC" {
            "umuser = 0".to_owned()
        } else {
            format!("usename = {}", Literal(name))
        }
    )
}

/// Verify: a condition true when foreign table `name` exists.
pub(crate) fn table_exists(name: &QualifiedName) -> String {
    crate::verify::relation_of_kind(name, "'f'")
}
