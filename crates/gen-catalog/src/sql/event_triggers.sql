-- Event triggers (database-wide, not in a schema); the client leaves out
-- those an extension made.
SELECT e.oid, e.evtname, e.evtevent, e.evtenabled::text AS enabled,
       coalesce(e.evttags, '{}') AS tags,
       e.evtfoid::regproc::text AS function
FROM pg_event_trigger e
