-- Text search dictionaries with their owner, template and options as the
-- server keeps them.
SELECT d.oid, d.dictnamespace AS nsp, d.dictname, pg_get_userbyid(d.dictowner) AS owner,
       quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname) AS template,
       d.dictinitoption AS options
FROM pg_ts_dict d
JOIN pg_ts_template t ON t.oid = d.dicttemplate
JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
WHERE d.oid >= 16384
