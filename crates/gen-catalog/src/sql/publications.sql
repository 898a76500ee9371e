-- Publications (database-wide, not in a schema), with their owner and the
-- operations they publish.
SELECT p.oid, p.pubname, pg_get_userbyid(p.pubowner) AS owner,
       p.puballtables AS all_tables, p.pubinsert, p.pubupdate, p.pubdelete,
       p.pubtruncate, p.pubviaroot AS via_root
FROM pg_publication p
