//! Reading routines, aggregates, triggers and event triggers.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::Builder;
use crate::rows::{AggregateRow, EventTriggerRow, FunctionRow, TriggerRow};
use gen_model::{
    Aggregate, EventTrigger, Function, ObjectId, QualifiedName, RoutineKind, Trigger,
    TriggerEnabled,
};

impl Builder {
    /// Functions, procedures and window functions of the rows of
    /// functions.sql that were kept (aggregates come with `aggregates`).
    pub(crate) fn functions(&mut self, rows: &[&FunctionRow]) {
        for r in rows {
            if r.kind == "a" {
                continue;
            }
            // Every routine but an aggregate (passed over above) has one.
            let Some(definition) = &r.definition else {
                continue;
            };
            let oid = r.oid;
            let f = Function {
                name: QualifiedName::new(
                    self.lookup.schema(r.pronamespace).unwrap_or_default(),
                    r.proname.clone(),
                ),
                args: r.args.clone(),
                kind: match r.kind.as_str() {
                    "p" => RoutineKind::Procedure,
                    "w" => RoutineKind::Window,
                    _ => RoutineKind::Function,
                },
                language: r.language.clone(),
                sql_body: r.sql_body,
                security_definer: r.security_definer,
                // The server ends the definition with a newline; the
                // statement ends where the text does.
                definition: definition.trim_end().to_owned(),
                result: r.result.clone(),
                signature: r.signature.clone(),
                defaults: r.defaults,
                comment: self.lookup.comment("pg_proc", oid, 0),
            };
            self.ids.insert(("pg_proc", oid, 0), f.id());
            self.catalog
                .functions
                .insert((f.name.clone(), f.args.clone()), f);
        }
    }

    /// The aggregates among the kept rows of functions.sql, defined by the
    /// rows of aggregates.sql.
    pub(crate) fn aggregates(&mut self, rows: &[AggregateRow], kept: &[&FunctionRow]) {
        let kept: HashSet<u32> = kept.iter().map(|r| r.oid).collect();
        for r in rows {
            let oid = r.oid;
            if !kept.contains(&oid) {
                continue;
            }
            let a = Aggregate {
                name: QualifiedName::new(r.nspname.clone(), r.proname.clone()),
                args: r.args.clone(),
                definition: r.definition.clone(),
                comment: self.lookup.comment("pg_proc", oid, 0),
            };
            self.ids.insert(("pg_proc", oid, 0), a.id());
            self.catalog
                .aggregates
                .insert((a.name.clone(), a.args.clone()), a);
        }
    }

    /// Triggers on the tables and views kept.
    pub(crate) fn triggers(&mut self, rows: &[TriggerRow]) {
        for r in rows {
            let relid = r.tgrelid;
            let Some(table) = self.tables.get(&relid).or(self.views.get(&relid)).cloned() else {
                continue;
            };
            let oid = r.oid;
            let t = Trigger {
                table,
                name: r.tgname.clone(),
                definition: r.definition.clone(),
                constraint: r.constraint_trigger,
                enabled: TriggerEnabled::from_code(&r.enabled),
                comment: self.lookup.comment("pg_trigger", oid, 0),
            };
            self.ids.insert(("pg_trigger", oid, 0), t.id());
            self.catalog
                .triggers
                .insert((t.table.clone(), t.name.clone()), t);
        }
    }

    pub(crate) fn event_triggers(&mut self, rows: &[EventTriggerRow]) {
        for r in rows {
            let oid = r.oid;
            if self.lookup.member("pg_event_trigger", oid) {
                continue;
            }
            let e = EventTrigger {
                name: r.evtname.clone(),
                event: r.evtevent.clone(),
                tags: r.tags.clone(),
                function: r.function.clone(),
                enabled: TriggerEnabled::from_code(&r.enabled),
                comment: self.lookup.comment("pg_event_trigger", oid, 0),
            };
            self.ids.insert(("pg_event_trigger", oid, 0), e.id());
            self.catalog.event_triggers.insert(e.name.clone(), e);
        }
    }

    /// A relation's row type stands for the relation: a routine over
    /// `app.users` rows needs the table (or view) first. `relations` holds
    /// (oid, row type oid) pairs.
    pub(crate) fn row_types(&mut self, relations: impl Iterator<Item = (u32, u32)>) {
        for (oid, reltype) in relations {
            if let Some(relation) = self.ids.get(&("pg_class", oid, 0)) {
                let relation = relation.clone();
                self.ids.entry(("pg_type", reltype, 0)).or_insert(relation);
            }
        }
    }

