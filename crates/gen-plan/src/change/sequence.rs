//! Sequences: the SQL and the hazards of each change.

use std::fmt::Write as _;

use gen_diff::SequenceChange;
use gen_model::{Catalog, Ident};

use super::Kind;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;
use crate::render::{alter_sequence_options, bound_catch_up, create_sequence_options};

impl Kind for SequenceChange {
    fn sql(&self) -> String {
        match self {
            SequenceChange::CreateSequence(s) => {
                let unlogged = if s.unlogged { "UNLOGGED " } else { "" };
                let mut sql = format!("CREATE {unlogged}SEQUENCE {}", s.name);
                for option in create_sequence_options(&s.options) {
                    write!(sql, "\n    {option}").expect("writing to a String");
                }
                sql.push(';');
                sql
            }
            SequenceChange::DropSequence(s) => format!("DROP SEQUENCE {};", s.name),
            SequenceChange::SetSequenceUnlogged { name, unlogged } => format!(
                "ALTER SEQUENCE {name} SET {};",
                if *unlogged { "UNLOGGED" } else { "LOGGED" }
            ),
            SequenceChange::AlterSequence { name, from, to } => {
                let options = alter_sequence_options(to, from);
                let alter = format!("ALTER SEQUENCE {name} {};", options.join(" "));
                match bound_catch_up(name, from, to) {
                    Some(setval) => format!("{setval}\n{alter}"),
                    None => alter,
                }
            }
            SequenceChange::ReleaseSequenceOwner { name } => {
                format!("ALTER SEQUENCE {name} OWNED BY NONE;")
            }
            SequenceChange::SetSequenceOwner { name, owned_by } => match owned_by {
                Some((table, column)) => {
                    format!("ALTER SEQUENCE {name} OWNED BY {table}.{};", Ident(column))
                }
                None => format!("ALTER SEQUENCE {name} OWNED BY NONE;"),
            },
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::*;
        match self {
            SequenceChange::DropSequence(s) => vec![
                hazard(
                    DeletesData,
                    format!("drops sequence {} and its current value", s.name),
                ),
                hazard(
                    Irreversible,
                    format!(
                        "the revert creates {} again at its start value, which may hand out numbers already used",
                        s.name
                    ),
                ),
            ],
            SequenceChange::CreateSequence(..)
            | SequenceChange::AlterSequence { .. }
            | SequenceChange::SetSequenceUnlogged { .. }
            | SequenceChange::ReleaseSequenceOwner { .. }
            | SequenceChange::SetSequenceOwner { .. } => Vec::new(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// Verify: a condition true when sequence `name` exists.
pub(crate) fn exists_condition(name: &gen_model::QualifiedName) -> String {
    crate::verify::relation_of_kind(name, "'S'")
}
