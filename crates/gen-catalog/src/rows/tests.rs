//! Every catalog query against a real server, every row decoded: a column
//! renamed in a query, missing from it, or of another type on this server
//! fails here rather than in a user's run.

use std::collections::BTreeSet;

use gen_sandbox::{Backend, Sandbox, SandboxError};
use tokio_postgres::Client;
use tokio_postgres::types::{ToSql, Type};

use super::*;

/// At least one row for every query, and a value rather than NULL in as
/// many nullable columns as a small schema allows.
const SCHEMA: &str = r#"
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application';
CREATE EXTENSION citext SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'happy');
CREATE TYPE app.pair AS (a int, b text COLLATE "C");
CREATE TYPE app.span AS RANGE (subtype = int4);
CREATE DOMAIN app.positive AS int DEFAULT 1 NOT NULL CHECK (VALUE > 0);
CREATE SEQUENCE app.counter;
CREATE TABLE app.parent (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mood app.mood,
    note text COLLATE "C" NOT NULL DEFAULT 'x' CHECK (length(note) < 100),
    size app.positive,
    twice int GENERATED ALWAYS AS (id * 2) STORED
);
ALTER TABLE app.parent ALTER COLUMN note SET STATISTICS 200;
ALTER TABLE app.parent ALTER COLUMN note SET STORAGE EXTERNAL;
ALTER TABLE app.parent ALTER COLUMN note SET COMPRESSION pglz;
COMMENT ON COLUMN app.parent.note IS 'a note';
CREATE TABLE app.child (extra int, parent_id int REFERENCES app.parent) INHERITS (app.parent);
ALTER SEQUENCE app.counter OWNED BY app.child.extra;
CREATE TABLE app.events (at date NOT NULL, id serial) PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_at ON app.events (at);
CREATE UNIQUE INDEX parent_note ON app.parent (note);
ALTER TABLE app.parent REPLICA IDENTITY USING INDEX parent_note;
CREATE VIEW app.moods WITH (security_barrier) AS SELECT id, mood FROM app.parent;
CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) AS n FROM app.parent;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION app.add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql
    RETURN a + b;
