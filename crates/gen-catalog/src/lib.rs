//! Introspection: reads one database into a [`gen_model::Catalog`].
//!
//! One query per object kind, never one per object, sent together on one
//! connection (tokio-postgres pipelines them). Each reads its own catalog
//! flat; schema names, comments and extension membership are read once and
//! joined here (`lookup.rs`). Kinds that few databases hold and that
//! cost a query to describe (aggregates, range types, extensions' default
//! comments) are described in a second round, only when the first found
//! some. Definitions come from the server's own `pg_get_*def` functions, so
//! two catalogs read from the same server version compare as text.

mod access_methods;
mod acl;
mod casts;
mod conversions;
mod foreign;
mod ignore;
mod languages;
mod lookup;
mod operator_classes;
mod operators;
mod partitions;
mod publications;
mod reconcile;
mod routines;
mod rows;
mod rules;
mod security;
mod statistics;
mod subscriptions;
mod text_search;
mod types;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use gen_model::{
    Attribute, Catalog, Column, Constraint, ConstraintKind, Extension, Identity, Index, Inherited,
    ObjectId, QualifiedName, Schema, Sequence, SequenceOptions, Table, View, ViewColumn,
};
use tokio_postgres::Client;
use tokio_postgres::types::Type;

pub use ignore::{Ignore, IgnoreError};
pub use reconcile::reconcile;

use lookup::Lookup;
use rows::{
    AccessMethodRow, AclRow, AggregateRow, CastDefinitionRow, CastRow, CollationRow, ColumnRow,
    CommentRow, ConstraintRow, ConversionRow, Db, DefaultPrivilegeRow, DependRow,
    DomainConstraintRow, DomainRow, EnumRow, EventTriggerRow, ExtensionCommentRow, ExtensionRow,
    ForeignColumnRow, ForeignDataWrapperRow, ForeignServerRow, ForeignTableRow, FunctionRow,
    IndexRow, InheritRow, LanguageRow, OperatorClassRow, OperatorFamilyRow, OperatorMemberRow,
    OperatorRow, PolicyRow, PresentRow, PublicationMemberRow, PublicationRow, RangeRow, RuleRow,
    SchemaRow, SequenceRow, StatisticsRow, SubscriptionRow, TableRow, TextSearchConfigurationRow,
    TextSearchDictionaryRow, TextSearchMappingRow, TextSearchParserRow, TextSearchTemplateRow,
    TriggerRow, TypeRow, UnsupportedRow, UserMappingRow, ViewRow, read, read_if, read_with,
};
pub use rows::{NEWEST_MAJOR, OLDEST_MAJOR};

/// An error while reading a catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A catalog query failed.
    #[error("reading {what}: {source}")]
    Query {
        /// Which kind of object was being read.
        what: &'static str,
        /// The driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// A catalog query's row lacks a column gen reads, or holds it in
    /// another type than gen reads it as.
    #[error("reading {what}: column `{column}` of sql/{query}: {source}")]
    Column {
        /// Which kind of object was being read.
        what: &'static str,
        /// The query's file.
        query: &'static str,
        /// The column.
        column: &'static str,
        /// The driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// The database holds objects gen does not model.
    #[error("{}", unsupported_message(.0))]
    Unsupported(Vec<UnsupportedObject>),
    /// The server is of a major version gen does not read.
    #[error(
        "PostgreSQL {} (server_version_num {version_num}) is not supported; gen reads PostgreSQL {OLDEST_MAJOR} to {NEWEST_MAJOR}",
        major_of(version_num)
    )]
    UnsupportedMajor {
        /// The server's `server_version_num`.
        version_num: String,
    },
}

/// `170004` → `17`; `90624` → `9.6`.
fn major_of(version_num: &str) -> String {
    match version_num.parse::<u32>() {
        Ok(n) if n >= 100_000 => (n / 10_000).to_string(),
        Ok(n) => format!("{}.{}", n / 10_000, n / 100 % 100),
        Err(_) => version_num.to_owned(),
    }
}

impl CatalogError {
    /// A next step for the user, where there is one.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            CatalogError::Unsupported(_) => Some(
                "gen cannot plan these objects; remove them from the schema, or list them under [ignore] objects in gen.toml to manage them by hand",
            ),
            CatalogError::UnsupportedMajor { .. } => Some(
                "plan against a supported major: set [sandbox] version in gen.toml (or --pg-version), or point --dev-url at such a server",
            ),
            CatalogError::Query { .. } | CatalogError::Column { .. } => None,
        }
    }
}

/// An object present in the database that gen does not model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedObject {
    /// What it is: `view`, `function`, `trigger`, …
    pub kind: String,
    /// Its name as the server quotes it.
    pub identity: String,
}

fn unsupported_message(objects: &[UnsupportedObject]) -> String {
    let list: Vec<String> = objects
        .iter()
        .map(|o| format!("{} {}", o.kind, o.identity))
        .collect();
    format!("unsupported objects in schema: {}", list.join(", "))
}

/// Reads the application schemas of the database behind `client`.
///
/// Fails with [`CatalogError::Unsupported`] when the database holds objects
/// outside the model, naming each of them.
pub async fn introspect(client: &Client) -> Result<Catalog, CatalogError> {
    introspect_with(client, &Ignore::default()).await
}

