//! Functions and triggers.

use gen_model::{Function, QualifiedName, RoutineKind, Trigger, TriggerEnabled};

/// A function `name(v integer)` returning `result`, its definition as
/// `pg_get_functiondef` prints it, with `body` between the dollar quotes.
pub fn function(name: QualifiedName, language: &str, result: &str, body: &str) -> Function {
    Function {
        definition: format!(
            "CREATE OR REPLACE FUNCTION {name}(v integer)\n RETURNS {result}\n LANGUAGE {language}\nAS $function${body}$function$"
        ),
        name,
        args: "integer".to_owned(),
        kind: RoutineKind::Function,
        language: language.to_owned(),
        sql_body: false,
        security_definer: false,
        result: Some(result.to_owned()),
        signature: "i v integer".to_owned(),
        defaults: 0,
        comment: None,
    }
}

/// A procedure `name(v integer)`, its definition as `pg_get_functiondef`
/// prints it but for the argument's mode (`IN`): no `RETURNS` clause.
pub fn procedure(name: QualifiedName, language: &str, body: &str) -> Function {
    Function {
        definition: format!(
            "CREATE OR REPLACE PROCEDURE {name}(v integer)\n LANGUAGE {language}\nAS $procedure${body}$procedure$"
        ),
        kind: RoutineKind::Procedure,
        result: None,
        ..function(name, language, "void", body)
    }
}

/// An enabled trigger, `definition` as `pg_get_triggerdef` prints it; a
/// constraint trigger when it says so.
pub fn trigger(table: QualifiedName, name: &str, definition: &str) -> Trigger {
    Trigger {
        table,
        name: name.to_owned(),
        definition: definition.to_owned(),
        constraint: definition.starts_with("CREATE CONSTRAINT"),
        enabled: TriggerEnabled::Origin,
        comment: None,
    }
}
