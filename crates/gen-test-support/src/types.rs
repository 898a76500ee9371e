//! Enum and composite types, and domains.

use gen_model::{Attribute, Domain, DomainConstraint, QualifiedName, TypeKind, UserType};

pub fn enum_type(name: QualifiedName, labels: &[&str]) -> UserType {
    UserType {
        name,
        kind: TypeKind::Enum {
            values: labels.iter().map(|l| (*l).to_owned()).collect(),
        },
        comment: None,
    }
}

/// Attributes from `(name, data type)` pairs, in order.
pub fn attributes(list: &[(&str, &str)]) -> Vec<Attribute> {
    list.iter()
        .map(|(name, data_type)| Attribute {
            name: (*name).to_owned(),
            data_type: (*data_type).to_owned(),
            collation: None,
            comment: None,
        })
        .collect()
}

/// A composite type of `(name, data type)` attributes, in order.
pub fn composite(name: QualifiedName, list: &[(&str, &str)]) -> UserType {
    UserType {
        name,
        kind: TypeKind::Composite {
            attributes: attributes(list),
        },
        comment: None,
    }
}

/// A domain over `base_type` with no default and no constraints.
pub fn domain(name: QualifiedName, base_type: &str) -> Domain {
    Domain {
        name,
        base_type: base_type.to_owned(),
        collation: None,
        default: None,
        not_null: false,
        not_null_name: None,
        constraints: Default::default(),
        comment: None,
    }
}

pub trait DomainExt {
    /// A validated constraint, `definition` as printed: `CHECK ((VALUE > 0))`.
    fn constraint(self, name: &str, definition: &str) -> Self;
}

impl DomainExt for Domain {
    fn constraint(mut self, name: &str, definition: &str) -> Self {
        self.constraints.insert(
            name.to_owned(),
            DomainConstraint {
                name: name.to_owned(),
                definition: definition.to_owned(),
                validated: true,
                comment: None,
            },
        );
        self
    }
}
