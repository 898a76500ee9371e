//! Running untrusted statements in a scratch database.
//!
//! Schema files and replayed migrations are untrusted input. In a sandbox
//! gen runs itself they run as [`gen_sandbox::LOADER`], a role without
//! superuser; the few statements only a superuser may run
//! ([`RunAs::Superuser`]) go alone over a second connection, as
//! [`gen_sandbox::SUPERUSER`], with triggers and event triggers held off
//! (`session_replication_role = replica`, so nothing the files wrote runs
//! with its rights). What it makes that could run code it does not show —
//! a function in an untrusted language, a foreign table read through its
//! wrapper — has its handler taken away for as long as the database lives:
//! such a function is created but never runs in the sandbox. `ALTER … OWNER TO`
//! and `ALTER EVENT TRIGGER` run last; after loading, gen goes on as the
//! loading role.

use std::time::Duration;

use gen_sandbox::{Database, LOADER, SUPERUSER};
use gen_source::{RunAs, Session, Statement, Then};
use tokio_postgres::{Client, SimpleQueryMessage};

/// Why a statement loaded into the sandbox did not complete.
#[derive(Debug)]
pub(crate) enum Stopped {
    /// The server refused it.
    Error(tokio_postgres::Error),
    /// It ran past the statement timeout and was cancelled.
    Timeout,
    /// The sandbox would not run it as the superuser, for this reason.
    Refused(String),
}

impl From<tokio_postgres::Error> for Stopped {
    fn from(e: tokio_postgres::Error) -> Self {
        Stopped::Error(e)
    }
}

/// Runs `sql` (one statement or a batch); past `limit` the server is told
/// to cancel it. A schema file is untrusted: `SELECT pg_sleep(1e6)` or an
/// endless `DO` loop must end the run, not hold it, and no `SET
/// statement_timeout` in the file can lift a limit kept on this side.
pub(crate) async fn run_within(client: &Client, sql: &str, limit: Duration) -> Result<(), Stopped> {
    let run = client.batch_execute(sql);
    tokio::pin!(run);
    match tokio::time::timeout(limit, &mut run).await {
        Ok(result) => Ok(result?),
        Err(_) => {
            // Best effort: the scratch database is dropped either way, and
            // dropping it ends the session the statement runs in.
            let _ = client
                .cancel_token()
                .cancel_query(tokio_postgres::NoTls)
                .await;
            let _ = tokio::time::timeout(CANCEL_GRACE, run).await;
            Err(Stopped::Timeout)
        }
    }
}

/// How long a cancelled statement gets to end.
const CANCEL_GRACE: Duration = Duration::from_secs(5);

/// The connections one scratch database is loaded over.
pub(crate) struct Runner<'s> {
    /// The loading role's (the URL's role on a server gen does not run).
    user: Client,
    /// The settings `user` has, from the statements run on it one by one.
    user_session: &'s Session,
    /// The superuser's, in a sealed sandbox.
    admin: Option<Admin<'s>>,
    limit: Duration,
}

struct Admin<'s> {
    client: Client,
    /// The settings the connection has, from the statements run on it.
    session: &'s Session,
    /// The handlers taken from foreign-data wrappers and untrusted
    /// languages, `(wrapper or language oid, handler oid)`: they are never
    /// given back in the sandbox, where gen's own statements still run
    /// after loading, and the catalog read there is told them instead (see
    /// [`as_loaded`]).
    wrappers: Vec<(String, String)>,
    languages: Vec<(String, String)>,
    /// Statements that run once every other one has.
    deferred: Vec<&'s Statement>,
}

/// Who runs a statement, as this runner sees it.
pub(crate) enum Route {
    /// On the loading role's connection (in a batch, if the caller batches).
    User,
    /// On the superuser's, alone.
    Superuser,
    /// Once everything else has run.
    Deferred,
    /// Not at all.
    Skipped,
}

