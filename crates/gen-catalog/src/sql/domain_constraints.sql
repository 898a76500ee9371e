-- Check constraints of domains (NOT NULL is `typnotnull` on Postgres 15).
SELECT con.oid, con.contypid, con.conname,
       pg_get_constraintdef(con.oid) AS definition,
       con.convalidated
FROM pg_constraint con
WHERE con.contypid >= 16384
