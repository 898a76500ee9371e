//! Enums, composite types, range types, domains and collations.
//!
//! What changes in place does (`ADD VALUE`, `ALTER ATTRIBUTE`, `ALTER
//! DOMAIN`); what cannot is rebuilt. A rebuild of an enum or a domain never
//! drops the columns that use it: the old type is renamed away, the new
//! one created under the name, every column moved over with
//! `ALTER COLUMN … TYPE new USING col::text::new` (defaults dropped before
//! and restored after), domains over it rebuilt the same way, and the old
//! type dropped last.
//!
//! A composite type changes in place (`ADD ATTRIBUTE`, `DROP ATTRIBUTE`,
//! `ALTER ATTRIBUTE … TYPE`) unless values of it are stored: the server
//! refuses `ALTER ATTRIBUTE … TYPE` while a column holds the type (itself,
//! an array of it, a domain over it or another composite type containing
//! it), and attributes in a new order need a new type. Such a type is
//! rebuilt the same way, a plain column moving over attribute by attribute
//! by name (`USING ROW((c).a, (c).b::bigint, …)::new`); arrays, domains and
//! composite types over it move through the text form. Adding and
//! dropping attributes alone stays in place: the server allows it while
//! columns use the type.

use std::collections::{BTreeMap, BTreeSet};

use gen_model::{
    Attribute, Catalog, Domain, DomainConstraint, ObjectId, QualifiedName, TypeKind, TypeObject,
    UserType,
};

use crate::table::type_conversion;
use crate::{
    Action, Change, CollationChange, ColumnAction, ColumnChange, Conversion, DomainChange,
    EnumPosition, FieldCast, RowField, TypeChange, comment, pairs,
};

