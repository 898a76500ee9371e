-- Enum, composite and range types in application schemas. Array types,
-- the row types of tables and views, multiranges (they come with their
-- range) and extension members are left out. The array type's oid is read
-- too, so that a column of type `mood[]` depends on `mood`.
SELECT t.oid, t.typarray, t.typrelid, n.nspname, t.typname, t.typtype::text AS kind,
       ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid
             ORDER BY e.enumsortorder) AS enum_values,
       format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN NOT opc.opcdefault
            THEN quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) END AS subtype_opclass,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS range_collation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END AS subtype_diff,
       mn.nspname AS multirange_schema, mt.typname AS multirange_name,
       mt.oid AS multirange_oid, mt.typarray AS multirange_array,
       d.description AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class rel ON rel.oid = t.typrelid AND rel.oid >= 16384
LEFT JOIN pg_range r ON r.rngtypid = t.oid AND r.rngtypid >= 16384
LEFT JOIN pg_type st ON st.oid = r.rngsubtype
LEFT JOIN pg_opclass opc ON opc.oid = r.rngsubopc
LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
LEFT JOIN pg_collation co ON co.oid = r.rngcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid AND mt.oid >= 16384
LEFT JOIN pg_namespace mn ON mn.oid = mt.typnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
     AND d.objoid >= 16384
WHERE (t.typtype IN ('e', 'r') OR (t.typtype = 'c' AND rel.relkind = 'c')) AND t.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend x
    WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e' AND x.objid >= 16384)
ORDER BY n.nspname, t.typname
