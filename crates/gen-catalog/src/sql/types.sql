-- Enum, composite, range and multirange types; the client keeps enum,
-- composite and range types in application schemas that no extension
-- made, and names a range's multirange from these same rows. Array types
-- and the row types of tables and views are left out. The array type's
-- oid is read too, so that a column of type `mood[]` depends on `mood`.
SELECT t.oid, t.typarray, t.typrelid, t.typnamespace, t.typname, t.typtype::text AS kind
FROM pg_type t
LEFT JOIN pg_class rel ON rel.oid = t.typrelid AND rel.oid >= 16384
WHERE (t.typtype IN ('e', 'r', 'm') OR (t.typtype = 'c' AND rel.relkind = 'c')) AND t.oid >= 16384
