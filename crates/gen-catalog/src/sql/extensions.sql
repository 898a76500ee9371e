-- plpgsql is in every database, so it is never part of a difference.
-- default_comment is what CREATE EXTENSION sets: the control file's.
SELECT e.oid, e.extname, n.nspname, e.extversion, obj_description(e.oid, 'pg_extension') AS comment,
       a.comment AS default_comment
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_available_extensions a ON a.name = e.extname
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname
