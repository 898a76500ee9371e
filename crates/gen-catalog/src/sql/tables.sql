-- Tables, partitioned tables and foreign tables; the client keeps the
-- first two in application schemas that no extension made, and reports
-- the tablespace each is stored in (for a partitioned table, its
-- partitions' default). Parents (inherits.sql) are named
-- from these same rows, the replica identity's index from indexes.sql. The
-- row type stands for the table in dependencies.
SELECT c.oid, c.relnamespace, c.relname, c.relkind::text AS relkind,
       c.relpersistence = 'u' AS unlogged,
       coalesce(c.reloptions, '{}') AS options,
       pg_get_partkeydef(c.oid) AS partition_key,
       pg_get_expr(c.relpartbound, c.oid) AS partition_bound,
       c.relreplident::text AS replica_identity,
       c.relrowsecurity, c.relforcerowsecurity, c.reltype,
       CASE WHEN c.reloftype <> 0 THEN format_type(c.reloftype, NULL) END AS of_type,
       (SELECT t.spcname::text FROM pg_tablespace t WHERE t.oid = c.reltablespace) AS tablespace,
       am.amname::text AS access_method
FROM pg_class c
LEFT JOIN pg_am am ON am.oid = c.relam AND c.relkind IN ('r', 'p')
WHERE c.relkind IN ('r', 'p', 'f') AND c.oid >= 16384
ORDER BY c.oid
