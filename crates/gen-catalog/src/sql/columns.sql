-- One row per live column of the tables read by tables.sql. The identity
-- sequence is found through its internal dependency on the column.
-- Comments are joined from pg_description: obj_description() and
-- col_description() are SQL functions that run a query per row.
SELECT a.attrelid, a.attnum, a.attname,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       format_type(a.atttypid, NULL) AS base_type,
       CASE WHEN a.attcollation <> t.typcollation
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
       a.attnotnull,
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       ad.oid AS default_oid,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       d.description AS comment,
       format_type(s.seqtypid, NULL) AS seq_type,
       sn.nspname AS seq_schema, sc.relname AS seq_name,
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       a.attislocal, a.attinhcount,
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::int END AS statistics,
       CASE WHEN a.attstorage <> t.typstorage THEN
         CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external'
                           WHEN 'm' THEN 'main' ELSE 'extended' END END AS storage,
       CASE t.typstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external'
                         WHEN 'm' THEN 'main' ELSE 'extended' END AS type_storage,
       CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END AS compression
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass
     AND d.objsubid = a.attnum AND d.objoid >= 16384
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_depend sd ON a.attidentity <> ''
     AND sd.refclassid = 'pg_class'::regclass AND sd.refobjid = a.attrelid
     AND sd.refobjsubid = a.attnum AND sd.classid = 'pg_class'::regclass AND sd.deptype = 'i'
     AND sd.refobjid >= 16384
LEFT JOIN pg_sequence s ON s.seqrelid = sd.objid
LEFT JOIN pg_class sc ON sc.oid = sd.objid AND sc.oid >= 16384
LEFT JOIN pg_namespace sn ON sn.oid = sc.relnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND a.attrelid >= 16384 AND c.oid >= 16384
  AND c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
ORDER BY a.attrelid, a.attnum
