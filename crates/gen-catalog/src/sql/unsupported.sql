-- Objects in application schemas that gen does not model yet. Planning
-- around them would give a silently incomplete migration, so the caller
-- turns each row into an error naming the object.
WITH ext AS (
  SELECT classid, objid FROM pg_depend WHERE deptype = 'e' AND objid >= 16384
), user_ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema')
    AND nspname !~ '^pg_(toast|temp_|toast_temp_)'
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_namespace'::regclass AND ext.objid = pg_namespace.oid)
)
SELECT kind, identity FROM (
  SELECT 'pg_class'::regclass AS classid, c.oid AS objid,
         CASE c.relkind WHEN 'f' THEN 'foreign table' END AS kind,
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS identity
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('f') AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid, 'typed table', c.oid::regclass::text
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.reloftype <> 0 AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_rewrite'::regclass, r.oid, 'rule',
         quote_ident(r.rulename) || ' on ' || r.ev_class::regclass::text
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN user_ns n ON n.oid = c.relnamespace
  WHERE r.rulename <> '_RETURN' AND r.oid >= 16384 AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid, 'privileges on identity sequence', c.oid::regclass::text
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.relkind = 'S' AND c.relacl IS NOT NULL AND c.oid >= 16384
    AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                AND d.objid = c.oid AND d.deptype = 'i')
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid, 'tablespace of', c.oid::regclass::text
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'i') AND c.reltablespace <> 0 AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid, 'CLUSTER ON index', c.oid::regclass::text
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN user_ns n ON n.oid = c.relnamespace
  WHERE i.indisclustered AND i.indexrelid >= 16384 AND c.oid >= 16384
  UNION ALL
  SELECT 'pg_operator'::regclass, o.oid, 'operator', o.oid::regoperator::text
  FROM pg_operator o JOIN user_ns n ON n.oid = o.oprnamespace
  WHERE o.oid >= 16384
  UNION ALL
  SELECT 'pg_ts_config'::regclass, t.oid, 'text search configuration', t.oid::regconfig::text
  FROM pg_ts_config t JOIN user_ns n ON n.oid = t.cfgnamespace
  WHERE t.oid >= 16384
  UNION ALL
  SELECT 'pg_statistic_ext'::regclass, s.oid, 'statistics object', quote_ident(n.nspname) || '.' || quote_ident(s.stxname)
  FROM pg_statistic_ext s JOIN user_ns n ON n.oid = s.stxnamespace
  UNION ALL
  SELECT 'pg_cast'::regclass, c.oid, 'cast', format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL)
  FROM pg_cast c WHERE c.oid >= 16384
  UNION ALL
  SELECT 'pg_foreign_data_wrapper'::regclass, w.oid, 'foreign data wrapper', quote_ident(w.fdwname) FROM pg_foreign_data_wrapper w
  UNION ALL
  SELECT 'pg_foreign_server'::regclass, s.oid, 'foreign server', quote_ident(s.srvname) FROM pg_foreign_server s
  UNION ALL
  SELECT 'pg_publication'::regclass, p.oid, 'publication', quote_ident(p.pubname) FROM pg_publication p
) o
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = o.classid AND ext.objid = o.objid)
  -- A range type's constructors and multirange casts are part of the type.
  AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = o.classid AND i.objid = o.objid
                  AND i.deptype = 'i' AND i.refclassid = 'pg_type'::regclass
                  AND i.objid >= 16384)
ORDER BY kind, identity
