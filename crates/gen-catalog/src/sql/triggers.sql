-- Triggers written by users: not the internal ones behind foreign keys,
-- not the ones a partition clones from its parent's trigger. The client
-- keeps those on the relations it kept.
SELECT tg.oid, tg.tgrelid, tg.tgname,
       pg_get_triggerdef(tg.oid) AS definition,
       tg.tgconstraint <> 0 AS constraint_trigger,
       tg.tgenabled::text AS enabled
FROM pg_trigger tg
WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND tg.oid >= 16384
