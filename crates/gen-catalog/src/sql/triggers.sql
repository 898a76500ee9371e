-- Triggers written by users: not the internal ones behind foreign keys,
-- not the ones a partition clones from its parent's trigger.
SELECT tg.oid, n.nspname, c.relname, tg.tgname,
       pg_get_triggerdef(tg.oid) AS definition,
       tg.tgconstraint <> 0 AS constraint_trigger,
       tg.tgenabled::text AS enabled,
       d.description AS comment
FROM pg_trigger tg
JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = tg.oid AND d.classoid = 'pg_trigger'::regclass
     AND d.objsubid = 0 AND d.objoid >= 16384
WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND tg.oid >= 16384 AND c.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend e
    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e' AND e.objid >= 16384)
ORDER BY n.nspname, c.relname, tg.tgname