/// Every difference in types, domains and collations. `forced` names
/// enums whose new labels are used by other steps of the same plan: those
/// are rebuilt rather than extended (see [`enums_to_rebuild`]).
pub(crate) fn types(
    old: &Catalog,
    new: &Catalog,
    forced: &BTreeSet<QualifiedName>,
    out: &mut Vec<Change>,
) {
    collations(old, new, out);
    let mut rebuilt = BTreeSet::new();
    let composites = composite_rebuilds(old, new);
    for (o, n) in pairs(&old.types, &new.types) {
        match (o, n) {
            (Some(o), None) => out.push(Change::Type(TypeChange::DropType(o.clone()))),
            (None, Some(n)) => create_type(n, out),
            (Some(_), Some(n)) if composites.contains(&n.name) => {
                if !rebuilt.contains(&type_id(&n.name)) {
                    rebuild(&type_id(&n.name), old, new, &mut rebuilt, out);
                }
            }
            (Some(o), Some(n)) => alter_type(o, n, old, new, forced, &mut rebuilt, out),
            (None, None) => {}
        }
    }
    for (o, n) in pairs(&old.domains, &new.domains) {
        match (o, n) {
            (Some(o), None) => out.push(Change::Domain(DomainChange::DropDomain(o.clone()))),
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
            (Some(o), None) => {
                out.push(Change::Collation(CollationChange::DropCollation(o.clone())))
            }
            (None, Some(n)) => {
                out.push(Change::Collation(CollationChange::CreateCollation(
                    n.clone(),
                )));
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
    out.push(Change::Type(TypeChange::CreateType(t.clone())));
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
        let before = old.and_then(|t| {
            let TypeKind::Composite { attributes } = &t.kind else {
                return None;
            };
            attributes
                .iter()
                .find(|o| o.name == a.name)
                .and_then(|o| o.comment.as_ref())
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
                    out.extend(added.into_iter().map(|(value, position)| {
                        Change::Type(TypeChange::AddEnumValue {
                            name: n.name.clone(),
                            value,
                            position,
                        })
                    }));
                    type_comments(Some(o), n, out);
                }
                // A label removed or moved, or a new label used in the same
                // transaction: only a new type can do.
                _ => rebuild(&id, old, new, rebuilt, out),
            }
        }
        (TypeKind::Composite { attributes: oa }, TypeKind::Composite { attributes: na }) => {
            match attribute_plan(&n.name, oa, na, stored(&id, old)) {
                AttributePlan::InPlace(mut changes) => {
                    // Typed tables take their columns from the type.
                    let of_it = n.name.to_string();
                    if old
                        .tables
                        .values()
                        .any(|t| t.of_type.as_deref() == Some(of_it.as_str()))
                    {
                        for c in &mut changes {
                            if let Change::Type(
                                TypeChange::AddAttribute { cascade, .. }
                                | TypeChange::DropAttribute { cascade, .. }
                                | TypeChange::AlterAttributeType { cascade, .. },
                            ) = c
                            {
                                *cascade = true;
                            }
                        }
                    }
                    out.extend(changes);
                    type_comments(Some(o), n, out);
                }
                AttributePlan::Recreate => {
                    out.push(Change::Type(TypeChange::DropType(o.clone())));
                    create_type(n, out);
                }
                AttributePlan::Rebuild => rebuild(&id, old, new, rebuilt, out),
            }
        }
        (ok, nk) if ok != nk => {
            out.push(Change::Type(TypeChange::DropType(o.clone())));
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

/// How the attributes of a composite type change.
#[derive(Debug, PartialEq)]
enum AttributePlan {
    /// `ADD`, `DROP` and `ALTER ATTRIBUTE` on the type as it is.
    InPlace(Vec<Change>),
    /// `DROP TYPE` and `CREATE TYPE`: nothing stores the type.
    Recreate,
    /// A new type under a parked name, stored values moved over ([`rebuild`]).
    Rebuild,
}

/// Whether a composite type going from attributes `old` to `new` changes in
/// place. `stored` says whether values of it are stored (see [`stored`]):
/// then the server refuses `ALTER ATTRIBUTE … TYPE` ("cannot alter type
/// because column uses it") and `DROP TYPE`, though it still adds and drops
/// attributes.
fn attribute_plan(
    name: &QualifiedName,
    old: &[Attribute],
    new: &[Attribute],
    stored: bool,
) -> AttributePlan {
    match alter_attributes(name, old, new) {
        Some(changes)
            if !stored
                || !changes
                    .iter()
                    .any(|c| matches!(c, Change::Type(TypeChange::AlterAttributeType { .. }))) =>
        {
            AttributePlan::InPlace(changes)
        }
        Some(_) => AttributePlan::Rebuild,
        None if stored => AttributePlan::Rebuild,
        None => AttributePlan::Recreate,
    }
}

/// Whether values of type `id` are stored in a table: a column of it or of
/// an array of it, directly or through domains and composite types over it.
pub(crate) fn stored(id: &ObjectId, old: &Catalog) -> bool {
    let mut seen = BTreeSet::new();
    let mut queue = vec![id.clone()];
    while let Some(t) = queue.pop() {
        if !seen.insert(t.clone()) {
            continue;
        }
        for (a, b) in &old.depends {
            if b != &t {
                continue;
            }
            // A column holds values of it; a type or domain over it may
            // be held in turn.
            if matches!(a, ObjectId::Column { .. }) {
                return true;
            }
            if matches!(a, ObjectId::Type { .. } | ObjectId::Domain { .. }) {
                queue.push(a.clone());
            }
        }
    }
    false
}

fn composite<'a>(catalog: &'a Catalog, name: &QualifiedName) -> Option<&'a [Attribute]> {
    if let TypeKind::Composite { attributes } = &catalog.types.get(name)?.kind {
        Some(attributes)
    } else {
        None
    }
}

/// The composite types this plan rebuilds: those whose attributes cannot
/// change in place under stored values, and every composite type with an
/// attribute of one of them, whose attribute has to move to the new type.
fn composite_rebuilds(old: &Catalog, new: &Catalog) -> BTreeSet<QualifiedName> {
    let mut found: BTreeSet<QualifiedName> = old
        .types
        .keys()
        .filter(|name| {
            let (Some(oa), Some(na)) = (composite(old, name), composite(new, name)) else {
                return false;
            };
            attribute_plan(name, oa, na, stored(&type_id(name), old)) == AttributePlan::Rebuild
        })
        .cloned()
        .collect();
    loop {
        let more: Vec<QualifiedName> = old
            .depends
            .iter()
            .filter_map(|(a, b)| match (a, b) {
                (ObjectId::Type { name: user }, ObjectId::Type { name: used })
                    if found.contains(used)
                        && !found.contains(user)
                        && composite(old, user).is_some()
                        && composite(new, user).is_some() =>
                {
                    Some(user.clone())
                }
                _ => None,
            })
            .collect();
        if more.is_empty() {
            return found;
        }
        found.extend(more);
    }
}

/// A type name without its modifiers: `character varying(10)[]` is
/// `character varying[]`, the form casts are looked up by.
fn without_modifiers(data_type: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for ch in data_type.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where each attribute of the new composite type `new` takes its value
/// from when a column of the old one moves over: the old attribute of the
/// same name, cast when its type changed, through text when no cast exists
/// or the attribute's type is itself rebuilt (`rebuilt`, printed as the
/// server prints types); null for a new attribute.
fn row_fields(
    old: &[Attribute],
    new: &[Attribute],
    rebuilt: &BTreeSet<String>,
    catalogs: [&Catalog; 2],
) -> Vec<RowField> {
    new.iter()
        .map(|n| {
            let Some(o) = old.iter().find(|o| o.name == n.name) else {
                return RowField {
                    source: None,
                    cast: FieldCast::None,
                };
            };
            let element = n.data_type.trim_end_matches("[]");
            let to = n.data_type.clone();
            let cast = if rebuilt.contains(element) {
                FieldCast::Rebuilt(to)
            } else if o.data_type == n.data_type {
                FieldCast::None
            } else {
                match attribute_conversion(o, n, catalogs) {
                    Conversion::Assignment => FieldCast::Assignment(to),
                    Conversion::Explicit => FieldCast::Explicit(to),
                    Conversion::ViaText | Conversion::Rows(_) => FieldCast::ViaText(to),
                }
            };
            RowField {
                source: Some(o.name.clone()),
                cast,
            }
        })
        .collect()
}

/// How an attribute's values convert inside `ROW(…)::type`, where the
/// server applies every cast explicitly: a length or precision that shrinks
/// (`varchar(10)` to `varchar(5)`) cuts values rather than refusing them,
/// so it counts as an explicit cast.
fn attribute_conversion(o: &Attribute, n: &Attribute, catalogs: [&Catalog; 2]) -> Conversion {
    let (from, to) = (
        without_modifiers(&o.data_type),
        without_modifiers(&n.data_type),
    );
    if from == to && !widens(&o.data_type, &n.data_type) {
        return Conversion::Explicit;
    }
    type_conversion(&from, &to, catalogs)
}

/// The numbers in a type's modifiers: `numeric(12,2)` has `[12, 2]`.
fn modifiers(data_type: &str) -> Vec<u32> {
    let Some((_, rest)) = data_type.split_once('(') else {
        return Vec::new();
    };
    let inside = rest.split(')').next().unwrap_or_default();
    inside
        .split(',')
        .filter_map(|m| m.trim().parse().ok())
        .collect()
}

/// Whether type `new` holds every value of `old`, both the same type with
/// other modifiers: a length or precision that grows or goes away, or a
/// `numeric` whose digits before and after the point both grow.
fn widens(old: &str, new: &str) -> bool {
    match (modifiers(old).as_slice(), modifiers(new).as_slice()) {
        (_, []) => true,
        ([], _) => false,
        ([o], [n]) => n >= o,
        ([op, os], [np, ns]) => np.saturating_sub(*ns) >= op.saturating_sub(*os) && ns >= os,
        _ => false,
    }
}

/// Whether values of composite type `old` read through their text form as
/// values of `new` can fail or land in another attribute: the attributes
/// differ in name or order, or one changes to a type without an assignment
/// cast.
fn text_form_risky(old: &[Attribute], new: &[Attribute], catalogs: [&Catalog; 2]) -> bool {
    old.len() != new.len()
        || old.iter().zip(new).any(|(o, n)| {
            o.name != n.name
                || (o.data_type != n.data_type
                    && attribute_conversion(o, n, catalogs) != Conversion::Assignment)
        })
}

/// The types and domains this plan rebuilds under their own names, as the
/// server prints them: those rebuilt so far, and the composite types that
/// will be.
fn rebuilt_names(old: &Catalog, new: &Catalog, out: &[Change]) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = composite_rebuilds(old, new)
        .iter()
        .map(ToString::to_string)
        .collect();
    for c in out {
        if let Change::Type(TypeChange::RenameTypeAway {
            id: ObjectId::Type { name } | ObjectId::Domain { name },
            ..
        }) = c
        {
            names.insert(name.to_string());
        }
    }
    names
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
            None => out.push(Change::Type(TypeChange::DropAttribute {
                type_name: name.clone(),
                attribute: a.clone(),
                cascade: false,
            })),
            Some(n) if n.data_type != a.data_type || n.collation != a.collation => {
                out.push(Change::Type(TypeChange::AlterAttributeType {
                    type_name: name.clone(),
                    attribute: n.clone(),
                    cascade: false,
                }));
            }
            Some(_) => {}
        }
    }
    for a in added {
        out.push(Change::Type(TypeChange::AddAttribute {
            type_name: name.clone(),
            attribute: a.clone(),
            cascade: false,
        }));
    }
    Some(out)
}

