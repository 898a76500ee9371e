//! Where each object of a catalog goes when `gen init --from-db` writes
//! schema files: one file per object, grouped by schema and kind.
//!
//! ```text
//! schema/
//!   00_database.sql                   event triggers, database-wide default privileges
//!   <schema>/
//!     schema.sql                      CREATE SCHEMA, its comment and grants
//!     00_default_privileges.sql       ALTER DEFAULT PRIVILEGES … IN SCHEMA <schema>
//!     extensions/<extension>.sql      extensions installed in the schema
//!     types/<type>.sql                enums, composite and range types, domains
//!     collations/<collation>.sql
//!     sequences/<sequence>.sql        sequences no column owns
//!     tables/<table>.sql              columns, constraints (foreign keys as ALTER TABLE),
//!                                     indexes, triggers, row-level security, policies,
//!                                     comments, grants, owned and identity sequences
//!     views/<view>.sql                with its triggers, comments and grants
//!     materialized_views/<view>.sql   with its indexes
//!     functions/<function>.sql        <function>(<argument types>).sql for overloads
//!     aggregates/<aggregate>.sql      likewise
//! ```
//!
//! Default privileges apply to what is created after them, and gen loads
//! files in path order (README, "Schema files"): their files start with
//! `00_` so that they come before the objects they apply to. (A schema whose
//! name sorts before `00_`, such as `0` or one starting with `-`, would see
//! its objects load before the database-wide default privileges.)
//!
//! File names are identifiers made safe for every file system: ASCII
//! letters, digits, `_` and `-` and non-ASCII letters stay, a space becomes
//! `+`, anything else is `%XX` per UTF-8 byte (so `"Audit Log"."Events/Log"`
//! is `Audit+Log/tables/Events%2FLog.sql`). Names that would still clash —
//! equal but for case, on a case-insensitive file system, or too long —
//! get a suffix from a hash of the identity. Same catalog, same names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use gen_model::{Catalog, ObjectId, QualifiedName};
use gen_plan::Step;
use sha2::Digest as _;

/// File names longer than this (in bytes, before `.sql`) are shortened,
/// well inside the 255 bytes most file systems allow.
const MAX_NAME: usize = 120;

/// The file (relative to `schema/`) that holds the statements of `id`.
pub fn home(id: &ObjectId, catalog: &Catalog) -> File {
    let in_schema = |name: &QualifiedName, kind: &'static str| File::Object {
        schema: name.schema.clone(),
        kind,
        name: name.name.clone(),
        args: None,
    };
    let relation = |name: &QualifiedName| {
        let kind = match catalog.views.get(name) {
            Some(v) if v.materialized => "materialized_views",
            Some(_) => "views",
            None => "tables",
        };
        in_schema(name, kind)
    };
    match id {
        ObjectId::Schema { name } => File::Schema(name.clone()),
        ObjectId::Extension { name } => File::Object {
            schema: catalog
                .extensions
                .get(name)
                .map_or_else(|| "public".to_owned(), |e| e.schema.clone()),
            kind: "extensions",
            name: name.clone(),
            args: None,
        },
        ObjectId::Table { name }
        | ObjectId::View { name }
        | ObjectId::MaterializedView { name } => relation(name),
        ObjectId::Column { table, .. }
        | ObjectId::Constraint { table, .. }
        | ObjectId::Trigger { table, .. }
        | ObjectId::Rule { table, .. }
        | ObjectId::Policy { table, .. }
        | ObjectId::Inheritance { table, .. }
        | ObjectId::ReplicaIdentity { table } => relation(table),
        ObjectId::Index { name } => match catalog.indexes.get(name) {
            Some(index) => relation(&index.table),
            None => in_schema(name, "tables"),
        },
        ObjectId::Sequence { name } | ObjectId::SequenceOwnership { sequence: name } => {
            let owner = catalog
                .sequences
                .get(name)
                .and_then(|s| s.owned_by.as_ref().map(|(t, _)| t))
                .or_else(|| catalog.identity_column(name).map(|(t, _)| &t.name));
            match owner {
                Some(table) => relation(table),
                None => in_schema(name, "sequences"),
            }
        }
        ObjectId::Type { name }
        | ObjectId::Domain { name }
        | ObjectId::DomainConstraint { domain: name, .. }
        | ObjectId::TypeAttribute {
            type_name: name, ..
        } => in_schema(name, "types"),
        ObjectId::Collation { name } => in_schema(name, "collations"),
        ObjectId::Operator { name, .. }
        | ObjectId::OperatorFamily { name, .. }
        | ObjectId::OperatorClass { name, .. } => in_schema(name, "operators"),
        ObjectId::Conversion { name } => in_schema(name, "conversions"),
        ObjectId::TextSearchConfiguration { name }
        | ObjectId::TextSearchDictionary { name }
        | ObjectId::TextSearchParser { name }
        | ObjectId::TextSearchTemplate { name } => in_schema(name, "text_search"),
        ObjectId::Function { name, args } => {
            let overloaded = catalog.functions.keys().filter(|(n, _)| n == name).count() > 1;
            File::Object {
                schema: name.schema.clone(),
                kind: "functions",
                name: name.name.clone(),
                args: overloaded.then(|| args.clone()),
            }
        }
        ObjectId::Aggregate { name, args } => {
            let overloaded = catalog.aggregates.keys().filter(|(n, _)| n == name).count() > 1;
            File::Object {
                schema: name.schema.clone(),
                kind: "aggregates",
                name: name.name.clone(),
                args: overloaded.then(|| args.clone()),
            }
        }
        ObjectId::DefaultPrivileges {
            schema: Some(schema),
            ..
        } => File::DefaultPrivileges(schema.clone()),
        ObjectId::DefaultPrivileges { schema: None, .. }
        | ObjectId::EventTrigger { .. }
        | ObjectId::ForeignDataWrapper { .. }
        | ObjectId::ForeignServer { .. }
        | ObjectId::UserMapping { .. }
        | ObjectId::Language { .. }
        | ObjectId::AccessMethod { .. } => File::Database,
        ObjectId::Subscription { .. } => File::Last("subscriptions"),
        ObjectId::ForeignTable { name } => relation(name),
        ObjectId::Statistics { name } => match catalog.statistics.get(name) {
            Some(s) => relation(&s.table),
            None => in_schema(name, "tables"),
        },
        ObjectId::Publication { .. } => File::Last("publications"),
        // Casts join types and functions of any schema.
        ObjectId::Cast { .. } => File::Last("casts"),
    }
}

