-- Tables, partitioned tables and foreign tables; the client keeps the
-- first two in application schemas that no extension made, and reports
-- what gen does not model (foreign tables, typed tables, tablespaces; the
-- identity is read for those only). Parents come as oids, named from
-- these same rows. The row type stands for the table in dependencies.
SELECT c.oid, c.relnamespace, c.relname, c.relkind::text AS relkind,
       c.relpersistence = 'u' AS unlogged,
       coalesce(c.reloptions, '{}') AS options,
       pg_get_partkeydef(c.oid) AS partition_key,
       pg_get_expr(c.relpartbound, c.oid) AS partition_bound,
       ARRAY(SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = c.oid
             ORDER BY i.inhseqno) AS parents,
       c.relreplident::text AS replica_identity,
       c.relrowsecurity, c.relforcerowsecurity, c.reltype,
       c.reloftype <> 0 AS typed,
       c.relkind = 'r' AND c.reltablespace <> 0 AS in_tablespace,
       CASE WHEN c.relkind = 'f' OR c.reloftype <> 0 OR (c.relkind = 'r' AND c.reltablespace <> 0)
            THEN c.oid::regclass::text END AS identity,
       (SELECT ri.relname FROM pg_index x JOIN pg_class ri ON ri.oid = x.indexrelid
        WHERE x.indrelid = c.oid AND x.indisreplident) AS replica_index
FROM pg_class c
WHERE c.relkind IN ('r', 'p', 'f') AND c.oid >= 16384
ORDER BY c.oid
