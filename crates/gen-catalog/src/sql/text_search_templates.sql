-- Text search templates made after initdb, with their functions.
SELECT t.oid, t.tmplnamespace AS nsp, t.tmplname,
       CASE WHEN t.tmplinit <> 0 THEN t.tmplinit::regproc::text END AS init,
       t.tmpllexize::regproc::text AS lexize
FROM pg_ts_template t
WHERE t.oid >= 16384
