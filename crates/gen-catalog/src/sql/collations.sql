-- Collations (Postgres 15 columns: the ICU locale is `colliculocale`); the
-- client keeps those in application schemas that no extension made.
SELECT co.oid, co.collnamespace, co.collname, co.collprovider::text AS provider,
       co.collcollate, co.collctype, co.colliculocale, co.collisdeterministic
FROM pg_collation co
WHERE co.oid >= 16384
