-- Each dictionary a configuration looks a token type up in, the token type
-- by its alias and the dictionaries in lookup order.
SELECT m.mapcfg AS cfg, t.alias AS token,
       m.mapdict::regdictionary::text AS dictionary
FROM pg_ts_config_map m
JOIN pg_ts_config c ON c.oid = m.mapcfg,
     LATERAL ts_token_type(c.cfgparser) t
WHERE t.tokid = m.maptokentype AND c.oid >= 16384
ORDER BY m.mapcfg, t.alias, m.mapseqno
