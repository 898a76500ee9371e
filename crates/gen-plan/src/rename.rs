//! `--rename KIND:OLD=NEW`: renames said out loud, never guessed.
//!
//! A rename runs on the old side's database before it is read, so the
//! server itself carries the new name into every definition that mentions
//! the object (views, constraints, defaults). The plan from there has no
//! drop and create for it; the deploy script starts with the `ALTER …
//! RENAME` and the revert ends with the reverse one.

use std::fmt;

use crate::hazard::{HazardKind, hazard};
use crate::lock::Lock;
use crate::{Plan, Step};
use gen_diff::Action;
use gen_model::{Catalog, Ident, Literal, ObjectId, QualifiedName, TypeKind};

/// A rename that does not fit the catalogs it is said between.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refused {
    /// What is wrong, naming the rename.
    pub message: String,
    /// What would make it right.
    pub hint: &'static str,
}

/// What can be renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameKind {
    Schema,
    Table,
    Column,
    View,
    MaterializedView,
    Index,
    Constraint,
    Sequence,
    Type,
    Domain,
    EnumValue,
    Function,
}

impl RenameKind {
    const ALL: [(&'static str, RenameKind); 12] = [
        ("schema", RenameKind::Schema),
        ("table", RenameKind::Table),
        ("column", RenameKind::Column),
        ("view", RenameKind::View),
        ("materialized-view", RenameKind::MaterializedView),
        ("index", RenameKind::Index),
        ("constraint", RenameKind::Constraint),
        ("sequence", RenameKind::Sequence),
        ("type", RenameKind::Type),
        ("domain", RenameKind::Domain),
        ("enum-value", RenameKind::EnumValue),
        ("function", RenameKind::Function),
    ];

    fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(n, _)| n)
    }

    /// How many dotted parts the old name has: `schema.table.column`.
    fn parts(self) -> usize {
        match self {
            RenameKind::Schema => 1,
            RenameKind::Column | RenameKind::Constraint | RenameKind::EnumValue => 3,
            RenameKind::Table
            | RenameKind::View
            | RenameKind::MaterializedView
            | RenameKind::Index
            | RenameKind::Sequence
            | RenameKind::Type
            | RenameKind::Domain
            | RenameKind::Function => 2,
        }
    }

    fn example(self) -> &'static str {
        match self {
            RenameKind::Schema => "schema:old_name=new_name",
            RenameKind::Column => "column:public.users.mail=email",
            RenameKind::Constraint => "constraint:public.users.users_mail_key=users_email_key",
            RenameKind::EnumValue => "enum-value:public.status.canceled=cancelled",
            RenameKind::Function => "function:public.total(integer, text)=order_total",
            RenameKind::Table => "table:public.customers=clients",
            RenameKind::View => "view:public.active_users=current_users",
            RenameKind::MaterializedView => "materialized-view:public.daily=daily_totals",
            RenameKind::Index => "index:public.users_mail_idx=users_email_idx",
            RenameKind::Sequence => "sequence:public.order_no=order_number",
            RenameKind::Type => "type:public.mood=feeling",
            RenameKind::Domain => "domain:public.mail=email_address",
        }
    }
}

/// One rename: a kind, the old path (`schema.table[.part]`) and the new name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub kind: RenameKind,
    /// Raw name parts of the old object, outermost first.
    pub old: Vec<String>,
    /// A function's argument types, as given.
    pub args: Option<String>,
    /// The new raw name of the last part.
    pub new: String,
}

impl fmt::Display for Rename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let old: Vec<String> = self.old.iter().map(|p| Ident(p).to_string()).collect();
        let args = self
            .args
            .as_ref()
            .map_or(String::new(), |a| format!("({a})"));
        write!(
            f,
            "{}:{}{args}={}",
            self.kind.name(),
            old.join("."),
            Ident(&self.new)
        )
    }
}

