-- User mappings, through the view that shows their options to those who
-- may see them; PUBLIC for a mapping of every role.
SELECT m.umid AS oid, m.srvname AS server,
       CASE WHEN m.umuser = 0 THEN 'PUBLIC' ELSE m.usename::text END AS username,
       coalesce(m.umoptions, '{}') AS options
FROM pg_user_mappings m
