-- Free-standing sequences. Identity sequences (an internal dependency on
-- their column) belong to the column and are read by columns.sql.
-- Comments are joined from pg_description: obj_description() and
-- col_description() are SQL functions that run a query per row.
SELECT c.oid, n.nspname, c.relname,
       format_type(s.seqtypid, NULL) AS data_type,
       c.relpersistence = 'u' AS unlogged,
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       own.owner_schema, own.owner_table, own.owner_column,
       d.description AS comment
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
     AND d.objoid >= 16384
-- The owning column is looked up per sequence (OFFSET 0 keeps the lookup
-- from being flattened into a join over every automatic dependency on a
-- column, which indexes have too: 6000 rows at 1000 tables for 100 sequences).
LEFT JOIN LATERAL (
  SELECT own_n.nspname AS owner_schema, own_c.relname AS owner_table, own_a.attname AS owner_column
  FROM pg_depend od
  JOIN pg_class own_c ON own_c.oid = od.refobjid
  JOIN pg_namespace own_n ON own_n.oid = own_c.relnamespace
  JOIN pg_attribute own_a ON own_a.attrelid = od.refobjid AND own_a.attnum = od.refobjsubid
  WHERE od.classid = 'pg_class'::regclass AND od.objid = c.oid
    AND od.refclassid = 'pg_class'::regclass AND od.refobjsubid > 0 AND od.deptype = 'a'
  OFFSET 0
) own ON true
WHERE s.seqrelid >= 16384 AND c.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('i', 'e')
      AND d.objid >= 16384)
ORDER BY n.nspname, c.relname