/// [`introspect`], except that unsupported objects matched by `ignore` are
/// left out instead of being an error.
pub async fn introspect_with(client: &Client, ignore: &Ignore) -> Result<Catalog, CatalogError> {
    // With an empty search path the server qualifies every name it prints,
    // so definitions mean the same wherever they are replayed. JIT, on by
    // default in a live server, spent 178 of the 252 ms the unsupported-
    // objects query took at 1000 tables compiling a plan that runs once.
    // Where a query joins, it reads a kind of object whole, so hash joins
    // are the right plan; but a freshly loaded database (the sandbox runs without
    // autovacuum) has the statistics of an empty catalog, and the planner
    // then nests loops that rescan pg_description or pg_depend once per
    // row: at 1000 tables the tables query compared 500,000 pairs. Without
    // nested loops the queries took 370 ms of server time instead of 590.
    // With hash joins the order of joins hardly matters, while searching
    // for the best one was half the planning time of a fresh backend (a
    // quarter of all its time on the bundled example): joins run as written.
    //
    // Every object made after initdb has an OID of at least 16384
    // (FirstNormalObjectId; the counter never wraps below it), while the
    // system's own rows sit below. The queries bound their scans of big
    // catalogs (pg_description, pg_depend, pg_attribute, pg_proc, …) by it,
    // which turns a scan of thousands of system rows into an index range
    // scan of the application's few: half the execution time of a check
    // of the bundled example. Only what initdb itself made and an
    // application may change (the `public` schema, its grants, comment and
    // owner) is read without the bound.
    let settings = client
        .simple_query(
            "SET search_path = ''; SET jit = off; SET enable_nestloop = off; \
             SET join_collapse_limit = 1; SET from_collapse_limit = 1; \
             SELECT current_setting('server_version_num')",
        )
        .await
        .map_err(|source| CatalogError::Query {
            what: "session settings",
            source,
        })?;
    let version_num = settings.iter().find_map(|m| match m {
        tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0),
        _ => None,
    });
    let major = version_num
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(0, |n| n / 10_000);
    if !(OLDEST_MAJOR..=NEWEST_MAJOR).contains(&major) {
        return Err(CatalogError::UnsupportedMajor {
            version_num: version_num.unwrap_or("unknown").to_owned(),
        });
    }
    let db = Db { client, major };
    // Every query of the first round is sent at once: the server never
    // waits for the client between them.
    let (
        schemas,
        comments,
        depends,
        extensions,
        tables,
        inherits,
        columns,
        constraints,
        indexes,
        sequences,
        views,
        types,
        enums,
        domains,
        domain_constraints,
        collations,
        functions,
        triggers,
        event_triggers,
        publications,
        present,
        policies,
        casts,
        unsupported,
        acls,
        default_privileges,
    ) = tokio::try_join!(
        read::<SchemaRow>(db),
        read::<CommentRow>(db),
        read::<DependRow>(db),
        read::<ExtensionRow>(db),
        read::<TableRow>(db),
        read::<InheritRow>(db),
        read::<ColumnRow>(db),
        read::<ConstraintRow>(db),
        read::<IndexRow>(db),
        read::<SequenceRow>(db),
        read::<ViewRow>(db),
        read::<TypeRow>(db),
        read::<EnumRow>(db),
        read::<DomainRow>(db),
        read::<DomainConstraintRow>(db),
        read::<CollationRow>(db),
        read::<FunctionRow>(db),
        read::<TriggerRow>(db),
        read::<EventTriggerRow>(db),
        read::<PublicationRow>(db),
        read::<PresentRow>(db),
        read::<PolicyRow>(db),
        read::<CastRow>(db),
        read::<UnsupportedRow>(db),
        read::<AclRow>(db),
        read::<DefaultPrivilegeRow>(db),
    )?;

    let lookup = Lookup::new(&schemas, &comments, &depends);
    // Range constructors and multirange casts belong to their range type.
    let of_a_type: HashSet<(&str, u32)> = depends
        .iter()
        .filter(|r| r.deptype == "i" && r.refclass == "pg_type")
        .map(|r| (r.class.as_str(), r.objid))
        .collect();
    let unsupported = unsupported_objects(&unsupported, &lookup, &of_a_type, ignore);
    if !unsupported.is_empty() {
        return Err(CatalogError::Unsupported(unsupported));
    }

    // What only some databases hold is read in a second round, and only
    // when the first found some: aggregates' definitions, range types'
    // settings, extensions' default comments, publications' members.
    let functions: Vec<&FunctionRow> = functions
        .iter()
        .filter(|r| {
            lookup.owned("pg_proc", r.oid, r.pronamespace).is_some()
                && !of_a_type.contains(&("pg_proc", r.oid))
        })
        .collect();
    let has_aggregates = functions.iter().any(|r| r.kind == "a");
    let has_ranges = types.iter().any(|r| r.kind == "r");
    let extension_names: Vec<&str> = extensions.iter().map(|r| r.extname.as_str()).collect();
    let aggregates = async {
        if has_aggregates {
            read::<AggregateRow>(db).await
        } else {
            Ok(Vec::new())
        }
    };
    let ranges = async {
        if has_ranges {
            read::<RangeRow>(db).await
        } else {
            Ok(Vec::new())
        }
    };
    let extension_comments = async {
        if extension_names.is_empty() {
            return Ok(Vec::new());
        }
        read_with::<ExtensionCommentRow>(db, &[(&extension_names, Type::TEXT_ARRAY)]).await
    };
    let publication_members = async {
        if publications.is_empty() {
            Ok(Vec::new())
        } else {
            read::<PublicationMemberRow>(db).await
        }
    };
    let present = present.first();
    let has = |kind: fn(&PresentRow) -> bool| present.is_some_and(kind);
    let (
        aggregates,
        ranges,
        extension_comments,
        publication_members,
        cast_definitions,
        rules,
        text_search_configurations,
        text_search_mappings,
        text_search_dictionaries,
        foreign_data_wrappers,
        foreign_servers,
        user_mappings,
        foreign_tables,
        foreign_columns,
        statistics,
        operators,
        languages,
        conversions,
        access_methods,
        text_search_parsers,
        text_search_templates,
        subscriptions,
        operator_families,
        operator_classes,
        operator_members,
    ) = tokio::try_join!(
        aggregates,
        ranges,
        extension_comments,
        publication_members,
        read_if::<CastDefinitionRow>(db, has(|p| p.casts)),
        read_if::<RuleRow>(db, has(|p| p.rules)),
        read_if::<TextSearchConfigurationRow>(db, has(|p| p.text_search_configurations)),
        read_if::<TextSearchMappingRow>(db, has(|p| p.text_search_configurations)),
        read_if::<TextSearchDictionaryRow>(db, has(|p| p.text_search_dictionaries)),
        read_if::<ForeignDataWrapperRow>(db, has(|p| p.foreign_data)),
        read_if::<ForeignServerRow>(db, has(|p| p.foreign_data)),
        read_if::<UserMappingRow>(db, has(|p| p.foreign_data)),
        read_if::<ForeignTableRow>(db, has(|p| p.foreign_data)),
        read_if::<ForeignColumnRow>(db, has(|p| p.foreign_data)),
        read_if::<StatisticsRow>(db, has(|p| p.statistics)),
        read_if::<OperatorRow>(db, has(|p| p.operators)),
        read_if::<LanguageRow>(db, has(|p| p.languages)),
        read_if::<ConversionRow>(db, has(|p| p.conversions)),
        read_if::<AccessMethodRow>(db, has(|p| p.access_methods)),
        read_if::<TextSearchParserRow>(db, has(|p| p.text_search_parsers)),
        read_if::<TextSearchTemplateRow>(db, has(|p| p.text_search_templates)),
        read_if::<SubscriptionRow>(db, has(|p| p.subscriptions)),
        read_if::<OperatorFamilyRow>(db, has(|p| p.operator_families)),
        read_if::<OperatorClassRow>(db, has(|p| p.operator_families)),
        read_if::<OperatorMemberRow>(db, has(|p| p.operator_families)),
    )?;

    client
        .batch_execute(
            "RESET enable_nestloop; RESET join_collapse_limit; RESET from_collapse_limit",
        )
        .await
        .map_err(|source| CatalogError::Query {
            what: "session settings",
            source,
        })?;

    let mut b = Builder {
        lookup,
        ..Builder::default()
    };
    b.catalog.major = major;
    b.schemas(&schemas);
    b.extensions(&extensions, &extension_comments);
    let parents = inherits
        .iter()
        .fold(HashMap::new(), |mut found: HashMap<u32, Vec<u32>>, r| {
            found.entry(r.inhrelid).or_default().push(r.inhparent);
            found
        });
    b.tables(&tables, &parents, &indexes);
    b.columns(&columns, &sequences);
    b.constraints(&constraints);
    b.views(&views, &columns);
    b.indexes(&indexes, &parents);
    b.sequences(&sequences);
    b.types(&types, &enums, &ranges, &columns);
    b.domains(&domains, &domain_constraints);
    b.collations(&collations);
    b.functions(&functions);
    b.aggregates(&aggregates, &functions);
    b.triggers(&triggers);
    b.event_triggers(&event_triggers);
    b.publications(&publications, &publication_members);
    b.casts(&cast_definitions, &of_a_type);
    b.rules(&rules);
    b.text_search_parsers(&text_search_parsers);
    b.text_search_templates(&text_search_templates);
    b.text_search_dictionaries(&text_search_dictionaries);
    b.text_search_configurations(&text_search_configurations, &text_search_mappings);
    b.foreign_data(&foreign_data_wrappers, &foreign_servers, &user_mappings);
    b.foreign_tables(&foreign_tables, &foreign_columns);
    b.statistics(&statistics);
    b.operators(&operators);
    b.operator_classes(&operator_families, &operator_classes, &operator_members);
    b.access_methods(&access_methods);
    b.languages(&languages);
    b.subscriptions(&subscriptions);
    b.conversions(&conversions);
    b.row_types(tables.iter().map(|r| (r.oid, r.reltype)));
    b.row_types(views.iter().map(|r| (r.oid, r.reltype)));
    b.row_security(&tables);
    b.policies(&policies);
    b.default_privileges(&default_privileges);
    b.extension_members(&depends, &extensions);
    b.privileges(&acls, &default_privileges);
    b.owners(&acls);
    b.depends(&depends);
    b.routine_structural_depends();
    b.structural_depends();
    b.routine_calls();
    ignore.forget(&mut b.catalog);
    b.catalog.binary_casts = casts
        .iter()
        .filter(|r| r.binary)
        .map(|r| (r.source.clone(), r.target.clone()))
        .collect();
    b.catalog.cast_contexts = casts
        .into_iter()
        .map(|r| {
            let context = casts::context(&r.context);
            ((r.source, r.target), context)
        })
        .collect();
    Ok(b.catalog)
}

