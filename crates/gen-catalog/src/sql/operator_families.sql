-- Operator families made after initdb (an extension's are left out by
-- the client), with their access method.
SELECT f.oid, f.opfnamespace AS nsp, f.opfname::text AS opfname, a.amname::text AS method,
       pg_get_userbyid(f.opfowner) AS owner
FROM pg_opfamily f
JOIN pg_am a ON a.oid = f.opfmethod
WHERE f.oid >= 16384
