//! Enums, composite types, range types, domains and collations.
//!
//! What changes in place does (`ADD VALUE`, `ALTER ATTRIBUTE`, `ALTER
//! DOMAIN`); what cannot is rebuilt. A rebuild of an enum or a domain never
//! drops the columns that use it: the old type is renamed away, the new
//! one created under the name, every column moved over with
//! `ALTER COLUMN … TYPE new USING col::text::new` (defaults dropped before
//! and restored after), domains over it rebuilt the same way, and the old
//! type dropped last.

use std::collections::BTreeSet;

use gen_model::{
    Attribute, Catalog, Domain, DomainConstraint, ObjectId, QualifiedName, TypeKind, UserType,
};

use crate::{Action, Change, ColumnAction, Conversion, EnumPosition, comment, pairs};

/// Every difference in types, domains and collations. `forced` names
/// enums whose new labels are used by other steps of the same plan: those
/// are rebuilt rather than extended (see [`enums_needing_rebuild`]).
pub(crate) fn types(
    old: &Catalog,
    new: &Catalog,
    forced: &BTreeSet<QualifiedName>,
    out: &mut Vec<Change>,
) {
    collations(old, new, out);
    let mut rebuilt = BTreeSet::new();
    for (o, n) in pairs(&old.types, &new.types) {
        match (o, n) {
            (Some(o), None) => out.push(Change::DropType(o.clone())),
            (None, Some(n)) => create_type(n, out),
            (Some(o), Some(n)) => alter_type(o, n, old, new, forced, &mut rebuilt, out),
            (None, None) => {}
        }
    }
    for (o, n) in pairs(&old.domains, &new.domains) {
        match (o, n) {
            (Some(o), None) => out.push(Change::DropDomain(o.clone())),
            (None, Some(n)) => create_domain(n, out),
            (Some(o), Some(n)) => {
                if o.base_type != n.base_type || o.collation != n.collation {
                    let id = domain_id(&n.name);
                    if !rebuilt.contains(&id) {
                        rebuild(&id, old, new, &mut rebuilt, out);
                    }
                } else if !rebuilt.contains(&domain_id(&n.name)) {
                    alter_domain(o, n, out);
                }
            }
            (None, None) => {}
        }
    }
}

fn type_id(name: &QualifiedName) -> ObjectId {
    ObjectId::Type { name: name.clone() }
}

fn domain_id(name: &QualifiedName) -> ObjectId {
    ObjectId::Domain { name: name.clone() }
}

fn attribute_id(t: &QualifiedName, a: &str) -> ObjectId {
    ObjectId::TypeAttribute {
        type_name: t.clone(),
        attribute: a.to_owned(),
    }
}

fn domain_constraint_id(d: &QualifiedName, c: &str) -> ObjectId {
    ObjectId::DomainConstraint {
        domain: d.clone(),
        constraint: c.to_owned(),
    }
}

fn collations(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.collations, &new.collations) {
        let id = |c: &gen_model::Collation| ObjectId::Collation {
            name: c.name.clone(),
        };
        match (o, n) {
            (Some(o), None) => out.push(Change::DropCollation(o.clone())),
            (None, Some(n)) => {
                out.push(Change::CreateCollation(n.clone()));
                comment(id(n), None, n.comment.as_ref(), out);
            }
            (Some(o), Some(n)) => {
                let (mut oc, mut nc) = (o.clone(), n.clone());
                oc.comment = None;
                nc.comment = None;
                if oc == nc {
                    comment(id(n), o.comment.as_ref(), n.comment.as_ref(), out);
                } else {
                    // No ALTER COLLATION changes a definition: a new one is
                    // made and the columns using the old one move over.
                    rebuild(&id(n), old, new, &mut BTreeSet::new(), out);
                }
            }
            (None, None) => {}
        }
    }
}

