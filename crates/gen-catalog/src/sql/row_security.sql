-- Tables with row-level security enabled or forced.
SELECT c.oid, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
FROM pg_class c
WHERE c.relkind IN ('r', 'p') AND c.oid >= 16384 AND (c.relrowsecurity OR c.relforcerowsecurity)
