-- Constraints of tables; the client keeps those of the tables it kept.
-- Key columns come as numbers and the referenced table as an oid, both
-- named on the client.
SELECT con.oid, con.conrelid, con.conname, con.contype::text AS kind,
       pg_get_constraintdef(con.oid) AS definition,
       con.conkey, con.confrelid,
       con.convalidated,
       con.conindid,
       -- The storage parameters and tablespace of the index behind a key
       -- or exclusion constraint, which pg_get_constraintdef leaves out
       -- (but for an exclusion constraint's parameters, which it writes;
       -- a foreign key's conindid is the referenced table's index).
       CASE WHEN con.contype IN ('p', 'u')
            THEN coalesce(ic.reloptions, '{}') ELSE '{}' END AS index_options,
       CASE WHEN con.contype IN ('p', 'u', 'x')
            THEN (SELECT t.spcname::text FROM pg_tablespace t WHERE t.oid = ic.reltablespace)
       END AS index_tablespace,
       -- int2 from Postgres 16 on, int4 before: one type on every server.
       con.conislocal, con.coninhcount::int4 AS coninhcount,
       -- A foreign key to a partitioned table has a clone per partition of
       -- the referenced table, on the same referencing table: the server's
       -- own bookkeeping, made and dropped with the foreign key it names.
       CASE WHEN con.conparentid <> 0 AND EXISTS (
                SELECT 1 FROM pg_constraint p
                WHERE p.oid = con.conparentid AND p.conrelid = con.conrelid)
            THEN con.conparentid END AS clone_of
FROM pg_constraint con
LEFT JOIN pg_class ic ON ic.oid = con.conindid
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conrelid >= 16384
ORDER BY con.conrelid, con.conname
