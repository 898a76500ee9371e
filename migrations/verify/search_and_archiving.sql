-- Verify tracker:search_and_archiving on pg

BEGIN;

SET LOCAL search_path = '';

DO $verify$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_trgm')) THEN
        RAISE EXCEPTION USING MESSAGE = 'extension pg_trgm is missing';
    END IF;
    IF NOT (to_regclass('audit.events') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table audit.events is missing';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('app.projects') AND attname = 'archived_at' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'timestamp with time zone' AND attnotnull = false) THEN
        RAISE EXCEPTION USING MESSAGE = 'column app.projects.archived_at is missing or not timestamp with time zone';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('app.tasks') AND attname = 'priority' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'smallint' AND attnotnull = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'column app.tasks.priority is missing or not smallint NOT NULL';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('app.users') AND attname = 'display_name' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'character varying(120)' AND attnotnull = false) THEN
        RAISE EXCEPTION USING MESSAGE = 'column app.users.display_name is missing or not character varying(120)';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('audit.events') AND attname = 'payload' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'jsonb' AND attnotnull = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'column audit.events.payload is missing or not jsonb NOT NULL';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('billing.invoice_lines') AND attname = 'line_total_cents' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'bigint' AND attnotnull = false) THEN
        RAISE EXCEPTION USING MESSAGE = 'column billing.invoice_lines.line_total_cents is missing or not bigint';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.projects') AND conname = 'projects_archived_at_check' AND contype = 'c' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint projects_archived_at_check on app.projects is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.projects') AND conname = 'projects_status_check' AND contype = 'c' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint projects_status_check on app.projects is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('audit.events') AND conname = 'events_organisation_fk' AND contype = 'f' AND convalidated = false) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint events_organisation_fk on audit.events is missing or of another kind';
    END IF;
    IF NOT (to_regclass('app.tasks_title_trgm_idx') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'index app.tasks_title_trgm_idx is missing';
    END IF;
    IF NOT (to_regclass('audit.events_target_idx') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'index audit.events_target_idx is missing';
    END IF;
END
$verify$;

ROLLBACK;
