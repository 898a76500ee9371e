//! Who runs a statement in a sealed sandbox.
//!
//! Schema files are untrusted: a sandbox gen runs itself loads them as a
//! role without superuser, so that `COPY … TO PROGRAM`, file functions and
//! connections to other servers fail as they would for any ordinary role.
//! A few statements a schema legitimately holds need a superuser: those
//! are recognised here from the parse tree, one statement at a time, and
//! only kinds that run none of the schema's own code at that moment (an
//! extension's script is the server's, not the file's) are let through.

use pg_query::NodeEnum;
use pg_query::protobuf::{self, ObjectType};

use crate::analyze::{def_elems, list_strings, strings};

/// Who runs a statement in a sealed sandbox.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum RunAs {
    /// The unprivileged loading role: almost everything.
    #[default]
    Loader,
    /// The sandbox's superuser, for this statement alone: `CREATE
    /// EXTENSION`, event triggers, functions in untrusted languages,
    /// foreign-data wrappers, publications, casts, operator classes…
    Superuser {
        /// What the sandbox does right after it.
        then: Then,
    },
    /// The superuser, once every other statement has run: `ALTER … OWNER
    /// TO` (the new owner needs `CREATE` on the schema, which only a
    /// superuser may skip; the loading role is a member of every role, so
    /// nothing before needs the new owner in place) and `ALTER EVENT
    /// TRIGGER` (which could make an event trigger fire for the
    /// superuser's own statements).
    Deferred,
    /// Not run: role attributes and memberships are no part of a plan, and
    /// roles are cluster-wide, so the sandbox makes the roles the files
    /// name (`CREATE ROLE`, `ALTER ROLE`, `GRANT role TO role`, comments on
    /// roles and databases, grants on the database).
    Skipped,
    /// Refused, with the reason: it would reach beyond the database being
    /// described (`ALTER SYSTEM`, `CREATE DATABASE`, `LOAD`, tablespaces…).
    Refused(&'static str),
}

/// What follows a statement a superuser runs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Nothing: it makes nothing that holds code.
    #[default]
    Nothing,
    /// Give what it made (a function or aggregate, a base type, a foreign
    /// server or table) to the loading role, which may own it.
    HandOver,
    /// Take the handlers of the untrusted languages and foreign-data
    /// wrappers it may have made (an extension, a language, a wrapper).
    Disarm,
}

/// Procedural languages a role without superuser may write functions in.
const TRUSTED_LANGUAGES: [&str; 8] = [
    "sql", "plpgsql", "plperl", "pltcl", "plv8", "java", "plrust", "pllua",
];

/// Settings only a superuser may set that limit or log a session's own
/// work: a function may carry one (`SET temp_file_limit = '1kB'`).
const LIMITS: [&str; 8] = [
    "temp_file_limit",
    "log_min_duration_statement",
    "log_statement",
    "log_min_messages",
    "log_min_error_statement",
    "log_temp_files",
    "deadlock_timeout",
    "track_functions",
];

/// Object kinds only a superuser creates: statements about them (comments,
/// grants, owners, renames, drops) run as the superuser too.
fn superusers_kind(kind: i32) -> bool {
    use ObjectType as O;
    matches!(
        ObjectType::try_from(kind),
        Ok(O::ObjectExtension
            | O::ObjectEventTrigger
            | O::ObjectFdw
            | O::ObjectLanguage
            | O::ObjectPublication
            | O::ObjectPublicationNamespace
            | O::ObjectPublicationRel
            | O::ObjectSubscription
            | O::ObjectOpclass
            | O::ObjectOpfamily
            | O::ObjectAmop
            | O::ObjectAmproc
            | O::ObjectAccessMethod
            | O::ObjectTsparser
            | O::ObjectTstemplate
            | O::ObjectCast
            | O::ObjectTransform
            | O::ObjectForeignTable)
    )
}

