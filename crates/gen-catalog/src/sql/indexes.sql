-- Indexes that implement a primary key, unique or exclusion constraint are
-- part of the constraint and are left out here.
-- Comments are joined from pg_description: obj_description() and
-- col_description() are SQL functions that run a query per row.
SELECT i.indexrelid, n.nspname, ic.relname, tn.nspname AS table_schema, tc.relname AS table_name,
       -- An index of a partitioned table is written `ON ONLY` when its
       -- partitions' indexes are attached one by one; creating it anew
       -- builds them all.
       CASE WHEN tc.relkind = 'p'
            THEN regexp_replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ')
            ELSE pg_get_indexdef(i.indexrelid) END AS definition,
       d.description AS comment,
       pn.nspname AS parent_schema, pc.relname AS parent_name
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_inherits ih ON ih.inhrelid = i.indexrelid AND ih.inhrelid >= 16384
LEFT JOIN pg_class pc ON pc.oid = ih.inhparent AND pc.oid >= 16384
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_description d ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass
     AND d.objsubid = 0 AND d.objoid >= 16384
WHERE tc.relkind IN ('r', 'm', 'p')
  AND i.indrelid >= 16384 AND ic.oid >= 16384 AND tc.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_constraint con
    WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
      AND con.contype IN ('p', 'u', 'x') AND con.conrelid >= 16384)
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = tc.oid AND d.deptype = 'e' AND d.objid >= 16384)
ORDER BY n.nspname, ic.relname
