//! SQL for each change. Names go through `Ident`/`QualifiedName` display,
//! definitions come verbatim from the server's `pg_get_*def` functions.

pub(crate) mod types;

use std::fmt::Write as _;

use gen_diff::{Change, ColumnAction, Conversion, FieldCast, RowField};
use gen_model::{Column, Ident, Identity, Literal, ObjectId, SequenceOptions, Table, View};

/// The statement (or statements) for one change, each ending in `;`.
pub(crate) fn render(change: &Change) -> String {
    crate::change::kind(change).sql()
}

/// Narrowing a sequence's range fails while its current value lies outside
/// the new range. Moving the value up to a raised MINVALUE (or down to a
/// lowered MAXVALUE of a descending sequence) follows the direction the
/// sequence counts in, so no value is handed out twice. Against it (a
/// lowered MAXVALUE of an ascending sequence), only a sequence that never
/// handed out a value moves, to its new start: one that did fails with the
/// server's message, since its values already lie beyond the new range.
pub(crate) fn bound_catch_up(
    name: &gen_model::QualifiedName,
    from: &SequenceOptions,
    to: &SequenceOptions,
) -> Option<String> {
    let literal = Literal(&name.to_string()).to_string();
    if against_its_direction(from, to) {
        return Some(format!(
            "SELECT pg_catalog.setval({literal}, {start}, false) FROM {name} WHERE NOT is_called AND last_value = {old_start};",
            old_start = from.start,
            start = to.start
        ));
    }
    if to.increment > 0 && to.min_value > from.min_value {
        Some(format!(
            "SELECT pg_catalog.setval({literal}, {min}, false) FROM {name} WHERE last_value < {min};",
            min = to.min_value
        ))
    } else if to.increment < 0 && to.max_value < from.max_value {
        Some(format!(
            "SELECT pg_catalog.setval({literal}, {max}, false) FROM {name} WHERE last_value > {max};",
            max = to.max_value
        ))
    } else {
        None
    }
}

/// Whether the range narrows on the side a sequence counts towards: a
/// lowered MAXVALUE of an ascending one, a raised MINVALUE of a descending
/// one.
/// Whether the new range ends before the old start on the side the
/// sequence counts towards (a lowered MAXVALUE of an ascending sequence,
/// a raised MINVALUE of a descending one), so that a sequence never used,
/// whose current value is its start, would fall outside it; and the new
/// start lies in the old range, where the sequence can be set to it
/// before the range changes.
fn against_its_direction(from: &SequenceOptions, to: &SequenceOptions) -> bool {
    let outside = (to.increment > 0 && from.start > to.max_value)
        || (to.increment < 0 && from.start < to.min_value);
    outside && (from.min_value..=from.max_value).contains(&to.start)
}

/// [`bound_catch_up`] for an identity column's sequence, found by its
/// column: a sequence that never handed out a value moves to its new
/// start where the new range narrows against its direction.
pub(crate) fn identity_catch_up(
    table: &gen_model::QualifiedName,
    column: &str,
    from: &SequenceOptions,
    to: &SequenceOptions,
) -> Option<String> {
    against_its_direction(from, to).then(|| {
        format!(
            "SELECT pg_catalog.setval(s, {start}, false) FROM pg_catalog.pg_get_serial_sequence({}, {}) AS s WHERE pg_catalog.pg_sequence_last_value(s::pg_catalog.regclass) IS NULL;",
            Literal(&table.to_string()),
            // The column's name as it is, not as an identifier.
            Literal(column),
            start = to.start
        )
    })
}

pub(crate) fn comment_literal(comment: Option<&str>) -> String {
    comment.map_or_else(|| "NULL".to_owned(), |c| Literal(c).to_string())
}