/// Cluster-wide objects: the sandbox's, never a schema file's.
fn shared_kind(kind: i32) -> bool {
    matches!(
        ObjectType::try_from(kind),
        Ok(ObjectType::ObjectRole
            | ObjectType::ObjectDatabase
            | ObjectType::ObjectTablespace
            | ObjectType::ObjectParameterAcl)
    )
}

const DATABASE: &str = "the sandbox's databases are its own: a schema file describes the contents of one database (session settings go in [load] in gen.toml)";
const TABLESPACE: &str =
    "a tablespace is a directory on the database server: create it there, outside the schema files";

/// Who runs `node` in a sealed sandbox.
pub(crate) fn run_as(node: &NodeEnum) -> RunAs {
    match node {
        NodeEnum::AlterSystemStmt(_) => {
            RunAs::Refused("ALTER SYSTEM changes the server's configuration, not a schema")
        }
        NodeEnum::CreatedbStmt(_)
        | NodeEnum::DropdbStmt(_)
        | NodeEnum::AlterDatabaseStmt(_)
        | NodeEnum::AlterDatabaseSetStmt(_)
        | NodeEnum::AlterDatabaseRefreshCollStmt(_) => RunAs::Refused(DATABASE),
        NodeEnum::LoadStmt(_) => RunAs::Refused(
            "LOAD loads a library into the server; CREATE EXTENSION does it for a schema",
        ),
        NodeEnum::CreateTableSpaceStmt(_)
        | NodeEnum::DropTableSpaceStmt(_)
        | NodeEnum::AlterTableSpaceOptionsStmt(_)
        | NodeEnum::AlterTableMoveAllStmt(_) => RunAs::Refused(TABLESPACE),
        NodeEnum::ImportForeignSchemaStmt(_) => RunAs::Refused(
            "IMPORT FOREIGN SCHEMA reads another server; write the foreign tables out instead",
        ),
        NodeEnum::VariableSetStmt(s) if s.name.eq_ignore_ascii_case("session_authorization") => {
            RunAs::Refused(
                "SET SESSION AUTHORIZATION needs a superuser; SET ROLE changes who creates objects",
            )
        }
        NodeEnum::CreateSubscriptionStmt(s) if !does_not_connect(&s.options) => RunAs::Refused(
            "a subscription connects to its publisher when created: write WITH (connect = false)",
        ),
        NodeEnum::AlterSubscriptionStmt(s) => alter_subscription(s),
        // The runner lets go of the slot first, so that the server never
        // reaches for the publisher to drop it.
        NodeEnum::DropSubscriptionStmt(_) => SUPERUSER,

        NodeEnum::CreateRoleStmt(_)
        | NodeEnum::AlterRoleStmt(_)
        | NodeEnum::AlterRoleSetStmt(_)
        | NodeEnum::DropRoleStmt(_)
        | NodeEnum::GrantRoleStmt(_) => RunAs::Skipped,
        NodeEnum::CommentStmt(s) if shared_kind(s.objtype) => RunAs::Skipped,
        NodeEnum::SecLabelStmt(s) if shared_kind(s.objtype) => RunAs::Skipped,
        NodeEnum::GrantStmt(s) if shared_kind(s.objtype) => RunAs::Skipped,
        NodeEnum::RenameStmt(s) if s.rename_type == ObjectType::ObjectRole as i32 => RunAs::Skipped,
        NodeEnum::RenameStmt(s) if shared_kind(s.rename_type) => RunAs::Refused(DATABASE),
        NodeEnum::AlterOwnerStmt(s) if shared_kind(s.object_type) => RunAs::Refused(DATABASE),

        NodeEnum::AlterOwnerStmt(s)
            if s.newowner
                .as_ref()
                .is_some_and(|r| r.rolename == SANDBOX_SUPERUSER) =>
        {
            RunAs::Refused(OWNED_BY_SUPERUSER)
        }
        NodeEnum::AlterTableStmt(s) if only_owner(s) && owner_is_superuser(s) => {
            RunAs::Refused(OWNED_BY_SUPERUSER)
        }
        NodeEnum::AlterEventTrigStmt(_) => RunAs::Deferred,
        NodeEnum::AlterOwnerStmt(_) => RunAs::Deferred,
        NodeEnum::AlterTableStmt(s) if only_owner(s) => RunAs::Deferred,
        NodeEnum::CreateExtensionStmt(_)
        | NodeEnum::AlterExtensionStmt(_)
        | NodeEnum::AlterExtensionContentsStmt(_)
        | NodeEnum::CreatePlangStmt(_)
        | NodeEnum::CreateFdwStmt(_)
        | NodeEnum::AlterFdwStmt(_) => RunAs::Superuser { then: Then::Disarm },
        NodeEnum::CreateForeignServerStmt(_) | NodeEnum::CreateForeignTableStmt(_) => HAND_OVER,
        NodeEnum::CreateEventTrigStmt(_)
        | NodeEnum::CreatePublicationStmt(_)
        | NodeEnum::AlterPublicationStmt(_)
        | NodeEnum::CreateSubscriptionStmt(_)
        | NodeEnum::CreateOpClassStmt(_)
        | NodeEnum::CreateOpFamilyStmt(_)
        | NodeEnum::AlterOpFamilyStmt(_)
        | NodeEnum::CreateAmStmt(_)
        | NodeEnum::CreateCastStmt(_)
        | NodeEnum::CreateTransformStmt(_)
        | NodeEnum::SecLabelStmt(_) => SUPERUSER,
        NodeEnum::DefineStmt(s) => define(s),
        NodeEnum::CreateFunctionStmt(s) => function(s),
        NodeEnum::AlterFunctionStmt(s) if leakproof(&s.actions) => SUPERUSER,
        NodeEnum::CommentStmt(s) if superusers_kind(s.objtype) => SUPERUSER,
        NodeEnum::GrantStmt(s) if superusers_kind(s.objtype) => SUPERUSER,
        NodeEnum::RenameStmt(s) if superusers_kind(s.rename_type) => SUPERUSER,
        NodeEnum::AlterObjectSchemaStmt(s) if superusers_kind(s.object_type) => SUPERUSER,
        NodeEnum::DropStmt(s) if superusers_kind(s.remove_type) => SUPERUSER,
        // `ALTER FOREIGN TABLE … OPTIONS (filename …)` is a superuser's.
        NodeEnum::AlterTableStmt(s) if s.objtype == ObjectType::ObjectForeignTable as i32 => {
            SUPERUSER
        }
        _ => RunAs::Loader,
    }
}