/// `CREATE TYPE` with the comments of the type and its attributes.
pub(crate) fn create_type(t: &UserType, out: &mut Vec<Change>) {
    out.push(Change::CreateType(t.clone()));
    type_comments(None, t, out);
}

fn type_comments(old: Option<&UserType>, new: &UserType, out: &mut Vec<Change>) {
    comment(
        type_id(&new.name),
        old.and_then(|t| t.comment.as_ref()),
        new.comment.as_ref(),
        out,
    );
    let TypeKind::Composite { attributes } = &new.kind else {
        return;
    };
    for a in attributes {
        let before = old.and_then(|t| match &t.kind {
            TypeKind::Composite { attributes } => attributes
                .iter()
                .find(|o| o.name == a.name)
                .and_then(|o| o.comment.as_ref()),
            _ => None,
        });
        comment(
            attribute_id(&new.name, &a.name),
            before,
            a.comment.as_ref(),
            out,
        );
    }
}

fn alter_type(
    o: &UserType,
    n: &UserType,
    old: &Catalog,
    new: &Catalog,
    forced: &BTreeSet<QualifiedName>,
    rebuilt: &mut BTreeSet<ObjectId>,
    out: &mut Vec<Change>,
) {
    let id = type_id(&n.name);
    match (&o.kind, &n.kind) {
        (TypeKind::Enum { values: ov }, TypeKind::Enum { values: nv }) if ov != nv => {
            match added_values(ov, nv) {
                Some(added) if !forced.contains(&n.name) => {
                    out.extend(
                        added
                            .into_iter()
                            .map(|(value, position)| Change::AddEnumValue {
                                name: n.name.clone(),
                                value,
                                position,
                            }),
                    );
                    type_comments(Some(o), n, out);
                }
                // A label removed or moved, or a new label used in the same
                // transaction: only a new type can do.
                _ => rebuild(&id, old, new, rebuilt, out),
            }
        }
        (TypeKind::Composite { attributes: oa }, TypeKind::Composite { attributes: na }) => {
            match alter_attributes(&n.name, oa, na) {
                Some(changes) => {
                    out.extend(changes);
                    type_comments(Some(o), n, out);
                }
                None => {
                    out.push(Change::DropType(o.clone()));
                    create_type(n, out);
                }
            }
        }
        (ok, nk) if ok != nk => {
            out.push(Change::DropType(o.clone()));
            create_type(n, out);
        }
        _ => type_comments(Some(o), n, out),
    }
}

/// The labels `new` adds to `old`, each with the position that puts it in
/// place, or `None` when `old`'s labels are not all in `new` in the same
/// order (Postgres can neither remove nor move a label).
pub(crate) fn added_values(
    old: &[String],
    new: &[String],
) -> Option<Vec<(String, Option<EnumPosition>)>> {
    let mut rest = old.iter();
    let mut next_old = rest.next();
    let mut added = Vec::new();
    for (i, v) in new.iter().enumerate() {
        if Some(v) == next_old {
            next_old = rest.next();
            continue;
        }
        if old.contains(v) {
            return None;
        }
        // After the label before it, which exists by now; at the very
        // start, before the first old label.
        let position = if i > 0 {
            Some(EnumPosition::After(new[i - 1].clone()))
        } else {
            next_old.map(|w| EnumPosition::Before(w.clone()))
        };
        added.push((v.clone(), position));
    }
    if next_old.is_some() {
        return None;
    }
    Some(added)
}

