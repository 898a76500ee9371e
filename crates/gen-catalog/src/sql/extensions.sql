-- plpgsql is in every database, so it is never part of a difference.
SELECT e.oid, e.extname, e.extnamespace, e.extversion,
       NOT e.extrelocatable AS fixed_schema
FROM pg_extension e
WHERE e.extname <> 'plpgsql'
