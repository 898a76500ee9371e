-- Every index of a relation; the client keeps those of the tables and
-- materialized views it kept, without the ones that implement a primary
-- key, unique or exclusion constraint (they are part of the constraint,
-- storage and tablespace included: constraints.sql). A partition's index
-- is attached to its parent by inherits.sql.
SELECT i.indexrelid, ic.relnamespace, ic.relname, i.indrelid,
       -- An index of a partitioned table is written `ON ONLY` when its
       -- partitions' indexes are attached one by one; creating it anew
       -- builds them all.
       -- A primary key's or exclusion constraint's index is the
       -- constraint's (a unique one may be either): no definition needed.
       CASE WHEN i.indisprimary OR i.indisexclusion THEN NULL
            WHEN ic.relkind = 'I'
            THEN regexp_replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ')
            ELSE pg_get_indexdef(i.indexrelid) END AS definition,
       i.indisreplident AS replica_identity,
       i.indisclustered AS clustered,
       -- Sampling targets set on index columns (ALTER INDEX … ALTER COLUMN n
       -- SET STATISTICS v), as n=v.
       ARRAY(SELECT a.attnum || '=' || a.attstattarget FROM pg_attribute a
             WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0
             ORDER BY a.attnum) AS column_statistics,
       (SELECT t.spcname::text FROM pg_tablespace t WHERE t.oid = ic.reltablespace) AS tablespace
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid >= 16384 AND ic.oid >= 16384