/// What gen does not model among the application's objects, by the rows
/// of unsupported.sql; those `ignore` matches left out, in order of kind
/// and name.
fn unsupported_objects(
    unsupported: &[UnsupportedRow],
    lookup: &Lookup,
    of_a_type: &HashSet<(&str, u32)>,
    ignore: &Ignore,
) -> Vec<UnsupportedObject> {
    // (catalog, oid, schema oid or 0, kind, identity)
    let candidates = unsupported.iter().map(|r| {
        (
            r.class.as_str(),
            r.objid,
            r.nsp,
            r.kind.as_str(),
            r.identity.clone(),
        )
    });
    let mut found: Vec<UnsupportedObject> = candidates
        .filter(|&(class, objid, nsp, _, _)| {
            let in_application_schema =
                nsp == 0 || (lookup.schema(nsp).is_some() && !lookup.member("pg_namespace", nsp));
            in_application_schema
                && !lookup.member(class, objid)
                && !of_a_type.contains(&(class, objid))
        })
        .map(|(_, _, _, kind, identity)| UnsupportedObject {
            kind: kind.to_owned(),
            identity,
        })
        .filter(|o| !ignore.matches(&o.kind, &o.identity))
        .collect();
    found.sort_by(|a, b| (&a.kind, &a.identity).cmp(&(&b.kind, &b.identity)));
    found
}