pub(crate) fn comment_target(id: &ObjectId) -> String {
    match id {
        ObjectId::Schema { name } => format!("SCHEMA {}", Ident(name)),
        ObjectId::Extension { name } => format!("EXTENSION {}", Ident(name)),
        ObjectId::Publication { name } => format!("PUBLICATION {}", Ident(name)),
        ObjectId::Cast { source, target } => crate::change::cast::comment_target(source, target),
        ObjectId::Rule { table, name } => crate::change::rule::comment_target(table, name),
        ObjectId::TextSearchConfiguration { name } => {
            format!("TEXT SEARCH CONFIGURATION {name}")
        }
        ObjectId::TextSearchDictionary { name } => format!("TEXT SEARCH DICTIONARY {name}"),
        ObjectId::TextSearchParser { name } => format!("TEXT SEARCH PARSER {name}"),
        ObjectId::TextSearchTemplate { name } => format!("TEXT SEARCH TEMPLATE {name}"),
        ObjectId::ForeignDataWrapper { name } => crate::change::foreign::wrapper_target(name),
        ObjectId::ForeignServer { name } => crate::change::foreign::server_target(name),
        ObjectId::ForeignTable { name } => format!("FOREIGN TABLE {name}"),
        ObjectId::Statistics { name } => format!("STATISTICS {name}"),
        ObjectId::Language { name } => crate::change::language::target(name),
        ObjectId::Conversion { name } => format!("CONVERSION {name}"),
        ObjectId::AccessMethod { name } => crate::change::access_method::target(name),
        ObjectId::Subscription { name } => crate::change::subscription::target(name),
        ObjectId::OperatorFamily { name, method } => format!(
            "OPERATOR FAMILY {}",
            crate::change::operator_class::signature(name, method)
        ),
        ObjectId::OperatorClass { name, method } => format!(
            "OPERATOR CLASS {}",
            crate::change::operator_class::signature(name, method)
        ),
        ObjectId::Operator { name, left, right } => {
            format!(
                "OPERATOR {}",
                crate::change::operator::signature(name, left, right)
            )
        }
        ObjectId::UserMapping { .. } => unreachable!("user mappings have no comment"),
        ObjectId::Sequence { name } | ObjectId::SequenceOwnership { sequence: name } => {
            format!("SEQUENCE {name}")
        }
        ObjectId::Table { name } => format!("TABLE {name}"),
        ObjectId::Index { name } => format!("INDEX {name}"),
        ObjectId::Column { table, column } => format!("COLUMN {table}.{}", Ident(column)),
        ObjectId::Constraint { table, constraint } => {
            format!("CONSTRAINT {} ON {table}", Ident(constraint))
        }
        ObjectId::Function { .. }
        | ObjectId::Aggregate { .. }
        | ObjectId::Trigger { .. }
        | ObjectId::EventTrigger { .. } => crate::routines::comment_target(id),
        ObjectId::View { name } => format!("VIEW {name}"),
        ObjectId::MaterializedView { name } => format!("MATERIALIZED VIEW {name}"),
        ObjectId::Policy { table, name } => format!("POLICY {} ON {table}", Ident(name)),
        ObjectId::DefaultPrivileges { .. } => unreachable!("default privileges have no comment"),
        ObjectId::Inheritance { table, .. } | ObjectId::ReplicaIdentity { table } => {
            format!("TABLE {table}")
        }
        ObjectId::Type { .. }
        | ObjectId::Domain { .. }
        | ObjectId::DomainConstraint { .. }
        | ObjectId::Collation { .. }
        | ObjectId::TypeAttribute { .. } => id
            .as_type_object()
            .map(types::comment_target)
            .unwrap_or_default(),
    }
}

/// The name of a view or materialized view.
pub(crate) fn view_name(id: &ObjectId) -> String {
    if let ObjectId::View { name } | ObjectId::MaterializedView { name } = id {
        name.to_string()
    } else {
        id.to_string()
    }
}

/// `CREATE [OR REPLACE] [MATERIALIZED] VIEW name [WITH (…)] AS query`, the
/// query as `pg_get_viewdef()` prints it.
pub(crate) fn create_view(verb: &str, v: &View) -> String {
    // A query that reads the view itself needs the view first: created
    // with its columns over no rows, then replaced, as pg_dump does.
    let placeholder = if v.reads_itself && verb == "CREATE" {
        let columns: Vec<String> = v
            .columns
            .iter()
            .map(|c| {
                let collation = c
                    .collation
                    .as_ref()
                    .map_or_else(String::new, |c| format!(" COLLATE {c}"));
                format!("NULL::{}{collation} AS {}", c.data_type, Ident(&c.name))
            })
            .collect();
        format!(
            "CREATE VIEW {} AS
 SELECT {};
",
            v.name,
            columns.join(
                ",
    "
            )
        )
    } else {
        String::new()
    };
    let verb = if placeholder.is_empty() {
        verb
    } else {
        "CREATE OR REPLACE"
    };
    let mut sql = placeholder;
    write!(
        sql,
        "{verb} {}VIEW {}",
        if v.materialized { "MATERIALIZED " } else { "" },
        v.name
    )
    .expect("writing to a String");
    storage(
        &mut sql,
        v.access_method.as_deref(),
        &v.options,
        v.tablespace.as_deref(),
    );
    write!(sql, " AS\n{}", v.definition).expect("writing to a String");
    if v.materialized && !v.populated {
        sql.push_str("\nWITH NO DATA");
    }
    sql.push(';');
    sql
}

