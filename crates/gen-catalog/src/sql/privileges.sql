-- Privileges held by roles other than each object's owner (the owner's
-- are implicit), one row per grantee and privilege; a NULL acl stands for
-- the kind's built-in default. Rows with `initial` are what the object
-- would hold if its owner created it now: the database-wide default
-- privileges (which replace the built-in default) plus the schema's
-- (which add to it). The client keeps rows for the objects it kept.
WITH obj AS (
  SELECT 'pg_namespace' AS class, n.oid AS objid, 0 AS subid, 'n'::text AS objtype,
         n.nspowner AS owner, 0::oid AS nsp, n.nspacl AS acl
  FROM pg_namespace n
  WHERE n.oid >= 16384 OR n.oid = 2200
  UNION ALL
  SELECT 'pg_class', c.oid, 0, CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END,
         c.relowner, c.relnamespace, c.relacl
  FROM pg_class c
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_class', c.oid, a.attnum, 'c', c.relowner, c.relnamespace, a.attacl
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
    AND a.attrelid >= 16384 AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_proc', p.oid, 0, 'f', p.proowner, p.pronamespace, p.proacl
  FROM pg_proc p
  WHERE p.oid >= 16384
  UNION ALL
  SELECT 'pg_type', t.oid, 0, 'T', t.typowner, t.typnamespace, t.typacl
  FROM pg_type t
  WHERE t.typtype IN ('b', 'd', 'e', 'r', 'm', 'c') AND t.oid >= 16384
), acls AS (
  SELECT o.class, o.objid, o.subid, o.owner, false AS initial,
         coalesce(o.acl, acldefault(o.objtype::"char", o.owner)) AS acl
  FROM obj o
  UNION ALL
  SELECT o.class, o.objid, o.subid, o.owner, true,
         coalesce((SELECT d.defaclacl FROM pg_default_acl d
                   WHERE d.defaclrole = o.owner AND d.defaclnamespace = 0
                     AND d.defaclobjtype = CASE o.objtype WHEN 's' THEN 'S' ELSE o.objtype END::"char"),
                  acldefault(o.objtype::"char", o.owner))
  FROM obj o WHERE o.subid = 0
  UNION ALL
  SELECT o.class, o.objid, o.subid, o.owner, true, d.defaclacl
  FROM obj o JOIN pg_default_acl d
    ON d.defaclrole = o.owner AND d.defaclnamespace = o.nsp AND o.nsp <> 0
   AND d.defaclobjtype = CASE o.objtype WHEN 's' THEN 'S' ELSE o.objtype END::"char"
  WHERE o.subid = 0
)
SELECT a.class, a.objid, a.subid::int AS subid, a.initial,
       CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee) END AS grantee,
       e.privilege_type AS privilege, e.is_grantable AS grantable
FROM acls a CROSS JOIN LATERAL aclexplode(a.acl) e
WHERE e.grantee <> a.owner
