//! Columns: the SQL and the hazards of each change.

use gen_diff::{ColumnAction, ColumnChange, Conversion, FieldCast};
use gen_model::{Catalog, ConstraintKind, Ident, QualifiedName};

use super::Kind;
use crate::Step;
use crate::hazard::{CONVERT_APART, Hazard, HazardKind, hazard, rename_instead};
use crate::lock::Lock;
use crate::online::{Online, not_null_check_name};
use crate::render::{alter_column, column_definition};

impl Kind for ColumnChange {
    fn sql(&self) -> String {
        match self {
            ColumnChange::AddColumn { table, column } => {
                format!(
                    "ALTER TABLE {table} ADD COLUMN {};",
                    column_definition(&table.name, column)
                )
            }
            ColumnChange::DropColumn { table, column } => {
                format!("ALTER TABLE {table} DROP COLUMN {};", Ident(&column.name))
            }
            ColumnChange::AlterColumn {
                table,
                column,
                action,
            } => alter_column(table, column, action),
            ColumnChange::ReleaseType {
                table,
                column,
                had_default,
                ..
            } => {
                let col = Ident(column);
                let default = if *had_default {
                    format!("ALTER COLUMN {col} DROP DEFAULT, ")
                } else {
                    String::new()
                };
                format!(
                    "ALTER TABLE {table} {default}ALTER COLUMN {col} TYPE text USING {col}::text;"
                )
            }
            ColumnChange::ReleaseDefault { table, column } => {
                format!(
                    "ALTER TABLE {table} ALTER COLUMN {} DROP DEFAULT;",
                    Ident(column)
                )
            }
        }
    }

    fn locks(&self, old: &Catalog) -> Vec<Lock> {
        match self {
            // VALIDATE takes SHARE UPDATE EXCLUSIVE: reads and writes go on.
            ColumnChange::AlterColumn {
                action: ColumnAction::SetStatistics(_) | ColumnAction::ValidateNotNull { .. },
                ..
            } => Vec::new(),
            // A key column's new type has the server check the foreign
            // keys that reference it anew, on their tables.
            ColumnChange::AlterColumn {
                table,
                column,
                action: ColumnAction::Type { .. },
            } => std::iter::once(table)
                .chain(referencing_key_column(old, table, column))
                .map(Lock::exclusive)
                .collect(),
            // Switching whether a not-null constraint is inherited
            // changes it on every inheriting table too.
            ColumnChange::AlterColumn {
                table,
                action: ColumnAction::SetNotNullInherit { .. },
                ..
            } => std::iter::once(table.clone())
                .chain(descendants(old, table))
                .map(|t| Lock::exclusive(&t))
                .collect(),
            ColumnChange::AddColumn { table, .. }
            | ColumnChange::DropColumn { table, .. }
            | ColumnChange::AlterColumn { table, .. }
            | ColumnChange::ReleaseDefault { table, .. }
            | ColumnChange::ReleaseType { table, .. } => vec![Lock::exclusive(table)],
        }
    }

