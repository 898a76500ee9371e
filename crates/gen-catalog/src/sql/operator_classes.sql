-- Operator classes made after initdb (an extension's are left out by the
-- client): type, DEFAULT, family and storage type.
SELECT c.oid, c.opcnamespace AS nsp, c.opcname::text AS opcname, a.amname::text AS method,
       pg_get_userbyid(c.opcowner) AS owner, format_type(c.opcintype, NULL) AS for_type,
       c.opcdefault AS is_default, fn.nspname::text AS family_schema, f.opfname::text AS family_name,
       CASE WHEN c.opckeytype <> 0 THEN format_type(c.opckeytype, NULL) END AS storage
FROM pg_opclass c
JOIN pg_am a ON a.oid = c.opcmethod
JOIN pg_opfamily f ON f.oid = c.opcfamily
JOIN pg_namespace fn ON fn.oid = f.opfnamespace
WHERE c.oid >= 16384