impl<'s> Runner<'s> {
    /// Connects to `db` as the loading role and, in a sealed sandbox, as
    /// the superuser too. Function bodies are not checked while loading:
    /// they may use objects created later.
    pub(crate) async fn open(
        db: &Database,
        limit: Duration,
        base: &'s Session,
    ) -> anyhow::Result<Runner<'s>> {
        let prepare_user = async {
            let user = db.connect_loader().await?;
            user.batch_execute("SET check_function_bodies = off")
                .await?;
            anyhow::Ok(user)
        };
        let prepare_admin = async {
            if !db.is_sealed() {
                return anyhow::Ok(None);
            }
            let client = db.connect().await?;
            client
                .batch_execute(
                    "SET check_function_bodies = off; SET session_replication_role = replica",
                )
                .await?;
            Ok(Some(Admin {
                client,
                session: base,
                wrappers: Vec::new(),
                languages: Vec::new(),
                deferred: Vec::new(),
            }))
        };
        let (user, admin) = tokio::try_join!(prepare_user, prepare_admin)?;
        Ok(Runner {
            user,
            user_session: base,
            admin,
            limit,
        })
    }

    /// Whether the files run as the loading role, with the superuser
    /// beside it.
    pub(crate) fn is_sealed(&self) -> bool {
        self.admin.is_some()
    }

    /// The loading role's connection.
    pub(crate) fn user(&self) -> &Client {
        &self.user
    }

    /// How `statement` runs here: as written by the loading role on a
    /// server gen does not run, else as [`Statement::run_as`] says.
    pub(crate) fn route(&self, statement: &Statement) -> Route {
        if self.admin.is_none() {
            return Route::User;
        }
        match statement.run_as() {
            RunAs::Loader | RunAs::Refused(_) => Route::User,
            RunAs::Superuser { .. } => Route::Superuser,
            RunAs::Deferred => Route::Deferred,
            RunAs::Skipped => Route::Skipped,
        }
    }

    /// Runs `sql` on the loading role's connection.
    pub(crate) async fn run_user(&self, sql: &str) -> Result<(), Stopped> {
        run_within(&self.user, sql, self.limit).await
    }

    /// Runs `statement` (as `sql`) alone on the loading role's connection,
    /// in its file's session settings.
    pub(crate) async fn run_user_statement(
        &mut self,
        statement: &'s Statement,
        sql: &str,
        known: impl Fn(&str) -> bool,
    ) -> Result<(), Stopped> {
        let limit = self.limit;
        run_in_session(
            &self.user,
            &mut self.user_session,
            statement,
            sql,
            known,
            limit,
        )
        .await
    }

    /// Runs a session setting on both connections, so that statements the
    /// superuser runs see it too.
    pub(crate) async fn run_both(&self, sql: &str) -> Result<(), Stopped> {
        if let Some(admin) = &self.admin {
            run_within(&admin.client, sql, self.limit).await?;
        }
        run_within(&self.user, sql, self.limit).await
    }

    /// Keeps `statement` for [`Runner::finish`].
    pub(crate) fn defer(&mut self, statement: &'s Statement) {
        if let Some(admin) = self.admin.as_mut() {
            admin.deferred.push(statement);
        }
    }

    /// Runs `statement` alone as the superuser, in its file's session
    /// settings; then gives the loading role what a role without superuser
    /// may own of what it made, and takes away the handlers of untrusted
    /// languages and foreign-data wrappers.
    pub(crate) async fn run_superuser(
        &mut self,
        statement: &'s Statement,
        sql: &str,
        known: impl Fn(&str) -> bool,
    ) -> Result<(), Stopped> {
        let limit = self.limit;
        let release = release_slots(statement);
        let Some(admin) = self.admin.as_mut() else {
            if let Some(release) = release {
                run_within(&self.user, &release, limit).await?;
            }
            return run_within(&self.user, sql, limit).await;
        };
        if let Some(release) = release {
            run_within(&admin.client, &release, limit).await?;
        }
        called_functions_are_machine_code(&admin.client, statement).await?;
        run_in_session(
            &admin.client,
            &mut admin.session,
            statement,
            sql,
            known,
            limit,
        )
        .await?;
        let after = match statement.run_as() {
            RunAs::Superuser {
                then: Then::HandOver,
            } => hand_over_query(),
            RunAs::Superuser { then: Then::Disarm } => DISARM.to_owned(),
            _ => return Ok(()),
        };
        let rows = admin.client.simple_query(&after).await?;
        let mut hand_over = String::new();
        for row in rows {
            let SimpleQueryMessage::Row(row) = row else {
                continue;
            };
            if row.len() == 1 {
                if let Some(statement) = row.get(0) {
                    hand_over.push_str(statement);
                    hand_over.push_str(";\n");
                }
            } else if let (Some(catalog), Some(oid), Some(was)) =
                (row.get(0), row.get(1), row.get(2))
            {
                let taken = if catalog == "pg_language" {
                    &mut admin.languages
                } else {
                    &mut admin.wrappers
                };
                taken.push((oid.to_owned(), was.to_owned()));
            }
        }
        if !hand_over.is_empty() {
            run_within(&admin.client, &hand_over, limit).await?;
        }
        Ok(())
    }

    /// Runs the deferred statements as the superuser and returns both
    /// connections, with the database's own settings again (see
    /// [`Loaded`]): gen's own statements after loading may fire the files'
    /// event triggers or call their functions, which must then run without
    /// superuser and with the handlers still taken. `db` is the database's
    /// name.
    pub(crate) async fn finish(
        self,
        db: &str,
        known: impl Fn(&str) -> bool,
    ) -> Result<Loaded, (Option<&'s Statement>, Stopped)> {
        let Runner {
            user, admin, limit, ..
        } = self;
        let Some(mut admin) = admin else {
            return Ok(Loaded {
                client: user,
                reader: None,
            });
        };
        // Owners first: an `ALTER EVENT TRIGGER … ENABLE ALWAYS` would make
        // an event trigger fire for the superuser's statements after it.
        let mut deferred = std::mem::take(&mut admin.deferred);
        deferred.sort_by_key(|s| is_event_trigger_statement(s));
        // In one round trip (owners: one per object of a dump); statement
        // by statement to name the one that fails.
        let mut batch = String::new();
        let mut session = admin.session;
        for statement in &deferred {
            settings_into(&mut batch, &mut session, statement, &known);
            batch.push_str(&statement.sql);
            batch.push_str(";\n");
        }
        if !batch.is_empty() && run_within(&admin.client, &batch, limit).await.is_err() {
            for statement in deferred {
                let sql = &statement.sql;
                run_in_session(
                    &admin.client,
                    &mut admin.session,
                    statement,
                    sql,
                    &known,
                    limit,
                )
                .await
                .map_err(|e| (Some(statement), e))?;
            }
        }
        for (setting, taken) in [
            (WRAPPER_HANDLERS, &admin.wrappers),
            (LANGUAGE_HANDLERS, &admin.languages),
        ] {
            if taken.is_empty() {
                continue;
            }
            let value = taken
                .iter()
                .map(|(object, handler)| format!("{object}={handler}"))
                .collect::<Vec<_>>()
                .join(",");
            admin
                .client
                .batch_execute(&format!(
                    "ALTER DATABASE {} SET {setting} = {}",
                    gen_model::Ident(db),
                    gen_model::Literal(&value)
                ))
                .await
                .map_err(|e| (None, Stopped::Error(e)))?;
        }
        let reset = "RESET ALL; SET check_function_bodies = off";
        let (a, u) = tokio::join!(admin.client.batch_execute(reset), user.batch_execute(reset));
        a.and(u).map_err(|e| (None, Stopped::Error(e)))?;
        Ok(Loaded {
            client: user,
            reader: Some(admin.client),
        })
    }
}

