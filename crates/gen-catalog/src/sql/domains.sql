-- Domains, with their array type's oid so that a column of an array of
-- the domain depends on the domain; the client keeps those in application
-- schemas that no extension made. The default is printed the way pg_dump
-- prints it. From 17 on NOT NULL is a constraint with a name: read when it
-- is not the one the server picks (<domain>_not_null, clipped to fit).
SELECT t.oid, t.typarray, t.typnamespace, t.typname,
       format_type(t.typbasetype, t.typtypmod) AS base_type,
       CASE WHEN t.typcollation <> bt.typcollation
            THEN t.typcollation::regcollation::text END AS collation,
       pg_get_expr(t.typdefaultbin, 'pg_type'::regclass) AS default_expr,
       t.typnotnull,
       /*pg17*/ (SELECT min(con.conname)::text FROM pg_constraint con
                 WHERE con.contypid = t.oid AND con.contype = 'n'
                   AND con.conname <> left(t.typname, 54) || '_not_null')
       /*pg14*/ NULL::text /*end*/ AS not_null_name
FROM pg_type t
JOIN pg_type bt ON bt.oid = t.typbasetype
WHERE t.typtype = 'd' AND t.oid >= 16384
