-- Privileges held by roles other than each object's owner (the owner's
-- are implicit), one row per grantee and privilege; a NULL acl stands for
-- the kind's built-in default. Rows with `initial` are what the object
-- would hold if its owner created it now: the database-wide default
-- privileges (which replace the built-in default) plus the schema's
-- (which add to it). The client keeps rows for the objects it knows.
WITH user_ns AS (
  SELECT oid FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema')
    AND nspname !~ '^pg_(toast|temp_|toast_temp_)'
), ext AS (
  SELECT classid, objid FROM pg_depend WHERE deptype = 'e' AND objid >= 16384
), obj AS (
  SELECT 'pg_namespace' AS class, n.oid AS objid, 0 AS subid, 'n'::text AS objtype,
         n.nspowner AS owner, 0::oid AS nsp, n.nspacl AS acl,
         'pg_namespace'::regclass AS classid, n.oid AS extobj
  FROM pg_namespace n JOIN user_ns u ON u.oid = n.oid
  UNION ALL
  SELECT 'pg_class', c.oid, 0, CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END,
         c.relowner, c.relnamespace, c.relacl, 'pg_class'::regclass, c.oid
  FROM pg_class c JOIN user_ns u ON u.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_class', c.oid, a.attnum, 'c', c.relowner, c.relnamespace, a.attacl,
         'pg_class'::regclass, c.oid
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN user_ns u ON u.oid = c.relnamespace
  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
    AND a.attrelid >= 16384 AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_proc', p.oid, 0, 'f', p.proowner, p.pronamespace, p.proacl,
         'pg_proc'::regclass, p.oid
  FROM pg_proc p JOIN user_ns u ON u.oid = p.pronamespace
  WHERE p.oid >= 16384
  UNION ALL
  SELECT 'pg_type', t.oid, 0, 'T', t.typowner, t.typnamespace, t.typacl,
         'pg_type'::regclass, t.oid
  FROM pg_type t JOIN user_ns u ON u.oid = t.typnamespace
  WHERE t.typtype IN ('b', 'd', 'e', 'r', 'm', 'c') AND t.oid >= 16384
), own AS (
  SELECT * FROM obj o
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = o.classid AND ext.objid = o.extobj)
), acls AS (
  SELECT o.class, o.objid, o.subid, o.owner, false AS initial,
         coalesce(o.acl, acldefault(o.objtype::"char", o.owner)) AS acl
  FROM own o
  UNION ALL
  SELECT o.class, o.objid, o.subid, o.owner, true,
         coalesce((SELECT d.defaclacl FROM pg_default_acl d
                   WHERE d.defaclrole = o.owner AND d.defaclnamespace = 0
                     AND d.defaclobjtype = CASE o.objtype WHEN 's' THEN 'S' ELSE o.objtype END::"char"),
                  acldefault(o.objtype::"char", o.owner))
  FROM own o WHERE o.subid = 0
  UNION ALL
  SELECT o.class, o.objid, o.subid, o.owner, true, d.defaclacl
  FROM own o JOIN pg_default_acl d
    ON d.defaclrole = o.owner AND d.defaclnamespace = o.nsp AND o.nsp <> 0
   AND d.defaclobjtype = CASE o.objtype WHEN 's' THEN 'S' ELSE o.objtype END::"char"
  WHERE o.subid = 0
)
SELECT a.class, a.objid, a.subid::int AS subid, a.initial,
       CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee) END AS grantee,
       e.privilege_type AS privilege, e.is_grantable AS grantable
FROM acls a CROSS JOIN LATERAL aclexplode(a.acl) e
WHERE e.grantee <> a.owner
