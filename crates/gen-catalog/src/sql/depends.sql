-- Every dependency between user objects (oids past the bootstrap range),
-- mapped to gen's identities on the client, and every object an extension
-- made (deptype `e`, on the extension).
SELECT d.classid::regclass::text AS class, d.objid, d.objsubid,
       d.refclassid::regclass::text AS refclass, d.refobjid, d.refobjsubid,
       d.deptype::text AS deptype
FROM pg_depend d
WHERE d.objid >= 16384 AND d.refobjid >= 16384 AND d.deptype IN ('n', 'a', 'i', 'e')
