-- Objects that gen does not model yet, in catalogs nothing else reads
-- (tables.sql, indexes.sql and sequences.sql report what they find).
-- Planning around them would give a silently incomplete migration, so the
-- client turns each one in an application schema (`nsp`; 0 for objects
-- outside schemas) that neither an extension nor a range type made into
-- an error naming it.
SELECT 'pg_rewrite' AS class, r.oid AS objid, c.relnamespace AS nsp, 'rule' AS kind,
       quote_ident(r.rulename) || ' on ' || r.ev_class::regclass::text AS identity
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
WHERE r.rulename <> '_RETURN' AND r.oid >= 16384 AND c.oid >= 16384
UNION ALL
SELECT 'pg_operator', o.oid, o.oprnamespace, 'operator', o.oid::regoperator::text
FROM pg_operator o WHERE o.oid >= 16384
UNION ALL
SELECT 'pg_ts_config', t.oid, t.cfgnamespace, 'text search configuration', t.oid::regconfig::text
FROM pg_ts_config t WHERE t.oid >= 16384
UNION ALL
SELECT 'pg_statistic_ext', s.oid, s.stxnamespace, 'statistics object',
       quote_ident(n.nspname) || '.' || quote_ident(s.stxname)
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
UNION ALL
SELECT 'pg_cast', c.oid, 0, 'cast', format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL)
FROM pg_cast c WHERE c.oid >= 16384
UNION ALL
SELECT 'pg_foreign_data_wrapper', w.oid, 0, 'foreign data wrapper', quote_ident(w.fdwname)
FROM pg_foreign_data_wrapper w
UNION ALL
SELECT 'pg_foreign_server', s.oid, 0, 'foreign server', quote_ident(s.srvname)
FROM pg_foreign_server s
UNION ALL
SELECT 'pg_subscription', s.oid, 0, 'subscription', quote_ident(s.subname)
FROM pg_subscription s
WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
