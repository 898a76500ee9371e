-- Constraints of tables; the client keeps those of the tables it kept.
-- Key columns come as numbers and the referenced table as an oid, both
-- named on the client.
SELECT con.oid, con.conrelid, con.conname, con.contype::text AS kind,
       pg_get_constraintdef(con.oid) AS definition,
       con.conkey, con.confrelid,
       con.convalidated,
       con.conindid,
       -- int2 from Postgres 16 on, int4 before: one type on every server.
       con.conislocal, con.coninhcount::int4 AS coninhcount
FROM pg_constraint con
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conrelid >= 16384
ORDER BY con.conrelid, con.conname
