//! Online mode and the hazards only it, or views, produce.

use gen_model::{Catalog, View, ViewColumn};
use gen_test_support::*;
use insta::assert_snapshot;

use super::checked::plan_with;
use super::{hazard_lines, planned};
use crate::{HazardKind, LockMode, Options, Plan};

fn online(old: &Catalog, new: &Catalog) -> Plan {
    plan_with(old, new, Options { online: true }).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn online_mode_builds_indexes_concurrently_outside_the_transaction() {
    let t = q("public", "t");
    let bare = table(t.clone(), vec![col("id", "integer"), col("n", "integer")]);
    let old = db().table(bare.clone()).build();
    let new = db()
        .table(bare.clone())
        .index(index("t_n", &t, &["n"]))
        .build();
    let p = online(&old, &new);
    assert_eq!(p.steps.len(), 1);
    assert!(!p.steps[0].transactional);
    assert_snapshot!(p.sql(), @"CREATE INDEX CONCURRENTLY t_n ON public.t USING btree (n);");
    assert_eq!(
        p.hazards().map(|(_, h)| h.kind).collect::<Vec<_>>(),
        [HazardKind::NotTransactional]
    );
    // Dropping it again is concurrent too.
    let back = online(&new, &old);
    assert_snapshot!(back.sql(), @"DROP INDEX CONCURRENTLY public.t_n;");
    assert!(!back.steps[0].transactional);
}

#[test]
fn online_mode_leaves_indexes_on_new_tables_alone() {
    let t = q("public", "t");
    let new = db()
        .table(table(t.clone(), vec![col("n", "integer")]))
        .index(index("t_n", &t, &["n"]))
        .build();
    let p = online(&db().build(), &new);
    assert!(p.steps.iter().all(|s| s.transactional));
    assert!(!p.sql().contains("CONCURRENTLY"));
}

#[test]
fn online_mode_adds_constraints_not_valid_and_validates_apart() {
    let t = q("public", "t");
    let bare = table(t.clone(), vec![col("n", "integer")]);
    let old = db().table(bare.clone()).build();
    let new = db().table(bare.check("t_n_check", "(n > 0)")).build();
    let p = online(&old, &new);
    assert_snapshot!(p.sql(), @r"
    ALTER TABLE public.t ADD CONSTRAINT t_n_check CHECK ((n > 0)) NOT VALID;

    ALTER TABLE public.t VALIDATE CONSTRAINT t_n_check;
    ");
    assert_eq!(
        p.steps.iter().map(|s| s.transactional).collect::<Vec<_>>(),
        [true, false]
    );
    // The brief lock of the NOT VALID add is declared; the scan runs
    // under a lock that lets reads and writes go on.
    assert_eq!(
        p.hazards().map(|(_, h)| h.kind).collect::<Vec<_>>(),
        [
            HazardKind::AccessExclusiveLock,
            HazardKind::ValidatesExistingRows
        ]
    );
    assert_eq!(
        p.steps
            .iter()
            .map(|s| s.locks.iter().map(|l| l.mode).collect::<Vec<_>>())
            .collect::<Vec<_>>(),
        [vec![LockMode::AccessExclusive], vec![]]
    );
    let (_, brief) = p.hazards().next().unwrap();
    assert!(brief.message.contains("for a moment"), "{}", brief.message);
    assert_eq!(brief.alternative, None);
}

#[test]
fn online_set_not_null_goes_through_a_validated_check() {
    let t = q("public", "t");
    let old = db()
        .table(table(t.clone(), vec![col("n", "integer")]))
        .build();
    let new = db()
        .table(table(t.clone(), vec![col("n", "integer").not_null()]))
        .build();
    let p = online(&old, &new);
    assert_snapshot!(p.sql(), @r"
    ALTER TABLE public.t ADD CONSTRAINT n_not_null CHECK (n IS NOT NULL) NOT VALID;

    ALTER TABLE public.t VALIDATE CONSTRAINT n_not_null;

    ALTER TABLE public.t ALTER COLUMN n SET NOT NULL;
    ALTER TABLE public.t DROP CONSTRAINT n_not_null;
    ");
    assert_eq!(
        p.hazards().map(|(_, h)| h.kind).collect::<Vec<_>>(),
        [
            HazardKind::AccessExclusiveLock,
            HazardKind::ValidatesExistingRows,
            HazardKind::AccessExclusiveLock
        ]
    );
    assert_eq!(
        p.steps.iter().map(|s| s.locks.len()).collect::<Vec<_>>(),
        [1, 0, 1]
    );
    // Without online mode it is one statement that scans under the lock.
    assert_eq!(
        planned(&old, &new)
            .hazards()
            .map(|(_, h)| h.kind)
            .collect::<Vec<_>>(),
        [
            HazardKind::ValidatesExistingRows,
            HazardKind::AccessExclusiveLock
        ]
    );
}

fn matview(name: &str, definition: &str) -> View {
    View {
        name: q("public", name),
        materialized: true,
        definition: definition.to_owned(),
        columns: vec![ViewColumn {
            name: "n".to_owned(),
            data_type: "bigint".to_owned(),
            collation: None,
            comment: None,
            default: None,
        }],
        options: Vec::new(),
        populated: true,
        comment: None,
        reads_itself: false,
        access_method: None,
        tablespace: None,
    }
}

#[test]
fn every_hazard_kind_but_authorization_has_a_source_here() {
    let mut old = db()
        .table(table(
            q("public", "t"),
            vec![col("id", "integer"), col("x", "text")],
        ))
        .sequence(sequence(q("public", "s"), ascending("bigint")))
        .build();
    let v = matview("m", " SELECT count(*) AS n\n   FROM public.t");
    old.views.insert(v.name.clone(), v.clone());
    let mut new = db()
        .table(table(q("public", "t"), vec![col("id", "integer")]))
        .build();
    new.views.insert(
        v.name.clone(),
        matview("m", " SELECT count(*) + 1 AS n\n   FROM public.t"),
    );
    let p = planned(&old, &new);
    let kinds: std::collections::BTreeSet<HazardKind> = p.hazards().map(|(_, h)| h.kind).collect();
    for kind in [
        HazardKind::DeletesData,
        HazardKind::Irreversible,
        HazardKind::AccessExclusiveLock,
        HazardKind::BlocksWrites,
    ] {
        assert!(
            kinds.contains(&kind),
            "{kind} missing from:\n{}",
            hazard_lines(&p)
        );
    }
    for kind in HazardKind::ALL {
        assert!(!kind.explanation().is_empty());
        assert_eq!(HazardKind::from_name(kind.name()), Some(kind));
    }
    assert_eq!(HazardKind::from_name("deletes_data"), None);
    assert!(HazardKind::DeletesData.refused_by_default());
    assert!(!HazardKind::RewritesTable.refused_by_default());
}
