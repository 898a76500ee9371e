-- plpgsql is in every database, so it is never part of a difference.
SELECT e.oid, e.extname, n.nspname, e.extversion, obj_description(e.oid, 'pg_extension') AS comment
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname
