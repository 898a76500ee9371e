-- The owner of every application object that has one; the client keeps
-- rows for the objects it kept.
SELECT 'pg_namespace' AS class, n.oid, pg_get_userbyid(n.nspowner) AS owner
FROM pg_namespace n WHERE n.oid >= 16384 OR n.oid = 2200
UNION ALL
SELECT 'pg_class', c.oid, pg_get_userbyid(c.relowner)
FROM pg_class c WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.oid >= 16384
UNION ALL
SELECT 'pg_proc', p.oid, pg_get_userbyid(p.proowner)
FROM pg_proc p WHERE p.oid >= 16384
UNION ALL
SELECT 'pg_type', t.oid, pg_get_userbyid(t.typowner)
FROM pg_type t WHERE t.typtype IN ('b', 'd', 'e', 'r', 'm', 'c') AND t.oid >= 16384
