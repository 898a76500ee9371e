-- Every schema, system ones included: the client names objects by their
-- schema's oid and decides there which schemas hold application objects.
SELECT n.oid, n.nspname FROM pg_namespace n