/// Appends to `batch` the statements that bring a connection whose
/// settings are `session` to `statement`'s, and takes them as its own.
pub(crate) fn settings_into<'s>(
    batch: &mut String,
    session: &mut &'s Session,
    statement: &'s Statement,
    known: impl Fn(&str) -> bool,
) {
    for set in session.transition(statement.session(), known) {
        batch.push_str(&set);
        batch.push_str(";\n");
    }
    *session = statement.session();
}

/// Runs `sql` (`statement`, as it is sent) alone on `client`, whose
/// settings are `session`, after bringing it to the statement's.
async fn run_in_session<'s>(
    client: &Client,
    session: &mut &'s Session,
    statement: &'s Statement,
    sql: &str,
    known: impl Fn(&str) -> bool,
    limit: Duration,
) -> Result<(), Stopped> {
    let mut prelude = String::new();
    settings_into(&mut prelude, session, statement, known);
    if !prelude.is_empty() {
        run_within(client, &prelude, limit).await?;
    }
    run_within(client, sql, limit).await
}

/// The connections to a loaded scratch database.
#[derive(Debug)]
pub struct Loaded {
    /// The loading role's: for gen's own statements after loading (renames,
    /// round trips), which may fire the files' event triggers or call their
    /// functions.
    pub client: Client,
    /// The superuser's in a sealed sandbox, for reading the catalog: it
    /// sees every user mapping's options, and a read runs none of the
    /// files' code. `None` where the files ran as the URL's role.
    pub reader: Option<Client>,
}

