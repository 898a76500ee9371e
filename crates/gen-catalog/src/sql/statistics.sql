-- Extended statistics objects with their owner, definition and sampling
-- target (NULL for the default: -1 before PostgreSQL 17, NULL from 17 on).
SELECT s.oid, s.stxnamespace AS nsp, s.stxname, s.stxrelid AS relid,
       pg_get_userbyid(s.stxowner) AS owner,
       pg_get_statisticsobjdef(s.oid) AS definition,
       CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget::int END AS target
FROM pg_statistic_ext s
WHERE s.oid >= 16384
