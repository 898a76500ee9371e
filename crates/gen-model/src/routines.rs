//! Routines (functions, procedures, aggregates), triggers and event triggers.

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// How routines are keyed in a catalog: schema-qualified name plus the
/// identity argument types, since overloads are distinct objects.
pub type RoutineKey = (QualifiedName, String);

/// What `CREATE FUNCTION` or `CREATE PROCEDURE` made, from `pg_proc.prokind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    /// A plain function (`prokind = 'f'`).
    Function,
    /// A procedure (`prokind = 'p'`).
    Procedure,
    /// A window function (`prokind = 'w'`).
    Window,
}

/// `CREATE [OR REPLACE] FUNCTION` or `PROCEDURE name(args) …`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Qualified routine name.
    pub name: QualifiedName,
    /// Identity argument types, as `format_type()` writes them, joined by
    /// `, `: `integer, text[]`. What `DROP FUNCTION name(…)` takes.
    pub args: String,
    /// Function, procedure or window function.
    pub kind: RoutineKind,
    /// Implementation language: `sql`, `plpgsql`, …
    pub language: String,
    /// Whether the body is SQL-standard (`BEGIN ATOMIC … END` or `RETURN …`),
    /// parsed at creation, with dependencies on what it references.
    pub sql_body: bool,
    /// `SECURITY DEFINER`: runs with its owner's privileges.
    pub security_definer: bool,
    /// Full definition as `pg_get_functiondef()` writes it: a complete
    /// `CREATE OR REPLACE …` statement without the final semicolon.
    pub definition: String,
    /// `pg_get_function_result()`: `integer`, `SETOF app.t`, `TABLE(…)`,
    /// none for procedures.
    pub result: Option<String>,
    /// Every argument as mode, name and type, defaults left out: what must
    /// stay the same for `CREATE OR REPLACE` to be accepted.
    pub signature: String,
    /// How many arguments have defaults (`pronargdefaults`).
    pub defaults: i16,
    /// `COMMENT ON FUNCTION` / `PROCEDURE`.
    pub comment: Option<String>,
}

impl Function {
    /// The routine's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Function {
            name: self.name.clone(),
            args: self.args.clone(),
        }
    }

    /// Whether `CREATE OR REPLACE` can turn `self` into `new`: the server
    /// refuses a new return type, other argument names or modes (which
    /// change the row type of OUT arguments too), removed defaults, or a
    /// function becoming a procedure.
    pub fn replaceable_by(&self, new: &Function) -> bool {
        self.kind == new.kind
            && self.result == new.result
            && self.signature == new.signature
            && new.defaults >= self.defaults
    }
}

/// `CREATE AGGREGATE name(args) (SFUNC = …, STYPE = …, …)`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    /// Qualified aggregate name.
    pub name: QualifiedName,
    /// Identity arguments as `pg_get_function_identity_arguments()` writes
    /// them, `ORDER BY` of ordered-set aggregates included; empty for `(*)`.
    pub args: String,
    /// The complete `CREATE AGGREGATE` statement, built from `pg_aggregate`,
    /// without the final semicolon.
    pub definition: String,
    /// `COMMENT ON AGGREGATE`.
    pub comment: Option<String>,
}

impl Aggregate {
    /// The aggregate's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Aggregate {
            name: self.name.clone(),
            args: self.args.clone(),
        }
    }
}

/// When a trigger fires, from `tgenabled` / `evtenabled`, as set by
/// `ALTER TABLE … ENABLE/DISABLE [REPLICA | ALWAYS] TRIGGER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEnabled {
    /// Fires in `origin` and `local` replication roles (the default, `O`).
    Origin,
    /// Never fires (`D`).
    Disabled,
    /// Fires only in the `replica` role (`R`).
    Replica,
    /// Fires in every role (`A`).
    Always,
}

