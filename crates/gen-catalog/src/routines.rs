//! Reading routines, aggregates, triggers and event triggers.

use std::collections::HashSet;

use gen_model::{
    Aggregate, EventTrigger, Function, ObjectId, QualifiedName, RoutineKind, Trigger,
    TriggerEnabled,
};
use tokio_postgres::Row;

use crate::Builder;

impl Builder {
    /// Functions, procedures and window functions of the rows of
    /// functions.sql that were kept (aggregates come with `aggregates`).
    pub(crate) fn functions(&mut self, rows: &[&Row]) {
        for r in rows {
            if r.get::<_, &str>("kind") == "a" {
                continue;
            }
            let oid: u32 = r.get("oid");
            let f = Function {
                name: QualifiedName::new(
                    self.lookup
                        .schema(r.get("pronamespace"))
                        .unwrap_or_default(),
                    r.get::<_, String>("proname"),
                ),
                args: r.get("args"),
                kind: match r.get::<_, String>("kind").as_str() {
                    "p" => RoutineKind::Procedure,
                    "w" => RoutineKind::Window,
                    _ => RoutineKind::Function,
                },
                language: r.get("language"),
                sql_body: r.get("sql_body"),
                security_definer: r.get("security_definer"),
                // The server ends the definition with a newline; the
                // statement ends where the text does.
                definition: r.get::<_, String>("definition").trim_end().to_owned(),
                result: r.get("result"),
                signature: r.get("signature"),
                defaults: r.get("defaults"),
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
    pub(crate) fn aggregates(&mut self, rows: &[Row], kept: &[&Row]) {
        let kept: HashSet<u32> = kept.iter().map(|r| r.get("oid")).collect();
        for r in rows {
            let oid: u32 = r.get("oid");
            if !kept.contains(&oid) {
                continue;
            }
            let a = Aggregate {
                name: QualifiedName::new(
                    r.get::<_, String>("nspname"),
                    r.get::<_, String>("proname"),
                ),
                args: r.get("args"),
                definition: r.get("definition"),
                comment: self.lookup.comment("pg_proc", oid, 0),
            };
            self.ids.insert(("pg_proc", oid, 0), a.id());
            self.catalog
                .aggregates
                .insert((a.name.clone(), a.args.clone()), a);
        }
    }

    /// Triggers on the tables and views kept.
    pub(crate) fn triggers(&mut self, rows: &[Row]) {
        for r in rows {
            let relid: u32 = r.get("tgrelid");
            let Some(table) = self.tables.get(&relid).or(self.views.get(&relid)).cloned() else {
                continue;
            };
            let oid: u32 = r.get("oid");
            let t = Trigger {
                table,
                name: r.get("tgname"),
                definition: r.get("definition"),
                constraint: r.get("constraint_trigger"),
                enabled: TriggerEnabled::from_code(r.get("enabled")),
                comment: self.lookup.comment("pg_trigger", oid, 0),
            };
            self.ids.insert(("pg_trigger", oid, 0), t.id());
            self.catalog
                .triggers
                .insert((t.table.clone(), t.name.clone()), t);
        }
    }

    pub(crate) fn event_triggers(&mut self, rows: &[Row]) {
        for r in rows {
            let oid: u32 = r.get("oid");
            if self.lookup.member("pg_event_trigger", oid) {
                continue;
            }
            let e = EventTrigger {
                name: r.get("evtname"),
                event: r.get("evtevent"),
                tags: r.get("tags"),
                function: r.get("function"),
                enabled: TriggerEnabled::from_code(r.get("enabled")),
                comment: self.lookup.comment("pg_event_trigger", oid, 0),
            };
            self.ids.insert(("pg_event_trigger", oid, 0), e.id());
            self.catalog.event_triggers.insert(e.name.clone(), e);
        }
    }

    /// A relation's row type stands for the relation: a routine over
    /// `app.users` rows needs the table (or view) first.
    pub(crate) fn row_types(&mut self, rows: &[Row]) {
        for r in rows {
            if let Some(relation) = self.ids.get(&("pg_class", r.get("oid"), 0)) {
                let relation = relation.clone();
                self.ids
                    .entry(("pg_type", r.get("reltype"), 0))
                    .or_insert(relation);
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
