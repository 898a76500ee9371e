-- Objects that gen does not model yet, in catalogs nothing else reads
-- (tables.sql, indexes.sql and sequences.sql report what they find).
-- Planning around them would give a silently incomplete migration, so the
-- client turns each one in an application schema (`nsp`; 0 for objects
-- outside schemas) that neither an extension nor a range type made into
-- an error naming it.
-- No kind is beyond the model on every major.
SELECT NULL::text AS class, 0::oid AS objid, 0::oid AS nsp, NULL::text AS kind,
       NULL::text AS identity
WHERE false
/*pg17*/
-- From 17 on a domain's NOT NULL is a constraint with a name (domains.sql
-- reads it); one that is NOT VALID is beyond the model.
UNION ALL
SELECT 'pg_constraint', con.oid, t.typnamespace, 'NOT VALID domain not-null constraint',
       quote_ident(con.conname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
FROM pg_constraint con
JOIN pg_type t ON t.oid = con.contypid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE con.contype = 'n' AND con.contypid >= 16384 AND NOT con.convalidated
/*end*/
/*pg18*/
-- PostgreSQL 18's constraints beyond the model: not-null constraints that
-- are NOT VALID or NO INHERIT (a plain one, named or not, is the
-- column's). NOT ENFORCED constraints and temporal keys (WITHOUT
-- OVERLAPS, PERIOD) are in the definitions pg_get_constraintdef writes.
UNION ALL
SELECT 'pg_constraint', con.oid, c.relnamespace,
       CASE WHEN NOT con.convalidated THEN 'NOT VALID not-null constraint'
            ELSE 'NO INHERIT not-null constraint' END,
       quote_ident(con.conname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'n' AND con.conrelid >= 16384
  AND (NOT con.convalidated OR con.connoinherit)
/*end*/