/// In-place changes turning attributes `old` into `new`, or `None` when
/// their order can only come from a new type (`ADD ATTRIBUTE` appends).
fn alter_attributes(
    name: &QualifiedName,
    old: &[Attribute],
    new: &[Attribute],
) -> Option<Vec<Change>> {
    let kept: Vec<&str> = old
        .iter()
        .filter(|a| new.iter().any(|n| n.name == a.name))
        .map(|a| a.name.as_str())
        .collect();
    let added: Vec<&Attribute> = new
        .iter()
        .filter(|a| !old.iter().any(|o| o.name == a.name))
        .collect();
    let resulting: Vec<&str> = kept
        .iter()
        .copied()
        .chain(added.iter().map(|a| a.name.as_str()))
        .collect();
    if resulting != new.iter().map(|a| a.name.as_str()).collect::<Vec<_>>() {
        return None;
    }
    let mut out = Vec::new();
    for a in old {
        match new.iter().find(|n| n.name == a.name) {
            None => out.push(Change::DropAttribute {
                type_name: name.clone(),
                attribute: a.clone(),
            }),
            Some(n) if n.data_type != a.data_type || n.collation != a.collation => {
                out.push(Change::AlterAttributeType {
                    type_name: name.clone(),
                    attribute: n.clone(),
                });
            }
            Some(_) => {}
        }
    }
    for a in added {
        out.push(Change::AddAttribute {
            type_name: name.clone(),
            attribute: a.clone(),
        });
    }
    Some(out)
}

/// `CREATE DOMAIN` and its comments. Constraints go inline unless they
/// are `NOT VALID`: the server cannot add a checked constraint to a domain
/// once an array column uses it, which a rebuilt domain's soon does.
fn create_domain(d: &Domain, out: &mut Vec<Change>) {
    let mut created = d.clone();
    created.constraints.retain(|_, c| c.validated);
    out.push(Change::CreateDomain(created.clone()));
    comment(domain_id(&d.name), None, d.comment.as_ref(), out);
    for c in d.constraints.values() {
        if !created.constraints.contains_key(&c.name) {
            out.push(Change::AddDomainConstraint {
                domain: d.name.clone(),
                constraint: c.clone(),
            });
        }
        comment(
            domain_constraint_id(&d.name, &c.name),
            None,
            c.comment.as_ref(),
            out,
        );
    }
}

fn alter_domain(o: &Domain, n: &Domain, out: &mut Vec<Change>) {
    if o.default != n.default {
        out.push(Change::SetDomainDefault {
            name: n.name.clone(),
            default: n.default.clone(),
        });
    }
    if o.not_null != n.not_null {
        out.push(Change::SetDomainNotNull {
            name: n.name.clone(),
            not_null: n.not_null,
        });
    }
    comment(
        domain_id(&n.name),
        o.comment.as_ref(),
        n.comment.as_ref(),
        out,
    );
    // A constraint that only changed its name is renamed, when exactly one
    // old and one new constraint share the definition.
    let gone: Vec<&DomainConstraint> = o
        .constraints
        .values()
        .filter(|c| !n.constraints.contains_key(&c.name))
        .collect();
    let came: Vec<&DomainConstraint> = n
        .constraints
        .values()
        .filter(|c| !o.constraints.contains_key(&c.name))
        .collect();
    let mut renamed: Vec<(&DomainConstraint, &DomainConstraint)> = Vec::new();
    for g in &gone {
        let same = |c: &&&DomainConstraint| c.definition == g.definition;
        if came.iter().filter(same).count() == 1
            && gone.iter().filter(|c| c.definition == g.definition).count() == 1
            && let Some(c) = came.iter().find(same)
        {
            renamed.push((g, c));
        }
    }
    for (oc, nc) in pairs(&o.constraints, &n.constraints) {
        match (oc, nc) {
            (Some(oc), None) => {
                if let Some((_, to)) = renamed.iter().find(|(f, _)| f.name == oc.name) {
                    out.push(Change::RenameDomainConstraint {
                        domain: n.name.clone(),
                        from: oc.name.clone(),
                        to: to.name.clone(),
                    });
                    comment(
                        domain_constraint_id(&n.name, &to.name),
                        oc.comment.as_ref(),
                        to.comment.as_ref(),
                        out,
                    );
                } else {
                    out.push(Change::DropDomainConstraint {
                        domain: n.name.clone(),
                        constraint: oc.clone(),
                    });
                }
            }
            (None, Some(nc)) => {
                if renamed.iter().any(|(_, t)| t.name == nc.name) {
                    continue;
                }
                out.push(Change::AddDomainConstraint {
                    domain: n.name.clone(),
                    constraint: nc.clone(),
                });
                comment(
                    domain_constraint_id(&n.name, &nc.name),
                    None,
                    nc.comment.as_ref(),
                    out,
                );
            }
            (Some(oc), Some(nc)) => {
                let same = oc.definition_without_validity() == nc.definition_without_validity();
                if same && (oc.validated == nc.validated || nc.validated) {
                    if !oc.validated && nc.validated {
                        out.push(Change::ValidateDomainConstraint {
                            domain: n.name.clone(),
                            name: nc.name.clone(),
                        });
                    }
                    comment(
                        domain_constraint_id(&n.name, &nc.name),
                        oc.comment.as_ref(),
                        nc.comment.as_ref(),
                        out,
                    );
                } else {
                    out.push(Change::DropDomainConstraint {
                        domain: n.name.clone(),
                        constraint: oc.clone(),
                    });
                    out.push(Change::AddDomainConstraint {
                        domain: n.name.clone(),
                        constraint: nc.clone(),
                    });
                    comment(
                        domain_constraint_id(&n.name, &nc.name),
                        None,
                        nc.comment.as_ref(),
                        out,
                    );
                }
            }
            (None, None) => {}
        }
    }
}

