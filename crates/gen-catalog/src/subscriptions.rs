//! Subscriptions of the database.

use gen_model::{Subscription, conninfo_without_secrets};

use crate::Builder;
use crate::rows::SubscriptionRow;

impl Builder {
    /// Every subscription of the database read, its connection string
    /// without secrets.
    pub(crate) fn subscriptions(&mut self, rows: &[SubscriptionRow]) {
        for r in rows {
            let (connection, secrets) = conninfo_without_secrets(&r.connection);
            let s = Subscription {
                name: r.subname.clone(),
                connection,
                secrets,
                publications: r.publications.clone(),
                slot_name: r.slot_name.clone(),
                options: r.options.clone(),
                comment: self.lookup.comment("pg_subscription", r.oid, 0),
            };
            let id = s.id();
            self.ids.insert(("pg_subscription", r.oid, 0), id.clone());
            self.catalog.owners.insert(id, r.owner.clone());
            self.catalog.subscriptions.insert(s.name.clone(), s);
        }
    }
}
