-- Collations; the client keeps those in application schemas that no
-- extension made. Where an ICU or builtin collation keeps its locale moved
-- between majors: in collcollate (14), colliculocale (15, 16), colllocale
-- (17 on, also for the builtin provider). ICU rules are there from 16 on.
SELECT co.oid, co.collnamespace, co.collname, co.collprovider::text AS provider,
       /*pg15*/ co.collcollate /*pg14*/ CASE WHEN co.collprovider <> 'i' THEN co.collcollate END /*end*/ AS collcollate,
       /*pg15*/ co.collctype /*pg14*/ CASE WHEN co.collprovider <> 'i' THEN co.collctype END /*end*/ AS collctype,
       /*pg17*/ co.colllocale /*pg15*/ co.colliculocale /*pg14*/ CASE WHEN co.collprovider = 'i' THEN co.collcollate END /*end*/ AS locale,
       /*pg16*/ co.collicurules /*pg14*/ NULL::text /*end*/ AS icu_rules,
       co.collisdeterministic
FROM pg_collation co
WHERE co.oid >= 16384
