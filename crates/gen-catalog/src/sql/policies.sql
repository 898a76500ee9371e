-- Row-level security policies. `polroles` holds 0 for PUBLIC, which
-- comes out as NULL; the USING and WITH CHECK expressions are printed by
-- the server, qualified (introspection runs with an empty search_path).
SELECT p.oid, p.polrelid, p.polname, p.polpermissive,
       p.polcmd::text AS command,
       ARRAY(SELECT CASE WHEN r.oid = 0 THEN NULL ELSE pg_get_userbyid(r.oid) END
             FROM unnest(p.polroles) AS r(oid)) AS roles,
       pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr
FROM pg_policy p