CREATE AGGREGATE app.total(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0');
CREATE TRIGGER touch BEFORE UPDATE ON app.parent FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER on_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
    EXECUTE FUNCTION app.on_ddl();
ALTER TABLE app.parent ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers ON app.parent FOR SELECT TO PUBLIC USING (true);
CREATE POLICY writers ON app.parent FOR INSERT TO CURRENT_USER WITH CHECK (note <> '');
GRANT SELECT ON app.parent TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
CREATE STATISTICS app.parent_stats ON id, note FROM app.parent;
ALTER STATISTICS app.parent_stats SET STATISTICS 500;
CREATE FUNCTION app.same(int, int) RETURNS bool LANGUAGE sql IMMUTABLE RETURN $1 = $2;
CREATE FUNCTION app.differ(int, int) RETURNS bool LANGUAGE sql IMMUTABLE RETURN $1 <> $2;
CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = app.same,
    COMMUTATOR = OPERATOR(app.===), NEGATOR = OPERATOR(app.!==),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR app.!== (LEFTARG = int, RIGHTARG = int, FUNCTION = app.differ);
CREATE OPERATOR app.~~~ (RIGHTARG = int, FUNCTION = int4um);
CREATE TRUSTED LANGUAGE plsample HANDLER plpgsql_call_handler
    INLINE plpgsql_inline_handler VALIDATOR plpgsql_validator;
CREATE TEXT SEARCH PARSER app.words (START = prsd_start, GETTOKEN = prsd_nexttoken,
    END = prsd_end, LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
CREATE TEXT SEARCH TEMPLATE app.lexer (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE SUBSCRIPTION feed CONNECTION 'host=primary.example dbname=app'
    PUBLICATION events WITH (connect = false, slot_name = 'feed');
COMMENT ON SUBSCRIPTION feed IS 'events';
CREATE OPERATOR FAMILY app.mixed USING btree;
ALTER OPERATOR FAMILY app.mixed USING btree ADD OPERATOR 1 < (int4, int8),
    FUNCTION 1 (int4, int8) btint48cmp(int4, int8);
CREATE OPERATOR CLASS app.int_ops FOR TYPE int USING btree FAMILY app.mixed AS
    OPERATOR 1 <, FUNCTION 1 btint4cmp(int4, int4);
CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler;
CREATE TABLE app.stored_apart (id int) USING heap2;
CREATE MATERIALIZED VIEW app.counted_apart USING heap2 AS SELECT 1 AS one;
CREATE DEFAULT CONVERSION app.latin_in FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE TYPE app.grade AS (score int);
CREATE FUNCTION app.grade(text) RETURNS app.grade LANGUAGE sql IMMUTABLE
    RETURN ROW(length($1))::app.grade;
CREATE CAST (text AS app.grade) WITH FUNCTION app.grade(text) AS ASSIGNMENT;
CREATE RULE keep_parents AS ON DELETE TO app.parent DO INSTEAD NOTHING;
CREATE TEXT SEARCH DICTIONARY app.english_stem (TEMPLATE = snowball, language = 'english');
CREATE TEXT SEARCH CONFIGURATION app.plain (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION app.plain ALTER MAPPING FOR asciiword WITH app.english_stem, simple;
CREATE EXTENSION postgres_fdw SCHEMA app;
CREATE FOREIGN DATA WRAPPER app_fdw HANDLER app.postgres_fdw_handler OPTIONS (debug 'on');
CREATE SERVER archive TYPE 'tape' VERSION '2' FOREIGN DATA WRAPPER app_fdw
    OPTIONS (host 'archive.internal');
CREATE USER MAPPING FOR PUBLIC SERVER archive OPTIONS (user 'reader', password 'x');
CREATE FOREIGN TABLE app.archived (id int OPTIONS (column_name 'order_id') NOT NULL DEFAULT 0,
    note text COLLATE "C", CHECK (id > 0)) SERVER archive OPTIONS (table_name 'orders');
CREATE FOREIGN TABLE app.events_old PARTITION OF app.events
    FOR VALUES FROM ('2000-01-01') TO ('2001-01-01') SERVER archive;
"#;

/// What the test schema holds where majors and builds differ: PostgreSQL
/// 15's publications name schemas and columns and filter rows, 14's only
/// tables; an ICU collation where the server is built with ICU (the PyPI
/// builds of the other majors are not), else a libc one.
async fn version_specific_schema(client: &Client, major: u32) {
    let publications = if major >= 15 {
        "CREATE PUBLICATION feed FOR TABLE app.parent (id, note) WHERE (id > 0)
             WITH (publish = 'insert, update', publish_via_partition_root = true);
         CREATE PUBLICATION everything_public FOR TABLES IN SCHEMA public;"
    } else {
        "CREATE PUBLICATION feed FOR TABLE app.parent
             WITH (publish = 'insert, update', publish_via_partition_root = true);"
    };
    client
        .batch_execute(publications)
        .await
        .expect("publications");
    client
        .batch_execute("COMMENT ON PUBLICATION feed IS 'what replicas read'")
        .await
        .expect("publication comment");
    let icu = "CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)";
    if client.batch_execute(icu).await.is_err() {
        client
            .batch_execute("CREATE COLLATION app.ci (provider = libc, locale = 'C')")
            .await
            .expect("a libc collation");
    }
}

/// A local sandbox, or a failure saying how to get one: these tests need a
/// real server and must never pass without one.
async fn start() -> Sandbox {
    let backend = Backend::local_from_env().unwrap_or_else(|e| panic!("{e}"));
    Sandbox::start(&backend)
        .await
        .unwrap_or_else(|err: SandboxError| {
            panic!(
                "this test needs PostgreSQL server binaries: {err}\nhint: {}\n\
                 (on Debian: apt-get install postgresql; or set GEN_PG_BIN to a \
                 directory with initdb and postgres)",
                err.hint().unwrap_or("none")
            )
        })
}

/// The error and its causes: the driver names the Rust and SQL types of a
/// mismatch only in its cause.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The server's major version, as introspection reads it.
async fn major(client: &Client) -> u32 {
    let row = client
        .query_one(
            "SELECT current_setting('server_version_num')::int / 10000",
            &[],
        )
        .await
        .expect("server_version_num");
    u32::try_from(row.get::<_, i32>(0)).expect("a positive major")
}

/// Runs `R`'s query, decodes every row, and insists there was one.
async fn check<R: CatalogRow>(
    db: Db<'_>,
    params: &[(&(dyn ToSql + Sync), Type)],
    checked: &mut BTreeSet<&'static str>,
) {
    let rows: Vec<R> = read_with(db, params)
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    assert!(
        !rows.is_empty(),
        "{} returned no row to decode: make the test schema hold what it reads",
        R::FILE
    );
    checked.insert(R::FILE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_query_decodes_on_a_real_server() {
    let sandbox = start().await;
    let db = sandbox.create_database("rows").await.expect("database");
    let client = db.connect().await.expect("connect");
    client.batch_execute(SCHEMA).await.expect("test schema");
    let major = major(&client).await;
    version_specific_schema(&client, major).await;
    // As introspection reads: every name printed qualified.
    client
        .batch_execute("SET search_path = ''")
        .await
        .expect("search_path");

    let d = Db {
        client: &client,
        major,
    };
    let mut checked = BTreeSet::new();
    let c = &mut checked;
    check::<SchemaRow>(d, &[], c).await;
    check::<CommentRow>(d, &[], c).await;
    check::<DependRow>(d, &[], c).await;
    check::<ExtensionRow>(d, &[], c).await;
    check::<ExtensionCommentRow>(d, &[(&vec!["citext"], Type::TEXT_ARRAY)], c).await;
    check::<TableRow>(d, &[], c).await;
    check::<InheritRow>(d, &[], c).await;
    check::<ColumnRow>(d, &[], c).await;
    check::<ConstraintRow>(d, &[], c).await;
    check::<IndexRow>(d, &[], c).await;
    check::<SequenceRow>(d, &[], c).await;
    check::<ViewRow>(d, &[], c).await;
    check::<TypeRow>(d, &[], c).await;
    check::<EnumRow>(d, &[], c).await;
    check::<RangeRow>(d, &[], c).await;
    check::<DomainRow>(d, &[], c).await;
    check::<DomainConstraintRow>(d, &[], c).await;
    check::<CollationRow>(d, &[], c).await;
    check::<FunctionRow>(d, &[], c).await;
    check::<AggregateRow>(d, &[], c).await;
    check::<TriggerRow>(d, &[], c).await;
    check::<EventTriggerRow>(d, &[], c).await;
    check::<PublicationRow>(d, &[], c).await;
    check::<PublicationMemberRow>(d, &[], c).await;
    check::<PresentRow>(d, &[], c).await;
    check::<CastDefinitionRow>(d, &[], c).await;
    check::<RuleRow>(d, &[], c).await;
    check::<TextSearchConfigurationRow>(d, &[], c).await;
    check::<TextSearchMappingRow>(d, &[], c).await;
    check::<TextSearchDictionaryRow>(d, &[], c).await;
    check::<ForeignDataWrapperRow>(d, &[], c).await;
    check::<ForeignServerRow>(d, &[], c).await;
    check::<UserMappingRow>(d, &[], c).await;
    check::<ForeignTableRow>(d, &[], c).await;
    check::<ForeignColumnRow>(d, &[], c).await;
    check::<StatisticsRow>(d, &[], c).await;
    check::<OperatorRow>(d, &[], c).await;
    check::<LanguageRow>(d, &[], c).await;
    check::<ConversionRow>(d, &[], c).await;
    check::<AccessMethodRow>(d, &[], c).await;
    check::<SubscriptionRow>(d, &[], c).await;
    check::<OperatorFamilyRow>(d, &[], c).await;
    check::<OperatorClassRow>(d, &[], c).await;
    check::<OperatorMemberRow>(d, &[], c).await;
    check::<TextSearchParserRow>(d, &[], c).await;
    check::<TextSearchTemplateRow>(d, &[], c).await;
    check::<PolicyRow>(d, &[], c).await;
    check::<CastRow>(d, &[], c).await;
    // Nothing a supported major makes is beyond the model (the query is a
    // guard for what a later major may allow): it must still run.
    let rows: Vec<UnsupportedRow> = read_with(d, &[])
        .await
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    assert!(rows.is_empty(), "beyond the model: {rows:?}");
    c.insert(UnsupportedRow::FILE);
    check::<AclRow>(d, &[], c).await;
    check::<DefaultPrivilegeRow>(d, &[], c).await;

    // A query added without a row type, or a row type left out above.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/sql");
    let files: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("reading src/sql")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    let checked: BTreeSet<String> = checked.iter().map(|f| (*f).to_owned()).collect();
    assert_eq!(files, checked, "every query in src/sql is checked here");

    drop(client);
    sandbox.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_mistyped_column_is_an_error_naming_it() {
    let sandbox = start().await;
    let db = sandbox.create_database("rows").await.expect("database");
    let client = db.connect().await.expect("connect");
    let error = |sql: &'static str| {
        let client = &client;
        async move {
            let row = client.query_one(sql, &[]).await.expect(sql);
            SchemaRow::decode(&row)
                .expect_err("a row that does not fit")
                .to_string()
        }
    };

    let renamed = error("SELECT 1::oid AS oid, 'app'::name AS schema_name").await;
    assert!(
        renamed.contains("schemas.sql") && renamed.contains("`nspname`"),
        "{renamed}"
    );
    let mistyped = error("SELECT 1::int8 AS oid, 'app'::name AS nspname").await;
    assert!(
        mistyped.contains("schemas.sql") && mistyped.contains("`oid`"),
        "{mistyped}"
    );
    let null = error("SELECT 1::oid AS oid, NULL::name AS nspname").await;
    assert!(
        null.contains("schemas.sql") && null.contains("`nspname`"),
        "{null}"
    );

    drop(client);
    sandbox.shutdown().await.expect("shutdown");
}

#[test]
fn a_query_takes_the_newest_alternative_its_server_has() {
    let sql = "SELECT /*pg17*/ a /*pg15*/ b /*pg14*/ c /*end*/ AS x, y FROM t";
    assert_eq!(for_major(sql, 18), "SELECT a AS x, y FROM t");
    assert_eq!(for_major(sql, 17), "SELECT a AS x, y FROM t");
    assert_eq!(for_major(sql, 16), "SELECT b AS x, y FROM t");
    assert_eq!(for_major(sql, 15), "SELECT b AS x, y FROM t");
    assert_eq!(for_major(sql, 14), "SELECT c AS x, y FROM t");
    // A group with nothing for an older server leaves nothing there.
    assert_eq!(
        for_major("SELECT x /*pg18*/ , z /*end*/ FROM t", 17),
        "SELECT x  FROM t"
    );
    assert_eq!(
        for_major("SELECT x /*pg18*/ , z /*end*/ FROM t", 18),
        "SELECT x , z FROM t"
    );
    assert!(matches!(for_major("SELECT 1", 14), Cow::Borrowed(_)));
}
