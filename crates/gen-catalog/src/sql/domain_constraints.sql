-- Check constraints of domains (NOT NULL is `typnotnull`; from 17 on it is
-- also a constraint row of its own, left out here).
SELECT con.oid, con.contypid, con.conname,
       pg_get_constraintdef(con.oid) AS definition,
       con.convalidated
FROM pg_constraint con
WHERE con.contypid >= 16384 AND con.contype <> 'n'
