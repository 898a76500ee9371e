-- Casts that ALTER COLUMN ... TYPE applies without USING.
SELECT format_type(castsource, NULL) AS source, format_type(casttarget, NULL) AS target
FROM pg_cast
WHERE castcontext IN ('a', 'i')