impl Loaded {
    /// The connection to read the catalog with.
    pub fn reader(&self) -> &Client {
        self.reader.as_ref().unwrap_or(&self.client)
    }
}

/// Where a sealed sandbox's database keeps the handlers it took from
/// foreign-data wrappers, as `wrapper oid=handler oid,…`: a setting of the
/// database, which no plan reads or writes.
const WRAPPER_HANDLERS: &str = "gen.wrapper_handlers";

/// The same for the call handlers taken from untrusted languages.
const LANGUAGE_HANDLERS: &str = "gen.language_handlers";

/// `ALTER EVENT TRIGGER …`.
fn is_event_trigger_statement(statement: &Statement) -> bool {
    let words: Vec<String> = statement
        .sql
        .split_whitespace()
        .take(3)
        .map(str::to_ascii_uppercase)
        .collect();
    words == ["ALTER", "EVENT", "TRIGGER"]
}

/// Refuses a statement whose handler, validator or inline handler is a
/// function other than machine code (which only an extension can have
/// brought): the server would call it as the superuser running the
/// statement.
async fn called_functions_are_machine_code(
    admin: &Client,
    statement: &Statement,
) -> Result<(), Stopped> {
    for name in statement.superuser_calls() {
        let (schema, function) = match name.as_slice() {
            [function] => (None, function.as_str()),
            [schema, function] => (Some(schema.as_str()), function.as_str()),
            _ => continue,
        };
        let written: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_catalog.pg_proc p \
                 JOIN pg_catalog.pg_language l ON l.oid = p.prolang \
                 JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
                 WHERE p.proname = $1 AND ($2::text IS NULL OR n.nspname = $2) \
                   AND l.lanname NOT IN ('c', 'internal')",
                &[&function, &schema],
            )
            .await?
            .get(0);
        if written > 0 {
            return Err(Stopped::Refused(format!(
                "{} is a function a schema file wrote, which the server would call as the superuser: a wrapper's or language's functions must come from an extension",
                name.join(".")
            )));
        }
    }
    Ok(())
}

/// Before a `DROP SUBSCRIPTION`: each subscription it drops disabled and
/// let go of its replication slot, so that the server never reaches for
/// the publisher to drop the slot (the sandbox's subscriptions never made
/// one). Nothing for other statements.
fn release_slots(statement: &Statement) -> Option<String> {
    let names: Vec<String> = statement
        .dropped_subscriptions()
        .map(|name| gen_model::Literal(name).to_string())
        .collect();
    (!names.is_empty()).then(|| gen_sandbox::release_slots_sql(&names))
}

