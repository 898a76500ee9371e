-- Application schemas: not the system ones, not created by an extension.
-- Comments are joined from pg_description: obj_description() and
-- col_description() are SQL functions that run a query per row.
SELECT n.oid, n.nspname, d.description AS comment
FROM pg_namespace n
LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass
     AND d.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e' AND d.objid >= 16384)
ORDER BY n.nspname
