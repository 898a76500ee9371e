-- Collations in application schemas (Postgres 15 columns: the ICU locale
-- is `colliculocale`).
SELECT co.oid, n.nspname, co.collname, co.collprovider::text AS provider,
       co.collcollate, co.collctype, co.colliculocale, co.collisdeterministic,
       d.description AS comment
FROM pg_collation co
JOIN pg_namespace n ON n.oid = co.collnamespace
LEFT JOIN pg_description d ON d.objoid = co.oid AND d.classoid = 'pg_collation'::regclass
     AND d.objsubid = 0 AND d.objoid >= 16384
WHERE co.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend x
    WHERE x.classid = 'pg_collation'::regclass AND x.objid = co.oid AND x.deptype = 'e' AND x.objid >= 16384)
ORDER BY n.nspname, co.collname