/// `CREATE DOMAIN` and its comments. Constraints go inline unless they
/// are `NOT VALID`: the server cannot add a checked constraint to a domain
/// once an array column uses it, which a rebuilt domain's soon does.
fn create_domain(d: &Domain, out: &mut Vec<Change>) {
    let mut created = d.clone();
    created.constraints.retain(|_, c| c.validated);
    out.push(Change::Domain(DomainChange::CreateDomain(created.clone())));
    comment(domain_id(&d.name), None, d.comment.as_ref(), out);
    for c in d.constraints.values() {
        if !created.constraints.contains_key(&c.name) {
            out.push(Change::Domain(DomainChange::AddDomainConstraint {
                domain: d.name.clone(),
                constraint: c.clone(),
            }));
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
        out.push(Change::Domain(DomainChange::SetDomainDefault {
            name: n.name.clone(),
            default: n.default.clone(),
        }));
    }
    if o.not_null != n.not_null {
        out.push(Change::Domain(DomainChange::SetDomainNotNull {
            name: n.name.clone(),
            not_null: n.not_null,
            constraint: n.not_null_name.clone().filter(|_| n.not_null),
        }));
    } else if n.not_null && o.not_null_name != n.not_null_name {
        // From 17 on: the same NOT NULL under another name.
        let named = |d: &Domain| {
            d.not_null_name
                .clone()
                .unwrap_or_else(|| gen_model::default_domain_not_null_name(&d.name.name))
        };
        out.push(Change::Domain(DomainChange::RenameDomainConstraint {
            domain: n.name.clone(),
            from: named(o),
            to: named(n),
        }));
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
                    out.push(Change::Domain(DomainChange::RenameDomainConstraint {
                        domain: n.name.clone(),
                        from: oc.name.clone(),
                        to: to.name.clone(),
                    }));
                    comment(
                        domain_constraint_id(&n.name, &to.name),
                        oc.comment.as_ref(),
                        to.comment.as_ref(),
                        out,
                    );
                } else {
                    out.push(Change::Domain(DomainChange::DropDomainConstraint {
                        domain: n.name.clone(),
                        constraint: oc.clone(),
                    }));
                }
            }
            (None, Some(nc)) => {
                if renamed.iter().any(|(_, t)| t.name == nc.name) {
                    continue;
                }
                out.push(Change::Domain(DomainChange::AddDomainConstraint {
                    domain: n.name.clone(),
                    constraint: nc.clone(),
                }));
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
                        out.push(Change::Domain(DomainChange::ValidateDomainConstraint {
                            domain: n.name.clone(),
                            name: nc.name.clone(),
                        }));
                    }
                    comment(
                        domain_constraint_id(&n.name, &nc.name),
                        oc.comment.as_ref(),
                        nc.comment.as_ref(),
                        out,
                    );
                } else {
                    out.push(Change::Domain(DomainChange::DropDomainConstraint {
                        domain: n.name.clone(),
                        constraint: oc.clone(),
                    }));
                    out.push(Change::Domain(DomainChange::AddDomainConstraint {
                        domain: n.name.clone(),
                        constraint: nc.clone(),
                    }));
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

fn parked(name: &QualifiedName) -> QualifiedName {
    QualifiedName::new(name.schema.clone(), parked_name(&name.name))
}

/// Rebuilds the enum, composite type, domain or collation `id` without
/// dropping what uses it (see the module documentation). Domains and
/// composite types over it are rebuilt too.
pub(crate) fn rebuild(
    id: &ObjectId,
    old: &Catalog,
    new: &Catalog,
    rebuilt: &mut BTreeSet<ObjectId>,
    out: &mut Vec<Change>,
) {
    rebuilt.insert(id.clone());
    // What takes its place under its name, and the id it is dropped by
    // once parked.
    let mut created = Vec::new();
    let (name, retired) = match id.as_type_object() {
        Some(TypeObject::Type(name)) => {
            create_type(&new.types[name], &mut created);
            (name, type_id(&parked(name)))
        }
        Some(TypeObject::Domain(name)) => {
            create_domain(&new.domains[name], &mut created);
            (name, domain_id(&parked(name)))
        }
        Some(TypeObject::Collation(name)) => {
            let n = &new.collations[name];
            created.push(Change::Collation(CollationChange::CreateCollation(
                n.clone(),
            )));
            comment(id.clone(), None, n.comment.as_ref(), &mut created);
            (name, ObjectId::Collation { name: parked(name) })
        }
        // Nothing else is parked under another name.
        Some(TypeObject::DomainConstraint { .. } | TypeObject::Attribute { .. }) | None => return,
    };
    let temp = parked_name(&name.name);
    // Only an enum loses labels, and only a composite type attributes.
    let removed_values = if let ObjectId::Type { name } = id {
        match (
            old.types.get(name).map(|t| &t.kind),
            new.types.get(name).map(|t| &t.kind),
        ) {
            (Some(TypeKind::Enum { values: ov }), Some(TypeKind::Enum { values: nv })) => {
                ov.iter().filter(|v| !nv.contains(v)).cloned().collect()
            }
            (
                Some(TypeKind::Composite { attributes: oa }),
                Some(TypeKind::Composite { attributes: na }),
            ) => oa
                .iter()
                .filter(|a| !na.iter().any(|n| n.name == a.name))
                .map(|a| a.name.clone())
                .collect(),
            _ => Vec::new(),
        }
    } else {
        Vec::new()
    };
    // The attributes of a rebuilt composite type, old and new, and whether
    // a value's text form still lists them in the same order.
    let attributes = if let ObjectId::Type { name } = id {
        composite(old, name).zip(composite(new, name))
    } else {
        None
    };
    let risky = attributes.is_some_and(|(oa, na)| text_form_risky(oa, na, [old, new]));
    let mut through_text = Vec::new();
    out.push(Change::Type(TypeChange::RenameTypeAway {
        id: id.clone(),
        temp,
        removed_values,
        through_text: Vec::new(),
    }));
    out.append(&mut created);
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
                    matches!(c, Change::Column(ColumnChange::AlterColumn { table: t, column: cn, action: ColumnAction::Type { .. } })
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
                    !matches!(c, Change::Column(ColumnChange::AlterColumn { table: t, column: cn,
                        action: ColumnAction::DropDefault | ColumnAction::SetDefault(_) })
                        if t == table && cn == column)
                });
                let mut actions = Vec::new();
                if oc.default.is_some() {
                    actions.push(ColumnAction::DropDefault);
                }
                // A collation changes no value: the type stays, only the
                // collation is said again.
                let conversion = match (id, attributes) {
                    (ObjectId::Collation { .. }, _) => Conversion::Assignment,
                    (_, Some((oa, na))) if !oc.data_type.ends_with("[]") => {
                        let rebuilt_names = rebuilt_names(old, new, out);
                        Conversion::Rows(row_fields(oa, na, &rebuilt_names, [old, new]))
                    }
                    _ => {
                        if risky {
                            through_text.push(user.clone());
                        }
                        Conversion::ViaText
                    }
                };
                actions.push(ColumnAction::Type {
                    from: oc.data_type.clone(),
                    to: nc.data_type.clone(),
                    collation: nc.collation.clone(),
                    // Every value moves into the new type, but a
                    // collation's relabels them.
                    rewrites: !matches!(id, ObjectId::Collation { .. }),
                    conversion,
                });
                if let Some(d) = &nc.default {
                    actions.push(ColumnAction::SetDefault(d.clone()));
                }
                out.extend(actions.into_iter().map(|action| {
                    Change::Column(ColumnChange::AlterColumn {
                        table: table.clone(),
                        column: column.clone(),
                        action,
                    })
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
                    after.push((Action::Drop, domain_id(&parked(name))));
                    if risky {
                        through_text.push(user.clone());
                    }
                }
            }
            // A composite type with an attribute of this type: its stored
            // values hold this type's, so it moves to a new type as well.
            ObjectId::Type { name } if composite(new, name).is_some() => {
                if !rebuilt.contains(user) {
                    out.retain(|c| {
                        let target = c.target().1;
                        &target != user
                            && !matches!(&target, ObjectId::TypeAttribute { type_name, .. } if type_name == name)
                    });
                    rebuild(user, old, new, rebuilt, out);
                }
                after.push((Action::Drop, type_id(&parked(name))));
                if risky {
                    through_text.push(user.clone());
                }
            }
            // Anything else using it is left to `recreate_dependents`, as
            // for any object dropped: the rename away counts as a drop.
            ObjectId::Type { .. }
            | ObjectId::Schema { .. }
            | ObjectId::Extension { .. }
            | ObjectId::Sequence { .. }
            | ObjectId::Table { .. }
            | ObjectId::Constraint { .. }
            | ObjectId::Index { .. }
            | ObjectId::SequenceOwnership { .. }
            | ObjectId::DomainConstraint { .. }
            | ObjectId::Collation { .. }
            | ObjectId::TypeAttribute { .. }
            | ObjectId::Function { .. }
            | ObjectId::Aggregate { .. }
            | ObjectId::Trigger { .. }
            | ObjectId::EventTrigger { .. }
            | ObjectId::View { .. }
            | ObjectId::MaterializedView { .. }
            | ObjectId::Policy { .. }
            | ObjectId::DefaultPrivileges { .. }
            | ObjectId::Inheritance { .. }
            | ObjectId::ReplicaIdentity { .. }
            | ObjectId::Publication { .. }
            | ObjectId::Cast { .. }
            | ObjectId::Rule { .. }
            | ObjectId::TextSearchConfiguration { .. }
            | ObjectId::TextSearchDictionary { .. }
            | ObjectId::ForeignDataWrapper { .. }
            | ObjectId::ForeignServer { .. }
            | ObjectId::UserMapping { .. }
            | ObjectId::ForeignTable { .. }
            | ObjectId::Statistics { .. }
            | ObjectId::Operator { .. }
            | ObjectId::Language { .. }
            | ObjectId::Conversion { .. }
            | ObjectId::AccessMethod { .. }
            | ObjectId::TextSearchParser { .. }
            | ObjectId::TextSearchTemplate { .. }
            | ObjectId::Subscription { .. }
            | ObjectId::OperatorFamily { .. }
            | ObjectId::OperatorClass { .. } => {}
        }
    }
    for c in out.iter_mut() {
        if let Change::Type(TypeChange::RenameTypeAway {
            id: renamed,
            through_text: found,
            ..
        }) = c
            && renamed == id
        {
            *found = std::mem::take(&mut through_text);
        }
    }
    out.push(Change::Type(TypeChange::DropRetiredType {
        id: retired,
        after,
    }));
}