/// The name a rebuilt type is parked under while columns move off it:
/// `name_old`, kept within the 63 bytes of an identifier.
fn parked_name(name: &str) -> String {
    let mut base = name.to_owned();
    while base.len() > 59 {
        base.pop();
    }
    format!("{base}_old")
}

fn with_name(id: &ObjectId, name: String) -> ObjectId {
    match id {
        ObjectId::Domain { name: n } => ObjectId::Domain {
            name: QualifiedName::new(n.schema.clone(), name),
        },
        ObjectId::Type { name: n } => ObjectId::Type {
            name: QualifiedName::new(n.schema.clone(), name),
        },
        ObjectId::Collation { name: n } => ObjectId::Collation {
            name: QualifiedName::new(n.schema.clone(), name),
        },
        other => other.clone(),
    }
}

/// Rebuilds the enum, domain or collation `id` without dropping what uses
/// it (see the module documentation). Domains over it are rebuilt too.
pub(crate) fn rebuild(
    id: &ObjectId,
    old: &Catalog,
    new: &Catalog,
    rebuilt: &mut BTreeSet<ObjectId>,
    out: &mut Vec<Change>,
) {
    rebuilt.insert(id.clone());
    let (schema_name, name) = match id {
        ObjectId::Type { name } | ObjectId::Domain { name } | ObjectId::Collation { name } => {
            (name.clone(), name.name.clone())
        }
        _ => return,
    };
    let temp = parked_name(&name);
    let removed_values = match id {
        ObjectId::Type { name } => match (
            old.types.get(name).map(|t| &t.kind),
            new.types.get(name).map(|t| &t.kind),
        ) {
            (Some(TypeKind::Enum { values: ov }), Some(TypeKind::Enum { values: nv })) => {
                ov.iter().filter(|v| !nv.contains(v)).cloned().collect()
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    out.push(Change::RenameTypeAway {
        id: id.clone(),
        temp: temp.clone(),
        removed_values,
    });
    match id {
        ObjectId::Type { name } => create_type(&new.types[name], out),
        ObjectId::Collation { name } => {
            let n = &new.collations[name];
            out.push(Change::CreateCollation(n.clone()));
            comment(id.clone(), None, n.comment.as_ref(), out);
        }
        _ => create_domain(&new.domains[&schema_name], out),
    }
    let mut after = vec![(Action::Drop, id.clone())];
    let users: Vec<&ObjectId> = old
        .depends
        .iter()
        .filter(|(_, b)| b == id)
        .map(|(a, _)| a)
        .collect();
    for user in users {
        if !new.contains(user) {
            continue;
        }
        match user {
            ObjectId::Column { table, column } => {
                after.push((Action::CreateOrAlter, user.clone()));
                let still_uses = new.depends.contains(&(user.clone(), id.clone()));
                let retyped = out.iter().any(|c| {
                    matches!(c, Change::AlterColumn { table: t, column: cn, action: ColumnAction::Type { .. } }
                        if t == table && cn == column)
                });
                if !still_uses || retyped {
                    continue;
                }
                let (Some(oc), Some(nc)) = (
                    old.tables.get(table).and_then(|t| t.column(column)),
                    new.tables.get(table).and_then(|t| t.column(column)),
                ) else {
                    continue;
                };
                // The default is planned here, around the type change.
                out.retain(|c| {
                    !matches!(c, Change::AlterColumn { table: t, column: cn,
                        action: ColumnAction::DropDefault | ColumnAction::SetDefault(_) }
                        if t == table && cn == column)
                });
                let mut actions = Vec::new();
                if oc.default.is_some() {
                    actions.push(ColumnAction::DropDefault);
                }
                // A collation changes no value: the type stays, only the
                // collation is said again.
                let conversion = match id {
                    ObjectId::Collation { .. } => Conversion::Assignment,
                    _ => Conversion::ViaText,
                };
                actions.push(ColumnAction::Type {
                    from: oc.data_type.clone(),
                    to: nc.data_type.clone(),
                    collation: nc.collation.clone(),
                    conversion,
                });
                if let Some(d) = &nc.default {
                    actions.push(ColumnAction::SetDefault(d.clone()));
                }
                out.extend(actions.into_iter().map(|action| Change::AlterColumn {
                    table: table.clone(),
                    column: column.clone(),
                    action,
                }));
            }
            ObjectId::Domain { name } => {
                let over_it = new.depends.contains(&(user.clone(), id.clone()));
                if over_it && !rebuilt.contains(user) {
                    // Anything planned for it in place gives way to the rebuild.
                    out.retain(|c| {
                        let target = c.target().1;
                        &target != user
                            && !matches!(&target, ObjectId::DomainConstraint { domain, .. } if domain == name)
                    });
                    rebuild(user, old, new, rebuilt, out);
                }
                if over_it {
                    after.push((Action::Drop, with_name(user, parked_name(&name.name))));
                }
            }
            _ => {}
        }
    }
    out.push(Change::DropRetiredType {
        id: with_name(id, temp),
        after,
    });
}

/// Enums that gain labels in place while another change of the same plan
/// uses one of the new labels. A label added by `ALTER TYPE … ADD VALUE`
/// cannot be used before the transaction commits, and a migration is one
/// transaction; a type created in the transaction has no such limit, so
/// these enums are rebuilt instead. The server prints every use of a label
/// as `'label'::schema.type`, which is what is looked for.
pub(crate) fn enums_needing_rebuild(changes: &[Change]) -> BTreeSet<QualifiedName> {
    let mut found = BTreeSet::new();
    for c in changes {
        let Change::AddEnumValue { name, value, .. } = c else {
            continue;
        };
        // As a literal, or as an element of an array literal; Debug output
        // escapes double quotes, so the type name is looked for that way.
        let forms = [
            format!("'{}'", value.replace('\'', "''")),
            format!("{{{value},"),
            format!("{{{value}}}"),
            format!(",{value},"),
            format!(",{value}}}"),
        ];
        let type_name = name.to_string().replace('"', "\\\"");
        let used = changes.iter().any(|other| {
            if matches!(other, Change::AddEnumValue { .. }) {
                return false;
            }
            let text = format!("{other:?}");
            text.contains(&type_name) && forms.iter().any(|f| text.contains(f.as_str()))
        });
        if used {
            found.insert(name.clone());
        }
    }
    found
}

/// Whether `dependent` is part of an object in `dropped` and so goes and
/// comes with it: a rebuilt domain is created with its constraints.
pub(crate) fn goes_with(dependent: &ObjectId, dropped: &BTreeSet<ObjectId>) -> bool {
    match dependent {
        ObjectId::DomainConstraint { domain, .. } => dropped.contains(&domain_id(domain)),
        ObjectId::TypeAttribute { type_name, .. } => dropped.contains(&type_id(type_name)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    //! Which changes types, domains and collations produce; SQL and order
    //! are gen-plan's and tested there.

    use std::collections::BTreeMap;

    use gen_model::{Column, Table};

    use super::*;
    use crate::diff;

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn labels(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    fn enum_type(name: &str, values: &[&str]) -> UserType {
        UserType {
            name: q(name),
            kind: TypeKind::Enum {
                values: labels(values),
            },
            comment: None,
        }
    }

    fn column(name: &str, data_type: &str, default: Option<&str>) -> Column {
        Column {
            name: name.to_owned(),
            data_type: data_type.to_owned(),
            base_type: data_type.to_owned(),
            collation: None,
            not_null: false,
            default: default.map(str::to_owned),
            identity: None,
            generated: None,
            comment: None,
            inherited: Default::default(),
            storage: Default::default(),
        }
    }

    /// A catalog with enum `mood` and table `t` whose column `m` uses it,
    /// with the edge the server records.
    fn with_mood(values: &[&str], default: Option<&str>) -> Catalog {
        let mut c = Catalog::default();
        c.types.insert(q("mood"), enum_type("mood", values));
        c.tables.insert(
            q("t"),
            Table {
                name: q("t"),
                unlogged: false,
                options: Vec::new(),
                columns: vec![column("m", "public.mood", default)],
                constraints: BTreeMap::new(),
                comment: None,
                inheritance: Default::default(),
                replica_identity: Default::default(),
            },
        );
        c.depends.insert((
            ObjectId::Column {
                table: q("t"),
                column: "m".to_owned(),
            },
            type_id(&q("mood")),
        ));
        c
    }

    fn kinds(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                let debug = format!("{c:?}");
                debug
                    .split([' ', '(', '{'])
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn added_labels_take_their_place_after_their_predecessor() {
        let added = added_values(&labels(&["b", "d"]), &labels(&["a", "b", "c", "d", "e"]));
        assert_eq!(
            added,
            Some(vec![
                ("a".to_owned(), Some(EnumPosition::Before("b".to_owned()))),
                ("c".to_owned(), Some(EnumPosition::After("b".to_owned()))),
                ("e".to_owned(), Some(EnumPosition::After("d".to_owned()))),
            ])
        );
        assert_eq!(
            added_values(&[], &labels(&["a"])),
            Some(vec![("a".to_owned(), None)])
        );
    }

    #[test]
    fn a_removed_or_moved_label_cannot_be_added_in_place() {
        assert_eq!(added_values(&labels(&["a", "b"]), &labels(&["a"])), None);
        assert_eq!(
            added_values(&labels(&["a", "b"]), &labels(&["b", "a"])),
            None
        );
    }

    #[test]
    fn an_unused_new_label_is_added_in_place() {
        let old = with_mood(&["a"], None);
        let new = with_mood(&["a", "b"], None);
        assert_eq!(kinds(&diff(&old, &new)), ["AddEnumValue"]);
    }

    #[test]
    fn a_new_label_used_by_a_default_rebuilds_the_type_around_the_column() {
        let old = with_mood(&["a"], None);
        let new = with_mood(&["a", "b"], Some("'b'::public.mood"));
        let changes = diff(&old, &new);
        assert_eq!(
            kinds(&changes),
            [
                "RenameTypeAway",
                "CreateType",
                "AlterColumn",
                "AlterColumn",
                "DropRetiredType"
            ]
        );
        assert!(matches!(
            &changes[2],
            Change::AlterColumn {
                action: ColumnAction::Type {
                    conversion: Conversion::ViaText,
                    ..
                },
                ..
            }
        ));
        let Change::DropRetiredType { id, after } = &changes[4] else {
            panic!("the rebuild ends by dropping the parked type");
        };
        assert_eq!(id, &type_id(&q("mood_old")));
        assert!(after.contains(&(
            Action::CreateOrAlter,
            ObjectId::Column {
                table: q("t"),
                column: "m".to_owned()
            }
        )));
    }

    #[test]
    fn a_removed_label_is_named_in_the_rebuild() {
        let old = with_mood(&["a", "b"], Some("'a'::public.mood"));
        let new = with_mood(&["a"], Some("'a'::public.mood"));
        let changes = diff(&old, &new);
        assert!(changes.iter().any(|c| matches!(c,
            Change::RenameTypeAway { removed_values, .. } if removed_values == &labels(&["b"]))));
        // The default is dropped before the type change and restored after.
        let column_actions: Vec<&ColumnAction> = changes
            .iter()
            .filter_map(|c| match c {
                Change::AlterColumn { action, .. } => Some(action),
                _ => None,
            })
            .collect();
        assert!(matches!(
            column_actions[..],
            [
                ColumnAction::DropDefault,
                ColumnAction::Type { .. },
                ColumnAction::SetDefault(_)
            ]
        ));
    }

    fn domain(constraints: &[(&str, &str)]) -> Domain {
        Domain {
            name: q("d"),
            base_type: "integer".to_owned(),
            collation: None,
            default: None,
            not_null: false,
            constraints: constraints
                .iter()
                .map(|(n, def)| {
                    (
                        (*n).to_owned(),
                        DomainConstraint {
                            name: (*n).to_owned(),
                            definition: (*def).to_owned(),
                            validated: true,
                            comment: None,
                        },
                    )
                })
                .collect(),
            comment: None,
        }
    }

    #[test]
    fn a_domain_constraint_with_only_a_new_name_is_renamed() {
        let mut old = Catalog::default();
        old.domains
            .insert(q("d"), domain(&[("a", "CHECK ((VALUE > 0))")]));
        let mut new = Catalog::default();
        new.domains
            .insert(q("d"), domain(&[("b", "CHECK ((VALUE > 0))")]));
        assert_eq!(
            diff(&old, &new),
            [Change::RenameDomainConstraint {
                domain: q("d"),
                from: "a".to_owned(),
                to: "b".to_owned()
            }]
        );
    }

    #[test]
    fn a_changed_domain_constraint_is_dropped_and_added() {
        let mut old = Catalog::default();
        old.domains
            .insert(q("d"), domain(&[("a", "CHECK ((VALUE > 0))")]));
        let mut new = Catalog::default();
        new.domains
            .insert(q("d"), domain(&[("a", "CHECK ((VALUE > 1))")]));
        assert_eq!(
            kinds(&diff(&old, &new)),
            ["DropDomainConstraint", "AddDomainConstraint"]
        );
    }

    fn composite(attrs: &[&str]) -> UserType {
        UserType {
            name: q("c"),
            kind: TypeKind::Composite {
                attributes: attrs
                    .iter()
                    .map(|a| Attribute {
                        name: (*a).to_owned(),
                        data_type: "integer".to_owned(),
                        collation: None,
                        comment: None,
                    })
                    .collect(),
            },
            comment: None,
        }
    }

    #[test]
    fn composite_attributes_change_in_place_unless_reordered() {
        let mut old = Catalog::default();
        old.types.insert(q("c"), composite(&["a", "b"]));
        let mut new = Catalog::default();
        new.types.insert(q("c"), composite(&["a", "c"]));
        assert_eq!(kinds(&diff(&old, &new)), ["DropAttribute", "AddAttribute"]);
        new.types.insert(q("c"), composite(&["b", "a"]));
        assert_eq!(kinds(&diff(&old, &new)), ["DropType", "CreateType"]);
    }
}
