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
-- reads it). Neither 17 nor 18 lets one be NOT VALID; should a later
-- major, it is named here rather than planned as valid.
UNION ALL
SELECT 'pg_constraint', con.oid, t.typnamespace, 'NOT VALID domain not-null constraint',
       quote_ident(con.conname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
FROM pg_constraint con
JOIN pg_type t ON t.oid = con.contypid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE con.contype = 'n' AND con.contypid >= 16384 AND NOT con.convalidated
/*end*/