/// Key of an object in `pg_depend`: catalog name, oid, sub-id.
type DepKey = (&'static str, u32, i32);

/// Assembles the catalog and remembers which oid is which object, so that
/// `pg_depend` rows can be turned into edges between identities.
#[derive(Default)]
struct Builder {
    catalog: Catalog,
    /// Identity columns' sequences by oid: objects of their own only for
    /// their privileges.
    identity_sequences: HashMap<u32, QualifiedName>,
    /// Schema names, comments and extension members, read once.
    lookup: Lookup,
    /// Indexes that implement a constraint, by oid.
    constraint_indexes: HashSet<u32>,
    /// Objects by (catalog, oid); sub-id 0 stands for the whole object.
    ids: HashMap<DepKey, ObjectId>,
    /// Tables by oid, to attach columns and constraints.
    tables: HashMap<u32, QualifiedName>,
    /// Views and materialized views by oid, to attach indexes and triggers.
    views: HashMap<u32, QualifiedName>,
    /// Column names by (table oid, attnum), for `pg_depend` sub-ids.
    attnames: HashMap<(u32, i32), String>,
    /// Column names of views by (view oid, attnum), for column grants.
    view_attnames: HashMap<(u32, i32), String>,
    /// Dependency edges as found, duplicates included; sorted into
    /// `catalog.depends` at once by `structural_depends`, which is much
    /// cheaper than inserting tens of thousands of pairs one by one.
    edges: Vec<(ObjectId, ObjectId)>,
}

fn class_key(class: &str) -> Option<&'static str> {
    Some(match class {
        "pg_class" => "pg_class",
        "pg_constraint" => "pg_constraint",
        "pg_attrdef" => "pg_attrdef",
        "pg_namespace" => "pg_namespace",
        "pg_extension" => "pg_extension",
        "pg_type" => "pg_type",
        "pg_proc" => "pg_proc",
        "pg_opclass" => "pg_opclass",
        "pg_opfamily" => "pg_opfamily",
        "pg_amop" => "pg_amop",
        "pg_amproc" => "pg_amproc",
        "pg_collation" => "pg_collation",
        "pg_operator" => "pg_operator",
        "pg_language" => "pg_language",
        "pg_conversion" => "pg_conversion",
        "pg_am" => "pg_am",
        "pg_ts_parser" => "pg_ts_parser",
        "pg_ts_template" => "pg_ts_template",
        "pg_subscription" => "pg_subscription",
        "pg_trigger" => "pg_trigger",
        "pg_event_trigger" => "pg_event_trigger",
        "pg_publication" => "pg_publication",
        "pg_cast" => "pg_cast",
        "pg_ts_config" => "pg_ts_config",
        "pg_ts_dict" => "pg_ts_dict",
        "pg_foreign_data_wrapper" => "pg_foreign_data_wrapper",
        "pg_foreign_server" => "pg_foreign_server",
        "pg_user_mapping" => "pg_user_mapping",
        "pg_statistic_ext" => "pg_statistic_ext",
        "pg_rewrite" => "pg_rewrite",
        "pg_policy" => "pg_policy",
        "pg_default_acl" => "pg_default_acl",
        _ => return None,
    })
}

fn seq_options(r: &SequenceRow) -> SequenceOptions {
    SequenceOptions {
        data_type: r.data_type.clone(),
        start: r.seqstart,
        increment: r.seqincrement,
        min_value: r.seqmin,
        max_value: r.seqmax,
        cache: r.seqcache,
        cycle: r.seqcycle,
    }
}

