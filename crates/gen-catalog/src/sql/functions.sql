-- Functions, procedures and aggregates (whose definition aggregates.sql
-- rebuilds); the client keeps those in application schemas that neither
-- an extension nor a range type made. The signature lists every
-- argument's mode, name and type without defaults: what must stay put for
-- CREATE OR REPLACE to be accepted.
SELECT p.oid, p.pronamespace, p.proname, p.prokind::text AS kind,
       oidvectortypes(p.proargtypes) AS args,
       l.lanname AS language,
       p.prosqlbody IS NOT NULL AS sql_body,
       p.prosecdef AS security_definer,
       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END AS definition,
       pg_get_function_result(p.oid) AS result,
       coalesce((SELECT string_agg(coalesce(a.m, 'i') || ' ' || coalesce(a.nm, '') || ' ' || format_type(a.t, NULL), ', ' ORDER BY a.i)
                 FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargmodes::text[], p.proargnames)
                      WITH ORDINALITY AS a(t, m, nm, i)
                 WHERE a.t IS NOT NULL), '') AS signature,
       p.pronargdefaults AS defaults
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
WHERE p.oid >= 16384
