-- Event triggers (database-wide, not in a schema).
SELECT e.oid, e.evtname, e.evtevent, e.evtenabled::text AS enabled,
       coalesce(e.evttags, '{}') AS tags,
       e.evtfoid::regproc::text AS function,
       d.description AS comment
FROM pg_event_trigger e
LEFT JOIN pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_event_trigger'::regclass
     AND d.objsubid = 0 AND d.objoid >= 16384
WHERE NOT EXISTS (
    SELECT 1 FROM pg_depend x
    WHERE x.classid = 'pg_event_trigger'::regclass AND x.objid = e.oid AND x.deptype = 'e' AND x.objid >= 16384)
ORDER BY e.evtname
