//! Subscriptions: the SQL and the hazards of each change, and how a verify
//! script checks one. Nothing here reaches the publisher: a subscription is
//! created disabled and without making its slot, and dropped after letting
//! go of its slot, so every statement runs inside the deploy's transaction.

use gen_diff::{SubscriptionChange, slot_option};
use gen_model::{Catalog, Ident, Literal, Subscription};

use super::Kind;
use super::foreign::secret_variable;
use crate::hazard::{Hazard, HazardKind, hazard};
use crate::lock::Lock;

/// The psql variable a secret parameter of the connection string is read
/// from: `gen_secret_<subscription>_<parameter>`.
fn variable(s: &Subscription, parameter: &str) -> String {
    secret_variable(&[&s.name, parameter])
}

/// `'host=… dbname=…'`; each secret parameter's value read from its psql
/// variable, the pieces joined by the server as string constants on
/// separate lines are: `'host=… password='` then `:'gen_secret_…'`.
fn connection(s: &Subscription) -> String {
    if s.secrets.is_empty() {
        return Literal(&s.connection).to_string();
    }
    let mut text = s.connection.clone();
    let mut sql = String::new();
    for parameter in &s.secrets {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(parameter);
        text.push('=');
        sql.push_str(&format!(
            "{}\n    :'{}'\n    ",
            Literal(&text),
            variable(s, parameter)
        ));
        text.clear();
    }
    sql.trim_end().to_owned()
}

fn publications(list: &[String]) -> String {
    list.iter()
        .map(|p| Ident(p).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn create(s: &Subscription) -> String {
    let mut options = vec![
        "connect = false".to_owned(),
        slot_option(s.slot_name.as_deref()),
    ];
    options.extend(s.options.iter().cloned());
    format!(
        "CREATE SUBSCRIPTION {} CONNECTION {} PUBLICATION {} WITH ({});",
        Ident(&s.name),
        connection(s),
        publications(&s.publications),
        options.join(", ")
    )
}

/// The `needs-secret` hazards of a subscription whose connection string
/// reads secrets from psql variables.
fn secret_hazards(s: &Subscription) -> Vec<Hazard> {
    s.secrets
        .iter()
        .map(|parameter| {
            let variable = variable(s, parameter);
            hazard(
                HazardKind::NeedsSecret,
                format!(
                    "subscription {} reads connection parameter {parameter} from psql variable {variable}: give it as {} to gen deploy, or --set {variable}=… to sqitch deploy (quoted as libpq reads it if it holds blanks)",
                    Ident(&s.name),
                    variable.to_ascii_uppercase()
                ),
            )
        })
        .collect()
}

impl Kind for SubscriptionChange {
    fn sql(&self) -> String {
        match self {
            SubscriptionChange::CreateSubscription(s) => create(s),
            SubscriptionChange::DropSubscription(s) => {
                let name = Ident(&s.name);
                let mut sql = format!("ALTER SUBSCRIPTION {name} DISABLE;\n");
                if s.slot_name.is_some() {
                    sql.push_str(&format!(
                        "ALTER SUBSCRIPTION {name} SET (slot_name = NONE);\n"
                    ));
                }
                sql.push_str(&format!("DROP SUBSCRIPTION {name};"));
                sql
            }
            SubscriptionChange::SetConnection { subscription } => format!(
                "ALTER SUBSCRIPTION {} CONNECTION {};",
                Ident(&subscription.name),
                connection(subscription)
            ),
            SubscriptionChange::SetPublications {
                name,
                publications: list,
            } => format!(
                "ALTER SUBSCRIPTION {} SET PUBLICATION {} WITH (refresh = false);",
                Ident(name),
                publications(list)
            ),
            SubscriptionChange::SetOptions { name, options } => format!(
                "ALTER SUBSCRIPTION {} SET ({});",
                Ident(name),
                options.join(", ")
            ),
        }
    }

    fn hazards(&self, _old: &Catalog) -> Vec<Hazard> {
        use HazardKind::ReplicationChange;
        match self {
            SubscriptionChange::CreateSubscription(s) => {
                let slot = s.slot_name.as_deref().map_or_else(
                    || "give it a slot (ALTER SUBSCRIPTION … SET (slot_name = …))".to_owned(),
                    |slot| format!("create replication slot {} on the publisher", Literal(slot)),
                );
                let mut out = vec![hazard(
                    ReplicationChange,
                    format!(
                        "subscription {} is created disabled and connects to nothing (connect = false): {slot}, then ALTER SUBSCRIPTION … ENABLE and REFRESH PUBLICATION",
                        Ident(&s.name)
                    ),
                )];
                out.extend(secret_hazards(s));
                out
            }
            SubscriptionChange::DropSubscription(s) => vec![hazard(
                ReplicationChange,
                match &s.slot_name {
                    Some(slot) => format!(
                        "subscription {} stops receiving changes; its replication slot {} stays on the publisher, which keeps WAL for it until it is dropped there",
                        Ident(&s.name),
                        Literal(slot)
                    ),
                    None => format!("subscription {} stops receiving changes", Ident(&s.name)),
                },
            )],
            SubscriptionChange::SetConnection { subscription } => secret_hazards(subscription),
            SubscriptionChange::SetPublications { name, .. } => vec![hazard(
                ReplicationChange,
                format!(
                    "subscription {} receives other publications; ALTER SUBSCRIPTION … REFRESH PUBLICATION once it is enabled",
                    Ident(name)
                ),
            )],
            SubscriptionChange::SetOptions { name, options } => options
                .iter()
                .filter(|option| option.starts_with("slot_name = "))
                .map(|option| {
                    hazard(
                        ReplicationChange,
                        format!(
                            "subscription {} takes {option}: the slot must exist on the publisher before it is enabled",
                            Ident(name)
                        ),
                    )
                })
                .collect(),
        }
    }

    fn locks(&self, _old: &Catalog) -> Vec<Lock> {
        Vec::new()
    }
}

/// `SUBSCRIPTION name`, as `COMMENT ON` and `ALTER … OWNER TO` take it.
pub(crate) fn target(name: &str) -> String {
    format!("SUBSCRIPTION {}", Ident(name))
}

/// Verify: a condition true when the subscription exists in this database.
pub(crate) fn exists_condition(name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_subscription WHERE subname = {} AND subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()))",
        Literal(name)
    )
}

/// Verify: a condition true when the subscription is missing or receives
/// other publications.
pub(crate) fn mismatch_condition(s: &Subscription) -> String {
    let list: Vec<String> = s
        .publications
        .iter()
        .map(|p| Literal(p).to_string())
        .collect();
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_subscription WHERE subname = {} AND subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) AND subpublications::text[] = ARRAY[{}]::text[])",
        Literal(&s.name),
        list.join(", ")
    )
}
