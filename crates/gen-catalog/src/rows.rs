//! The rows of every catalog query, each decoded in one place.
//!
//! A query's columns are named once, here, as the fields of its row type,
//! and read with `Row::try_get`: a column a query no longer returns, or
//! returns as another type (a server major that changed a catalog), is an
//! error naming the query and the column, not a panic in a user's run. The
//! tests run every query against a real server and decode what it returns.

use std::borrow::Cow;

use tokio_postgres::types::{FromSql, ToSql, Type};
use tokio_postgres::{Client, Row};

use crate::CatalogError;

/// The oldest server major the queries are written for.
pub const OLDEST_MAJOR: u32 = 14;
/// The newest server major the queries are written for.
pub const NEWEST_MAJOR: u32 = 18;

/// A connection to the server being read, and its major version, which
/// decides the text of the queries whose catalogs differ between majors.
#[derive(Clone, Copy)]
pub(crate) struct Db<'a> {
    pub(crate) client: &'a Client,
    pub(crate) major: u32,
}

/// A query's text for a server of `major`.
///
/// Where catalogs differ between majors a query writes the alternatives
/// in place, newest first, each after the first major it is for, and
/// closes the group with `/*end*/`:
///
/// ```sql
/// /*pg17*/ co.colllocale /*pg15*/ co.colliculocale /*pg14*/ NULL::text /*end*/
/// ```
///
/// The first alternative whose major is at most the server's is kept.
pub(crate) fn for_major(sql: &str, major: u32) -> Cow<'_, str> {
    if !sql.contains("/*pg") {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(start) = rest.find("/*pg") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("/*end*/")
            .map(|i| start + i)
            .unwrap_or_else(|| panic!("a /*pgNN*/ group without /*end*/ in:\n{sql}"));
        let group = &rest[start..end];
        let mut chosen = None;
        for alternative in group.split("/*pg").skip(1) {
            let (first, text) = alternative
                .split_once("*/")
                .unwrap_or_else(|| panic!("an unclosed /*pgNN*/ marker in:\n{sql}"));
            let first: u32 = first
                .parse()
                .unwrap_or_else(|_| panic!("/*pg{first}*/ is not a major version in:\n{sql}"));
            if chosen.is_none() && first <= major {
                chosen = Some(text.trim());
            }
        }
        out.push_str(chosen.unwrap_or(""));
        rest = &rest[end + "/*end*/".len()..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The row type of one query of `src/sql/`.
pub(crate) trait CatalogRow: Sized {
    /// What the query reads, as errors name it: `tables`.
    const WHAT: &'static str;
    /// The query's file in `src/sql/`.
    const FILE: &'static str;
    /// The query's text.
    const SQL: &'static str;
    /// One row, every column checked for presence and type.
    fn decode(row: &Row) -> Result<Self, CatalogError>;
}

/// Runs `R`'s query and decodes its rows.
pub(crate) async fn read<R: CatalogRow>(db: Db<'_>) -> Result<Vec<R>, CatalogError> {
    read_with(db, &[]).await
}

/// [`read`] when `present`, else no rows without asking the server.
pub(crate) async fn read_if<R: CatalogRow>(
    db: Db<'_>,
    present: bool,
) -> Result<Vec<R>, CatalogError> {
    if present {
        read(db).await
    } else {
        Ok(Vec::new())
    }
}

/// [`read`], with parameters.
pub(crate) async fn read_with<R: CatalogRow>(
    db: Db<'_>,
    params: &[(&(dyn ToSql + Sync), Type)],
) -> Result<Vec<R>, CatalogError> {
    // An unnamed statement in one round trip (parse, bind, execute):
    // preparing a named statement first costs a round trip and a
    // server-side statement to close for a query that runs once.
    let rows = db
        .client
        .query_typed(&for_major(R::SQL, db.major), params)
        .await
        .map_err(|source| CatalogError::Query {
            what: R::WHAT,
            source,
        })?;
    rows.iter().map(R::decode).collect()
}

fn column<'a, T: FromSql<'a>>(
    row: &'a Row,
    what: &'static str,
    query: &'static str,
    column: &'static str,
) -> Result<T, CatalogError> {
    row.try_get(column).map_err(|source| CatalogError::Column {
        what,
        query,
        column,
        source,
    })
}

/// Declares each query's row type: its fields are the query's columns, by
/// name, in the Rust types the readers need.
macro_rules! catalog_rows {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident, $what:literal, $file:literal {
            $($field:ident: $ty:ty,)*
        }
    )*) => {$(
        $(#[doc = $doc])*
        #[derive(Debug)]
        pub(crate) struct $name {
            $(pub(crate) $field: $ty,)*
        }

        impl CatalogRow for $name {
            const WHAT: &'static str = $what;
            const FILE: &'static str = $file;
            const SQL: &'static str = include_str!(concat!("sql/", $file));

            fn decode(row: &Row) -> Result<Self, CatalogError> {
                Ok($name {
                    $($field: column(row, Self::WHAT, Self::FILE, stringify!($field))?,)*
                })
            }
        }
    )*};
}

catalog_rows! {
    /// A schema, system ones included.
    SchemaRow, "schemas", "schemas.sql" {
        oid: u32,
        nspname: String,
    }

    /// A comment, by catalog, oid and sub-id.
    CommentRow, "comments", "comments.sql" {
        class: String,
        objoid: u32,
        objsubid: i32,
        description: String,
    }

    /// A `pg_depend` entry, catalogs by name.
    DependRow, "dependencies", "depends.sql" {
        class: String,
        objid: u32,
        objsubid: i32,
        refclass: String,
        refobjid: u32,
        refobjsubid: i32,
        deptype: String,
    }

    /// An installed extension.
    ExtensionRow, "extensions", "extensions.sql" {
        oid: u32,
        extname: String,
        extnamespace: u32,
        extversion: String,
        fixed_schema: bool,
    }

    /// The comment an extension's control file sets.
    ExtensionCommentRow, "extension comments", "extension_comments.sql" {
        name: String,
        comment: Option<String>,
    }

    /// A table, partitioned table or foreign table.
    TableRow, "tables", "tables.sql" {
        oid: u32,
        relnamespace: u32,
        relname: String,
        relkind: String,
        unlogged: bool,
        options: Vec<String>,
        partition_key: Option<String>,
        partition_bound: Option<String>,
        replica_identity: String,
        relrowsecurity: bool,
        relforcerowsecurity: bool,
        reltype: u32,
        of_type: Option<String>,
        tablespace: Option<String>,
        access_method: Option<String>,
    }

    /// One parent of a table or of a partition's index.
    InheritRow, "inheritance", "inherits.sql" {
        inhrelid: u32,
        inhparent: u32,
    }

    /// A column of a table, view, materialized view or composite type.
    ColumnRow, "columns", "columns.sql" {
        attrelid: u32,
        relkind: String,
        attnum: i16,
        attname: String,
        data_type: String,
        base_type: String,
        collation: Option<String>,
        attnotnull: bool,
        default_expr: Option<String>,
        default_oid: Option<u32>,
        default_volatile: bool,
        domain_checked: bool,
        identity: String,
        generated: String,
        attislocal: bool,
        attinhcount: i32,
        statistics: Option<i32>,
        storage: Option<String>,
        type_storage: String,
        compression: Option<String>,
        not_null_name: Option<String>,
        not_null_not_valid: bool,
        not_null_no_inherit: bool,
    }

    /// A constraint of a table.
    ConstraintRow, "constraints", "constraints.sql" {
        oid: u32,
        conrelid: u32,
        conname: String,
        kind: String,
        definition: String,
        conkey: Option<Vec<i16>>,
        confrelid: u32,
        convalidated: bool,
        conindid: u32,
        index_options: Vec<String>,
        index_tablespace: Option<String>,
        conislocal: bool,
        coninhcount: i32,
        clone_of: Option<u32>,
    }

    /// An index of a relation.
    IndexRow, "indexes", "indexes.sql" {
        indexrelid: u32,
        relnamespace: u32,
        relname: String,
        indrelid: u32,
        definition: Option<String>,
        replica_identity: bool,
        clustered: bool,
        column_statistics: Vec<String>,
        tablespace: Option<String>,
    }

    /// A sequence; the owner columns are set when a column owns it.
    SequenceRow, "sequences", "sequences.sql" {
        oid: u32,
        relnamespace: u32,
        relname: String,
        data_type: String,
        unlogged: bool,
        seqstart: i64,
        seqincrement: i64,
        seqmin: i64,
        seqmax: i64,
        seqcache: i64,
        seqcycle: bool,
        owner_table: Option<u32>,
        owner_column: Option<i32>,
        ownership: Option<String>,
    }

    /// A view or materialized view.
    ViewRow, "views", "views.sql" {
        oid: u32,
        relnamespace: u32,
        relname: String,
        materialized: bool,
        definition: String,
        options: Vec<String>,
        populated: bool,
        reltype: u32,
        rule_oid: Option<u32>,
        access_method: Option<String>,
        tablespace: Option<String>,
    }

    /// An enum, composite, range or multirange type.
    TypeRow, "types", "types.sql" {
        oid: u32,
        typarray: u32,
        typrelid: u32,
        typnamespace: u32,
        typname: String,
        kind: String,
    }

    /// One label of an enum.
    EnumRow, "enums", "enums.sql" {
        enumtypid: u32,
        enumlabel: String,
    }

    /// A range type's settings.
    RangeRow, "range types", "ranges.sql" {
        rngtypid: u32,
        subtype: String,
        subtype_opclass: Option<String>,
        range_collation: Option<String>,
        canonical: Option<String>,
        subtype_diff: Option<String>,
        multirange_oid: u32,
    }

    /// A domain.
    DomainRow, "domains", "domains.sql" {
        oid: u32,
        typarray: u32,
        typnamespace: u32,
        typname: String,
        base_type: String,
        collation: Option<String>,
        default_expr: Option<String>,
        typnotnull: bool,
        not_null_name: Option<String>,
    }

    /// A check constraint of a domain.
    DomainConstraintRow, "domain constraints", "domain_constraints.sql" {
        oid: u32,
        contypid: u32,
        conname: String,
        definition: String,
        convalidated: bool,
    }

    /// A collation.
    CollationRow, "collations", "collations.sql" {
        oid: u32,
        collnamespace: u32,
        collname: String,
        provider: String,
        collcollate: Option<String>,
        collctype: Option<String>,
        locale: Option<String>,
        icu_rules: Option<String>,
        collisdeterministic: bool,
    }

    /// A function, procedure or aggregate; an aggregate has no definition
    /// here (its row of aggregates.sql has).
    FunctionRow, "functions", "functions.sql" {
        oid: u32,
        pronamespace: u32,
        proname: String,
        kind: String,
        args: String,
        language: String,
        sql_body: bool,
        security_definer: bool,
        definition: Option<String>,
        result: Option<String>,
        signature: String,
        defaults: i16,
    }

    /// An aggregate, as the statement that creates it.
    AggregateRow, "aggregates", "aggregates.sql" {
        oid: u32,
        nspname: String,
        proname: String,
        args: String,
        definition: String,
    }

    /// A trigger written by a user.
    TriggerRow, "triggers", "triggers.sql" {
        oid: u32,
        tgrelid: u32,
        tgname: String,
        definition: String,
        constraint_trigger: bool,
        enabled: String,
    }

    /// An event trigger.
    EventTriggerRow, "event triggers", "event_triggers.sql" {
        oid: u32,
        evtname: String,
        evtevent: String,
        enabled: String,
        tags: Vec<String>,
        function: String,
    }

    /// A publication.
    PublicationRow, "publications", "publications.sql" {
        oid: u32,
        pubname: String,
        owner: String,
        all_tables: bool,
        pubinsert: bool,
        pubupdate: bool,
        pubdelete: bool,
        pubtruncate: bool,
        via_root: bool,
    }

    /// A table or schema a publication names.
    PublicationMemberRow, "publication members", "publication_members.sql" {
        pubid: u32,
        relid: Option<u32>,
        nspid: Option<u32>,
        columns: Option<Vec<String>>,
        row_filter: Option<String>,
    }

    /// Which kinds that few databases hold this one has: their queries
    /// run in a second round only when it does.
    PresentRow, "kinds present", "present.sql" {
        casts: bool,
        rules: bool,
        text_search_configurations: bool,
        text_search_dictionaries: bool,
        foreign_data: bool,
        statistics: bool,
        operators: bool,
        languages: bool,
        conversions: bool,
        access_methods: bool,
        text_search_parsers: bool,
        text_search_templates: bool,
        subscriptions: bool,
        operator_families: bool,
    }

    /// A cast the application defines.
    CastDefinitionRow, "casts", "cast_definitions.sql" {
        oid: u32,
        source: String,
        target: String,
        method: String,
        context: String,
        function: Option<String>,
    }

    /// A rewrite rule other than a view's query.
    RuleRow, "rules", "rules.sql" {
        oid: u32,
        relid: u32,
        rulename: String,
        definition: String,
        enabled: String,
    }

    /// A text search configuration.
    TextSearchConfigurationRow, "text search configurations", "text_search_configurations.sql" {
        oid: u32,
        nsp: u32,
        cfgname: String,
        owner: String,
        parser: String,
    }

    /// One dictionary of a configuration's token type.
    TextSearchMappingRow, "text search mappings", "text_search_mappings.sql" {
        cfg: u32,
        token: String,
        dictionary: String,
    }

    /// A text search dictionary.
    TextSearchDictionaryRow, "text search dictionaries", "text_search_dictionaries.sql" {
        oid: u32,
        nsp: u32,
        dictname: String,
        owner: String,
        template: String,
        options: Option<String>,
    }

    /// A foreign data wrapper.
    ForeignDataWrapperRow, "foreign data wrappers", "foreign_data_wrappers.sql" {
        oid: u32,
        fdwname: String,
        owner: String,
        handler: Option<String>,
        validator: Option<String>,
        options: Vec<String>,
    }

    /// A foreign server.
    ForeignServerRow, "foreign servers", "foreign_servers.sql" {
        oid: u32,
        srvname: String,
        owner: String,
        wrapper: String,
        server_type: Option<String>,
        version: Option<String>,
        options: Vec<String>,
    }

    /// A user mapping.
    UserMappingRow, "user mappings", "user_mappings.sql" {
        oid: u32,
        server: String,
        username: String,
        options: Vec<String>,
    }

    /// A foreign table.
    ForeignTableRow, "foreign tables", "foreign_tables.sql" {
        oid: u32,
        relnamespace: u32,
        relname: String,
        server: String,
        options: Vec<String>,
        parent: Option<u32>,
        bound: Option<String>,
        check_names: Vec<String>,
        check_definitions: Vec<String>,
    }

    /// A column a foreign table declares.
    ForeignColumnRow, "foreign table columns", "foreign_columns.sql" {
        attrelid: u32,
        attnum: i16,
        attname: String,
        data_type: String,
        collation: Option<String>,
        attnotnull: bool,
        default_expr: Option<String>,
        options: Vec<String>,
    }

    /// An extended statistics object.
    StatisticsRow, "statistics", "statistics.sql" {
        oid: u32,
        nsp: u32,
        stxname: String,
        relid: u32,
        owner: String,
        definition: String,
        target: Option<i32>,
    }

    /// An operator.
    OperatorRow, "operators", "operators.sql" {
        oid: u32,
        nsp: u32,
        oprname: String,
        owner: String,
        left_type: Option<String>,
        right_type: String,
        function: String,
        commutator: Option<String>,
        negator: Option<String>,
        restrict: Option<String>,
        join_estimator: Option<String>,
        hashes: bool,
        merges: bool,
    }

    /// A procedural language.
    LanguageRow, "languages", "languages.sql" {
        oid: u32,
        lanname: String,
        trusted: bool,
        handler: String,
        inline: Option<String>,
        validator: Option<String>,
    }

    /// An encoding conversion.
    ConversionRow, "conversions", "conversions.sql" {
        oid: u32,
        nsp: u32,
        conname: String,
        owner: String,
        source: String,
        destination: String,
        function: String,
        is_default: bool,
    }

    /// A text search parser.
    TextSearchParserRow, "text search parsers", "text_search_parsers.sql" {
        oid: u32,
        nsp: u32,
        prsname: String,
        start: String,
        gettoken: String,
        end_function: String,
        lextypes: String,
        headline: Option<String>,
    }

    /// A text search template.
    TextSearchTemplateRow, "text search templates", "text_search_templates.sql" {
        oid: u32,
        nsp: u32,
        tmplname: String,
        init: Option<String>,
        lexize: String,
    }

    /// A subscription.
    SubscriptionRow, "subscriptions", "subscriptions.sql" {
        oid: u32,
        subname: String,
        owner: String,
        connection: String,
        slot_name: Option<String>,
        publications: Vec<String>,
        options: Vec<String>,
    }

    /// An operator family.
    OperatorFamilyRow, "operator families", "operator_families.sql" {
        oid: u32,
        nsp: u32,
        opfname: String,
        method: String,
        owner: String,
    }

    /// An operator class.
    OperatorClassRow, "operator classes", "operator_classes.sql" {
        oid: u32,
        nsp: u32,
        opcname: String,
        method: String,
        owner: String,
        for_type: String,
        is_default: bool,
        family_schema: String,
        family_name: String,
        storage: Option<String>,
    }

    /// An operator or support function of an operator family.
    OperatorMemberRow, "operator family members", "operator_members.sql" {
        class: String,
        oid: u32,
        family: u32,
        opclass: u32,
        number: i16,
        member: String,
        order_by: Option<String>,
        left_type: Option<String>,
        right_type: Option<String>,
    }

    /// An access method.
    AccessMethodRow, "access methods", "access_methods.sql" {
        oid: u32,
        amname: String,
        kind: String,
        handler: String,
    }

    /// A row-level security policy; a role of `None` is PUBLIC.
    PolicyRow, "policies", "policies.sql" {
        oid: u32,
        polrelid: u32,
        polname: String,
        polpermissive: bool,
        command: String,
        roles: Vec<Option<String>>,
        using_expr: Option<String>,
        check_expr: Option<String>,
    }

    /// A cast between two types.
    CastRow, "casts", "casts.sql" {
        source: String,
        target: String,
        context: String,
        binary: bool,
    }

    /// An object gen does not model.
    UnsupportedRow, "unsupported objects", "unsupported.sql" {
        class: String,
        objid: u32,
        nsp: u32,
        kind: String,
        identity: String,
    }

    /// An object's owner and ACL; `acl` is `None` for the built-in default.
    AclRow, "owners and privileges", "acls.sql" {
        class: String,
        objid: u32,
        subid: i32,
        objtype: String,
        owner: String,
        nsp: u32,
        acl: Option<Vec<String>>,
    }

    /// One grant of default privileges; a grantee of `None` is PUBLIC.
    DefaultPrivilegeRow, "default privileges", "default_privileges.sql" {
        oid: u32,
        role: String,
        nspname: Option<String>,
        objtype: String,
        initial: bool,
        grantee: Option<String>,
        privilege: String,
        grantable: bool,
    }
}

#[cfg(test)]
mod tests;