/// `USING method WITH (options) TABLESPACE t`, each where set, as a
/// table or materialized view is created with them.
fn storage(sql: &mut String, method: Option<&str>, options: &[String], tablespace: Option<&str>) {
    if let Some(method) = method {
        write!(sql, " USING {}", Ident(method)).expect("writing to a String");
    }
    if !options.is_empty() {
        write!(sql, " WITH ({})", options.join(", ")).expect("writing to a String");
    }
    if let Some(tablespace) = tablespace {
        write!(sql, " TABLESPACE {}", Ident(tablespace)).expect("writing to a String");
    }
}

pub(crate) fn create_table(t: &Table) -> String {
    if let Some(of_type) = &t.of_type {
        return create_typed_table(t, of_type);
    }
    let mut lines: Vec<String> = t
        .columns
        .iter()
        .filter(|c| crate::partitions::declares_column(t, c))
        .map(|c| column_definition(&t.name.name, c))
        .collect();
    // A partition takes its parent's not-null constraints under the
    // parent's names; from 18 on, where they have names, it says its own.
    if t.inheritance.partition_of().is_some() {
        for c in &t.columns {
            if let (true, Some(name)) = (c.not_null, &c.not_null_name) {
                lines.push(format!(
                    "{} WITH OPTIONS CONSTRAINT {} NOT NULL",
                    Ident(&c.name),
                    Ident(name)
                ));
            }
        }
    }
    for c in t.constraints.values() {
        if !c.inherited.only_inherited() {
            lines.push(format!("CONSTRAINT {} {}", Ident(&c.name), c.sql()));
        }
    }
    let mut sql = crate::partitions::create_table(t, lines);
    storage(
        &mut sql,
        t.access_method.as_deref(),
        &t.options,
        t.tablespace.as_deref(),
    );
    sql.push(';');
    sql
}

/// `CREATE TABLE name OF type (column WITH OPTIONS …, CONSTRAINT …)`:
/// the columns are the type's, only their options and the table's
/// constraints are written.
fn create_typed_table(t: &Table, of_type: &str) -> String {
    let mut lines = Vec::new();
    for c in &t.columns {
        let mut options = String::new();
        if let Some(default) = &c.default {
            write!(options, " DEFAULT {default}").expect("writing to a String");
        }
        if c.not_null {
            match &c.not_null_name {
                Some(name) if *name != gen_model::default_not_null_name(&t.name.name, &c.name) => {
                    write!(options, " CONSTRAINT {} NOT NULL", Ident(name))
                        .expect("writing to a String");
                }
                _ => options.push_str(" NOT NULL"),
            }
        }
        if !options.is_empty() {
            lines.push(format!("{} WITH OPTIONS{options}", Ident(&c.name)));
        }
    }
    for c in t.constraints.values() {
        lines.push(format!("CONSTRAINT {} {}", Ident(&c.name), c.sql()));
    }
    let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
    let mut sql = format!("CREATE {unlogged}TABLE {} OF {of_type}", t.name);
    if !lines.is_empty() {
        write!(sql, " (\n    {}\n)", lines.join(",\n    ")).expect("writing to a String");
    }
    if let Some(key) = &t.inheritance.partition_key {
        write!(sql, " PARTITION BY {key}").expect("writing to a String");
    }
    storage(
        &mut sql,
        t.access_method.as_deref(),
        &t.options,
        t.tablespace.as_deref(),
    );
    sql.push(';');
    sql
}

pub(crate) fn column_definition(table: &str, c: &Column) -> String {
    let mut sql = format!("{} {}", Ident(&c.name), c.data_type);
    if let Some(collation) = &c.collation {
        write!(sql, " COLLATE {collation}").expect("writing to a String");
    }
    if let Some(expr) = &c.generated {
        let kind = if c.virtual_generated {
            "VIRTUAL"
        } else {
            "STORED"
        };
        write!(sql, " GENERATED ALWAYS AS ({expr}) {kind}").expect("writing to a String");
    }
    if let Some(default) = &c.default {
        write!(sql, " DEFAULT {default}").expect("writing to a String");
    }
    if c.not_null {
        match &c.not_null_name {
            Some(name) if *name != gen_model::default_not_null_name(table, &c.name) => {
                write!(sql, " CONSTRAINT {} NOT NULL", Ident(name)).expect("writing to a String");
            }
            _ => sql.push_str(" NOT NULL"),
        }
        // From 18 on; a NOT VALID one is added after the column (see
        // gen-diff), since a column's own constraint is always checked.
        if c.not_null_no_inherit {
            sql.push_str(" NO INHERIT");
        }
    }
    if let Some(identity) = &c.identity {
        sql.push(' ');
        sql.push_str(&identity_clause(identity, table, &c.name));
    }
    sql
}

