-- Comments are joined from pg_description: obj_description() and
-- col_description() are SQL functions that run a query per row. Key
-- columns come as numbers, named on the client from columns.sql: a
-- subquery per constraint to name them took half of this query's time.
SELECT con.oid, con.conrelid, con.conname, con.contype::text AS kind,
       pg_get_constraintdef(con.oid) AS definition,
       con.conkey,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       con.convalidated,
       d.description AS comment,
       id.description AS index_comment,
       con.conindid,
       con.conislocal, con.coninhcount
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = con.oid AND d.classoid = 'pg_constraint'::regclass
     AND d.objsubid = 0 AND d.objoid >= 16384
LEFT JOIN pg_description id ON con.contype IN ('p', 'u', 'x') AND id.objoid = con.conindid
     AND id.classoid = 'pg_class'::regclass AND id.objsubid = 0 AND id.objoid >= 16384
LEFT JOIN pg_class fc ON fc.oid = con.confrelid AND fc.oid >= 16384
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND con.conrelid >= 16384 AND c.oid >= 16384
  AND c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
ORDER BY con.conrelid, con.conname
