-- Every comment on an application object (and on `public`, which initdb
-- makes), looked up on the client by catalog, oid and sub-id.
SELECT d.classoid::regclass::text AS class, d.objoid, d.objsubid, d.description
FROM pg_description d
WHERE d.objoid >= 16384 OR (d.objoid = 2200 AND d.classoid = 'pg_namespace'::regclass)
