-- Subscriptions of this database with their connection string (the
-- client takes secrets out of it), slot, publications and the options
-- the server keeps, as `key = value` the way WITH (…) takes them, each
-- major's own.
SELECT s.oid, s.subname::text AS subname, pg_get_userbyid(s.subowner) AS owner,
       s.subconninfo AS connection, s.subslotname::text AS slot_name,
       s.subpublications::text[] AS publications,
       array_remove(ARRAY[
           'binary = ' || s.subbinary,
           /*pg16*/ 'streaming = ' || CASE s.substream WHEN 'f' THEN 'off' WHEN 't' THEN 'on' ELSE 'parallel' END
           /*pg14*/ 'streaming = ' || s.substream /*end*/,
           'synchronous_commit = ' || quote_literal(s.subsynccommit),
           /*pg15*/ 'two_phase = ' || (s.subtwophasestate <> 'd') /*pg14*/ NULL /*end*/,
           /*pg15*/ 'disable_on_error = ' || s.subdisableonerr /*pg14*/ NULL /*end*/,
           /*pg16*/ 'origin = ' || quote_literal(s.suborigin) /*pg14*/ NULL /*end*/,
           /*pg16*/ 'password_required = ' || s.subpasswordrequired /*pg14*/ NULL /*end*/,
           /*pg16*/ 'run_as_owner = ' || s.subrunasowner /*pg14*/ NULL /*end*/,
           /*pg17*/ 'failover = ' || s.subfailover /*pg14*/ NULL /*end*/
       ], NULL) AS options
FROM pg_subscription s
WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