/// What follows a statement run as the superuser that may make a
/// language or a wrapper ([`Then::Disarm`]): every untrusted language's
/// call handler becomes one that only raises an error, and every
/// foreign-data wrapper loses its handler, so that no function body written
/// in a schema file runs with the server's rights and no foreign table is
/// read, for as long as the database lives. Returns the handlers taken, as
/// `(catalog, oid, handler)`.
const DISARM: &str = "WITH languages AS (
    SELECT oid, lanplcallfoid AS was FROM pg_catalog.pg_language
    WHERE NOT lanpltrusted AND lanplcallfoid NOT IN (0, 'pg_catalog.language_handler_in'::regproc)
), disarmed_languages AS (
    UPDATE pg_catalog.pg_language l SET lanplcallfoid = 'pg_catalog.language_handler_in'::regproc
    FROM languages WHERE l.oid = languages.oid
    RETURNING 'pg_language'::text, l.oid::text, languages.was::oid::text
), wrappers AS (
    SELECT oid, fdwhandler AS was FROM pg_catalog.pg_foreign_data_wrapper WHERE fdwhandler <> 0
), disarmed_wrappers AS (
    UPDATE pg_catalog.pg_foreign_data_wrapper w SET fdwhandler = 0
    FROM wrappers WHERE w.oid = wrappers.oid
    RETURNING 'pg_foreign_data_wrapper'::text, w.oid::text, wrappers.was::oid::text
)
SELECT * FROM disarmed_languages UNION ALL SELECT * FROM disarmed_wrappers";

/// What follows a statement run as the superuser that makes something a
/// role without superuser may own ([`Then::HandOver`]): a query for the
/// statements that give the functions, base types, foreign servers and
/// foreign tables the superuser owns (outside extensions) to the loading
/// role, as they would belong to `postgres`
/// where it deploys: later statements of the files (comments, grants, user
/// mappings) are then its owner's, as written. One column, `statement`.
fn hand_over_query() -> String {
    let not_in_extension = |class: &str, oid: &str| {
        format!(
            "NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = '{class}'::regclass AND d.objid = {oid} AND d.deptype = 'e')"
        )
    };
    format!(
        "SELECT format('ALTER ROUTINE %s OWNER TO {LOADER}', p.oid::regprocedure) AS statement
FROM pg_catalog.pg_proc p
WHERE p.proowner = '{SUPERUSER}'::regrole AND p.oid >= 16384 AND {proc}
UNION ALL
SELECT format('ALTER TYPE %s OWNER TO {LOADER}', t.oid::regtype) FROM pg_catalog.pg_type t
WHERE t.typowner = '{SUPERUSER}'::regrole AND t.oid >= 16384
  AND t.typtype IN ('b', 'p') AND t.typcategory <> 'A' AND {types}
UNION ALL
SELECT format('ALTER SERVER %I OWNER TO {LOADER}', s.srvname) FROM pg_catalog.pg_foreign_server s
WHERE s.srvowner = '{SUPERUSER}'::regrole AND {server}
UNION ALL
SELECT format('ALTER FOREIGN TABLE %s OWNER TO {LOADER}', c.oid::regclass) FROM pg_catalog.pg_class c
WHERE c.relkind = 'f' AND c.relowner = '{SUPERUSER}'::regrole AND {class}",
        proc = not_in_extension("pg_catalog.pg_proc", "p.oid"),
        types = not_in_extension("pg_catalog.pg_type", "t.oid"),
        server = not_in_extension("pg_catalog.pg_foreign_server", "s.oid"),
        class = not_in_extension("pg_catalog.pg_class", "c.oid"),
    )
}

/// [`hand_over_query`]'s statements run in a `DO` block, for a script.
pub fn hand_over_sql() -> String {
    format!(
        "DO $gen$ DECLARE r record; BEGIN\n    FOR r IN {} LOOP\n        EXECUTE r.statement;\n    END LOOP;\nEND $gen$",
        hand_over_query()
    )
}

