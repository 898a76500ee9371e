-- The columns foreign tables declare themselves (not those a partition
-- takes from its parent), in order, with their options as stored.
SELECT a.attrelid, a.attnum, a.attname,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       CASE WHEN a.attcollation <> t.typcollation
            THEN a.attcollation::regcollation::text END AS collation,
       a.attnotnull,
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       coalesce(a.attfdwoptions, '{}') AS options
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relkind = 'f' AND a.attnum > 0 AND NOT a.attisdropped AND a.attislocal
  AND c.oid >= 16384
ORDER BY a.attrelid, a.attnum
