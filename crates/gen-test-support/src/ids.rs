//! Identities of the objects tests name most, for dependency edges and
//! assertions.

use gen_model::{ObjectId, QualifiedName};

pub fn table_id(name: &QualifiedName) -> ObjectId {
    ObjectId::Table { name: name.clone() }
}

pub fn column_id(table: &QualifiedName, column: &str) -> ObjectId {
    ObjectId::Column {
        table: table.clone(),
        column: column.to_owned(),
    }
}

pub fn constraint_id(table: &QualifiedName, constraint: &str) -> ObjectId {
    ObjectId::Constraint {
        table: table.clone(),
        constraint: constraint.to_owned(),
    }
}

pub fn index_id(name: &QualifiedName) -> ObjectId {
    ObjectId::Index { name: name.clone() }
}

pub fn type_id(name: &QualifiedName) -> ObjectId {
    ObjectId::Type { name: name.clone() }
}
