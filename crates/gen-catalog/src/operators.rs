//! User-defined operators.

use gen_model::{ObjectId, Operator, QualifiedName};

use crate::Builder;
use crate::rows::OperatorRow;

impl Builder {
    /// Every operator in an application schema, but an extension's.
    pub(crate) fn operators(&mut self, rows: &[OperatorRow]) {
        for r in rows {
            let Some(schema) = self.lookup.owned("pg_operator", r.oid, r.nsp) else {
                continue;
            };
            let o = Operator {
                name: QualifiedName::new(schema, r.oprname.clone()),
                left: r.left_type.clone(),
                right: r.right_type.clone(),
                function: r.function.clone(),
                commutator: r.commutator.clone(),
                negator: r.negator.clone(),
                restrict: r.restrict.clone(),
                join: r.join_estimator.clone(),
                hashes: r.hashes,
                merges: r.merges,
                comment: self.lookup.comment("pg_operator", r.oid, 0),
            };
            let id = o.id();
            self.ids.insert(("pg_operator", r.oid, 0), id.clone());
            self.catalog.owners.insert(id.clone(), r.owner.clone());
            let ObjectId::Operator { name, left, right } = id else {
                unreachable!("an operator's identity");
            };
            self.catalog.operators.insert((name, left, right), o);
        }
    }

    /// Each operator on its schema.
    pub(crate) fn operator_edges(&self) -> Vec<(ObjectId, ObjectId)> {
        self.catalog
            .operators
            .values()
            .map(|o| {
                (
                    o.id(),
                    ObjectId::Schema {
                        name: o.name.schema.clone(),
                    },
                )
            })
            .collect()
    }
}
