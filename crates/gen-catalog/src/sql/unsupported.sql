-- Objects that gen does not model yet, in catalogs nothing else reads
-- (tables.sql, indexes.sql and sequences.sql report what they find).
-- Planning around them would give a silently incomplete migration, so the
-- client turns each one in an application schema (`nsp`; 0 for objects
-- outside schemas) that neither an extension nor a range type made into
-- an error naming it.
-- The tablespace of a constraint's index is reported by indexes.sql; no
-- kind is beyond the model on every major.
SELECT NULL::text AS class, 0::oid AS objid, 0::oid AS nsp, NULL::text AS kind,
       NULL::text AS identity
WHERE false
/*pg17*/
-- From 17 on a domain's NOT NULL is a constraint with a name: the model
-- keeps it as the domain's NOT NULL, so a name of its own (or NOT VALID)
-- is beyond it.
UNION ALL
SELECT 'pg_constraint', con.oid, t.typnamespace,
       CASE WHEN NOT con.convalidated THEN 'NOT VALID domain not-null constraint'
            ELSE 'named domain not-null constraint' END,
       quote_ident(con.conname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
FROM pg_constraint con
JOIN pg_type t ON t.oid = con.contypid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE con.contype = 'n' AND con.contypid >= 16384
  AND (NOT con.convalidated OR con.conname <> left(t.typname, 54) || '_not_null')
/*end*/
/*pg18*/
-- PostgreSQL 18's constraints beyond the model: not-null constraints that
-- are NOT VALID or NO INHERIT (a plain one, named or not, is the
-- column's), NOT ENFORCED constraints, and temporal keys (WITHOUT
-- OVERLAPS, PERIOD).
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
UNION ALL
SELECT 'pg_constraint', con.oid, c.relnamespace,
       CASE WHEN NOT con.conenforced THEN 'NOT ENFORCED constraint' ELSE 'temporal constraint' END,
       quote_ident(con.conname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.conrelid >= 16384 AND (NOT con.conenforced OR con.conperiod)
/*end*/