    /// Edges the server does not record: each routine on its schema, each
    /// trigger on its table.
    pub(crate) fn routine_structural_depends(&mut self) {
        let mut edges = Vec::new();
        for f in self.catalog.functions.values() {
            edges.push((
                f.id(),
                ObjectId::Schema {
                    name: f.name.schema.clone(),
                },
            ));
        }
        for a in self.catalog.aggregates.values() {
            edges.push((
                a.id(),
                ObjectId::Schema {
                    name: a.name.schema.clone(),
                },
            ));
        }
        for t in self.catalog.triggers.values() {
            edges.push((
                t.id(),
                ObjectId::Table {
                    name: t.table.clone(),
                },
            ));
        }
        for (a, b) in edges {
            if self.catalog.contains(&b) {
                self.edges.push((a, b));
            }
        }
    }
}

impl Builder {
    /// What routines call in bodies the server keeps as text: each name of
    /// a routine of this catalog written as a call (`name(` or
    /// `schema.name(`) in another's body, to every routine of that name. An
    /// edge that would close a cycle with those already found, or with the
    /// dependencies between routines the server records, is left out.
    pub(crate) fn routine_calls(&mut self) {
        let mut by_name: HashMap<&str, Vec<&Function>> = HashMap::new();
        for f in self.catalog.functions.values() {
            by_name.entry(f.name.name.as_str()).or_default().push(f);
        }
        let mut graph: HashMap<ObjectId, Vec<ObjectId>> = HashMap::new();
        for (a, b) in &self.catalog.depends {
            if matches!(a, ObjectId::Function { .. }) && matches!(b, ObjectId::Function { .. }) {
                graph.entry(a.clone()).or_default().push(b.clone());
            }
        }
        let mut calls = BTreeSet::new();
        for caller in self.catalog.functions.values() {
            if caller.sql_body || !matches!(caller.language.as_str(), "sql" | "plpgsql") {
                continue;
            }
            let from = caller.id();
            let mut callees: BTreeSet<ObjectId> = BTreeSet::new();
            for (schema, name) in called_names(body(&caller.definition)) {
                for callee in by_name.get(name.as_str()).into_iter().flatten() {
                    if schema.as_ref().is_none_or(|s| *s == callee.name.schema)
                        && callee.id() != from
                    {
                        callees.insert(callee.id());
                    }
                }
            }
            for to in callees {
                if reaches(&graph, &to, &from) {
                    continue;
                }
                graph.entry(from.clone()).or_default().push(to.clone());
                calls.insert((from.clone(), to));
            }
        }
        self.catalog.calls = calls;
    }
}

/// A routine definition's body: what follows its header's `AS`.
fn body(definition: &str) -> &str {
    definition
        .find("\nAS ")
        .map_or(definition, |i| &definition[i..])
}

/// Every `name(` and `schema.name(` in `text`, unquoted identifiers folded
/// to lower case, as (schema, name).
fn called_names(text: &str) -> Vec<(Option<String>, String)> {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i].is_ascii_alphabetic() || bytes[i] == b'_')
            || (i > 0 && (ident(bytes[i - 1]) || bytes[i - 1] == b'.'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && ident(bytes[i]) {
            i += 1;
        }
        let first = &text[start..i];
        let mut schema = None;
        let mut name = first;
        if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_alphabetic() {
            let second = i + 1;
            i = second;
            while i < bytes.len() && ident(bytes[i]) {
                i += 1;
            }
            schema = Some(first.to_lowercase());
            name = &text[second..i];
        }
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'(' {
            out.push((schema, name.to_lowercase()));
        }
    }
    out
}

/// Whether `to` can be reached from `from` along `graph`.
fn reaches(graph: &HashMap<ObjectId, Vec<ObjectId>>, from: &ObjectId, to: &ObjectId) -> bool {
    let mut seen: HashSet<&ObjectId> = HashSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        stack.extend(graph.get(id).into_iter().flatten());
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_names_before_a_parenthesis_folded_and_qualified_or_not() {
        let body = "AS $f$ SELECT app.Lower_It(x) + other (y), z.col, \"Quoted\"(1), now()\n$f$";
        let found: Vec<(Option<String>, String)> = called_names(body);
        let names: Vec<(Option<&str>, &str)> = found
            .iter()
            .map(|(s, n)| (s.as_deref(), n.as_str()))
            .collect();
        assert_eq!(
            names,
            [(Some("app"), "lower_it"), (None, "other"), (None, "now")]
        );
    }

    #[test]
    fn the_body_starts_after_the_header() {
        let definition = "CREATE OR REPLACE FUNCTION app.f(v integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$ SELECT app.g(v) $function$";
        assert_eq!(
            body(definition),
            "\nAS $function$ SELECT app.g(v) $function$"
        );
    }

    #[test]
    fn a_call_that_would_close_a_cycle_is_found_by_reach() {
        let f = |n: &str| ObjectId::Function {
            name: gen_model::QualifiedName::new("app", n),
            args: String::new(),
        };
        let graph: HashMap<ObjectId, Vec<ObjectId>> =
            [(f("a"), vec![f("b")]), (f("b"), vec![f("c")])].into();
        assert!(reaches(&graph, &f("a"), &f("c")));
        assert!(!reaches(&graph, &f("c"), &f("a")));
    }
}