/// The enums of both catalogs that gain labels which an object created or
/// changed by the same plan uses. A label added by `ALTER TYPE … ADD VALUE`
/// cannot be used before the transaction commits, and a migration is one
/// transaction; a type created in the transaction has no such limit, so
/// these enums are rebuilt instead.
///
/// Decided from the catalogs before any change is emitted: an expression
/// that uses a label the old catalog lacks cannot be in the old catalog, so
/// the objects to look at are those whose expressions differ. The server
/// prints every use of a label as `'label'::schema.type` (in an array,
/// `'{a,label}'::schema.type[]`).
pub(crate) fn enums_to_rebuild(old: &Catalog, new: &Catalog) -> BTreeSet<QualifiedName> {
    let gaining: Vec<(&QualifiedName, Vec<String>)> = pairs(&old.types, &new.types)
        .filter_map(|(o, n)| match (&o?.kind, &n?.kind) {
            (TypeKind::Enum { values: ov }, TypeKind::Enum { values: nv }) if ov != nv => {
                let added = added_values(ov, nv)?;
                Some((&n?.name, added.into_iter().map(|(v, _)| v).collect()))
            }
            _ => None,
        })
        .collect();
    if gaining.is_empty() {
        return BTreeSet::new();
    }
    let before: BTreeMap<ObjectId, Vec<&str>> = old.expressions().collect();
    let changed: Vec<Vec<&str>> = new
        .expressions()
        .filter(|(id, exprs)| before.get(id) != Some(exprs))
        .map(|(_, exprs)| exprs)
        .collect();
    gaining
        .into_iter()
        .filter(|(name, labels)| {
            let type_name = name.to_string();
            changed
                .iter()
                .flatten()
                .any(|text| text.contains(&type_name) && labels.iter().any(|l| uses_label(text, l)))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Whether server-printed SQL holds `label` as a literal or as an element
/// of an array literal.
fn uses_label(text: &str, label: &str) -> bool {
    [
        format!("'{}'", label.replace('\'', "''")),
        format!("{{{label},"),
        format!("{{{label}}}"),
        format!(",{label},"),
        format!(",{label}}}"),
    ]
    .iter()
    .any(|form| text.contains(form.as_str()))
}

/// Whether `dependent` is part of an object in `dropped` and so goes and
/// comes with it: a rebuilt domain is created with its constraints.
pub(crate) fn goes_with(dependent: &ObjectId, dropped: &BTreeSet<ObjectId>) -> bool {
    match dependent.as_type_object() {
        Some(TypeObject::DomainConstraint { domain, .. }) => dropped.contains(&domain_id(domain)),
        Some(TypeObject::Attribute { type_name, .. }) => dropped.contains(&type_id(type_name)),
        // Not part of a domain or composite type.
        Some(TypeObject::Type(_) | TypeObject::Domain(_) | TypeObject::Collation(_)) | None => {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    //! Which changes types, domains and collations produce; SQL and order
    //! are gen-plan's and tested there.

    use gen_model::Column;
    use gen_test_support::{DomainExt, attributes as attrs};

    use super::*;
    use crate::diff;

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn labels(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    fn column(name: &str, data_type: &str, default: Option<&str>) -> Column {
        Column {
            default: default.map(str::to_owned),
            ..Column::plain(name, data_type)
        }
    }

    /// A catalog with enum `mood` and table `t` whose column `m` uses it,
    /// with the edge the server records.
    fn with_mood(values: &[&str], default: Option<&str>) -> Catalog {
        let mut c = Catalog::default();
        c.types
            .insert(q("mood"), gen_test_support::enum_type(q("mood"), values));
        c.tables.insert(
            q("t"),
            gen_test_support::table(q("t"), vec![column("m", "public.mood", default)]),
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
        changes.iter().map(|c| c.variant().to_owned()).collect()
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
            Change::Column(ColumnChange::AlterColumn {
                action: ColumnAction::Type {
                    conversion: Conversion::ViaText,
                    ..
                },
                ..
            })
        ));
        let Change::Type(TypeChange::DropRetiredType { id, after }) = &changes[4] else {
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
    fn a_new_label_in_an_array_literal_forces_a_rebuild() {
        let old = with_mood(&["a"], None);
        let mut new = with_mood(&["a", "b"], None);
        new.tables.get_mut(&q("t")).unwrap().constraints.insert(
            "m_known".to_owned(),
            gen_model::Constraint {
                name: "m_known".to_owned(),
                kind: gen_model::ConstraintKind::Check,
                definition: "CHECK ((m = ANY ('{a,b}'::public.mood[])))".to_owned(),
                columns: vec!["m".to_owned()],
                references: None,
                validated: true,
                comment: None,
                index_comment: None,
                inherited: Default::default(),
                index_options: Vec::new(),
                index_tablespace: None,
            },
        );
        assert_eq!(enums_to_rebuild(&old, &new), BTreeSet::from([q("mood")]));
    }

    #[test]
    fn a_label_only_in_unchanged_text_adds_in_place() {
        // A PL/pgSQL body is not checked when it is created, so it may name
        // a label before the label exists; it runs after the migration.
        let function = |values: &[&str]| {
            let mut c = with_mood(values, None);
            let f = gen_model::Function {
                name: q("f"),
                args: String::new(),
                kind: gen_model::RoutineKind::Function,
                language: "plpgsql".to_owned(),
                sql_body: false,
                security_definer: false,
                definition: "CREATE OR REPLACE FUNCTION public.f()\n RETURNS public.mood\n \
                             LANGUAGE plpgsql\nAS $function$ BEGIN RETURN 'b'::public.mood; \
                             END $function$"
                    .to_owned(),
                result: Some("public.mood".to_owned()),
                signature: String::new(),
                defaults: 0,
                comment: None,
            };
            c.functions.insert((q("f"), String::new()), f);
            c
        };
        let old = function(&["a"]);
        let new = function(&["a", "b"]);
        assert!(enums_to_rebuild(&old, &new).is_empty());
        assert_eq!(kinds(&diff(&old, &new)), ["AddEnumValue"]);
    }

    #[test]
    fn a_removed_label_is_named_in_the_rebuild() {
        let old = with_mood(&["a", "b"], Some("'a'::public.mood"));
        let new = with_mood(&["a"], Some("'a'::public.mood"));
        let changes = diff(&old, &new);
        assert!(changes.iter().any(|c| matches!(c,
            Change::Type(TypeChange::RenameTypeAway { removed_values, .. }) if removed_values == &labels(&["b"]))));
        // The default is dropped before the type change and restored after.
        let column_actions: Vec<&ColumnAction> = changes
            .iter()
            .filter_map(|c| {
                if let Change::Column(ColumnChange::AlterColumn { action, .. }) = c {
                    Some(action)
                } else {
                    None
                }
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
        constraints.iter().fold(
            gen_test_support::domain(q("d"), "integer"),
            |d, (n, def)| d.constraint(n, def),
        )
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
            [Change::Domain(DomainChange::RenameDomainConstraint {
                domain: q("d"),
                from: "a".to_owned(),
                to: "b".to_owned()
            })]
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

    /// Composite type `c` of integer attributes.
    fn composite(attrs: &[&str]) -> UserType {
        let list: Vec<(&str, &str)> = attrs.iter().map(|a| (*a, "integer")).collect();
        composite_of("c", &list)
    }

    fn composite_of(name: &str, list: &[(&str, &str)]) -> UserType {
        gen_test_support::composite(q(name), list)
    }

    fn column_id(table: &str, column: &str) -> ObjectId {
        gen_test_support::column_id(&q(table), column)
    }

    /// Table `t` with the columns given, and the edges the server records
    /// from each column to the type it names (element type for arrays).
    fn with_table(mut c: Catalog, columns: &[(&str, &str, &str)]) -> Catalog {
        c.tables.insert(
            q("t"),
            gen_test_support::table(
                q("t"),
                columns
                    .iter()
                    .map(|(name, data_type, _)| column(name, data_type, None))
                    .collect(),
            ),
        );
        for (name, _, used) in columns {
            c.depends.insert((column_id("t", name), type_id(&q(used))));
        }
        c
    }

    fn rows(changes: &[Change], column: &str) -> Option<Vec<RowField>> {
        changes.iter().find_map(|c| {
            if let Change::Column(ColumnChange::AlterColumn {
                column: cn,
                action:
                    ColumnAction::Type {
                        conversion: Conversion::Rows(fields),
                        ..
                    },
                ..
            }) = c
                && cn == column
            {
                Some(fields.clone())
            } else {
                None
            }
        })
    }

    #[test]
    fn a_retyped_attribute_changes_in_place_unless_values_are_stored() {
        let old = attrs(&[("a", "integer"), ("b", "text")]);
        let new = attrs(&[("a", "bigint"), ("b", "text")]);
        assert!(matches!(
            attribute_plan(&q("c"), &old, &new, false),
            AttributePlan::InPlace(changes) if kinds(&changes) == ["AlterAttributeType"]
        ));
        assert_eq!(
            attribute_plan(&q("c"), &old, &new, true),
            AttributePlan::Rebuild
        );
        // A collation is part of the attribute's type.
        let mut collated = old.clone();
        collated[1].collation = Some("\"C\"".to_owned());
        assert_eq!(
            attribute_plan(&q("c"), &old, &collated, true),
            AttributePlan::Rebuild
        );
    }

    #[test]
    fn attributes_added_and_dropped_stay_in_place_under_stored_values() {
        let old = attrs(&[("a", "integer"), ("b", "text")]);
        let new = attrs(&[("a", "integer"), ("c", "date")]);
        assert!(matches!(
            attribute_plan(&q("c"), &old, &new, true),
            AttributePlan::InPlace(changes) if kinds(&changes) == ["DropAttribute", "AddAttribute"]
        ));
    }

    #[test]
    fn reordered_attributes_rebuild_a_stored_type_and_recreate_another() {
        let old = attrs(&[("a", "integer"), ("b", "text")]);
        let new = attrs(&[("b", "text"), ("a", "integer")]);
        assert_eq!(
            attribute_plan(&q("c"), &old, &new, true),
            AttributePlan::Rebuild
        );
        assert_eq!(
            attribute_plan(&q("c"), &old, &new, false),
            AttributePlan::Recreate
        );
    }

    #[test]
    fn values_are_stored_through_domains_and_other_composite_types() {
        let mut c = Catalog::default();
        c.types
            .insert(q("part"), composite_of("part", &[("a", "integer")]));
        c.types
            .insert(q("whole"), composite_of("whole", &[("i", "public.part")]));
        c.depends
            .insert((type_id(&q("whole")), type_id(&q("part"))));
        let view = ObjectId::View { name: q("v") };
        c.depends.insert((view.clone(), type_id(&q("part"))));
        // Used by a view and another type only: nothing stored.
        assert!(!stored(&type_id(&q("part")), &c));
        let mut with_domain = c.clone();
        with_domain
            .depends
            .insert((domain_id(&q("d")), type_id(&q("whole"))));
        with_domain
            .depends
            .insert((column_id("t", "x"), domain_id(&q("d"))));
        assert!(stored(&type_id(&q("part")), &with_domain));
        let mut with_column = c;
        with_column
            .depends
            .insert((column_id("t", "x"), type_id(&q("whole"))));
        assert!(stored(&type_id(&q("part")), &with_column));
    }

    #[test]
    fn a_retyped_attribute_under_a_column_rebuilds_the_type_and_moves_it_by_name() {
        let mut old = Catalog::default();
        old.types.insert(
            q("c"),
            composite_of("c", &[("a", "integer"), ("gone", "text"), ("b", "text")]),
        );
        let mut new = Catalog::default();
        new.types.insert(
            q("c"),
            composite_of("c", &[("b", "text"), ("a", "bigint"), ("n", "date")]),
        );
        let cols = [("v", "public.c", "c"), ("vs", "public.c[]", "c")];
        let (old, new) = (with_table(old, &cols), with_table(new, &cols));
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
        let Change::Type(TypeChange::RenameTypeAway {
            removed_values,
            through_text,
            ..
        }) = &changes[0]
        else {
            panic!("the rebuild starts by parking the old type");
        };
        assert_eq!(removed_values, &["gone".to_owned()]);
        // The array goes through the text form, attribute by position,
        // which the new order breaks.
        assert_eq!(through_text, &[column_id("t", "vs")]);
        assert_eq!(
            rows(&changes, "v"),
            Some(vec![
                RowField {
                    source: Some("b".to_owned()),
                    cast: FieldCast::None
                },
                RowField {
                    source: Some("a".to_owned()),
                    cast: FieldCast::ViaText("bigint".to_owned())
                },
                RowField {
                    source: None,
                    cast: FieldCast::None
                },
            ])
        );
        assert_eq!(rows(&changes, "vs"), None);
    }

    #[test]
    fn a_type_inside_another_rebuilds_both_and_the_inner_goes_last() {
        let build = |inner: &str| {
            let mut c = Catalog::default();
            c.types
                .insert(q("part"), composite_of("part", &[("a", inner)]));
            c.types.insert(
                q("whole"),
                composite_of("whole", &[("i", "public.part"), ("n", "text")]),
            );
            c.depends
                .insert((type_id(&q("whole")), type_id(&q("part"))));
            with_table(c, &[("x", "public.whole", "whole")])
        };
        let mut changes = diff(&build("integer"), &build("bigint"));
        let retired: Vec<(ObjectId, Vec<(Action, ObjectId)>)> = changes
            .iter()
            .filter_map(|c| {
                if let Change::Type(TypeChange::DropRetiredType { id, after }) = c {
                    Some((id.clone(), after.clone()))
                } else {
                    None
                }
            })
            .collect();
        let inner = retired
            .iter()
            .find(|(id, _)| id == &type_id(&q("part_old")))
            .expect("the inner type is rebuilt");
        assert!(inner.1.contains(&(Action::Drop, type_id(&q("whole_old")))));
        assert!(
            retired
                .iter()
                .any(|(id, _)| id == &type_id(&q("whole_old")))
        );
        assert_eq!(
            rows(&changes, "x").map(|f| f[0].cast.clone()),
            Some(FieldCast::Rebuilt("public.part".to_owned()))
        );
        // Nothing is altered in place on either type.
        changes.retain(|c| matches!(c, Change::Type(TypeChange::AlterAttributeType { .. })));
        assert!(changes.is_empty());
    }

    #[test]
    fn a_shrinking_modifier_is_an_explicit_cast_inside_a_row() {
        let catalogs = [&Catalog::default(), &Catalog::default()];
        let cast = |from: &str, to: &str| {
            let fields = row_fields(
                &attrs(&[("a", from)]),
                &attrs(&[("a", to)]),
                &BTreeSet::new(),
                catalogs,
            );
            fields[0].cast.clone()
        };
        let to = |t: &str| t.to_owned();
        assert_eq!(
            cast("character varying(5)", "character varying(10)"),
            FieldCast::Assignment(to("character varying(10)"))
        );
        assert_eq!(
            cast("character varying(10)", "character varying(5)"),
            FieldCast::Explicit(to("character varying(5)"))
        );
        assert_eq!(
            cast("numeric(5,2)", "numeric(10,2)"),
            FieldCast::Assignment(to("numeric(10,2)"))
        );
        assert_eq!(
            cast("numeric(10,2)", "numeric(10,4)"),
            FieldCast::Explicit(to("numeric(10,4)"))
        );
        assert_eq!(
            cast("numeric(10,2)", "numeric"),
            FieldCast::Assignment(to("numeric"))
        );
        assert_eq!(cast("text", "text"), FieldCast::None);
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