impl Builder {
    fn schemas(&mut self, rows: &[SchemaRow]) {
        for r in rows {
            let oid = r.oid;
            let Some(name) = self.lookup.owned("pg_namespace", oid, oid) else {
                continue;
            };
            self.ids.insert(
                ("pg_namespace", oid, 0),
                ObjectId::Schema { name: name.clone() },
            );
            self.catalog.schemas.insert(
                name.clone(),
                Schema {
                    name,
                    comment: self.lookup.comment("pg_namespace", oid, 0),
                },
            );
        }
    }

    /// Extensions; `comments` holds the comment each one's control file
    /// sets.
    fn extensions(&mut self, rows: &[ExtensionRow], comments: &[ExtensionCommentRow]) {
        let defaults: HashMap<&str, &Option<String>> = comments
            .iter()
            .map(|r| (r.name.as_str(), &r.comment))
            .collect();
        for r in rows {
            let oid = r.oid;
            let name = r.extname.clone();
            self.ids.insert(
                ("pg_extension", oid, 0),
                ObjectId::Extension { name: name.clone() },
            );
            self.catalog.extensions.insert(
                name.clone(),
                Extension {
                    schema: self
                        .lookup
                        .any_schema(r.extnamespace)
                        .unwrap_or_default()
                        .to_owned(),
                    version: r.extversion.clone(),
                    comment: self.lookup.comment("pg_extension", oid, 0),
                    default_comment: defaults.get(name.as_str()).copied().cloned().flatten(),
                    fixed_schema: r.fixed_schema,
                    name,
                },
            );
        }
    }

    /// Tables; `parents` holds each one's parents in order, `indexes` the
    /// index that is its replica identity.
    fn tables(
        &mut self,
        rows: &[TableRow],
        parents: &HashMap<u32, Vec<u32>>,
        indexes: &[IndexRow],
    ) {
        let replica_indexes: HashMap<u32, &String> = indexes
            .iter()
            .filter(|r| r.replica_identity)
            .map(|r| (r.indrelid, &r.relname))
            .collect();
        let cluster_indexes: HashMap<u32, &String> = indexes
            .iter()
            .filter(|r| r.clustered)
            .map(|r| (r.indrelid, &r.relname))
            .collect();
        let names = self
            .lookup
            .relation_names(rows.iter().map(|r| (r.oid, r.relnamespace, &r.relname)));
        for r in rows {
            // Foreign tables are read apart (foreign.rs).
            if r.relkind == "f" {
                continue;
            }
            let oid = r.oid;
            let Some(schema) = self.lookup.owned("pg_class", oid, r.relnamespace) else {
                continue;
            };
            let name = QualifiedName::new(schema, r.relname.clone());
            let mut options = r.options.clone();
            options.sort();
            self.ids
                .insert(("pg_class", oid, 0), ObjectId::Table { name: name.clone() });
            self.tables.insert(oid, name.clone());
            self.catalog.tables.insert(
                name.clone(),
                Table {
                    name,
                    unlogged: r.unlogged,
                    options,
                    columns: Vec::new(),
                    constraints: BTreeMap::new(),
                    comment: self.lookup.comment("pg_class", oid, 0),
                    inheritance: partitions::inheritance(
                        r,
                        parents.get(&oid).map_or(&[], Vec::as_slice),
                        &names,
                    ),
                    replica_identity: partitions::replica_identity(
                        r,
                        replica_indexes.get(&oid).copied(),
                    ),
                    cluster_on: cluster_indexes.get(&oid).map(|i| (*i).clone()),
                    access_method: r.access_method.clone().filter(|am| am != "heap"),
                    of_type: r.of_type.clone(),
                    tablespace: r.tablespace.clone(),
                },
            );
        }
    }

    /// The columns of the tables kept; `sequences` supplies identity
    /// columns' sequences.
    fn columns(&mut self, rows: &[ColumnRow], sequences: &[SequenceRow]) {
        let identities: HashMap<(u32, i16), &SequenceRow> = sequences
            .iter()
            .filter(|r| r.ownership.as_deref() == Some("i"))
            .filter_map(|r| Some(((r.owner_table?, r.owner_column? as i16), r)))
            .collect();
        // Rows come ordered by relation: each table's columns are gathered
        // and attached with one lookup of the table rather than one per column.
        let mut current: Option<(u32, QualifiedName)> = None;
        let mut gathered: Vec<Column> = Vec::new();
        for r in rows {
            let relid = r.attrelid;
            if current.as_ref().map(|(oid, _)| *oid) != Some(relid) {
                self.attach_columns(current.take().map(|(_, name)| name), &mut gathered);
                let Some(table_name) = self.tables.get(&relid) else {
                    continue;
                };
                current = Some((relid, table_name.clone()));
            }
            let Some((_, table_name)) = &current else {
                continue;
            };
            let name = r.attname.clone();
            let attnum = r.attnum;
            self.attnames
                .insert((relid, i32::from(attnum)), name.clone());
            let expr = r.default_expr.clone();
            let (default, generated) = if r.generated.is_empty() {
                (expr, None)
            } else {
                (None, expr)
            };
            if let Some(def_oid) = r.default_oid {
                let id = ObjectId::Column {
                    table: table_name.clone(),
                    column: name.clone(),
                };
                self.ids.insert(("pg_attrdef", def_oid, 0), id);
            }
            let identity = match (r.identity.as_str(), identities.get(&(relid, attnum))) {
                ("", _) | (_, None) => None,
                (kind, Some(seq)) => Some(Identity {
                    always: kind == "a",
                    sequence: QualifiedName::new(
                        self.lookup.any_schema(seq.relnamespace).unwrap_or_default(),
                        seq.relname.clone(),
                    ),
                    options: seq_options(seq),
                }),
            };
            gathered.push(Column {
                name,
                data_type: r.data_type.clone(),
                base_type: r.base_type.clone(),
                collation: lookup::collation(&r.collation),
                not_null: r.attnotnull,
                volatile_default: default.is_some() && r.default_volatile,
                domain_checked: r.domain_checked,
                default,
                identity,
                generated,
                virtual_generated: r.generated == "v",
                not_null_name: r.not_null_name.clone(),
                not_null_not_valid: r.not_null_not_valid,
                not_null_no_inherit: r.not_null_no_inherit,
                comment: self.lookup.comment("pg_class", relid, i32::from(attnum)),
                inherited: Inherited {
                    local: r.attislocal,
                    count: r.attinhcount,
                },
                storage: partitions::column_storage(r),
            });
        }
        self.attach_columns(current.map(|(_, name)| name), &mut gathered);
    }

