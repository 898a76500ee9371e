//! Definitions that mean the same but read differently.
//!
//! The server does not always print back what it was given in the form it
//! prints when given its own output: `varchar_col IN ('a', 'b')` is stored
//! as an array cast that `pg_get_constraintdef()` prints one way, and when
//! that text is replayed the server stores, and prints, another. Comparing
//! text alone would report such a constraint as changed forever. So where
//! two definitions (checks, defaults, indexes) differ, each is read back
//! once through the server, in a transaction that is rolled back, and they
//! count as equal when one side's round trip meets the other.

use gen_model::{Catalog, ConstraintKind, Ident, QualifiedName};
use tokio_postgres::Client;

/// Where `old` and `new` differ only in how the server prints the same
/// definition, makes `new` say exactly what `old` says. `client` is a
/// connection to a scratch database holding `new` (never a live one: the
/// round trip takes locks).
pub async fn reconcile(client: &Client, old: &Catalog, new: &mut Catalog) {
    let mut checks = Vec::new();
    let mut defaults = Vec::new();
    for (name, nt) in &new.tables {
        let Some(ot) = old.tables.get(name) else {
            continue;
        };
        for (cname, nc) in &nt.constraints {
            if let Some(oc) = ot.constraints.get(cname)
                && oc.kind == ConstraintKind::Check
                && nc.kind == ConstraintKind::Check
                && oc.definition != nc.definition
            {
                checks.push((
                    name.clone(),
                    cname.clone(),
                    oc.definition.clone(),
                    nc.definition.clone(),
                ));
            }
        }
        for nc in &nt.columns {
            if let Some(oc) = ot.column(&nc.name)
                && let (Some(od), Some(nd)) = (&oc.default, &nc.default)
                && od != nd
                && oc.data_type == nc.data_type
            {
                defaults.push((name.clone(), nc.name.clone(), od.clone(), nd.clone()));
            }
        }
    }
    let indexes: Vec<(QualifiedName, String, String)> = new
        .indexes
        .values()
        .filter_map(|n| {
            let o = old.indexes.get(&n.name)?;
            (o.table == n.table && o.definition != n.definition)
                .then(|| (n.name.clone(), o.definition.clone(), n.definition.clone()))
        })
        .collect();
    let views: Vec<(QualifiedName, bool, String, String)> = new
        .views
        .values()
        .filter_map(|n| {
            let o = old.views.get(&n.name)?;
            (o.materialized == n.materialized && o.definition != n.definition).then(|| {
                (
                    n.name.clone(),
                    n.materialized,
                    o.definition.clone(),
                    n.definition.clone(),
                )
            })
        })
        .collect();
    // One way only: `old`'s query replayed here reads against `new`'s
    // types, where it may mean something else (a composite type's
    // attribute retyped under it), so only `new`'s own round trip counts.
    for (name, materialized, old_def, new_def) in views {
        if round_trip_view(client, &name, materialized, &new_def)
            .await
            .is_some_and(|round| round == old_def)
            && let Some(v) = new.views.get_mut(&name)
        {
            v.definition = old_def;
        }
    }
    for (name, old_def, new_def) in indexes {
        let round = |def: String| {
            let name = name.clone();
            async move { round_trip_index(client, &name, &def).await }
        };
        if same(&old_def, &new_def, round).await
            && let Some(i) = new.indexes.get_mut(&name)
        {
            i.definition = old_def;
        }
    }
    for (table, constraint, old_def, new_def) in checks {
        let round = |def: String| {
            let table = table.clone();
            async move { round_trip_check(client, &table, &def).await }
        };
        if same(&old_def, &new_def, round).await
            && let Some(c) = new
                .tables
                .get_mut(&table)
                .and_then(|t| t.constraints.get_mut(&constraint))
        {
            c.definition = old_def;
        }
    }
    for (table, column, old_def, new_def) in defaults {
        let round = |def: String| {
            let (table, column) = (table.clone(), column.clone());
            async move { round_trip_default(client, &table, &column, &def).await }
        };
        if same(&old_def, &new_def, round).await
            && let Some(c) = new
                .tables
                .get_mut(&table)
                .and_then(|t| t.columns.iter_mut().find(|c| c.name == column))
        {
            c.default = Some(old_def);
        }
    }
}