/// `GENERATED … AS IDENTITY (…)` for column `column` of table `table`
/// (raw names, to tell the server's default sequence name).
fn identity_clause(identity: &Identity, table: &str, column: &str) -> String {
    let mut sql = format!(
        "GENERATED {} AS IDENTITY",
        if identity.always {
            "ALWAYS"
        } else {
            "BY DEFAULT"
        }
    );
    // The identity's sequence takes the column's type; only the rest is said.
    let o = &identity.options;
    let mut options = Vec::new();
    if identity.sequence.name != format!("{table}_{column}_seq")
        || identity.sequence.name.len() > 63
    {
        options.push(format!("SEQUENCE NAME {}", identity.sequence));
    }
    options.extend(differing_options(
        o,
        &creation_defaults(&o.data_type, o.increment),
    ));
    if !options.is_empty() {
        write!(sql, " ({})", options.join(" ")).expect("writing to a String");
    }
    sql
}

/// `CASE WHEN c IS NOT DISTINCT FROM NULL THEN NULL ELSE ROW((c).a, …)::to
/// END`: a null composite value stays null, while `IS NULL` alone would
/// also take a row of nulls for one.
fn row_conversion(column: &str, fields: &[RowField], to: &str) -> String {
    let c = Ident(column);
    let values: Vec<String> = fields
        .iter()
        .map(|f| match &f.source {
            None => "NULL".to_owned(),
            Some(a) => {
                let value = format!("({c}).{}", Ident(a));
                match &f.cast {
                    FieldCast::None => value,
                    FieldCast::Assignment(t) | FieldCast::Explicit(t) => format!("{value}::{t}"),
                    FieldCast::ViaText(t) | FieldCast::Rebuilt(t) => {
                        format!("{value}::text::{t}")
                    }
                }
            }
        })
        .collect();
    format!(
        "CASE WHEN {c} IS NOT DISTINCT FROM NULL THEN NULL ELSE ROW({})::{to} END",
        values.join(", ")
    )
}

