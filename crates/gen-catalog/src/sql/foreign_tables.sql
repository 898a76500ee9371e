-- Foreign tables with their server, options, partition parent and bound,
-- and check constraints (names and definitions in name order).
SELECT c.oid, c.relnamespace, c.relname, s.srvname AS server,
       coalesce(ft.ftoptions, '{}') AS options,
       i.inhparent AS parent,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
       ARRAY(SELECT k.conname::text FROM pg_constraint k
             WHERE k.conrelid = c.oid AND k.contype = 'c' AND k.conislocal
             ORDER BY k.conname) AS check_names,
       ARRAY(SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k
             WHERE k.conrelid = c.oid AND k.contype = 'c' AND k.conislocal
             ORDER BY k.conname) AS check_definitions
FROM pg_foreign_table ft
JOIN pg_class c ON c.oid = ft.ftrelid
JOIN pg_foreign_server s ON s.oid = ft.ftserver
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
WHERE c.oid >= 16384