    fn hazards(&self, old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            ColumnChange::DropColumn { table, column } if column.generated.is_none() => {
                vec![
                    hazard(
                        DeletesData,
                        format!(
                            "drops column {} of {table} and its values",
                            Ident(&column.name)
                        ),
                    )
                    .instead(rename_instead(format!(
                        "column:{table}.{}=NEW_NAME",
                        Ident(&column.name)
                    ))),
                    hazard(
                        Irreversible,
                        format!(
                            "the revert adds {table}.{} again, with no values",
                            Ident(&column.name)
                        ),
                    ),
                ]
            }
            ColumnChange::AlterColumn {
                table,
                column,
                action:
                    ColumnAction::Type {
                        from,
                        to,
                        conversion,
                        collation,
                        rewrites,
                    },
            } => {
                let old_collation = old
                    .tables
                    .get(table)
                    .and_then(|t| t.column(column))
                    .map(|c| c.collation.clone());
                let column = Ident(column);
                let what = if from == to && old_collation.is_some_and(|c| c != *collation) {
                    format!(
                        "changing the collation of {table}.{column} to {}",
                        collation.as_deref().unwrap_or("its type's default")
                    )
                } else if let (true, false, Some(collation)) = (from == to, *rewrites, collation)
                    && !to.contains('.')
                {
                    format!("moving {table}.{column} to the rebuilt collation {collation}")
                } else if from == to {
                    format!("moving {table}.{column} to the rebuilt {to}")
                } else {
                    format!("changing {table}.{column} from {from} to {to}")
                };
                // `timestamp` to `timestamptz` or back.
                let zoned = [from, to].iter().all(|t| t.starts_with("timestamp"))
                    && from.ends_with("with time zone") != to.ends_with("with time zone");
                let mut out = vec![if *rewrites {
                    hazard(
                        RewritesTable,
                        format!(
                            "{what} rewrites {table}{} and its indexes under an ACCESS EXCLUSIVE lock{}",
                            if old
                                .tables
                                .values()
                                .any(|t| t.inheritance.parents.contains(table))
                            {
                                " (with its partitions or children)"
                            } else {
                                ""
                            },
                            if zoned {
                                ", unless the deploying session's TimeZone is UTC, where the values are only relabelled"
                            } else {
                                ""
                            }
                        ),
                    )
                } else {
                    hazard(
                        AccessExclusiveLock,
                        format!(
                            "{what} keeps every row as it is, but takes an ACCESS EXCLUSIVE lock on {table} and rebuilds the indexes on the column where their ordering changes"
                        ),
                    )
                }];
                // The same type name on both sides is a rebuilt enum or domain,
                // whose own step says what its values lose.
                if let Conversion::Rows(fields) = conversion
                    && fields
                        .iter()
                        .any(|f| matches!(f.cast, FieldCast::Explicit(_) | FieldCast::ViaText(_)))
                {
                    let cast: Vec<String> = fields
                        .iter()
                        .filter(|f| {
                            matches!(f.cast, FieldCast::Explicit(_) | FieldCast::ViaText(_))
                        })
                        .filter_map(|f| f.source.as_deref().map(|a| Ident(a).to_string()))
                        .collect();
                    out.push(hazard(
                    DeletesData,
                    format!("moving {table}.{column} to the rebuilt {to} casts {} of every value, which fails or loses precision on values that do not fit", cast.join(", ")),
                ).instead(Some(CONVERT_APART.to_owned())));
                } else if *conversion != Conversion::Assignment && from != to {
                    out.push(hazard(
                    DeletesData,
                    format!("converting {table}.{column} from {from} to {to} needs an explicit cast, which fails or loses precision on values that do not fit"),
                ).instead(Some(CONVERT_APART.to_owned())));
                }
                out
            }
            // Made inheritable, the constraint goes to every inheriting
            // table, which is checked as it gets it.
            ColumnChange::AlterColumn {
                table,
                column,
                action:
                    ColumnAction::SetNotNullInherit {
                        name,
                        inherit: true,
                    },
            } => descendants(old, table)
                .into_iter()
                .map(|child| {
                    let mut h = hazard(
                        ValidatesExistingRows,
                        format!(
                            "making {} of {table} inheritable checks {} in every row of {child}, which gets it, under an ACCESS EXCLUSIVE lock",
                            Ident(name),
                            Ident(column)
                        ),
                    )
                    .instead(None);
                    h.about = Some(gen_model::ObjectId::Table { name: child });
                    h
                })
                .collect(),
            ColumnChange::AlterColumn {
                table,
                action: ColumnAction::ValidateNotNull { name },
                ..
            } => vec![super::constraint::validate_hazard(table, name)],
            ColumnChange::AlterColumn {
                table,
                column,
                action:
                    ColumnAction::SetNotNull
                    | ColumnAction::AddNotNull {
                        not_valid: false, ..
                    },
            } => vec![hazard(
                ValidatesExistingRows,
                format!(
                    "SET NOT NULL scans {table} to check {} under an ACCESS EXCLUSIVE lock",
                    Ident(column)
                ),
            )],
            ColumnChange::AlterColumn {
                table,
                column,
                action: ColumnAction::SetExpression { stored: true, .. },
            } => vec![hazard(
                RewritesTable,
                format!(
                    "SET EXPRESSION recomputes {} and rewrites {table} under an ACCESS EXCLUSIVE lock",
                    Ident(column)
                ),
            )],
            ColumnChange::AddColumn { table, column } if old.tables.contains_key(table) => {
                // What the server computes or checks for every existing
                // row as it adds the column, writing the table anew.
                let why = if column.identity.is_some() {
                    Some("as an identity it numbers every existing row".to_owned())
                } else if column.volatile_default {
                    Some(format!(
                        "the volatile default {} is computed for every existing row",
                        column.default.as_deref().unwrap_or_default()
                    ))
                } else if column.generated.is_some() && !column.virtual_generated {
                    Some(
                        "as a stored generated column it is computed for every existing row"
                            .to_owned(),
                    )
                } else if column.domain_checked {
                    Some(format!(
                        "the constraints of its domain {} are checked for every existing row",
                        column.data_type
                    ))
                } else {
                    None
                };
                let rewrite = why.map(|why| {
                    hazard(
                        RewritesTable,
                        format!(
                            "adding {} rewrites {table} and its indexes under an ACCESS EXCLUSIVE lock: {why}",
                            Ident(&column.name)
                        ),
                    )
                    .instead(Some(
                        "add the column with no default, SET DEFAULT for new rows, fill existing rows in batches, then SET NOT NULL if it needs one".to_owned(),
                    ))
                });
                // NOT NULL with nothing to fill existing rows: the server
                // scans the table and fails on its first row.
                let unfilled = column.not_null
                    && column.default.is_none()
                    && column.identity.is_none()
                    && column.generated.is_none();
                let check = unfilled.then(|| {
                    hazard(
                        ValidatesExistingRows,
                        format!(
                            "adding {} NOT NULL with no default scans {table} and fails if it holds any row",
                            Ident(&column.name)
                        ),
                    )
                    .instead(Some(
                        "give the column a default, or add it nullable, fill it in batches and SET NOT NULL afterwards".to_owned(),
                    ))
                });
                rewrite.into_iter().chain(check).collect()
            }
            ColumnChange::AddColumn { .. }
            | ColumnChange::DropColumn { .. }
            | ColumnChange::AlterColumn { .. }
            | ColumnChange::ReleaseDefault { .. } => Vec::new(),
            ColumnChange::ReleaseType {
                table,
                column,
                from,
                extension,
                ..
            } => vec![
                hazard(
                    RewritesTable,
                    format!(
                        "{} holds its values as text while extension {} is dropped and created: converting it from {from} rewrites {table} under an ACCESS EXCLUSIVE lock",
                        Ident(column),
                        Ident(extension)
                    ),
                )
                .instead(None),
            ],
        }
    }

    fn online(&self, online: &Online<'_>) -> Option<Vec<Step>> {
        let ColumnChange::AlterColumn {
            table,
            column,
            action: ColumnAction::SetNotNull,
        } = self
        else {
            return None;
        };
        if !online.stays(table) || online.old.tables[table].column(column).is_none() {
            return None;
        }
        let check = not_null_check_name(column);
        let col = Ident(column);
        Some(vec![
            online.locked_step(
                format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {} CHECK ({col} IS NOT NULL) NOT VALID;",
                    Ident(&check)
                ),
                table,
                Vec::new(),
                vec![Lock::exclusive(table)],
            ),
            online.validate(table, &check),
            online.locked_step(
                format!(
                    "ALTER TABLE {table} ALTER COLUMN {col} SET NOT NULL;\nALTER TABLE {table} DROP CONSTRAINT {};",
                    Ident(&check)
                ),
                table,
                vec![hazard(
                    HazardKind::AccessExclusiveLock,
                    format!(
                        "SET NOT NULL on {table}.{col} takes a brief ACCESS EXCLUSIVE lock; the validated check spares it the scan"
                    ),
                )
                .instead(None)],
                vec![Lock::exclusive(table)],
            ),
        ])
    }
}

