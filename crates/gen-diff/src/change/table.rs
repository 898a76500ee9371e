//! Tables as a whole: created, dropped, their persistence, storage options and replica identity.

use gen_model::{ObjectId, QualifiedName, ReplicaIdentity, Table};
use serde::Serialize;

use super::{Action, table_id};

/// A change to a table as a whole; each variant's doc is the statement it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TableChange {
    /// `CREATE TABLE name (columns…, CONSTRAINT … inline);` — foreign keys
    /// come as separate [`ConstraintChange::AddConstraint`]s so that cycles never arise.
    CreateTable(Table),
    /// `DROP TABLE name;`
    DropTable(Table),
    /// `ALTER TABLE name SET LOGGED;` or `SET UNLOGGED`
    SetUnlogged {
        /// Table.
        table: QualifiedName,
        /// Whether the table becomes unlogged.
        unlogged: bool,
    },
    /// `ALTER TABLE name SET (k=v, …);` and `ALTER TABLE name RESET (k, …);`
    SetTableOptions {
        /// Table.
        table: QualifiedName,
        /// `key=value` pairs to set.
        set: Vec<String>,
        /// Keys to reset.
        reset: Vec<String>,
    },
    /// `ALTER TABLE table REPLICA IDENTITY { DEFAULT | FULL | NOTHING | USING INDEX i };`
    SetReplicaIdentity {
        /// The table.
        table: QualifiedName,
        /// The new replica identity.
        identity: ReplicaIdentity,
    },
    /// `ALTER TABLE table CLUSTER ON index;`
    ClusterOn {
        /// The table.
        table: QualifiedName,
        /// The index, in the table's schema.
        index: String,
        /// What makes the index: the index itself, or the key constraint
        /// behind it (the step comes after it).
        holder: ObjectId,
    },
    /// `ALTER TABLE table SET WITHOUT CLUSTER;`
    SetWithoutCluster {
        /// The table.
        table: QualifiedName,
    },
    /// `ALTER TABLE table SET TABLESPACE t;`: the table's files move.
    SetTablespace {
        /// The table.
        table: QualifiedName,
        /// The tablespace; `None` is the database's default.
        tablespace: Option<String>,
    },
    /// `ALTER TABLE table NOT OF;`: a typed table keeps its columns as its
    /// own.
    SetNotOf {
        /// The table.
        table: QualifiedName,
    },
    /// `ALTER TABLE table SET ACCESS METHOD method;` (PostgreSQL 15 on):
    /// the table is rewritten.
    SetAccessMethod {
        /// The table.
        table: QualifiedName,
        /// The access method; `None` is `heap`.
        access_method: Option<String>,
    },
}

impl TableChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        use Action::{CreateOrAlter, Drop};
        match self {
            TableChange::CreateTable(t) => (CreateOrAlter, table_id(&t.name)),
            TableChange::DropTable(t) => (Drop, table_id(&t.name)),
            TableChange::SetUnlogged { table: t, .. }
            | TableChange::SetTableOptions { table: t, .. } => (CreateOrAlter, table_id(t)),
            TableChange::ClusterOn { holder, .. } => (CreateOrAlter, holder.clone()),
            TableChange::SetWithoutCluster { table }
            | TableChange::SetAccessMethod { table, .. }
            | TableChange::SetNotOf { table }
            | TableChange::SetTablespace { table, .. } => (CreateOrAlter, table_id(table)),
            TableChange::SetReplicaIdentity { table, .. } => (
                CreateOrAlter,
                ObjectId::ReplicaIdentity {
                    table: table.clone(),
                },
            ),
        }
    }

    /// The variant's name, `CreateTable` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            TableChange::CreateTable(..) => "CreateTable",
            TableChange::DropTable(..) => "DropTable",
            TableChange::SetUnlogged { .. } => "SetUnlogged",
            TableChange::SetTableOptions { .. } => "SetTableOptions",
            TableChange::SetReplicaIdentity { .. } => "SetReplicaIdentity",
            TableChange::ClusterOn { .. } => "ClusterOn",
            TableChange::SetWithoutCluster { .. } => "SetWithoutCluster",
            TableChange::SetAccessMethod { .. } => "SetAccessMethod",
            TableChange::SetNotOf { .. } => "SetNotOf",
            TableChange::SetTablespace { .. } => "SetTablespace",
        }
    }
}
