-- Every cast between types: ALTER COLUMN ... TYPE needs USING unless an
-- assignment cast exists, and an explicit cast is preferred to going
-- through text.
SELECT format_type(castsource, NULL) AS source, format_type(casttarget, NULL) AS target,
       castcontext::text AS context, castmethod = 'b' AS binary
FROM pg_cast
