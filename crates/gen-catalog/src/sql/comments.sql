-- Every comment on an application object (and on `public`, which initdb
-- makes, and on the database's subscriptions), looked up on the client by
-- catalog, oid and sub-id.
SELECT d.classoid::regclass::text AS class, d.objoid, d.objsubid, d.description
FROM pg_description d
WHERE d.objoid >= 16384 OR (d.objoid = 2200 AND d.classoid = 'pg_namespace'::regclass)
UNION ALL
-- Subscriptions are shared objects: their comments live apart.
SELECT 'pg_subscription', d.objoid, 0, d.description
FROM pg_shdescription d
WHERE d.classoid = 'pg_subscription'::regclass
  AND d.objoid IN (SELECT oid FROM pg_subscription
                   WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()))