/// SQL that gives back, in a sealed sandbox's database, the handlers the
/// sandbox took from untrusted languages and foreign-data wrappers while
/// loading: for a database that is then read as a live one (tests of
/// adopting a database), never for one gen goes on running statements in.
/// Run it as the sandbox's superuser.
pub fn restore_handlers_sql() -> String {
    format!(
        "WITH {}, \
         wrappers AS ( \
             UPDATE pg_catalog.pg_foreign_data_wrapper w SET fdwhandler = t.handler FROM taken t \
             WHERE t.setting = '{WRAPPER_HANDLERS}' AND w.oid = t.object RETURNING 1) \
         UPDATE pg_catalog.pg_language l SET lanplcallfoid = t.handler FROM taken t \
         WHERE t.setting = '{LANGUAGE_HANDLERS}' AND l.oid = t.object",
        taken_handlers()
    )
}

/// `taken AS (…)`: the handlers a sealed sandbox took while loading the
/// current database, as `(setting, object oid, handler oid)` rows from
/// its settings [`WRAPPER_HANDLERS`] and [`LANGUAGE_HANDLERS`].
fn taken_handlers() -> String {
    format!(
        "taken AS ( \
             SELECT split_part(c.entry, '=', 1) AS setting, \
                    split_part(item, '=', 1)::oid AS object, split_part(item, '=', 2)::oid AS handler \
             FROM pg_catalog.pg_db_role_setting s, unnest(s.setconfig) AS c(entry), \
                  unnest(string_to_array(substr(c.entry, strpos(c.entry, '=') + 1), ',')) AS item \
             WHERE s.setrole = 0 AND split_part(c.entry, '=', 1) IN ('{WRAPPER_HANDLERS}', '{LANGUAGE_HANDLERS}') \
               AND s.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))"
    )
}

/// The catalog read in a sealed sandbox's database as the files mean it:
/// what the sandbox's superuser owns reads as owned by the loading role
/// (it made what only a superuser may, such as an event trigger or a
/// publication for all tables, which on the target belongs to the role
/// that deploys, `postgres` as the loading role stands for it; a grant to
/// that role of such an object is then its owner's own privilege, implicit
/// as any owner's); and a foreign-data wrapper or an untrusted language has the handler the sandbox
/// took from it while loading. `client` is connected to that database, as
/// after [`gen_catalog::introspect`].
pub async fn as_loaded(client: &Client, catalog: &mut gen_model::Catalog) {
    let loader = gen_model::Grantee::Role(LOADER.to_owned());
    for (id, owner) in &mut catalog.owners {
        if owner != SUPERUSER {
            continue;
        }
        LOADER.clone_into(owner);
        if let Some(acl) = catalog.privileges.get_mut(id) {
            acl.grants.retain(|g| g.grantee != loader);
            acl.initial.retain(|g| g.grantee != loader);
        }
    }
    catalog
        .privileges
        .retain(|_, acl| !acl.grants.is_empty() || !acl.initial.is_empty());
    // Best effort: without the settings there is nothing to put back.
    let Ok(rows) = client
        .query(
            &format!(
                "WITH {} \
                 SELECT t.setting, coalesce(w.fdwname, l.lanname)::text, t.handler::regproc::text \
                 FROM taken t \
                 LEFT JOIN pg_catalog.pg_foreign_data_wrapper w \
                      ON t.setting = '{WRAPPER_HANDLERS}' AND w.oid = t.object \
                 LEFT JOIN pg_catalog.pg_language l \
                      ON t.setting = '{LANGUAGE_HANDLERS}' AND l.oid = t.object \
                 WHERE coalesce(w.fdwname, l.lanname) IS NOT NULL",
                taken_handlers()
            ),
            &[],
        )
        .await
    else {
        return;
    };
    for row in rows {
        let (setting, name, handler): (String, String, String) =
            (row.get(0), row.get(1), row.get(2));
        if setting == WRAPPER_HANDLERS {
            if let Some(w) = catalog.foreign_data_wrappers.get_mut(&name) {
                w.handler = Some(handler);
            }
        } else if let Some(l) = catalog.languages.get_mut(&name) {
            l.handler = handler;
        }
    }
}
