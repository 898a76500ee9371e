//! Operator families and classes: the change type, and the comparison
//! that emits it.

use gen_model::{Catalog, ObjectId, OperatorClass, OperatorFamily, OperatorMember, QualifiedName};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs};

/// A change to an operator family or class; each variant's doc is the
/// statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum OperatorClassChange {
    /// `CREATE OPERATOR FAMILY name USING method;` and, with members of
    /// its own, `ALTER OPERATOR FAMILY name USING method ADD …;`
    CreateFamily(OperatorFamily),
    /// `DROP OPERATOR FAMILY name USING method;`
    DropFamily(OperatorFamily),
    /// `ALTER OPERATOR FAMILY name USING method ADD OPERATOR …, FUNCTION …;`
    AddMembers {
        /// Family name.
        name: QualifiedName,
        /// Index access method.
        method: String,
        /// The members added.
        members: Vec<OperatorMember>,
    },
    /// `ALTER OPERATOR FAMILY name USING method DROP OPERATOR n (left,
    /// right), FUNCTION n (left, right);`
    DropMembers {
        /// Family name.
        name: QualifiedName,
        /// Index access method.
        method: String,
        /// The members dropped.
        members: Vec<OperatorMember>,
    },
    /// `CREATE OPERATOR CLASS name [DEFAULT] FOR TYPE t USING method
    /// FAMILY f AS OPERATOR …, FUNCTION …[, STORAGE s];`
    CreateClass(OperatorClass),
    /// `DROP OPERATOR CLASS name USING method;`
    DropClass(OperatorClass),
}

impl OperatorClassChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            OperatorClassChange::CreateFamily(f) => (CreateOrAlter, f.id()),
            OperatorClassChange::DropFamily(f) => (Drop, f.id()),
            OperatorClassChange::AddMembers { name, method, .. }
            | OperatorClassChange::DropMembers { name, method, .. } => (
                CreateOrAlter,
                ObjectId::OperatorFamily {
                    name: name.clone(),
                    method: method.clone(),
                },
            ),
            OperatorClassChange::CreateClass(c) => (CreateOrAlter, c.id()),
            OperatorClassChange::DropClass(c) => (Drop, c.id()),
        }
    }

    /// The variant's name, `CreateFamily` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            OperatorClassChange::CreateFamily(..) => "CreateFamily",
            OperatorClassChange::DropFamily(..) => "DropFamily",
            OperatorClassChange::AddMembers { .. } => "AddMembers",
            OperatorClassChange::DropMembers { .. } => "DropMembers",
            OperatorClassChange::CreateClass(..) => "CreateClass",
            OperatorClassChange::DropClass(..) => "DropClass",
        }
    }
}

/// Families created and dropped, their own members added and dropped in
/// place; classes created, dropped, and made anew (with the indexes over
/// them, by the closure) when anything but their comment changes: `ALTER
/// OPERATOR CLASS` only renames, moves and gives away.
pub(crate) fn operator_classes(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.operator_families, &new.operator_families) {
        match (o, n) {
            (Some(o), None) => out.push(OperatorClassChange::DropFamily(o.clone()).into()),
            (None, Some(n)) => create_family(n, out),
            (Some(o), Some(n)) => {
                let gone: Vec<OperatorMember> = o
                    .members
                    .iter()
                    .filter(|m| !n.members.contains(m))
                    .cloned()
                    .collect();
                let added: Vec<OperatorMember> = n
                    .members
                    .iter()
                    .filter(|m| !o.members.contains(m))
                    .cloned()
                    .collect();
                if !gone.is_empty() {
                    out.push(
                        OperatorClassChange::DropMembers {
                            name: n.name.clone(),
                            method: n.method.clone(),
                            members: gone,
                        }
                        .into(),
                    );
                }
                if !added.is_empty() {
                    out.push(
                        OperatorClassChange::AddMembers {
                            name: n.name.clone(),
                            method: n.method.clone(),
                            members: added,
                        }
                        .into(),
                    );
                }
                comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
            }
            (None, None) => {}
        }
    }
    for (o, n) in pairs(&old.operator_classes, &new.operator_classes) {
        match (o, n) {
            (Some(o), None) => out.push(OperatorClassChange::DropClass(o.clone()).into()),
            (None, Some(n)) => create_class(n, out),
            (Some(o), Some(n)) => {
                let bare = |c: &OperatorClass| OperatorClass {
                    comment: None,
                    ..c.clone()
                };
                if bare(o) == bare(n) {
                    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
                } else {
                    recreate_class(o, n, out);
                }
            }
            (None, None) => {}
        }
    }
}

/// The class dropped as in `old` and created as in `new`.
pub(crate) fn recreate_class(o: &OperatorClass, n: &OperatorClass, out: &mut Vec<Change>) {
    out.push(OperatorClassChange::DropClass(o.clone()).into());
    create_class(n, out);
}

/// The family created, with its own members and comment.
pub(crate) fn create_family(n: &OperatorFamily, out: &mut Vec<Change>) {
    out.push(OperatorClassChange::CreateFamily(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}

/// The class created, with its comment.
pub(crate) fn create_class(n: &OperatorClass, out: &mut Vec<Change>) {
    out.push(OperatorClassChange::CreateClass(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}
