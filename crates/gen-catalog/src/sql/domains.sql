-- Domains, with their array type's oid so that a column of an array of
-- the domain depends on the domain; the client keeps those in application
-- schemas that no extension made. The default is printed the way pg_dump
-- prints it.
SELECT t.oid, t.typarray, t.typnamespace, t.typname,
       format_type(t.typbasetype, t.typtypmod) AS base_type,
       CASE WHEN t.typcollation <> bt.typcollation
            THEN t.typcollation::regcollation::text END AS collation,
       pg_get_expr(t.typdefaultbin, 'pg_type'::regclass) AS default_expr,
       t.typnotnull
FROM pg_type t
JOIN pg_type bt ON bt.oid = t.typbasetype
WHERE t.typtype = 'd' AND t.oid >= 16384
