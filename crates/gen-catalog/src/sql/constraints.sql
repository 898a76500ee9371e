-- Comments are joined from pg_description: obj_description() and
-- col_description() are SQL functions that run a query per row.
SELECT con.oid, con.conrelid, con.conname, con.contype::text AS kind,
       pg_get_constraintdef(con.oid) AS definition,
       ARRAY(SELECT a.attname
             FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
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
     AND d.objsubid = 0
LEFT JOIN pg_description id ON con.contype IN ('p', 'u', 'x') AND id.objoid = con.conindid
     AND id.classoid = 'pg_class'::regclass AND id.objsubid = 0
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
ORDER BY con.conrelid, con.conname
