-- Rewrite rules written by users: not the `_RETURN` rule that is a view's
-- query. The client keeps those on the relations it kept.
SELECT r.oid, r.ev_class AS relid, r.rulename,
       pg_get_ruledef(r.oid) AS definition, r.ev_enabled::text AS enabled
FROM pg_rewrite r
WHERE r.rulename <> '_RETURN' AND r.oid >= 16384
