-- The row type of each table or view: a routine taking or returning
-- `app.users` depends on the type, which stands for the relation.
SELECT c.reltype, c.oid
FROM pg_class c
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND c.oid >= 16384
