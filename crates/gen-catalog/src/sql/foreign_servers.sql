-- Foreign servers (database-wide) with their owner, wrapper, type, version
-- and options as stored.
SELECT s.oid, s.srvname, pg_get_userbyid(s.srvowner) AS owner, w.fdwname AS wrapper,
       s.srvtype AS server_type, s.srvversion AS version,
       coalesce(s.srvoptions, '{}') AS options
FROM pg_foreign_server s
JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