    /// Appends the columns gathered for one table, in the order read.
    fn attach_columns(&mut self, table: Option<QualifiedName>, gathered: &mut Vec<Column>) {
        let Some(table) = table else {
            return;
        };
        self.catalog
            .tables
            .get_mut(&table)
            .expect("tables are read before their columns")
            .columns
            .append(gathered);
    }

    fn constraints(&mut self, rows: &[ConstraintRow]) {
        // A foreign key's clones stand for it: what they need (the
        // referenced partitions' keys), it needs.
        let mut clones = Vec::new();
        for r in rows {
            if let Some(parent) = r.clone_of {
                clones.push((r.oid, parent));
                continue;
            }
            if matches!(r.kind.as_str(), "p" | "u" | "x") {
                self.constraint_indexes.insert(r.conindid);
            }
            let relid = r.conrelid;
            let Some(table_name) = self.tables.get(&relid).cloned() else {
                continue;
            };
            let oid = r.oid;
            let name = r.conname.clone();
            let kind = match r.kind.as_str() {
                "p" => ConstraintKind::PrimaryKey,
                "u" => ConstraintKind::Unique,
                "c" => ConstraintKind::Check,
                "f" => ConstraintKind::ForeignKey,
                _ => ConstraintKind::Exclusion,
            };
            let id = ObjectId::Constraint {
                table: table_name.clone(),
                constraint: name.clone(),
            };
            self.ids.insert(("pg_constraint", oid, 0), id.clone());
            // The index behind a key or exclusion constraint is the constraint,
            // as far as dependents (foreign keys) are concerned.
            let index_comment = if matches!(
                kind,
                ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion
            ) {
                let index = r.conindid;
                self.ids.insert(("pg_class", index, 0), id);
                self.lookup.comment("pg_class", index, 0)
            } else {
                None
            };
            let constraint = Constraint {
                name: name.clone(),
                kind,
                definition: r.definition.clone(),
                columns: self.key_columns(relid, r.conkey.as_deref()),
                references: self.tables.get(&r.confrelid).cloned(),
                validated: r.convalidated,
                comment: self.lookup.comment("pg_constraint", oid, 0),
                index_comment,
                inherited: Inherited {
                    local: r.conislocal,
                    count: r.coninhcount,
                },
                index_options: r.index_options.clone(),
                index_tablespace: r.index_tablespace.clone(),
            };
            if let Some(table) = self.catalog.tables.get_mut(&table_name) {
                table.constraints.insert(name, constraint);
            }
        }
        // A clone may name another clone (sub-partitions): resolve until
        // every clone stands for a foreign key of its own.
        while !clones.is_empty() {
            let before = clones.len();
            clones.retain(|&(clone, parent)| {
                let Some(id) = self.ids.get(&("pg_constraint", parent, 0)).cloned() else {
                    return true;
                };
                self.ids.insert(("pg_constraint", clone, 0), id);
                false
            });
            if clones.len() == before {
                break;
            }
        }
    }

    /// Names a constraint's key columns, in key order.
    fn key_columns(&self, relid: u32, keys: Option<&[i16]>) -> Vec<String> {
        keys.unwrap_or_default()
            .iter()
            .filter_map(|&n| self.attnames.get(&(relid, i32::from(n))).cloned())
            .collect()
    }