/// Parses `KIND:OLD=NEW`, as clap hands it over.
pub fn parse(text: &str) -> Result<Rename, String> {
    let kinds: Vec<&str> = RenameKind::ALL.iter().map(|(n, _)| *n).collect();
    let (kind, rest) = text
        .split_once(':')
        .ok_or_else(|| format!("expected KIND:OLD=NEW, kinds: {}", kinds.join(", ")))?;
    let kind = RenameKind::ALL
        .iter()
        .find(|(n, _)| *n == kind)
        .map(|(_, k)| *k)
        .ok_or_else(|| format!("unknown kind {kind:?}; one of: {}", kinds.join(", ")))?;
    let (old, new) = rest
        .rsplit_once('=')
        .ok_or_else(|| format!("expected {}", kind.example()))?;
    // A function is named with its argument types: `public.f(integer, text)`.
    let (old, args) = match (kind, old.split_once('(')) {
        (RenameKind::Function, Some((name, args))) => {
            let args = args
                .strip_suffix(')')
                .ok_or_else(|| format!("expected {}", kind.example()))?;
            (name, Some(args.trim().to_owned()))
        }
        (RenameKind::Function, None) => {
            return Err(format!(
                "name the function with its argument types: {}",
                kind.example()
            ));
        }
        _ => (old, None),
    };
    let old = split_name(old)?;
    let new = split_name(new)?;
    if old.len() != kind.parts() || new.len() != 1 {
        return Err(format!(
            "a {} rename names the old object with {} part(s) and the new one with one: {}",
            kind.name(),
            kind.parts(),
            kind.example()
        ));
    }
    Ok(Rename {
        kind,
        old,
        args,
        new: new.into_iter().next().unwrap_or_default(),
    })
}

/// Splits a dotted name, honouring double quotes: `app."My Table"`.
/// Unquoted parts are folded to lower case, as Postgres does.
fn split_name(text: &str) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return Err(format!("unterminated quote in {text:?}")),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                part.extend(c.to_lowercase());
                chars.next();
            }
        }
        if part.is_empty() {
            return Err(format!("empty name part in {text:?}"));
        }
        parts.push(part);
        match chars.next() {
            Some('.') => continue,
            None => return Ok(parts),
            Some(c) => return Err(format!("unexpected {c:?} in {text:?}")),
        }
    }
}

impl Rename {
    /// The relation or type a column, constraint or enum label belongs to.
    fn parent(&self) -> QualifiedName {
        QualifiedName::new(self.old[0].clone(), self.old[1].clone())
    }

    fn qualified(&self, last: &str) -> QualifiedName {
        QualifiedName::new(self.old[0].clone(), last)
    }

    /// The statement that renames old to new.
    pub fn sql(&self) -> String {
        self.statement(&self.old, &self.new)
    }

    /// The statement that renames new back to old.
    pub fn reverse_sql(&self) -> String {
        let mut renamed = self.old.clone();
        let last = renamed.len() - 1;
        renamed[last] = self.new.clone();
        self.statement(&renamed, &self.old[last])
    }

