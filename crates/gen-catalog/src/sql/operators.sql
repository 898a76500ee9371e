-- Operators with a function (not the shells a COMMUTATOR or NEGATOR
-- naming an undefined operator leaves), their operand types, estimators
-- and the operators they name, as OPERATOR(schema.op).
SELECT o.oid, o.oprnamespace AS nsp, o.oprname, pg_get_userbyid(o.oprowner) AS owner,
       CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) END AS left_type,
       format_type(o.oprright, NULL) AS right_type,
       o.oprcode::regproc::text AS function,
       (SELECT 'OPERATOR(' || quote_ident(n.nspname) || '.' || c.oprname || ')'
        FROM pg_operator c JOIN pg_namespace n ON n.oid = c.oprnamespace
        WHERE c.oid = o.oprcom) AS commutator,
       (SELECT 'OPERATOR(' || quote_ident(n.nspname) || '.' || g.oprname || ')'
        FROM pg_operator g JOIN pg_namespace n ON n.oid = g.oprnamespace
        WHERE g.oid = o.oprnegate) AS negator,
       CASE WHEN o.oprrest <> 0 THEN o.oprrest::regproc::text END AS restrict,
       CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::regproc::text END AS join_estimator,
       o.oprcanhash AS hashes, o.oprcanmerge AS merges
FROM pg_operator o
WHERE o.oid >= 16384 AND o.oprcode <> 0