/// One schema file, by what it holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum File {
    /// `00_database.sql`
    Database,
    /// `<schema>/schema.sql`
    Schema(String),
    /// `<schema>/00_default_privileges.sql`
    DefaultPrivileges(String),
    /// `<schema>/<kind>/<name>.sql`, or `<name>(<args>).sql` for an
    /// overloaded routine.
    Object {
        schema: String,
        kind: &'static str,
        name: String,
        args: Option<String>,
    },
    /// `zz_<what>.sql`: objects that name objects of every schema
    /// (publications, casts), so they come after all of them.
    Last(&'static str),
}

/// The statements of `steps` grouped into files, in plan order within each
/// file, keyed by their path relative to `schema/`.
pub fn files(steps: &[Step], catalog: &Catalog) -> BTreeMap<PathBuf, String> {
    let mut grouped: BTreeMap<File, Vec<&str>> = BTreeMap::new();
    for step in steps {
        grouped
            .entry(home(&step.object, catalog))
            .or_default()
            .push(statement(&step.sql));
    }
    let paths = paths(grouped.keys());
    grouped
        .into_iter()
        .map(|(file, statements)| {
            let mut text = statements.join("\n\n");
            text.push('\n');
            (paths[&file].clone(), text)
        })
        .collect()
}

/// A step's SQL as a schema file holds it: loading turns off function
/// body checks for every statement, so a step's own switch is left out.
fn statement(sql: &str) -> &str {
    sql.strip_prefix("SET LOCAL check_function_bodies = off;\n")
        .unwrap_or(sql)
}

/// Paths for files, distinct even on a case-insensitive file system.
fn paths<'a>(files: impl Iterator<Item = &'a File>) -> BTreeMap<File, PathBuf> {
    let named: Vec<(&File, PathBuf)> = files.map(|f| (f, plain_path(f))).collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (_, path) in &named {
        *seen.entry(folded(path)).or_default() += 1;
    }
    named
        .into_iter()
        .map(|(file, path)| {
            let path = if seen[&folded(&path)] > 1 {
                suffixed(&path, file)
            } else {
                path
            };
            (file.clone(), path)
        })
        .collect()
}

fn folded(path: &std::path::Path) -> String {
    path.to_string_lossy().to_lowercase()
}

/// `path` with a hash of the file's identity before `.sql`.
fn suffixed(path: &std::path::Path, file: &File) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}~{}.sql", short_hash(&format!("{file:?}"))))
}

