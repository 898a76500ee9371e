-- ALTER DEFAULT PRIVILEGES in force, one row per grantee and privilege.
-- Rows with `initial` are what holds without any: the kind's built-in
-- default database-wide, nothing within a schema.
WITH d AS (
  SELECT d.oid, d.defaclrole, d.defaclnamespace, d.defaclobjtype::text AS objtype, d.defaclacl
  FROM pg_default_acl d
), acls AS (
  SELECT d.oid, false AS initial, d.defaclacl AS acl FROM d
  UNION ALL
  SELECT d.oid, true,
         acldefault(CASE d.objtype WHEN 'S' THEN 's' ELSE d.objtype END::"char", d.defaclrole)
  FROM d WHERE d.defaclnamespace = 0
)
SELECT d.oid, pg_get_userbyid(d.defaclrole) AS role, n.nspname, d.objtype, a.initial,
       CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee) END AS grantee,
       e.privilege_type AS privilege, e.is_grantable AS grantable
FROM d
JOIN acls a ON a.oid = d.oid
LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL aclexplode(a.acl) e
