-- Every sequence, with the column that owns it: by an automatic
-- dependency (OWNED BY) or, for an identity column's sequence, an
-- internal one. The client keeps free-standing sequences in application
-- schemas that no extension made, and gives identity sequences to their
-- columns, keeping them apart only for their privileges.
SELECT c.oid, c.relnamespace, c.relname,
       format_type(s.seqtypid, NULL) AS data_type,
       c.relpersistence = 'u' AS unlogged,
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       d.refobjid AS owner_table, d.refobjsubid AS owner_column, d.deptype::text AS ownership
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
     AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
     AND d.deptype IN ('a', 'i') AND d.objid >= 16384
WHERE s.seqrelid >= 16384 AND c.oid >= 16384
