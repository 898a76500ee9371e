-- Check constraints of domains (NOT NULL is `typnotnull` on Postgres 15).
SELECT con.oid, con.contypid, con.conname,
       pg_get_constraintdef(con.oid) AS definition,
       con.convalidated,
       d.description AS comment
FROM pg_constraint con
LEFT JOIN pg_description d ON d.objoid = con.oid AND d.classoid = 'pg_constraint'::regclass
     AND d.objsubid = 0 AND d.objoid >= 16384
WHERE con.contypid >= 16384
ORDER BY con.contypid, con.conname
