//! Tables, their columns and constraints, indexes and sequences.

use gen_model::{
    Column, Constraint, ConstraintKind, Ident, Identity, Index, Inherited, QualifiedName, Sequence,
    SequenceOptions, Table,
};

pub fn q(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(schema, name)
}

/// A nullable column with no default.
pub fn col(name: &str, data_type: &str) -> Column {
    Column::plain(name, data_type)
}

pub trait ColumnExt {
    fn not_null(self) -> Self;
    /// `expr` as the server prints it: `'3'::text`, `nextval('s'::regclass)`.
    fn default(self, expr: &str) -> Self;
    /// `GENERATED ALWAYS AS (expr) STORED`.
    fn generated(self, expr: &str) -> Self;
    /// An identity column, which is also `NOT NULL`.
    fn identity(self, always: bool, sequence: QualifiedName, options: SequenceOptions) -> Self;
    /// `collation` quoted as the server prints it: `"C"`.
    fn collate(self, collation: &str) -> Self;
    fn comment(self, text: &str) -> Self;
    /// Inherited from one parent and not declared locally, as a
    /// partition's columns are.
    fn inherited(self) -> Self;
}

impl ColumnExt for Column {
    fn not_null(mut self) -> Self {
        self.not_null = true;
        self
    }
    fn default(mut self, expr: &str) -> Self {
        self.default = Some(expr.to_owned());
        self
    }
    fn generated(mut self, expr: &str) -> Self {
        self.generated = Some(expr.to_owned());
        self
    }
    fn identity(mut self, always: bool, sequence: QualifiedName, options: SequenceOptions) -> Self {
        self.identity = Some(Identity {
            always,
            sequence,
            options,
        });
        self.not_null = true;
        self
    }
    fn collate(mut self, collation: &str) -> Self {
        self.collation = Some(collation.to_owned());
        self
    }
    fn comment(mut self, text: &str) -> Self {
        self.comment = Some(text.to_owned());
        self
    }
    fn inherited(mut self) -> Self {
        self.inherited = Inherited {
            local: false,
            count: 1,
        };
        self
    }
}

/// A logged table with these columns and nothing else.
pub fn table(name: QualifiedName, columns: Vec<Column>) -> Table {
    Table {
        name,
        unlogged: false,
        options: Vec::new(),
        columns,
        constraints: Default::default(),
        comment: None,
        inheritance: Default::default(),
        replica_identity: Default::default(),
        cluster_on: None,
        access_method: None,
        of_type: None,
        tablespace: None,
    }
}

