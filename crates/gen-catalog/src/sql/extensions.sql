-- plpgsql is in every database, so it is never part of a difference.
SELECT e.oid, e.extname, e.extnamespace, e.extversion
FROM pg_extension e
WHERE e.extname <> 'plpgsql'
