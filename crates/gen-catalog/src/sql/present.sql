-- Whether the database holds objects of the kinds few databases have, so
-- that their queries run only when there is something to read.
SELECT EXISTS (SELECT 1 FROM pg_cast WHERE oid >= 16384) AS casts,
       EXISTS (SELECT 1 FROM pg_rewrite WHERE rulename <> '_RETURN' AND oid >= 16384) AS rules,
       EXISTS (SELECT 1 FROM pg_ts_config WHERE oid >= 16384) AS text_search_configurations,
       EXISTS (SELECT 1 FROM pg_ts_dict WHERE oid >= 16384) AS text_search_dictionaries,
       EXISTS (SELECT 1 FROM pg_foreign_data_wrapper) AS foreign_data,
       EXISTS (SELECT 1 FROM pg_statistic_ext WHERE oid >= 16384) AS statistics,
       EXISTS (SELECT 1 FROM pg_operator WHERE oid >= 16384) AS operators,
       EXISTS (SELECT 1 FROM pg_language WHERE oid >= 16384) AS languages,
       EXISTS (SELECT 1 FROM pg_conversion WHERE oid >= 16384) AS conversions,
       EXISTS (SELECT 1 FROM pg_am WHERE oid >= 16384) AS access_methods,
       EXISTS (SELECT 1 FROM pg_ts_parser WHERE oid >= 16384) AS text_search_parsers,
       EXISTS (SELECT 1 FROM pg_ts_template WHERE oid >= 16384) AS text_search_templates,
       EXISTS (SELECT 1 FROM pg_subscription
               WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()))
           AS subscriptions,
       EXISTS (SELECT 1 FROM pg_opfamily WHERE oid >= 16384) AS operator_families
