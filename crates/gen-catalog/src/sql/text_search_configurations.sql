-- Text search configurations with their owner and parser; the client
-- leaves out those of extensions and of schemas it does not read.
SELECT c.oid, c.cfgnamespace AS nsp, c.cfgname, pg_get_userbyid(c.cfgowner) AS owner,
       quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) AS parser
FROM pg_ts_config c
JOIN pg_ts_parser p ON p.oid = c.cfgparser
JOIN pg_namespace pn ON pn.oid = p.prsnamespace
WHERE c.oid >= 16384
