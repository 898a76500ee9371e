-- Range types' settings, read only when there are range types.
SELECT r.rngtypid,
       format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN NOT opc.opcdefault
            THEN quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) END AS subtype_opclass,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
            THEN r.rngcollation::regcollation::text END AS range_collation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END AS subtype_diff,
       r.rngmultitypid AS multirange_oid
FROM pg_range r
JOIN pg_type st ON st.oid = r.rngsubtype
JOIN pg_opclass opc ON opc.oid = r.rngsubopc
JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
WHERE r.rngtypid >= 16384
