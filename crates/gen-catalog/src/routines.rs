//! Reading routines, aggregates, triggers and event triggers.

use std::collections::HashSet;

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