    /// The indexes of the tables and materialized views kept, but for
    /// those a constraint implements.
    fn indexes(&mut self, rows: &[IndexRow], parents: &HashMap<u32, Vec<u32>>) {
        let names = self.lookup.relation_names(
            rows.iter()
                .map(|r| (r.indexrelid, r.relnamespace, &r.relname)),
        );
        for r in rows {
            let oid = r.indexrelid;
            if self.constraint_indexes.contains(&oid) {
                continue;
            }
            let relid = r.indrelid;
            let Some(table) = self.tables.get(&relid).or(self.views.get(&relid)).cloned() else {
                continue;
            };
            let Some(schema) = self.lookup.schema(r.relnamespace) else {
                continue;
            };
            // Only the index of a primary key or exclusion constraint has
            // none, and those were passed over with their constraint.
            let Some(definition) = r.definition.clone() else {
                continue;
            };
            let name = QualifiedName::new(schema, r.relname.clone());
            self.ids
                .insert(("pg_class", oid, 0), ObjectId::Index { name: name.clone() });
            self.catalog.indexes.insert(
                name.clone(),
                Index {
                    name,
                    table,
                    definition,
                    comment: self.lookup.comment("pg_class", oid, 0),
                    parent: parents
                        .get(&oid)
                        .and_then(|p| p.first())
                        .and_then(|p| names.get(p).cloned()),
                    column_statistics: r
                        .column_statistics
                        .iter()
                        .filter_map(|s| {
                            let (n, v) = s.split_once('=')?;
                            Some((n.parse().ok()?, v.parse().ok()?))
                        })
                        .collect(),
                    tablespace: r.tablespace.clone(),
                },
            );
        }
    }

    /// Free-standing sequences (identity sequences belong to their column).
    fn sequences(&mut self, rows: &[SequenceRow]) {
        for r in rows {
            let oid = r.oid;
            let Some(schema) = self.lookup.owned("pg_class", oid, r.relnamespace) else {
                continue;
            };
            // An identity column's sequence belongs to the column; only its
            // privileges are its own.
            if r.ownership.as_deref() == Some("i") {
                self.identity_sequences
                    .insert(oid, QualifiedName::new(schema, r.relname.clone()));
                continue;
            }
            let name = QualifiedName::new(schema, r.relname.clone());
            self.ids.insert(
                ("pg_class", oid, 0),
                ObjectId::Sequence { name: name.clone() },
            );
            let owned_by = match (r.ownership.as_deref(), r.owner_table, r.owner_column) {
                (Some("a"), Some(table), Some(column)) => self
                    .tables
                    .get(&table)
                    .zip(self.attnames.get(&(table, column)))
                    .map(|(t, c)| (t.clone(), c.clone())),
                _ => None,
            };
            self.catalog.sequences.insert(
                name.clone(),
                Sequence {
                    name,
                    options: seq_options(r),
                    unlogged: r.unlogged,
                    owned_by,
                    comment: self.lookup.comment("pg_class", oid, 0),
                },
            );
        }
    }

    /// The attributes among `columns` (the rows of columns.sql) of the
    /// relations of kinds `relkinds`, by relation, in order: a view's
    /// columns, a composite type's attributes.
    fn attributes<T>(
        &self,
        columns: &[ColumnRow],
        relkinds: &[&str],
        make: impl Fn(Attribute) -> T,
    ) -> HashMap<u32, Vec<T>> {
        let mut found: HashMap<u32, Vec<T>> = HashMap::new();
        for r in columns {
            if !relkinds.contains(&r.relkind.as_str()) {
                continue;
            }
            let relid = r.attrelid;
            found.entry(relid).or_default().push(make(Attribute {
                name: r.attname.clone(),
                data_type: r.data_type.clone(),
                collation: lookup::collation(&r.collation),
                comment: self.lookup.comment("pg_class", relid, i32::from(r.attnum)),
            }));
        }
        found
    }

    /// Views and materialized views, with the columns `columns` reads.
    fn views(&mut self, rows: &[ViewRow], columns: &[ColumnRow]) {
        let mut by_oid = self.attributes(columns, &["v", "m"], |a| ViewColumn {
            name: a.name,
            data_type: a.data_type,
            collation: a.collation,
            comment: a.comment,
            default: None,
        });
        // Names for column grants, and the defaults of a plain view's
        // columns, which are set one by one after the view is made.
        for r in columns
            .iter()
            .filter(|r| r.relkind == "v" || r.relkind == "m")
        {
            self.view_attnames
                .insert((r.attrelid, i32::from(r.attnum)), r.attname.clone());
            if r.relkind == "v"
                && let Some(default) = &r.default_expr
                && let Some(c) = by_oid
                    .get_mut(&r.attrelid)
                    .and_then(|cs| cs.iter_mut().find(|c| c.name == r.attname))
            {
                c.default = Some(default.clone());
            }
        }
        for r in rows {
            let oid = r.oid;
            let Some(schema) = self.lookup.owned("pg_class", oid, r.relnamespace) else {
                continue;
            };
            let name = QualifiedName::new(schema, r.relname.clone());
            let mut options = r.options.clone();
            options.sort();
            let view = View {
                name: name.clone(),
                materialized: r.materialized,
                definition: r.definition.trim_end().trim_end_matches(';').to_owned(),
                columns: by_oid.remove(&oid).unwrap_or_default(),
                options,
                populated: r.populated,
                comment: self.lookup.comment("pg_class", oid, 0),
                reads_itself: false,
                access_method: r.access_method.clone().filter(|am| am != "heap"),
                tablespace: r.tablespace.clone(),
            };
            let id = view.id();
            // What the query uses is recorded against the view's rewrite rule.
            if let Some(rule) = r.rule_oid {
                self.ids.insert(("pg_rewrite", rule, 0), id.clone());
            }
            self.ids.insert(("pg_class", oid, 0), id);
            self.views.insert(oid, name.clone());
            self.catalog.views.insert(name, view);
        }
    }

