-- Functions and procedures (aggregates come from aggregates.sql). The
-- signature lists every argument's mode, name and type without defaults:
-- what must stay put for CREATE OR REPLACE to be accepted.
SELECT p.oid, n.nspname, p.proname, p.prokind::text AS kind,
       coalesce((SELECT string_agg(format_type(a.t, NULL), ', ' ORDER BY a.i)
                 FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(t, i)), '') AS args,
       l.lanname AS language,
       p.prosqlbody IS NOT NULL AS sql_body,
       p.prosecdef AS security_definer,
       pg_get_functiondef(p.oid) AS definition,
       pg_get_function_result(p.oid) AS result,
       coalesce((SELECT string_agg(coalesce(a.m, 'i') || ' ' || coalesce(a.nm, '') || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.i)
                 FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargmodes::text[], p.proargnames)
                      WITH ORDINALITY AS a(t, m, nm, i)
                 WHERE a.t IS NOT NULL), '') AS signature,
       p.pronargdefaults AS defaults,
       d.description AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass
     AND d.objsubid = 0 AND d.objoid >= 16384
WHERE p.prokind IN ('f', 'p', 'w') AND p.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend e
    WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e' AND e.objid >= 16384)
  -- A range type's constructors belong to the type, made and dropped with it.
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend i
    WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid AND i.deptype = 'i'
      AND i.refclassid = 'pg_type'::regclass AND i.objid >= 16384)
ORDER BY n.nspname, p.proname, args
