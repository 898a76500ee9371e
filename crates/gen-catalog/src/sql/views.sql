-- Views and materialized views, with their rewrite rule (pg_depend records a
-- view's dependencies on its rule, not on the view itself); the client
-- keeps those in application schemas that no extension made.
SELECT c.oid, c.relnamespace, c.relname,
       c.relkind = 'm' AS materialized,
       pg_get_viewdef(c.oid) AS definition,
       coalesce(c.reloptions, '{}') AS options,
       c.relispopulated AS populated, c.reltype,
       CASE WHEN c.relkind = 'm' THEN (SELECT a.amname::text FROM pg_am a WHERE a.oid = c.relam) END
           AS access_method,
       (SELECT t.spcname::text FROM pg_tablespace t WHERE t.oid = c.reltablespace) AS tablespace,
       r.oid AS rule_oid
FROM pg_class c
LEFT JOIN pg_rewrite r ON r.ev_class = c.oid AND r.rulename = '_RETURN' AND r.oid >= 16384
WHERE c.relkind IN ('v', 'm') AND c.oid >= 16384
