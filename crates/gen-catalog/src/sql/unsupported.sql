-- Objects that gen does not model yet, in catalogs nothing else reads
-- (tables.sql, indexes.sql and sequences.sql report what they find).
-- Planning around them would give a silently incomplete migration, so the
-- client turns each one in an application schema (`nsp`; 0 for objects
-- outside schemas) that neither an extension nor a range type made into
-- an error naming it.
SELECT 'pg_operator' AS class, o.oid AS objid, o.oprnamespace AS nsp, 'operator' AS kind,
       o.oid::regoperator::text AS identity
FROM pg_operator o WHERE o.oid >= 16384
UNION ALL
SELECT 'pg_ts_parser', p.oid, p.prsnamespace, 'text search parser',
       quote_ident(n.nspname) || '.' || quote_ident(p.prsname)
FROM pg_ts_parser p JOIN pg_namespace n ON n.oid = p.prsnamespace WHERE p.oid >= 16384
UNION ALL
SELECT 'pg_ts_template', t.oid, t.tmplnamespace, 'text search template',
       quote_ident(n.nspname) || '.' || quote_ident(t.tmplname)
FROM pg_ts_template t JOIN pg_namespace n ON n.oid = t.tmplnamespace WHERE t.oid >= 16384
UNION ALL
SELECT 'pg_statistic_ext', s.oid, s.stxnamespace, 'statistics object',
       quote_ident(n.nspname) || '.' || quote_ident(s.stxname)
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
UNION ALL
SELECT 'pg_subscription', s.oid, 0, 'subscription', quote_ident(s.subname)
FROM pg_subscription s
WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
