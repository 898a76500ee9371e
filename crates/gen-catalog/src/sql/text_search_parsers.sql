-- Text search parsers made after initdb, with their functions.
SELECT p.oid, p.prsnamespace AS nsp, p.prsname,
       p.prsstart::regproc::text AS start, p.prstoken::regproc::text AS gettoken,
       p.prsend::regproc::text AS end_function, p.prslextype::regproc::text AS lextypes,
       CASE WHEN p.prsheadline <> 0 THEN p.prsheadline::regproc::text END AS headline
FROM pg_ts_parser p
WHERE p.oid >= 16384
