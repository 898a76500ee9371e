-- Procedural languages made after initdb (an extension's are left out by
-- the client), with their handlers as qualified names.
SELECT l.oid, l.lanname, l.lanpltrusted AS trusted,
       l.lanplcallfoid::regproc::text AS handler,
       CASE WHEN l.laninline <> 0 THEN l.laninline::regproc::text END AS inline,
       CASE WHEN l.lanvalidator <> 0 THEN l.lanvalidator::regproc::text END AS validator
FROM pg_language l
WHERE l.oid >= 16384
