-- Casts the application defines (oids past the bootstrap range), with the
-- function, qualified and with its identity arguments, for those made
-- WITH FUNCTION; the client leaves out those an extension made.
SELECT c.oid, format_type(c.castsource, NULL) AS source,
       format_type(c.casttarget, NULL) AS target,
       c.castmethod::text AS method, c.castcontext::text AS context,
       CASE WHEN c.castfunc <> 0 THEN
           quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
           || pg_get_function_identity_arguments(p.oid) || ')'
       END AS function
FROM pg_cast c
LEFT JOIN pg_proc p ON p.oid = c.castfunc
LEFT JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE c.oid >= 16384
