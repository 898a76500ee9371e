-- Views and materialized views, with their rewrite rule (pg_depend records a
-- view's dependencies on its rule, not on the view itself).
SELECT c.oid, n.nspname, c.relname,
       c.relkind = 'm' AS materialized,
       pg_get_viewdef(c.oid) AS definition,
       coalesce(c.reloptions, '{}') AS options,
       c.relispopulated AS populated,
       r.oid AS rule_oid,
       d.description AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_rewrite r ON r.ev_class = c.oid AND r.rulename = '_RETURN' AND r.oid >= 16384
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
     AND d.objoid >= 16384
WHERE c.relkind IN ('v', 'm') AND c.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend e
    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e' AND e.objid >= 16384)
ORDER BY n.nspname, c.relname
