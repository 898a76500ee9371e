-- The operators and support functions of operator families made after
-- initdb, each with the class it came with (0 for a member added to the
-- family alone, `ALTER OPERATOR FAMILY … ADD`), as pg_dump tells them.
SELECT 'pg_amop' AS class, o.oid, o.amopfamily AS family, coalesce(d.refobjid, 0::oid) AS opclass,
       o.amopstrategy AS number, o.amopopr::regoperator::text AS member,
       CASE WHEN o.amoppurpose = 'o'
            THEN quote_ident(sn.nspname) || '.' || quote_ident(sf.opfname) END AS order_by,
       NULL::text AS left_type, NULL::text AS right_type
FROM pg_amop o
LEFT JOIN pg_depend d ON d.classid = 'pg_amop'::regclass AND d.objid = o.oid
     AND d.refclassid = 'pg_opclass'::regclass AND d.deptype = 'i'
LEFT JOIN pg_opfamily sf ON sf.oid = o.amopsortfamily
LEFT JOIN pg_namespace sn ON sn.oid = sf.opfnamespace
WHERE o.amopfamily >= 16384
UNION ALL
SELECT 'pg_amproc', p.oid, p.amprocfamily, coalesce(d.refobjid, 0::oid), p.amprocnum,
       p.amproc::regprocedure::text, NULL,
       format_type(p.amproclefttype, NULL), format_type(p.amprocrighttype, NULL)
FROM pg_amproc p
LEFT JOIN pg_depend d ON d.classid = 'pg_amproc'::regclass AND d.objid = p.oid
     AND d.refclassid = 'pg_opclass'::regclass AND d.deptype = 'i'
WHERE p.amprocfamily >= 16384