    fn statement(&self, from: &[String], to: &str) -> String {
        let to = Ident(to);
        let rel = || QualifiedName::new(from[0].clone(), from[1].clone());
        match self.kind {
            RenameKind::Schema => format!("ALTER SCHEMA {} RENAME TO {to};", Ident(&from[0])),
            RenameKind::Table => format!("ALTER TABLE {} RENAME TO {to};", rel()),
            RenameKind::View => format!("ALTER VIEW {} RENAME TO {to};", rel()),
            RenameKind::MaterializedView => {
                format!("ALTER MATERIALIZED VIEW {} RENAME TO {to};", rel())
            }
            RenameKind::Index => format!("ALTER INDEX {} RENAME TO {to};", rel()),
            RenameKind::Sequence => format!("ALTER SEQUENCE {} RENAME TO {to};", rel()),
            RenameKind::Column => format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {to};",
                rel(),
                Ident(&from[2])
            ),
            RenameKind::Constraint => format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {to};",
                rel(),
                Ident(&from[2])
            ),
            RenameKind::Type => format!("ALTER TYPE {} RENAME TO {to};", rel()),
            RenameKind::Domain => format!("ALTER DOMAIN {} RENAME TO {to};", rel()),
            RenameKind::EnumValue => format!(
                "ALTER TYPE {} RENAME VALUE {} TO {};",
                rel(),
                Literal(&from[2]),
                Literal(to.0)
            ),
            RenameKind::Function => format!(
                "ALTER ROUTINE {}({}) RENAME TO {to};",
                rel(),
                self.args.as_deref().unwrap_or_default()
            ),
        }
    }

    /// The object after the rename, or before it with `before`.
    fn id(&self, before: bool) -> ObjectId {
        let last = if before {
            self.old[self.old.len() - 1].clone()
        } else {
            self.new.clone()
        };
        match self.kind {
            RenameKind::Schema => ObjectId::Schema { name: last },
            RenameKind::Table => ObjectId::Table {
                name: self.qualified(&last),
            },
            RenameKind::View => ObjectId::View {
                name: self.qualified(&last),
            },
            RenameKind::MaterializedView => ObjectId::MaterializedView {
                name: self.qualified(&last),
            },
            RenameKind::Index => ObjectId::Index {
                name: self.qualified(&last),
            },
            RenameKind::Sequence => ObjectId::Sequence {
                name: self.qualified(&last),
            },
            RenameKind::Column => ObjectId::Column {
                table: self.parent(),
                column: last,
            },
            RenameKind::Constraint => ObjectId::Constraint {
                table: self.parent(),
                constraint: last,
            },
            RenameKind::Type => ObjectId::Type {
                name: self.qualified(&last),
            },
            RenameKind::Domain => ObjectId::Domain {
                name: self.qualified(&last),
            },
            // The type holding the label; `has` looks for the label itself.
            RenameKind::EnumValue => ObjectId::Type {
                name: self.parent(),
            },
            RenameKind::Function => ObjectId::Function {
                name: self.qualified(&last),
                args: self.args.clone().unwrap_or_default(),
            },
        }
    }

    /// The object under `label` as messages name it.
    fn describe(&self, label: &str, before: bool) -> String {
        match self.kind {
            RenameKind::EnumValue => format!("label {} in enum {}", Literal(label), self.parent()),
            RenameKind::Function => format!(
                "function {}",
                QualifiedName::new(self.old[0].clone(), label)
            ),
            RenameKind::Schema
            | RenameKind::Column
            | RenameKind::Constraint
            | RenameKind::Table
            | RenameKind::View
            | RenameKind::MaterializedView
            | RenameKind::Index
            | RenameKind::Sequence
            | RenameKind::Type
            | RenameKind::Domain => self.id(before).to_string(),
        }
    }

    /// Whether `catalog` holds the renamed object under `label` (its last
    /// name part): functions are matched by name, whatever spelling of the
    /// argument types was given; enum labels within their type.
    fn has(&self, catalog: &Catalog, label: &str) -> bool {
        match self.kind {
            RenameKind::EnumValue => {
                let name = self.parent();
                catalog.types.get(&name).is_some_and(|t| {
                    matches!(&t.kind, TypeKind::Enum { values } if values.iter().any(|v| v == label))
                })
            }
            RenameKind::Function => catalog
                .functions
                .keys()
                .any(|(n, _)| n.schema == self.old[0] && n.name == label),
            RenameKind::Schema
            | RenameKind::Column
            | RenameKind::Constraint
            | RenameKind::Table
            | RenameKind::View
            | RenameKind::MaterializedView
            | RenameKind::Index
            | RenameKind::Sequence
            | RenameKind::Type
            | RenameKind::Domain => {
                let id = if label == self.new {
                    self.id(false)
                } else {
                    self.id(true)
                };
                catalog.contains(&id)
            }
        }
    }

    /// Refuses a rename unless the renamed object is, after renaming, the
    /// kind it was said to be on the old side (`renamed`) and exists as
    /// that kind in `new`.
    pub fn check(
        &self,
        renamed: &Catalog,
        new: &Catalog,
        from: &str,
        to: &str,
    ) -> Result<(), Refused> {
        let (old_label, new_label) = (&self.old[self.old.len() - 1], &self.new);
        if !self.has(renamed, new_label) {
            return Err(Refused {
                message: format!(
                    "--rename {self}: {from} has no {} to rename",
                    self.describe(old_label, true)
                ),
                hint: "the old name must exist where the plan starts, as the kind given",
            });
        }
        if !self.has(new, new_label) {
            return Err(Refused {
                message: format!(
                    "--rename {self}: {to} has no {}",
                    self.describe(new_label, false)
                ),
                hint: "the new name must exist in the schema files as the same kind of object",
            });
        }
        Ok(())
    }

    /// The rename as a plan step, acting on the renamed object: `before`
    /// for the revert's, which renames it back.
    fn step(&self, sql: String, before: bool, catalogs: [&Catalog; 2]) -> Step {
        let locks: Vec<Lock> = self
            .locked(before, catalogs)
            .iter()
            .map(Lock::exclusive)
            .collect();
        let hazards = locks
            .iter()
            .map(|l| {
                let mut h = hazard(
                    HazardKind::AccessExclusiveLock,
                    format!(
                        "takes an ACCESS EXCLUSIVE lock on {}: reads and writes wait until the deploy commits",
                        l.relation
                    ),
                )
                .instead(Some(crate::hazard::BRIEF_LOCK.to_owned()));
                h.about = Some(if catalogs.iter().any(|c| c.tables.contains_key(&l.relation)) {
                    ObjectId::Table {
                        name: l.relation.clone(),
                    }
                } else {
                    ObjectId::MaterializedView {
                        name: l.relation.clone(),
                    }
                });
                h
            })
            .collect();
        Step {
            sql,
            object: self.id(before),
            action: Action::CreateOrAlter,
            hazards,
            transactional: true,
            locks,
        }
    }

    /// The table or materialized view the rename locks ACCESS EXCLUSIVE,
    /// by the name it has when the statement runs: renaming it, or a
    /// column or constraint of it (indexes, views and the rest lock no
    /// table).
    fn locked(&self, reverse: bool, catalogs: [&Catalog; 2]) -> Option<QualifiedName> {
        match self.kind {
            RenameKind::Table | RenameKind::MaterializedView => Some(if reverse {
                self.qualified(&self.new)
            } else {
                self.qualified(&self.old[self.old.len() - 1])
            }),
            RenameKind::Column | RenameKind::Constraint => {
                let parent = self.parent();
                catalogs
                    .iter()
                    .any(|c| {
                        c.tables.contains_key(&parent)
                            || c.views.get(&parent).is_some_and(|v| v.materialized)
                    })
                    .then_some(parent)
            }
            RenameKind::Schema
            | RenameKind::View
            | RenameKind::Index
            | RenameKind::Sequence
            | RenameKind::Type
            | RenameKind::Domain
            | RenameKind::EnumValue
            | RenameKind::Function => None,
        }
    }
}