impl TriggerEnabled {
    /// From the one-letter catalog code.
    pub fn from_code(code: &str) -> Self {
        match code {
            "D" => TriggerEnabled::Disabled,
            "R" => TriggerEnabled::Replica,
            "A" => TriggerEnabled::Always,
            _ => TriggerEnabled::Origin,
        }
    }

    /// The one-letter catalog code.
    pub fn code(self) -> &'static str {
        match self {
            TriggerEnabled::Origin => "O",
            TriggerEnabled::Disabled => "D",
            TriggerEnabled::Replica => "R",
            TriggerEnabled::Always => "A",
        }
    }

    /// The words after `ALTER TABLE t` or `ALTER EVENT TRIGGER e`:
    /// `ENABLE`, `DISABLE`, `ENABLE REPLICA`, `ENABLE ALWAYS`.
    pub fn keywords(self) -> &'static str {
        match self {
            TriggerEnabled::Origin => "ENABLE",
            TriggerEnabled::Disabled => "DISABLE",
            TriggerEnabled::Replica => "ENABLE REPLICA",
            TriggerEnabled::Always => "ENABLE ALWAYS",
        }
    }
}

/// `CREATE [CONSTRAINT] TRIGGER name … ON table …`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// The table (or view) the trigger is on.
    pub table: QualifiedName,
    /// Raw trigger name.
    pub name: String,
    /// Definition as `pg_get_triggerdef()` writes it.
    pub definition: String,
    /// A constraint trigger, which `CREATE OR REPLACE` cannot replace.
    pub constraint: bool,
    /// When it fires.
    pub enabled: TriggerEnabled,
    /// `COMMENT ON TRIGGER`.
    pub comment: Option<String>,
}

impl Trigger {
    /// The trigger's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::Trigger {
            table: self.table.clone(),
            name: self.name.clone(),
        }
    }
}

/// `CREATE EVENT TRIGGER name ON event [WHEN TAG IN (…)] EXECUTE FUNCTION f()`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTrigger {
    /// Raw event trigger name (not schema-qualified).
    pub name: String,
    /// `ddl_command_start`, `ddl_command_end`, `sql_drop`, `table_rewrite`.
    pub event: String,
    /// Command tags of `WHEN TAG IN`, as stored (upper case); empty for all.
    pub tags: Vec<String>,
    /// The function, schema-qualified and quoted as `regproc` prints it.
    pub function: String,
    /// When it fires.
    pub enabled: TriggerEnabled,
    /// `COMMENT ON EVENT TRIGGER`.
    pub comment: Option<String>,
}

impl EventTrigger {
    /// The event trigger's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::EventTrigger {
            name: self.name.clone(),
        }
    }
}

/// An identity of the routines family (functions and procedures,
/// aggregates, triggers, event triggers), seen on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutineObject<'a> {
    /// A function or procedure.
    Function {
        /// Routine name.
        name: &'a QualifiedName,
        /// Identity arguments.
        args: &'a str,
    },
    /// An aggregate.
    Aggregate {
        /// Aggregate name.
        name: &'a QualifiedName,
        /// Identity arguments.
        args: &'a str,
    },
    /// A trigger on a table or view.
    Trigger {
        /// The table or view.
        table: &'a QualifiedName,
        /// Trigger name.
        name: &'a str,
    },
    /// An event trigger.
    EventTrigger {
        /// Event trigger name.
        name: &'a str,
    },
}

impl ObjectId {
    /// The identity as one of the routines family, if it is one.
    pub fn as_routine(&self) -> Option<RoutineObject<'_>> {
        Some(match self {
            ObjectId::Function { name, args } => RoutineObject::Function { name, args },
            ObjectId::Aggregate { name, args } => RoutineObject::Aggregate { name, args },
            ObjectId::Trigger { table, name } => RoutineObject::Trigger { table, name },
            ObjectId::EventTrigger { name } => RoutineObject::EventTrigger { name },
            _ => return None,
        })
    }
}
