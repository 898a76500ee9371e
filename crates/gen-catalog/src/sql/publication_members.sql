-- What publications name one by one: a table (`relid`) with its column
-- list (NULL: every column; in column order, as the server keeps it) and
-- row filter, or a schema (`nspid`) whose tables all publish. Column
-- lists, row filters and schemas are there from PostgreSQL 15 on.
SELECT pr.prpubid AS pubid, pr.prrelid AS relid, NULL::oid AS nspid,
       /*pg15*/
       (SELECT array_agg(a.attname::text ORDER BY a.attnum)
        FROM pg_attribute a
        WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs::int2[]))
       /*pg14*/ NULL::text[] /*end*/ AS columns,
       /*pg15*/ pg_get_expr(pr.prqual, pr.prrelid) /*pg14*/ NULL::text /*end*/ AS row_filter
FROM pg_publication_rel pr
/*pg15*/
UNION ALL
SELECT pn.pnpubid, NULL, pn.pnnspid, NULL, NULL
FROM pg_publication_namespace pn
/*end*/
