-- Every table's parents and every partition index's parent, in order.
SELECT i.inhrelid, i.inhparent
FROM pg_inherits i
WHERE i.inhrelid >= 16384
ORDER BY i.inhrelid, i.inhseqno
