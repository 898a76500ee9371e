-- Aggregates, rebuilt as the CREATE AGGREGATE statement that makes them,
-- clause by clause as pg_dump writes it; options at their defaults are
-- left out. Names print qualified: introspection runs with an empty
-- search_path. Read only when there are aggregates; the client keeps
-- those functions.sql kept.
SELECT p.oid, n.nspname, p.proname,
       pg_get_function_identity_arguments(p.oid) AS args,
       'CREATE AGGREGATE ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '('
       || CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_arguments(p.oid) END || ') ('
       || E'\n    SFUNC = ' || a.aggtransfn::regproc::text
       || E',\n    STYPE = ' || format_type(a.aggtranstype, NULL)
       || CASE WHEN a.aggtransspace <> 0 THEN E',\n    SSPACE = ' || a.aggtransspace ELSE '' END
       || CASE WHEN a.aggfinalfn <> 0 THEN E',\n    FINALFUNC = ' || a.aggfinalfn::regproc::text ELSE '' END
       || CASE WHEN a.aggfinalextra THEN E',\n    FINALFUNC_EXTRA' ELSE '' END
       || CASE WHEN a.aggfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
               THEN E',\n    FINALFUNC_MODIFY = '
                    || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END
               ELSE '' END
       || CASE WHEN a.aggcombinefn <> 0 THEN E',\n    COMBINEFUNC = ' || a.aggcombinefn::regproc::text ELSE '' END
       || CASE WHEN a.aggserialfn <> 0 THEN E',\n    SERIALFUNC = ' || a.aggserialfn::regproc::text ELSE '' END
       || CASE WHEN a.aggdeserialfn <> 0 THEN E',\n    DESERIALFUNC = ' || a.aggdeserialfn::regproc::text ELSE '' END
       || CASE WHEN a.agginitval IS NOT NULL THEN E',\n    INITCOND = ' || quote_literal(a.agginitval) ELSE '' END
       || CASE WHEN a.aggmtransfn <> 0 THEN
               E',\n    MSFUNC = ' || a.aggmtransfn::regproc::text
               || E',\n    MINVFUNC = ' || a.aggminvtransfn::regproc::text
               || E',\n    MSTYPE = ' || format_type(a.aggmtranstype, NULL)
               || CASE WHEN a.aggmtransspace <> 0 THEN E',\n    MSSPACE = ' || a.aggmtransspace ELSE '' END
               || CASE WHEN a.aggmfinalfn <> 0 THEN E',\n    MFINALFUNC = ' || a.aggmfinalfn::regproc::text ELSE '' END
               || CASE WHEN a.aggmfinalextra THEN E',\n    MFINALFUNC_EXTRA' ELSE '' END
               || CASE WHEN a.aggmfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
                       THEN E',\n    MFINALFUNC_MODIFY = '
                            || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END
                       ELSE '' END
               || CASE WHEN a.aggminitval IS NOT NULL THEN E',\n    MINITCOND = ' || quote_literal(a.aggminitval) ELSE '' END
          ELSE '' END
       || CASE WHEN a.aggsortop <> 0 THEN
               E',\n    SORTOP = OPERATOR(' || quote_ident(opn.nspname) || '.' || op.oprname || ')'
          ELSE '' END
       || CASE p.proparallel WHEN 's' THEN E',\n    PARALLEL = SAFE' WHEN 'r' THEN E',\n    PARALLEL = RESTRICTED' ELSE '' END
       || CASE WHEN a.aggkind = 'h' THEN E',\n    HYPOTHETICAL' ELSE '' END
       || E'\n)' AS definition
FROM pg_proc p
JOIN pg_aggregate a ON a.aggfnoid = p.oid
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_operator op ON op.oid = a.aggsortop
LEFT JOIN pg_namespace opn ON opn.oid = op.oprnamespace
WHERE p.prokind = 'a' AND p.oid >= 16384 AND a.aggfnoid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
ORDER BY n.nspname, p.proname, args