/// `LEAKPROOF` among a function's options.
fn leakproof(options: &[protobuf::Node]) -> bool {
    option(options, "leakproof").as_deref() == Some("true")
}

/// The sandbox's own superuser (gen-sandbox's `SUPERUSER`).
const SANDBOX_SUPERUSER: &str = "gen_sandbox";

const OWNED_BY_SUPERUSER: &str =
    "the sandbox's superuser owns nothing of a schema's: what it owned would run with its rights";

/// `ALTER TABLE … OWNER TO` the sandbox's superuser.
fn owner_is_superuser(s: &protobuf::AlterTableStmt) -> bool {
    s.cmds.iter().any(|c| {
        matches!(&c.node, Some(NodeEnum::AlterTableCmd(cmd))
            if cmd.newowner.as_ref().is_some_and(|r| r.rolename == SANDBOX_SUPERUSER))
    })
}

/// The functions a foreign-data wrapper or a language statement names as
/// its handler, validator or inline handler, each as written (qualified or
/// not): the server calls them as the superuser that runs the statement
/// (a validator as soon as options are given), so they must be machine
/// code an extension brought, never a function a schema file wrote.
pub(crate) fn called_functions(node: &NodeEnum) -> Vec<Vec<String>> {
    let from_options = |options: &[protobuf::Node]| -> Vec<Vec<String>> {
        def_elems(options)
            .filter(|(name, _)| matches!(*name, "handler" | "validator"))
            .filter_map(|(_, arg)| arg.map(list_strings))
            .filter(|n| !n.is_empty())
            .collect()
    };
    match node {
        NodeEnum::CreateFdwStmt(s) => from_options(&s.func_options),
        NodeEnum::AlterFdwStmt(s) => from_options(&s.func_options),
        NodeEnum::CreatePlangStmt(s) => [&s.plhandler, &s.plinline, &s.plvalidator]
            .into_iter()
            .map(|n| strings(n))
            .filter(|n| !n.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// A superuser's statement that makes nothing holding code.
const SUPERUSER: RunAs = RunAs::Superuser {
    then: Then::Nothing,
};

/// A superuser's statement whose object goes to the loading role.
const HAND_OVER: RunAs = RunAs::Superuser {
    then: Then::HandOver,
};

/// `ALTER TABLE … OWNER TO …` and nothing else.
fn only_owner(s: &protobuf::AlterTableStmt) -> bool {
    !s.cmds.is_empty()
        && s.cmds.iter().all(|c| {
            matches!(&c.node, Some(NodeEnum::AlterTableCmd(cmd))
                if cmd.subtype == protobuf::AlterTableType::AtChangeOwner as i32)
        })
}

/// `ALTER SUBSCRIPTION`: as the superuser that owns every subscription
/// in the sandbox, unless it would reach the publisher: enabling starts a
/// worker that connects, refreshing asks the publisher for its tables, and
/// `failover` or `two_phase` with a slot alter the slot there.
fn alter_subscription(s: &protobuf::AlterSubscriptionStmt) -> RunAs {
    use protobuf::AlterSubscriptionType as T;
    let refuse = RunAs::Refused(
        "this subscription change reaches the publisher: the sandbox holds subscriptions disabled, without refreshing or enabling them",
    );
    match T::try_from(s.kind) {
        Ok(T::AlterSubscriptionConnection) => SUPERUSER,
        Ok(T::AlterSubscriptionOptions)
            if option(&s.options, "failover").is_none()
                && option(&s.options, "two_phase").is_none() =>
        {
            SUPERUSER
        }
        Ok(
            T::AlterSubscriptionSetPublication
            | T::AlterSubscriptionAddPublication
            | T::AlterSubscriptionDropPublication,
        ) if matches!(
            option(&s.options, "refresh").as_deref(),
            Some("false" | "off" | "0")
        ) =>
        {
            SUPERUSER
        }
        Ok(T::AlterSubscriptionEnabled)
            if matches!(
                option(&s.options, "enabled").as_deref(),
                Some("false" | "off" | "0")
            ) =>
        {
            SUPERUSER
        }
        _ => refuse,
    }
}

/// `WITH (connect = false)`: a subscription created without reaching its
/// publisher.
fn does_not_connect(options: &[protobuf::Node]) -> bool {
    matches!(
        option(options, "connect").as_deref(),
        Some("false" | "off" | "0")
    )
}

/// The value of option `name` among `options`, as text (see [`value`]).
fn option(options: &[protobuf::Node], name: &str) -> Option<String> {
    def_elems(options)
        .find(|(n, _)| *n == name)
        .and_then(|(_, arg)| value(arg?))
}

/// An option's value as text: `false`, `'plpgsql'`, `c`.
fn value(arg: &NodeEnum) -> Option<String> {
    match arg {
        NodeEnum::String(s) => Some(s.sval.to_ascii_lowercase()),
        NodeEnum::Boolean(b) => Some(b.boolval.to_string()),
        NodeEnum::Integer(i) => Some(i.ival.to_string()),
        NodeEnum::AConst(c) => match &c.val {
            Some(protobuf::a_const::Val::Sval(s)) => Some(s.sval.to_ascii_lowercase()),
            Some(protobuf::a_const::Val::Boolval(b)) => Some(b.boolval.to_string()),
            Some(protobuf::a_const::Val::Ival(i)) => Some(i.ival.to_string()),
            _ => None,
        },
        NodeEnum::TypeName(t) => strings(&t.names).last().map(|n| n.to_ascii_lowercase()),
        _ => None,
    }
}

/// Base types (`CREATE TYPE t (INPUT = …)`), text search parsers and
/// templates, and aggregates whose state is `internal` are a superuser's;
/// other definitions (aggregates, operators, collations, dictionaries)
/// anyone's.
fn define(s: &protobuf::DefineStmt) -> RunAs {
    let internal_state = || {
        ["stype", "mstype"]
            .iter()
            .any(|o| option(&s.definition, o).as_deref() == Some("internal"))
    };
    match ObjectType::try_from(s.kind) {
        Ok(ObjectType::ObjectTsparser | ObjectType::ObjectTstemplate) => SUPERUSER,
        // Made by the superuser, then given to the loading role.
        Ok(ObjectType::ObjectType) if !s.definition.is_empty() => HAND_OVER,
        Ok(ObjectType::ObjectAggregate) if internal_state() => HAND_OVER,
        _ => RunAs::Loader,
    }
}

/// A function in a trusted language is anyone's; one in an untrusted
/// procedural language is created by the superuser and never runs in the
/// sandbox; C and `internal` run the server's own machine code, which a
/// schema file may only bring through an extension.
fn function(s: &protobuf::CreateFunctionStmt) -> RunAs {
    let language = option(&s.options, "language").unwrap_or_else(|| "sql".to_owned());
    // LEAKPROOF is a superuser's promise; the function is then given to
    // the loading role.
    let leakproof = leakproof(&s.options);
    // `SET temp_file_limit = …` on a function is checked when it is
    // created: settings only a superuser may set, but which give no power
    // over the server, make it the superuser's to create.
    let limits = def_elems(&s.options).any(|(name, arg)| match arg {
        Some(NodeEnum::VariableSetStmt(v)) if name == "set" => {
            LIMITS.contains(&v.name.to_ascii_lowercase().as_str())
        }
        _ => false,
    });
    match language.as_str() {
        "c" | "internal" => RunAs::Refused(
            "a function in C or internal runs the server's own machine code: only an extension can bring one into the sandbox",
        ),
        l if TRUSTED_LANGUAGES.contains(&l) && !leakproof && !limits => RunAs::Loader,
        _ => HAND_OVER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(sql: &str) -> RunAs {
        let parsed = pg_query::parse(sql, 0).expect("parses");
        let node = parsed.protobuf.stmts[0]
            .stmt
            .as_ref()
            .and_then(|s| s.node.as_ref())
            .expect("a statement")
            .clone();
        run_as(&node)
    }

    #[test]
    fn ordinary_schema_runs_as_the_loader() {
        for sql in [
            "CREATE TABLE t (id int)",
            "ALTER TABLE t ADD COLUMN a int, OWNER TO app",
            "GRANT SELECT ON t TO app",
            "COMMENT ON TABLE t IS 'x'",
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS 'begin return 1; end'",
            "CREATE FUNCTION f() RETURNS int AS 'select 1'",
            "CREATE AGGREGATE a (int) (sfunc = int4pl, stype = int)",
            "CREATE TYPE mood AS ENUM ('a')",
            "CREATE TYPE shell",
            "CREATE USER MAPPING FOR app SERVER s",
            "DO $$ BEGIN END $$",
            "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app",
        ] {
            assert_eq!(of(sql), RunAs::Loader, "{sql}");
        }
    }

    #[test]
    fn what_needs_a_superuser_is_recognised() {
        for sql in [
            "CREATE EXTENSION postgis",
            "COMMENT ON EXTENSION pgcrypto IS 'x'",
            "CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f()",
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS 'return 1'",
            "CREATE FOREIGN DATA WRAPPER w",
            "CREATE SERVER s FOREIGN DATA WRAPPER w",
            "GRANT USAGE ON FOREIGN DATA WRAPPER w TO app",
            "CREATE FOREIGN TABLE f (a int) SERVER s OPTIONS (filename '/x')",
            "ALTER FOREIGN TABLE f OPTIONS (SET filename '/y')",
            "CREATE PUBLICATION p FOR ALL TABLES",
            "CREATE CAST (text AS int) WITHOUT FUNCTION",
            "CREATE OPERATOR CLASS c FOR TYPE int USING btree AS OPERATOR 1 <",
            "CREATE TYPE base (INPUT = base_in, OUTPUT = base_out)",
            "CREATE AGGREGATE a (int) (sfunc = f, stype = internal, finalfunc = g)",
            "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql LEAKPROOF AS 'select 1'",
            "ALTER FUNCTION f(int) LEAKPROOF",
            "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql SET temp_file_limit TO '1kB' AS 'select 1'",
            "CREATE TEXT SEARCH PARSER p (START = a, GETTOKEN = b, END = c, LEXTYPES = d)",
            "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (connect = false)",
            "ALTER SUBSCRIPTION s DISABLE",
            "ALTER SUBSCRIPTION s CONNECTION 'host=y'",
            "ALTER SUBSCRIPTION s SET (slot_name = NONE, binary = true)",
            "ALTER SUBSCRIPTION s SET PUBLICATION p, q WITH (refresh = false)",
            "DROP SUBSCRIPTION s",
            "SECURITY LABEL ON TABLE t IS 'x'",
        ] {
            assert!(matches!(of(sql), RunAs::Superuser { .. }), "{sql}");
        }
        for sql in [
            "ALTER EVENT TRIGGER e ENABLE ALWAYS",
            "ALTER TABLE t OWNER TO app",
            "ALTER FUNCTION f() OWNER TO app",
            "ALTER SCHEMA s OWNER TO app",
        ] {
            assert_eq!(of(sql), RunAs::Deferred, "{sql}");
        }
        assert_eq!(
            of("CREATE FUNCTION f() RETURNS int LANGUAGE plperlu AS '1'"),
            HAND_OVER
        );
        assert_eq!(of("COMMENT ON EXTENSION pgcrypto IS 'x'"), SUPERUSER);
    }

    #[test]
    fn roles_are_the_sandboxs() {
        for sql in [
            "CREATE ROLE app LOGIN",
            "ALTER ROLE postgres NOSUPERUSER",
            "ALTER ROLE app SET search_path = x",
            "GRANT app TO other",
            "DROP ROLE app",
            "COMMENT ON ROLE app IS 'x'",
            "COMMENT ON DATABASE d IS 'x'",
            "GRANT CONNECT ON DATABASE d TO app",
            "ALTER ROLE app RENAME TO b",
        ] {
            assert_eq!(of(sql), RunAs::Skipped, "{sql}");
        }
    }

    #[test]
    fn what_reaches_beyond_the_database_is_refused() {
        for sql in [
            "ALTER SYSTEM SET archive_command = 'x'",
            "CREATE DATABASE d",
            "DROP DATABASE d",
            "ALTER DATABASE d SET search_path = x",
            "ALTER DATABASE d OWNER TO x",
            "LOAD 'auto_explain'",
            "CREATE TABLESPACE t LOCATION '/tmp'",
            "CREATE FUNCTION f() RETURNS int LANGUAGE c AS '$libdir/dblink', 'dblink_connect_u'",
            "CREATE FUNCTION f(text) RETURNS text LANGUAGE internal AS 'pg_read_file_v2'",
            "IMPORT FOREIGN SCHEMA s FROM SERVER x INTO y",
            "SET SESSION AUTHORIZATION app",
            "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p",
            "ALTER SUBSCRIPTION s REFRESH PUBLICATION",
            "ALTER SUBSCRIPTION s ENABLE",
            "ALTER SUBSCRIPTION s SET PUBLICATION p",
            "ALTER SUBSCRIPTION s ADD PUBLICATION q WITH (refresh = true)",
            "ALTER SUBSCRIPTION s SET (failover = true)",
            "ALTER SUBSCRIPTION s SKIP (lsn = '0/1')",
            "ALTER FUNCTION f() OWNER TO gen_sandbox",
            "ALTER TABLE t OWNER TO gen_sandbox",
        ] {
            assert!(matches!(of(sql), RunAs::Refused(_)), "{sql}: {:?}", of(sql));
        }
    }
}
