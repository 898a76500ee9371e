-- The owner of every application object that has one, extension members
-- left out; the client keeps rows for the objects it knows.
WITH user_ns AS (
  SELECT oid FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema')
    AND nspname !~ '^pg_(toast|temp_|toast_temp_)'
), o AS (
  SELECT 'pg_namespace'::regclass AS classid, n.oid, n.nspowner AS owner
  FROM pg_namespace n JOIN user_ns u ON u.oid = n.oid
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid, c.relowner
  FROM pg_class c JOIN user_ns u ON u.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_proc'::regclass, p.oid, p.proowner
  FROM pg_proc p JOIN user_ns u ON u.oid = p.pronamespace
  WHERE p.oid >= 16384
  UNION ALL
  SELECT 'pg_type'::regclass, t.oid, t.typowner
  FROM pg_type t JOIN user_ns u ON u.oid = t.typnamespace
  WHERE t.typtype IN ('b', 'd', 'e', 'r', 'm', 'c') AND t.oid >= 16384
)
SELECT o.classid::text AS class, o.oid, pg_get_userbyid(o.owner) AS owner
FROM o
WHERE NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = o.classid AND d.objid = o.oid AND d.deptype = 'e'
                    AND d.objid >= 16384)
