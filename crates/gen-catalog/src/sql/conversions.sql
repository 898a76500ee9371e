-- Encoding conversions made after initdb (an extension's are left out by
-- the client), with their encodings by name and their function.
SELECT c.oid, c.connamespace AS nsp, c.conname, pg_get_userbyid(c.conowner) AS owner,
       pg_encoding_to_char(c.conforencoding)::text AS source,
       pg_encoding_to_char(c.contoencoding)::text AS destination,
       c.conproc::regproc::text AS function, c.condefault AS is_default
FROM pg_conversion c
WHERE c.oid >= 16384