/// Verify: a condition true when `table` has `column`.
pub(crate) fn exists_condition(table: &gen_model::QualifiedName, column: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = {} AND attname = {} AND NOT attisdropped)",
        crate::verify::regclass(table),
        gen_model::Literal(column)
    )
}

/// Verify: a check that raises unless the column has the type and
/// nullability `target` gives it.
pub(crate) fn present(
    table: &gen_model::QualifiedName,
    column: &str,
    target: &Catalog,
    missing: impl Fn(&str) -> String,
) -> Option<String> {
    use gen_model::Literal;
    let c = target.tables.get(table)?.column(column)?;
    let condition = format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = {} AND attname = {} AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = {} AND attnotnull = {})",
        crate::verify::regclass(table),
        Literal(column),
        Literal(&c.data_type),
        c.not_null
    );
    Some(crate::verify::raise_if(
        &condition,
        &missing(&format!(
            "not {}{}",
            c.data_type,
            if c.not_null { " NOT NULL" } else { "" }
        )),
    ))
}

/// The tables of `old` that inherit from `table`, at any depth (its
/// partitions too), in name order.
fn descendants(old: &Catalog, table: &QualifiedName) -> Vec<QualifiedName> {
    let mut out: Vec<QualifiedName> = Vec::new();
    let mut queue = vec![table.clone()];
    while let Some(parent) = queue.pop() {
        for t in old.tables.values() {
            if t.inheritance.parents.contains(&parent) && !out.contains(&t.name) {
                out.push(t.name.clone());
                queue.push(t.name.clone());
            }
        }
    }
    out.sort();
    out
}

/// The tables of `old` whose foreign keys reference `table`, where
/// `column` is in one of its primary or unique keys.
fn referencing_key_column<'a>(
    old: &'a Catalog,
    table: &'a QualifiedName,
    column: &str,
) -> impl Iterator<Item = &'a QualifiedName> {
    let keyed = old.tables.get(table).is_some_and(|t| {
        t.constraints.values().any(|c| {
            matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
                && c.columns.iter().any(|k| k == column)
        })
    });
    old.tables
        .values()
        .filter(move |t| {
            keyed
                && t.constraints
                    .values()
                    .any(|c| c.references.as_ref() == Some(table))
        })
        .map(|t| &t.name)
}
