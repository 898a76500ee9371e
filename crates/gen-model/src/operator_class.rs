//! Operator families and classes (`CREATE OPERATOR FAMILY`, `CREATE
//! OPERATOR CLASS`), with their members.

use serde::{Deserialize, Serialize};

use crate::{ObjectId, QualifiedName};

/// One member of an operator family or class: an operator with its
/// strategy number, or a support function with its number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OperatorMember {
    /// `OPERATOR strategy op(left, right) [FOR ORDER BY family]`
    Operator {
        /// Strategy number.
        strategy: i16,
        /// The operator with its operand types, as `regoperator` prints
        /// it: `public.<(integer,integer)`.
        operator: String,
        /// `FOR ORDER BY`: the sort family, qualified.
        order_by: Option<String>,
    },
    /// `FUNCTION number (left, right) f(args)`
    Function {
        /// Support function number.
        number: i16,
        /// The operand types it serves.
        left: String,
        /// The operand types it serves.
        right: String,
        /// The function with its argument types, as `regprocedure`
        /// prints it.
        function: String,
    },
}

/// `CREATE OPERATOR FAMILY schema.name USING method`, with the members
/// added to it on their own (`ALTER OPERATOR FAMILY … ADD`): not those of
/// its classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorFamily {
    /// Family name.
    pub name: QualifiedName,
    /// Index access method.
    pub method: String,
    /// Members that belong to no class, sorted.
    pub members: Vec<OperatorMember>,
    /// `COMMENT ON OPERATOR FAMILY`.
    pub comment: Option<String>,
}

impl OperatorFamily {
    /// This family's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::OperatorFamily {
            name: self.name.clone(),
            method: self.method.clone(),
        }
    }
}

/// `CREATE OPERATOR CLASS schema.name [DEFAULT] FOR TYPE t USING method
/// FAMILY f AS …`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorClass {
    /// Class name.
    pub name: QualifiedName,
    /// Index access method.
    pub method: String,
    /// `FOR TYPE`.
    pub for_type: String,
    /// `DEFAULT` for its type and method.
    pub default: bool,
    /// The family it belongs to.
    pub family: QualifiedName,
    /// `STORAGE`, when it differs from the type.
    pub storage: Option<String>,
    /// Its operators and support functions, sorted.
    pub members: Vec<OperatorMember>,
    /// `COMMENT ON OPERATOR CLASS`.
    pub comment: Option<String>,
}

impl OperatorClass {
    /// This class's identity.
    pub fn id(&self) -> ObjectId {
        ObjectId::OperatorClass {
            name: self.name.clone(),
            method: self.method.clone(),
        }
    }
}