    /// Objects that belong to an extension stand for the extension itself:
    /// a column of type `citext` depends on extension `citext`. `depends`
    /// holds the membership, `extensions` the extensions' names.
    fn extension_members(&mut self, depends: &[DependRow], extensions: &[ExtensionRow]) {
        let names: HashMap<u32, &String> = extensions.iter().map(|r| (r.oid, &r.extname)).collect();
        for r in depends {
            if r.deptype != "e" {
                continue;
            }
            let (Some(class), Some(name)) = (class_key(&r.class), names.get(&r.refobjid)) else {
                continue;
            };
            self.ids
                .entry((class, r.objid, 0))
                .or_insert(ObjectId::Extension {
                    name: (*name).clone(),
                });
        }
    }

    /// Resolves a `pg_depend` reference. A sub-id names a column of a table.
    fn resolve(&self, class: &str, objid: u32, subid: i32) -> Option<ObjectId> {
        let class = class_key(class)?;
        let whole = self.ids.get(&(class, objid, 0))?;
        if subid == 0 {
            return Some(whole.clone());
        }
        match whole {
            ObjectId::Table { .. } => self.column_by_attnum(objid, subid),
            other => Some(other.clone()),
        }
    }

    fn column_by_attnum(&self, relid: u32, attnum: i32) -> Option<ObjectId> {
        let name = self.attnames.get(&(relid, attnum))?;
        Some(ObjectId::Column {
            table: self.tables.get(&relid)?.clone(),
            column: name.clone(),
        })
    }

    fn depends(&mut self, rows: &[DependRow]) {
        for r in rows {
            // Membership in an extension is not an order to create in.
            if r.deptype == "e" {
                continue;
            }
            let Some(b) = self.resolve(&r.refclass, r.refobjid, r.refobjsubid) else {
                continue;
            };
            let Some(a) = self.resolve(&r.class, r.objid, r.objsubid) else {
                continue;
            };
            // A sequence's automatic dependency on a column is OWNED BY, which
            // is planned apart from the sequence itself.
            let a = match (a, &b) {
                (ObjectId::Sequence { name }, ObjectId::Column { .. }) => {
                    ObjectId::SequenceOwnership { sequence: name }
                }
                (a, _) => a,
            };
            if a != b {
                self.edges.push((a, b));
            } else if r.deptype == "n"
                && r.refobjsubid != 0
                && let ObjectId::View { name } = &a
                && let Some(v) = self.catalog.views.get_mut(name)
            {
                // A view's query that reads the view's own columns (every
                // view's rule names the view itself, as a whole, for its
                // OLD and NEW).
                v.reads_itself = true;
            }
        }
    }

    /// Edges the server does not record for our identities: every object on
    /// its schema and table, and an owned sequence's ownership on the column.
    /// Comes last: it also moves every edge found into `catalog.depends`.
    fn structural_depends(&mut self) {
        // Added to the edges found so far, in place: at 4000 tables each
        // copy of the list is some 30 MB.
        let mut edges = std::mem::take(&mut self.edges);
        let found = edges.len();
        for e in self.catalog.extensions.values() {
            edges.push((
                ObjectId::Extension {
                    name: e.name.clone(),
                },
                ObjectId::Schema {
                    name: e.schema.clone(),
                },
            ));
        }
        for t in self.catalog.tables.values() {
            let table = ObjectId::Table {
                name: t.name.clone(),
            };
            edges.push((
                table.clone(),
                ObjectId::Schema {
                    name: t.name.schema.clone(),
                },
            ));
            for c in &t.columns {
                edges.push((
                    ObjectId::Column {
                        table: t.name.clone(),
                        column: c.name.clone(),
                    },
                    table.clone(),
                ));
            }
            for c in t.constraints.values() {
                edges.push((
                    ObjectId::Constraint {
                        table: t.name.clone(),
                        constraint: c.name.clone(),
                    },
                    table.clone(),
                ));
            }
        }
        for i in self.catalog.indexes.values() {
            edges.push((
                ObjectId::Index {
                    name: i.name.clone(),
                },
                ObjectId::Table {
                    name: i.table.clone(),
                },
            ));
        }
        for v in self.catalog.views.values() {
            edges.push((
                v.id(),
                ObjectId::Schema {
                    name: v.name.schema.clone(),
                },
            ));
        }
        for s in self.catalog.sequences.values() {
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
                edges.push((
                    owned,
                    ObjectId::Column {
                        table: table.clone(),
                        column: column.clone(),
                    },
                ));
            }
        }
        self.type_structural_edges(&mut edges);
        edges.extend(self.policy_edges());
        edges.extend(self.publication_edges());
        edges.extend(self.text_search_edges());
        edges.extend(self.foreign_edges());
        edges.extend(self.statistics_edges());
        edges.extend(self.operator_edges());
        edges.extend(self.operator_class_edges());
        partitions::structural_depends(&self.catalog, &mut edges);
        // Only edges between objects this catalog holds: the schema `public`
        // may have been dropped, and then nothing can depend on it.
        let mut index = 0;
        edges.retain(|(_, b)| {
            let keep = index < found || self.catalog.contains(b);
            index += 1;
            keep
        });
        edges.sort_unstable();
        edges.dedup();
        // Collecting sorted, distinct pairs builds the set in one pass.
        let mut found: BTreeSet<(ObjectId, ObjectId)> = edges.into_iter().collect();
        self.catalog.depends.append(&mut found);
    }
}
