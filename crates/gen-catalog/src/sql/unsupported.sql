-- Objects in application schemas that gen does not model yet. Planning
-- around them would give a silently incomplete migration, so the caller
-- turns each row into an error naming the object.
WITH ext AS (
  SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
), user_ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema')
    AND nspname !~ '^pg_(toast|temp_|toast_temp_)'
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_namespace'::regclass AND ext.objid = pg_namespace.oid)
)
SELECT kind, identity FROM (
  SELECT 'pg_class'::regclass AS classid, c.oid AS objid,
         CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table'
              WHEN 'c' THEN 'composite type' END AS kind,
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS identity
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('p', 'f', 'c')
  UNION ALL
  SELECT 'pg_type'::regclass, t.oid,
         CASE t.typtype WHEN 'e' THEN 'enum type' WHEN 'd' THEN 'domain' ELSE 'range type' END,
         quote_ident(n.nspname) || '.' || quote_ident(t.typname)
  FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd', 'r')
  UNION ALL
  SELECT 'pg_policy'::regclass, po.oid, 'policy',
         quote_ident(po.polname) || ' on ' || po.polrelid::regclass::text
  FROM pg_policy po
  UNION ALL
  SELECT 'pg_rewrite'::regclass, r.oid, 'rule',
         quote_ident(r.rulename) || ' on ' || r.ev_class::regclass::text
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN user_ns n ON n.oid = c.relnamespace
  WHERE r.rulename <> '_RETURN'
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid, 'row-level security', c.oid::regclass::text
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.relrowsecurity OR c.relforcerowsecurity
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid, 'table inheritance', c.oid::regclass::text
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN user_ns n ON n.oid = c.relnamespace
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid, 'privileges on', c.oid::regclass::text
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.relacl IS NOT NULL
     OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL)
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid,
         CASE WHEN a.attstattarget >= 0 THEN 'statistics target on column'
              WHEN a.attstorage <> t.typstorage THEN 'storage setting on column'
              ELSE 'compression setting on column' END,
         c.oid::regclass::text || '.' || quote_ident(a.attname)
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid JOIN user_ns n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid
  WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    AND (a.attstattarget >= 0 OR a.attstorage <> t.typstorage OR a.attcompression <> '')
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid,
         CASE WHEN c.relreplident NOT IN ('d', 'n') OR (c.relkind = 'r' AND c.relreplident = 'n')
              THEN 'replica identity on' ELSE 'tablespace of' END,
         c.oid::regclass::text
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'i')
    AND ((c.relkind = 'r' AND c.relreplident <> 'd') OR c.reltablespace <> 0)
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid, 'CLUSTER ON index', c.oid::regclass::text
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN user_ns n ON n.oid = c.relnamespace
  WHERE i.indisclustered
  UNION ALL
  SELECT 'pg_namespace'::regclass, n.oid, 'privileges on schema', quote_ident(n.nspname)
  FROM pg_namespace n JOIN user_ns u ON u.oid = n.oid
  WHERE n.nspacl IS NOT NULL AND n.nspname <> 'public'
  UNION ALL
  SELECT 'pg_default_acl'::regclass, d.oid, 'default privileges', coalesce(d.defaclnamespace::regnamespace::text, 'database')
  FROM pg_default_acl d
  UNION ALL
  SELECT 'pg_collation'::regclass, co.oid, 'collation', quote_ident(n.nspname) || '.' || quote_ident(co.collname)
  FROM pg_collation co JOIN user_ns n ON n.oid = co.collnamespace
  UNION ALL
  SELECT 'pg_operator'::regclass, o.oid, 'operator', o.oid::regoperator::text
  FROM pg_operator o JOIN user_ns n ON n.oid = o.oprnamespace
  UNION ALL
  SELECT 'pg_ts_config'::regclass, t.oid, 'text search configuration', t.oid::regconfig::text
  FROM pg_ts_config t JOIN user_ns n ON n.oid = t.cfgnamespace
  UNION ALL
  SELECT 'pg_statistic_ext'::regclass, s.oid, 'statistics object', quote_ident(n.nspname) || '.' || quote_ident(s.stxname)
  FROM pg_statistic_ext s JOIN user_ns n ON n.oid = s.stxnamespace
  UNION ALL
  SELECT 'pg_cast'::regclass, c.oid, 'cast', format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL)
  FROM pg_cast c WHERE c.oid >= 16384
  UNION ALL
  SELECT 'pg_proc'::regclass, p.oid, 'privileges on routine', p.oid::regprocedure::text
  FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
  WHERE p.proacl IS NOT NULL
  UNION ALL
  SELECT 'pg_foreign_data_wrapper'::regclass, w.oid, 'foreign data wrapper', quote_ident(w.fdwname) FROM pg_foreign_data_wrapper w
  UNION ALL
  SELECT 'pg_foreign_server'::regclass, s.oid, 'foreign server', quote_ident(s.srvname) FROM pg_foreign_server s
  UNION ALL
  SELECT 'pg_publication'::regclass, p.oid, 'publication', quote_ident(p.pubname) FROM pg_publication p
) o
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = o.classid AND ext.objid = o.objid)
ORDER BY kind, identity
