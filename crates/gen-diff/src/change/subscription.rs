//! Subscriptions: the change type, and the comparison that emits it.

use gen_model::{Catalog, ObjectId, Subscription};
use serde::Serialize;

use super::{Action, Change};
use crate::{comment, pairs};

/// A change to a subscription; each variant's doc is the statement it
/// becomes. None of them reaches the publisher: a subscription is created
/// disabled, without making its slot, as the sandbox holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum SubscriptionChange {
    /// `CREATE SUBSCRIPTION name CONNECTION '…' PUBLICATION p, … WITH
    /// (connect = false, slot_name = …, …);`
    CreateSubscription(Subscription),
    /// `ALTER SUBSCRIPTION name DISABLE;` and, with a slot, `ALTER
    /// SUBSCRIPTION name SET (slot_name = NONE);` (the slot on the
    /// publisher is left alone), then `DROP SUBSCRIPTION name;`
    DropSubscription(Subscription),
    /// `ALTER SUBSCRIPTION name CONNECTION '…';`
    SetConnection {
        /// The subscription as it becomes.
        subscription: Subscription,
    },
    /// `ALTER SUBSCRIPTION name SET PUBLICATION p, … WITH (refresh = false);`
    SetPublications {
        /// Subscription name.
        name: String,
        /// The publications, in order.
        publications: Vec<String>,
    },
    /// `ALTER SUBSCRIPTION name SET (key = value, …);`
    SetOptions {
        /// Subscription name.
        name: String,
        /// The options that change, as `key = value`.
        options: Vec<String>,
    },
}

impl SubscriptionChange {
    /// The object this change acts on and how.
    pub fn target(&self) -> (Action, ObjectId) {
        match self {
            SubscriptionChange::CreateSubscription(s)
            | SubscriptionChange::SetConnection { subscription: s } => {
                (Action::CreateOrAlter, s.id())
            }
            SubscriptionChange::DropSubscription(s) => (Action::Drop, s.id()),
            SubscriptionChange::SetPublications { name, .. }
            | SubscriptionChange::SetOptions { name, .. } => (
                Action::CreateOrAlter,
                ObjectId::Subscription { name: name.clone() },
            ),
        }
    }

    /// The variant's name, `CreateSubscription` and so on: for messages and tests.
    pub fn variant(&self) -> &'static str {
        match self {
            SubscriptionChange::CreateSubscription(..) => "CreateSubscription",
            SubscriptionChange::DropSubscription(..) => "DropSubscription",
            SubscriptionChange::SetConnection { .. } => "SetConnection",
            SubscriptionChange::SetPublications { .. } => "SetPublications",
            SubscriptionChange::SetOptions { .. } => "SetOptions",
        }
    }
}

/// The option's key in `key = value`.
fn key(option: &str) -> &str {
    option.split(" = ").next().unwrap_or(option)
}

/// Subscriptions created and dropped; their connection, publications and
/// options altered in place, but `two_phase` and `failover`, which alter
/// the slot on the publisher: then the subscription is made anew.
pub(crate) fn subscriptions(old: &Catalog, new: &Catalog, out: &mut Vec<Change>) {
    for (o, n) in pairs(&old.subscriptions, &new.subscriptions) {
        match (o, n) {
            (Some(o), None) => out.push(SubscriptionChange::DropSubscription(o.clone()).into()),
            (None, Some(n)) => create(n, out),
            (Some(o), Some(n)) => alter(o, n, out),
            (None, None) => {}
        }
    }
}

fn alter(o: &Subscription, n: &Subscription, out: &mut Vec<Change>) {
    // Changing these alters the slot on the publisher, where there is one.
    let slot_bound = |s: &Subscription| -> Vec<String> {
        s.options
            .iter()
            .filter(|option| matches!(key(option), "two_phase" | "failover"))
            .cloned()
            .collect()
    };
    if slot_bound(o) != slot_bound(n) {
        out.push(SubscriptionChange::DropSubscription(o.clone()).into());
        create(n, out);
        return;
    }
    if (&o.connection, &o.secrets) != (&n.connection, &n.secrets) {
        out.push(
            SubscriptionChange::SetConnection {
                subscription: n.clone(),
            }
            .into(),
        );
    }
    if o.publications != n.publications {
        out.push(
            SubscriptionChange::SetPublications {
                name: n.name.clone(),
                publications: n.publications.clone(),
            }
            .into(),
        );
    }
    let mut options: Vec<String> = n
        .options
        .iter()
        .filter(|option| !o.options.contains(option))
        .cloned()
        .collect();
    if o.slot_name != n.slot_name {
        options.insert(0, slot_option(n.slot_name.as_deref()));
    }
    if !options.is_empty() {
        out.push(
            SubscriptionChange::SetOptions {
                name: n.name.clone(),
                options,
            }
            .into(),
        );
    }
    comment(n.id(), o.comment.as_ref(), n.comment.as_ref(), out);
}

/// `slot_name = 'name'`, or `slot_name = NONE`.
pub fn slot_option(slot: Option<&str>) -> String {
    match slot {
        Some(slot) => format!("slot_name = {}", gen_model::Literal(slot)),
        None => "slot_name = NONE".to_owned(),
    }
}

/// The subscription created, with its comment.
pub(crate) fn create(n: &Subscription, out: &mut Vec<Change>) {
    out.push(SubscriptionChange::CreateSubscription(n.clone()).into());
    comment(n.id(), None, n.comment.as_ref(), out);
}
