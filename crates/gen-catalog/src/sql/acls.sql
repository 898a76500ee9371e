-- The owner and ACL of every object that has them, the ACL as `aclitem`
-- text (NULL when the object keeps its kind's built-in default), with the
-- schema it is in for the default privileges that apply there. The client
-- reads the ACLs and keeps rows for the objects it kept.
SELECT 'pg_namespace' AS class, n.oid AS objid, 0 AS subid, 'n' AS objtype,
       pg_get_userbyid(n.nspowner) AS owner, 0::oid AS nsp, n.nspacl::text[] AS acl
FROM pg_namespace n
WHERE n.oid >= 16384 OR n.oid = 2200
UNION ALL
SELECT 'pg_class', c.oid, 0, CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END,
       pg_get_userbyid(c.relowner), c.relnamespace, c.relacl::text[]
FROM pg_class c
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.oid >= 16384
UNION ALL
SELECT 'pg_class', a.attrelid, a.attnum, 'c', pg_get_userbyid(c.relowner), c.relnamespace,
       a.attacl::text[]
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
  AND a.attrelid >= 16384 AND c.oid >= 16384
UNION ALL
SELECT 'pg_proc', p.oid, 0, 'f', pg_get_userbyid(p.proowner), p.pronamespace, p.proacl::text[]
FROM pg_proc p
WHERE p.oid >= 16384
UNION ALL
SELECT 'pg_type', t.oid, 0, 'T', pg_get_userbyid(t.typowner), t.typnamespace, t.typacl::text[]
FROM pg_type t
WHERE t.typtype IN ('b', 'd', 'e', 'r', 'm', 'c') AND t.oid >= 16384
UNION ALL
-- Wrappers (`F`) and servers (`V`, not acldefault's letter, which would
-- read as a sequence's in default privileges) grant nothing to PUBLIC by
-- default.
SELECT 'pg_foreign_data_wrapper', w.oid, 0, 'F', pg_get_userbyid(w.fdwowner), 0::oid,
       w.fdwacl::text[]
FROM pg_foreign_data_wrapper w
UNION ALL
SELECT 'pg_foreign_server', s.oid, 0, 'V', pg_get_userbyid(s.srvowner), 0::oid,
       s.srvacl::text[]
FROM pg_foreign_server s
UNION ALL
-- Languages grant USAGE to PUBLIC by default.
SELECT 'pg_language', l.oid, 0, 'l', pg_get_userbyid(l.lanowner), 0::oid, l.lanacl::text[]
FROM pg_language l
WHERE l.oid >= 16384
