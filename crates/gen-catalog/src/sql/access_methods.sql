-- Access methods made after initdb (an extension's are left out by the
-- client), with their handlers.
SELECT a.oid, a.amname, CASE a.amtype WHEN 't' THEN 'TABLE' ELSE 'INDEX' END AS kind,
       a.amhandler::regproc::text AS handler
FROM pg_am a
WHERE a.oid >= 16384
