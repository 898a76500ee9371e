-- The row type of each table: a routine taking or returning `app.users`
-- depends on the type, which stands for the table.
SELECT c.reltype, c.oid
FROM pg_class c
WHERE c.relkind = 'r' AND c.oid >= 16384