/// Puts the renames in front of the deploy plan and their reversal, in
/// reverse order, at the end of the revert plan.
/// `catalogs` (old and new) tell a table's columns from a view's.
pub fn wrap(renames: &[Rename], catalogs: [&Catalog; 2], deploy: &mut Plan, revert: &mut Plan) {
    let first: Vec<Step> = renames
        .iter()
        .map(|r| r.step(r.sql(), false, catalogs))
        .collect();
    deploy.steps.splice(0..0, first);
    revert.steps.extend(
        renames
            .iter()
            .rev()
            .map(|r| r.step(r.reverse_sql(), true, catalogs)),
    );
}

/// `--rename` flags that would turn a drop and a create of the same kind
/// and shape into a rename, keeping the data.
pub fn suggestions(old: &Catalog, new: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    // Tables with the same columns (names and types, in order).
    let shape = |t: &gen_model::Table| -> Vec<(String, String)> {
        t.columns
            .iter()
            .map(|c| (c.name.clone(), c.data_type.clone()))
            .collect()
    };
    for (name, t) in &old.tables {
        if new.tables.contains_key(name) {
            continue;
        }
        for (new_name, n) in &new.tables {
            if new_name.schema == name.schema
                && !old.tables.contains_key(new_name)
                && shape(t) == shape(n)
            {
                out.push(format!("--rename table:{}={}", name, Ident(&new_name.name)));
            }
        }
    }
    // Columns of a table on both sides: one dropped, one added, same type.
    for (name, t) in &old.tables {
        let Some(n) = new.tables.get(name) else {
            continue;
        };
        for c in t.columns.iter().filter(|c| n.column(&c.name).is_none()) {
            for added in n
                .columns
                .iter()
                .filter(|a| t.column(&a.name).is_none() && a.data_type == c.data_type)
            {
                out.push(format!(
                    "--rename column:{}.{}={}",
                    name,
                    Ident(&c.name),
                    Ident(&added.name)
                ));
            }
        }
    }
    // Constraints of a table on both sides with the same definition.
    for (name, t) in &old.tables {
        let Some(n) = new.tables.get(name) else {
            continue;
        };
        for c in t.constraints.values() {
            if n.constraints.contains_key(&c.name) {
                continue;
            }
            for added in n
                .constraints
                .values()
                .filter(|a| !t.constraints.contains_key(&a.name) && a.definition == c.definition)
            {
                out.push(format!(
                    "--rename constraint:{}.{}={}",
                    name,
                    Ident(&c.name),
                    Ident(&added.name)
                ));
            }
        }
    }
    // Views with the same query.
    for (name, v) in &old.views {
        if new.views.contains_key(name) {
            continue;
        }
        for (new_name, n) in &new.views {
            if new_name.schema == name.schema
                && !old.views.contains_key(new_name)
                && v.materialized == n.materialized
                && v.definition == n.definition
            {
                let kind = if v.materialized {
                    "materialized-view"
                } else {
                    "view"
                };
                out.push(format!(
                    "--rename {kind}:{}={}",
                    name,
                    Ident(&new_name.name)
                ));
            }
        }
    }
    // Indexes whose definitions differ only in the name.
    for (name, i) in &old.indexes {
        if new.indexes.contains_key(name) {
            continue;
        }
        let unnamed = |i: &gen_model::Index| {
            i.definition
                .replacen(&format!(" {} ON ", Ident(&i.name.name)), " ON ", 1)
        };
        for (new_name, n) in &new.indexes {
            if new_name.schema == name.schema
                && !old.indexes.contains_key(new_name)
                && unnamed(i) == unnamed(n)
            {
                out.push(format!("--rename index:{}={}", name, Ident(&new_name.name)));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
