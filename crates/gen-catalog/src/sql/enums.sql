-- The labels of every enum, in order.
SELECT e.enumtypid, e.enumlabel
FROM pg_enum e
WHERE e.oid >= 16384
ORDER BY e.enumtypid, e.enumsortorder