fn short_hash(text: &str) -> String {
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

fn plain_path(file: &File) -> PathBuf {
    match file {
        File::Database => PathBuf::from("00_database.sql"),
        File::Last(what) => PathBuf::from(format!("zz_{what}.sql")),
        File::Schema(schema) => PathBuf::from(file_name(schema)).join("schema.sql"),
        File::DefaultPrivileges(schema) => {
            PathBuf::from(file_name(schema)).join("00_default_privileges.sql")
        }
        File::Object {
            schema,
            kind,
            name,
            args,
        } => {
            let mut stem = file_name(name);
            if let Some(args) = args {
                stem.push('(');
                stem.push_str(&args_name(args));
                stem.push(')');
            }
            if stem.len() > MAX_NAME {
                let mut cut = MAX_NAME - 9;
                while !stem.is_char_boundary(cut) {
                    cut -= 1;
                }
                stem = format!("{}~{}", &stem[..cut], short_hash(&stem));
            }
            PathBuf::from(file_name(schema))
                .join(kind)
                .join(format!("{stem}.sql"))
        }
    }
}

/// Names Windows reserves whatever the extension.
const RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// An identifier as a file or directory name: safe on every common file
/// system, readable, and one name per identifier.
pub fn file_name(ident: &str) -> String {
    let mut out = encode(ident, &[]);
    if out.starts_with('-') || RESERVED.contains(&out.to_ascii_lowercase().as_str()) {
        // Escape the first character: no leading dash for command lines,
        // no device name for Windows.
        let first = out.chars().next().expect("identifiers are not empty");
        out = format!("%{:02X}{}", first as u32, &out[first.len_utf8()..]);
    }
    out
}

/// Identity argument types (`bigint, numeric`) as part of a file name:
/// `bigint,numeric`.
fn args_name(args: &str) -> String {
    encode(&args.replace(", ", ","), &[','])
}

fn encode(text: &str, keep: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' || keep.contains(&c) {
            out.push(c);
        } else if c == ' ' {
            out.push('+');
        } else if !c.is_ascii() && c.is_alphanumeric() {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The objects two catalogs disagree about, as a reader names them: empty
/// when schema files written for `live` load back into exactly `live`.
pub fn mismatches(live: &Catalog, loaded: &Catalog) -> anyhow::Result<BTreeSet<ObjectId>> {
    let plan = gen_plan::plan(live, loaded)?;
    Ok(plan
        .steps
        .iter()
        .map(|s| gen_plan::describe::top_level(&s.object, [live, loaded]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_become_safe_distinct_file_names() {
        let cases = [
            ("users", "users"),
            ("Users", "Users"),
            ("Events/Log", "Events%2FLog"),
            ("Audit Log", "Audit+Log"),
            ("a+b", "a%2Bb"),
            ("a.b", "a%2Eb"),
            ("..", "%2E%2E"),
            ("say \"hi\"", "say+%22hi%22"),
            ("café", "café"),
            ("50%", "50%25"),
            ("-x", "%2Dx"),
            ("con", "%63on"),
            ("a\\b:c", "a%5Cb%3Ac"),
        ];
        for (ident, want) in cases {
            assert_eq!(file_name(ident), want, "{ident}");
        }
        let names: BTreeSet<String> = cases.iter().map(|(i, _)| file_name(i)).collect();
        assert_eq!(names.len(), cases.len());
    }

    #[test]
    fn overloads_and_case_clashes_get_distinct_paths() {
        let object = |name: &str, args: Option<&str>| File::Object {
            schema: "app".to_owned(),
            kind: "functions",
            name: name.to_owned(),
            args: args.map(str::to_owned),
        };
        let files = [
            object("total", Some("bigint")),
            object("total", Some("bigint, numeric")),
            object("total", Some("integer[]")),
            object("f", None),
            object("F", None),
        ];
        let paths = paths(files.iter());
        let shown: Vec<String> = files
            .iter()
            .map(|f| paths[f].to_string_lossy().into_owned())
            .collect();
        assert_eq!(shown[0], "app/functions/total(bigint).sql");
        assert_eq!(shown[1], "app/functions/total(bigint,numeric).sql");
        assert_eq!(shown[2], "app/functions/total(integer%5B%5D).sql");
        assert!(shown[3].starts_with("app/functions/f~"), "{}", shown[3]);
        assert!(shown[4].starts_with("app/functions/F~"), "{}", shown[4]);
        let folded: BTreeSet<String> = shown.iter().map(|s| s.to_lowercase()).collect();
        assert_eq!(folded.len(), files.len());
    }

    #[test]
    fn long_names_are_shortened_deterministically() {
        let args = vec!["character varying"; 20].join(", ");
        let file = File::Object {
            schema: "s".to_owned(),
            kind: "functions",
            name: "f".to_owned(),
            args: Some(args),
        };
        let a = plain_path(&file);
        assert_eq!(a, plain_path(&file));
        let name = a.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.len() <= MAX_NAME + 4, "{name}");
    }

    /// The self-check's comparison: files that load into a catalog other
    /// than the live one are caught, and named by the object a reader
    /// knows (the table, not its column).
    #[test]
    fn a_baseline_that_does_not_round_trip_is_caught() {
        use gen_model::{Column, Table};
        let column = |name: &str, comment: Option<&str>| Column {
            comment: comment.map(str::to_owned),
            ..Column::plain(name, "integer")
        };
        let table = |comment: Option<&str>| Table {
            name: QualifiedName::new("public", "t"),
            unlogged: false,
            options: Vec::new(),
            columns: vec![column("id", None), column("n", comment)],
            constraints: Default::default(),
            comment: None,
            inheritance: Default::default(),
            replica_identity: Default::default(),
            cluster_on: None,
            access_method: None,
            of_type: None,
            tablespace: None,
        };
        let mut live = Catalog::default();
        live.tables
            .insert(QualifiedName::new("public", "t"), table(Some("a count")));
        assert!(mismatches(&live, &live).expect("plan").is_empty());
        let mut loaded = live.clone();
        loaded
            .tables
            .insert(QualifiedName::new("public", "t"), table(None));
        let found = mismatches(&live, &loaded).expect("plan");
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            vec![ObjectId::Table {
                name: QualifiedName::new("public", "t")
            }]
        );
    }
}