fn column_list(columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| Ident(c).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Constraints are written as `pg_get_constraintdef` prints them; the
/// methods that change one take its name and panic if it is missing.
pub trait TableExt {
    /// A validated constraint of any kind, `definition` as printed.
    fn constraint(
        self,
        name: &str,
        kind: ConstraintKind,
        definition: &str,
        columns: &[&str],
    ) -> Self;
    fn pk(self, name: &str, columns: &[&str]) -> Self;
    /// `CHECK (expr)`; `expr` comes with the server's parentheses.
    fn check(self, name: &str, expr: &str) -> Self;
    /// A foreign key; [`Db::build`](crate::Db::build) adds its edges on
    /// the target's primary key.
    fn fk(
        self,
        name: &str,
        columns: &[&str],
        target: &QualifiedName,
        target_columns: &[&str],
    ) -> Self;
    fn not_valid(self, name: &str) -> Self;
    fn comment(self, text: &str) -> Self;
    fn constraint_comment(self, name: &str, text: &str) -> Self;
    /// The comment on the index behind a key constraint.
    fn index_comment(self, name: &str, text: &str) -> Self;
    /// `PARTITION BY key`, `key` as in `RANGE (a)`.
    fn partitioned(self, key: &str) -> Self;
    /// `PARTITION OF parent bound`, `bound` as in `FOR VALUES IN (1)` or
    /// `DEFAULT`. The columns stay as given: see [`ColumnExt::inherited`].
    fn partition_of(self, parent: &QualifiedName, bound: &str) -> Self;
}

impl TableExt for Table {
    fn constraint(
        mut self,
        name: &str,
        kind: ConstraintKind,
        definition: &str,
        columns: &[&str],
    ) -> Self {
        self.constraints.insert(
            name.to_owned(),
            Constraint {
                name: name.to_owned(),
                kind,
                definition: definition.to_owned(),
                columns: columns.iter().map(|c| (*c).to_owned()).collect(),
                references: None,
                validated: true,
                comment: None,
                index_comment: None,
                inherited: Default::default(),
                index_options: Vec::new(),
                index_tablespace: None,
            },
        );
        self
    }
    fn pk(self, name: &str, columns: &[&str]) -> Self {
        let definition = format!("PRIMARY KEY ({})", column_list(columns));
        self.constraint(name, ConstraintKind::PrimaryKey, &definition, columns)
    }
    fn check(self, name: &str, expr: &str) -> Self {
        self.constraint(name, ConstraintKind::Check, &format!("CHECK ({expr})"), &[])
    }
    fn fk(
        self,
        name: &str,
        columns: &[&str],
        target: &QualifiedName,
        target_columns: &[&str],
    ) -> Self {
        let definition = format!(
            "FOREIGN KEY ({}) REFERENCES {target}({})",
            column_list(columns),
            column_list(target_columns)
        );
        let mut t = self.constraint(name, ConstraintKind::ForeignKey, &definition, columns);
        t.constraints.get_mut(name).unwrap().references = Some(target.clone());
        t
    }
    fn not_valid(mut self, name: &str) -> Self {
        let c = self.constraints.get_mut(name).unwrap();
        c.validated = false;
        c.definition.push_str(" NOT VALID");
        self
    }
    fn comment(mut self, text: &str) -> Self {
        self.comment = Some(text.to_owned());
        self
    }
    fn constraint_comment(mut self, name: &str, text: &str) -> Self {
        self.constraints.get_mut(name).unwrap().comment = Some(text.to_owned());
        self
    }
    fn index_comment(mut self, name: &str, text: &str) -> Self {
        self.constraints.get_mut(name).unwrap().index_comment = Some(text.to_owned());
        self
    }
    fn partitioned(mut self, key: &str) -> Self {
        self.inheritance.partition_key = Some(key.to_owned());
        self
    }
    fn partition_of(mut self, parent: &QualifiedName, bound: &str) -> Self {
        self.inheritance.parents = vec![parent.clone()];
        self.inheritance.partition_bound = Some(bound.to_owned());
        self
    }
}

/// A plain btree index on `columns` of `table`, in the table's schema.
pub fn index(name: &str, table: &QualifiedName, columns: &[&str]) -> Index {
    Index {
        name: q(&table.schema, name),
        table: table.clone(),
        definition: format!(
            "CREATE INDEX {} ON {table} USING btree ({})",
            Ident(name),
            column_list(columns)
        ),
        comment: None,
        parent: None,
        column_statistics: Vec::new(),
        tablespace: None,
    }
}

/// Options a sequence of `data_type` gets when none are given, counting up.
pub fn ascending(data_type: &str) -> SequenceOptions {
    let (min_value, max_value) = SequenceOptions::default_bounds(data_type, 1);
    SequenceOptions {
        data_type: data_type.to_owned(),
        start: min_value,
        increment: 1,
        min_value,
        max_value,
        cache: 1,
        cycle: false,
    }
}

/// Options a sequence of `data_type` gets with `INCREMENT BY -1` alone.
pub fn descending(data_type: &str) -> SequenceOptions {
    let (min_value, max_value) = SequenceOptions::default_bounds(data_type, -1);
    SequenceOptions {
        data_type: data_type.to_owned(),
        start: max_value,
        increment: -1,
        min_value,
        max_value,
        cache: 1,
        cycle: false,
    }
}

/// A logged sequence that belongs to no column.
pub fn sequence(name: QualifiedName, options: SequenceOptions) -> Sequence {
    Sequence {
        name,
        options,
        unlogged: false,
        owned_by: None,
        comment: None,
    }
}

pub trait SequenceExt {
    /// `OWNED BY table.column`, as `serial` leaves it.
    fn owned_by(self, table: &QualifiedName, column: &str) -> Self;
}

impl SequenceExt for Sequence {
    fn owned_by(mut self, table: &QualifiedName, column: &str) -> Self {
        self.owned_by = Some((table.clone(), column.to_owned()));
        self
    }
}
