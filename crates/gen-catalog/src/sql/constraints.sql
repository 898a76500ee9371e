SELECT con.oid, con.conrelid, con.conname, con.contype::text AS kind,
       pg_get_constraintdef(con.oid) AS definition,
       ARRAY(SELECT a.attname
             FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       con.convalidated,
       obj_description(con.oid, 'pg_constraint') AS comment,
       CASE WHEN con.contype IN ('p', 'u', 'x')
            THEN obj_description(con.conindid, 'pg_class') END AS index_comment,
       con.conindid
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
ORDER BY con.conrelid, con.conname