/// The statement of one change to a column: `ALTER TABLE t ALTER COLUMN
/// c …;`, or the table-level statement of a not-null constraint's name.
pub(crate) fn alter_column(
    table: &gen_model::QualifiedName,
    column: &str,
    action: &ColumnAction,
) -> String {
    let sub = match action {
        ColumnAction::AddNotNull {
            name,
            not_valid,
            no_inherit,
        } => {
            return format!(
                "ALTER TABLE {table} ADD CONSTRAINT {} NOT NULL {}{}{};",
                Ident(name),
                Ident(column),
                if *no_inherit { " NO INHERIT" } else { "" },
                if *not_valid { " NOT VALID" } else { "" }
            );
        }
        ColumnAction::ValidateNotNull { name } => {
            return format!("ALTER TABLE {table} VALIDATE CONSTRAINT {};", Ident(name));
        }
        ColumnAction::SetNotNullInherit { name, inherit } => {
            return format!(
                "ALTER TABLE {table} ALTER CONSTRAINT {} {}INHERIT;",
                Ident(name),
                if *inherit { "" } else { "NO " }
            );
        }
        ColumnAction::RenameNotNull { from, to } => {
            return format!(
                "ALTER TABLE {table} RENAME CONSTRAINT {} TO {};",
                Ident(from),
                Ident(to)
            );
        }

        ColumnAction::Type {
            to,
            collation,
            conversion,
            ..
        } => {
            let mut sql = format!("TYPE {to}");
            if let Some(c) = collation {
                write!(sql, " COLLATE {c}").expect("writing to a String");
            }
            match conversion {
                Conversion::Assignment => {}
                Conversion::Explicit => {
                    write!(sql, " USING {}::{to}", Ident(column)).expect("writing to a String");
                }
                Conversion::ViaText => {
                    write!(sql, " USING {}::text::{to}", Ident(column))
                        .expect("writing to a String");
                }
                Conversion::Rows(fields) => {
                    write!(sql, " USING {}", row_conversion(column, fields, to))
                        .expect("writing to a String");
                }
            }
            sql
        }
        ColumnAction::SetDefault(expr) => format!("SET DEFAULT {expr}"),
        ColumnAction::DropDefault => "DROP DEFAULT".to_owned(),
        ColumnAction::SetNotNull => "SET NOT NULL".to_owned(),
        ColumnAction::DropNotNull => "DROP NOT NULL".to_owned(),
        ColumnAction::AddIdentity(identity) => {
            format!("ADD {}", identity_clause(identity, &table.name, column))
        }
        ColumnAction::DropIdentity { .. } => "DROP IDENTITY".to_owned(),
        ColumnAction::SetGeneration { always } => format!(
            "SET GENERATED {}",
            if *always { "ALWAYS" } else { "BY DEFAULT" }
        ),
        ColumnAction::SetIdentityOptions { from, to } => differing_options(to, from)
            .iter()
            .map(|o| format!("SET {o}"))
            .collect::<Vec<_>>()
            .join(" "),
        ColumnAction::DropExpression => "DROP EXPRESSION".to_owned(),
        ColumnAction::SetExpression { expression, .. } => {
            format!("SET EXPRESSION AS ({expression})")
        }
        ColumnAction::SetStatistics(n) => format!("SET STATISTICS {}", n.unwrap_or(-1)),
        ColumnAction::SetStorage(s) => format!("SET STORAGE {}", s.to_uppercase()),
        ColumnAction::SetCompression(c) => {
            format!("SET COMPRESSION {}", c.as_deref().unwrap_or("DEFAULT"))
        }
    };
    let alter = format!("ALTER TABLE {table} ALTER COLUMN {} {sub};", Ident(column));
    if let ColumnAction::SetIdentityOptions { from, to } = action
        && let Some(setval) = identity_catch_up(table, column, from, to)
    {
        return format!("{setval}\n{alter}");
    }
    alter
}

/// What a new sequence of `data_type` gets for every option not given,
/// knowing that the defaults of the bounds and start follow the sign of
/// the increment that is given.
fn creation_defaults(data_type: &str, increment: i64) -> SequenceOptions {
    let (min_value, max_value) = SequenceOptions::default_bounds(data_type, increment);
    SequenceOptions {
        data_type: data_type.to_owned(),
        start: if increment > 0 { min_value } else { max_value },
        increment: 1,
        min_value,
        max_value,
        cache: 1,
        cycle: false,
    }
}

/// Options for `CREATE SEQUENCE`: `AS` unless `bigint`, then what differs
/// from the defaults.
pub(crate) fn create_sequence_options(to: &SequenceOptions) -> Vec<String> {
    let mut out = Vec::new();
    if to.data_type != "bigint" {
        out.push(format!("AS {}", to.data_type));
    }
    out.extend(differing_options(
        to,
        &creation_defaults(&to.data_type, to.increment),
    ));
    out
}

/// Options for `ALTER SEQUENCE`: `AS` when the type changes (which moves
/// default bounds along, as the server does), then what differs.
pub(crate) fn alter_sequence_options(to: &SequenceOptions, from: &SequenceOptions) -> Vec<String> {
    if from.data_type == to.data_type {
        return differing_options(to, from);
    }
    let mut out = vec![format!("AS {}", to.data_type)];
    out.extend(differing_options(to, &from.converted_to(&to.data_type)));
    out
}

/// The options of `to` that differ from `base`, in the order `CREATE
/// SEQUENCE` documents them. The data type is the caller's business.
fn differing_options(to: &SequenceOptions, base: &SequenceOptions) -> Vec<String> {
    let mut out = Vec::new();
    if base.increment != to.increment {
        out.push(format!("INCREMENT BY {}", to.increment));
    }
    if base.min_value != to.min_value {
        out.push(format!("MINVALUE {}", to.min_value));
    }
    if base.max_value != to.max_value {
        out.push(format!("MAXVALUE {}", to.max_value));
    }
    if base.start != to.start {
        out.push(format!("START WITH {}", to.start));
    }
    if base.cache != to.cache {
        out.push(format!("CACHE {}", to.cache));
    }
    if base.cycle != to.cycle {
        out.push(if to.cycle { "CYCLE" } else { "NO CYCLE" }.to_owned());
    }
    out
}
