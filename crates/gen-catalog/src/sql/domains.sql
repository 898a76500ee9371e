-- Domains in application schemas, with their array type's oid so that a
-- column of an array of the domain depends on the domain. The default is
-- printed the way pg_dump prints it.
SELECT t.oid, t.typarray, n.nspname, t.typname,
       format_type(t.typbasetype, t.typtypmod) AS base_type,
       CASE WHEN t.typcollation <> bt.typcollation
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
       pg_get_expr(t.typdefaultbin, 'pg_type'::regclass) AS default_expr,
       t.typnotnull,
       d.description AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
     AND d.objoid >= 16384
WHERE t.typtype = 'd' AND t.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend x
    WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e' AND x.objid >= 16384)
ORDER BY n.nspname, t.typname
