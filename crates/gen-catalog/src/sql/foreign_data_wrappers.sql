-- Foreign data wrappers (database-wide) with their owner, functions and
-- options as stored (`name=value`); the client leaves out an extension's
-- and forgets the values of secret options.
SELECT w.oid, w.fdwname, pg_get_userbyid(w.fdwowner) AS owner,
       CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::regproc::text END AS handler,
       CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::regproc::text END AS validator,
       coalesce(w.fdwoptions, '{}') AS options
FROM pg_foreign_data_wrapper w