/// Whether two definitions are one after a round trip through the server.
async fn same<F, Fut>(old: &str, new: &str, round: F) -> bool
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Option<String>>,
{
    let new_round = round(new.to_owned()).await;
    if new_round.as_deref() == Some(old) {
        return true;
    }
    let old_round = round(old.to_owned()).await;
    old_round.as_deref() == Some(new) || (old_round.is_some() && old_round == new_round)
}

/// Runs `sql` in a transaction that is always rolled back and returns the
/// first column of the first row of `query`; `None` when that is NULL, as
/// for anything else that does not read back.
async fn in_rollback(client: &Client, sql: &str, query: &str) -> Option<String> {
    client.batch_execute("BEGIN").await.ok()?;
    let result = async {
        client.batch_execute(sql).await.ok()?;
        client.query_opt(query, &[]).await.ok()??.try_get(0).ok()
    }
    .await;
    // The transaction may have failed; either way it ends here.
    let _ = client.batch_execute("ROLLBACK").await;
    result
}

const PROBE: &str = "gen_round_trip";

async fn round_trip_check(
    client: &Client,
    table: &QualifiedName,
    definition: &str,
) -> Option<String> {
    let sql = format!(
        "ALTER TABLE {table} ADD CONSTRAINT {} {definition}",
        Ident(PROBE)
    );
    let query = format!(
        "SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint \
         WHERE conrelid = '{}'::regclass AND conname = '{PROBE}'",
        table.to_string().replace('\'', "''")
    );
    in_rollback(client, &sql, &query).await
}

async fn round_trip_default(
    client: &Client,
    table: &QualifiedName,
    column: &str,
    expression: &str,
) -> Option<String> {
    let sql = format!(
        "ALTER TABLE {table} ALTER COLUMN {} SET DEFAULT {expression}",
        Ident(column)
    );
    let query = format!(
        "SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
         WHERE d.adrelid = '{}'::regclass AND a.attname = '{}'",
        table.to_string().replace('\'', "''"),
        column.replace('\'', "''")
    );
    in_rollback(client, &sql, &query).await
}

/// A view's query (as `pg_get_viewdef()` prints it) put in place of the
/// view of that name: a query the server printed does not always print the
/// same once replayed (an unnamed `NULL::integer` in a `UNION` branch comes
/// back named `AS int4`).
async fn round_trip_view(
    client: &Client,
    name: &QualifiedName,
    materialized: bool,
    query: &str,
) -> Option<String> {
    let query = query.trim_end().trim_end_matches(';');
    let sql = if materialized {
        format!(
            "SET LOCAL search_path = ''; DROP MATERIALIZED VIEW {name} CASCADE; \
             CREATE MATERIALIZED VIEW {name} AS {query} WITH NO DATA"
        )
    } else {
        format!("SET LOCAL search_path = ''; CREATE OR REPLACE VIEW {name} AS {query}")
    };
    let read = format!(
        "SELECT pg_catalog.pg_get_viewdef('{}'::regclass)",
        name.to_string().replace('\'', "''")
    );
    // As the catalog keeps it: without the final semicolon.
    let printed = in_rollback(client, &sql, &read).await?;
    Some(printed.trim_end().trim_end_matches(';').to_owned())
}

/// An index definition (`CREATE INDEX name ON …`, as `pg_get_indexdef()`
/// prints it) built in place of the index of that name.
async fn round_trip_index(
    client: &Client,
    name: &QualifiedName,
    definition: &str,
) -> Option<String> {
    let sql = format!("DROP INDEX {name}; {definition}");
    let query = format!(
        "SELECT pg_catalog.pg_get_indexdef('{}'::regclass)",
        name.to_string().replace('\'', "''")
    );
    in_rollback(client, &sql, &query).await
}
