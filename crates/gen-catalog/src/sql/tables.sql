-- Tables and partitioned tables; the client keeps those in application
-- schemas that no extension made. Parents come as oids, named from these
-- same rows. The row type stands for the table in dependencies.
SELECT c.oid, c.relnamespace, c.relname,
       c.relpersistence = 'u' AS unlogged,
       coalesce(c.reloptions, '{}') AS options,
       pg_get_partkeydef(c.oid) AS partition_key,
       pg_get_expr(c.relpartbound, c.oid) AS partition_bound,
       ARRAY(SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = c.oid
             ORDER BY i.inhseqno) AS parents,
       c.relreplident::text AS replica_identity,
       c.relrowsecurity, c.relforcerowsecurity, c.reltype,
       (SELECT ri.relname FROM pg_index x JOIN pg_class ri ON ri.oid = x.indexrelid
        WHERE x.indrelid = c.oid AND x.indisreplident) AS replica_index
FROM pg_class c
WHERE c.relkind IN ('r', 'p') AND c.oid >= 16384
ORDER BY c.oid
