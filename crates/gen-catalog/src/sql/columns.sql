-- One row per live column of a table, view, materialized view or
-- composite type, in order; the client gives them to the relations it
-- kept. A collation is read only where it is not the type's.
SELECT a.attrelid, c.relkind::text AS relkind, a.attnum, a.attname,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       format_type(a.atttypid, NULL) AS base_type,
       CASE WHEN a.attcollation <> t.typcollation
            THEN a.attcollation::regcollation::text END AS collation,
       a.attnotnull,
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       ad.oid AS default_oid,
       -- Whether the default calls a volatile function (nextval, random,
       -- gen_random_uuid, clock_timestamp, ...): adding such a column
       -- computes it for every row, rewriting the table. The stored
       -- expression names each function and operator's function by oid;
       -- each is looked up alone (nested loops are off, and a join would
       -- hash all of pg_proc for every default).
       ad.adbin IS NOT NULL AND EXISTS (
           SELECT FROM regexp_matches(ad.adbin::text, ':(?:funcid|opfuncid) (\d+)', 'g') AS m
           WHERE (SELECT p.provolatile FROM pg_proc p WHERE p.oid = m[1]::oid) = 'v'
       ) AS default_volatile,
       -- Whether the type is a domain (over domains) with a check or NOT
       -- NULL, which adding the column checks against every row: looked
       -- at for domain columns alone.
       t.typtype = 'd' AND COALESCE((
           WITH RECURSIVE chain(oid) AS (
               SELECT a.atttypid
               UNION ALL
               SELECT (SELECT d.typbasetype FROM pg_type d WHERE d.oid = chain.oid AND d.typtype = 'd')
               FROM chain WHERE chain.oid IS NOT NULL)
           SELECT bool_or((SELECT d.typnotnull FROM pg_type d WHERE d.oid = chain.oid)
                          OR EXISTS (SELECT FROM pg_constraint dc WHERE dc.contypid = chain.oid))
           FROM chain WHERE chain.oid IS NOT NULL), false) AS domain_checked,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       -- int2 from Postgres 16 on, int4 before: one type on every server.
       a.attislocal, a.attinhcount::int4 AS attinhcount,
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::int END AS statistics,
       CASE WHEN a.attstorage <> t.typstorage THEN
         CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external'
                           WHEN 'm' THEN 'main' ELSE 'extended' END END AS storage,
       CASE t.typstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external'
                         WHEN 'm' THEN 'main' ELSE 'extended' END AS type_storage,
       CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END AS compression,
       -- From 18 on NOT NULL is a constraint with a name.
       /*pg18*/ nn.conname::text /*pg14*/ NULL::text /*end*/ AS not_null_name,
       /*pg18*/ coalesce(NOT nn.convalidated, false) /*pg14*/ false /*end*/ AS not_null_not_valid,
       /*pg18*/ coalesce(nn.connoinherit, false) /*pg14*/ false /*end*/ AS not_null_no_inherit
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
/*pg18*/
LEFT JOIN pg_constraint nn
  ON nn.conrelid = a.attrelid AND nn.contype = 'n' AND nn.conkey[1] = a.attnum
/*end*/
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND a.attrelid >= 16384 AND c.oid >= 16384
  AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
ORDER BY a.attrelid, a.attnum
