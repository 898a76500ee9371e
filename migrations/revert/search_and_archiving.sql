-- Revert tracker:search_and_archiving from pg
--
-- Hazards:
--   deletes-data on column app.projects.archived_at: drops column archived_at of app.projects and its values
--   deletes-data on column audit.events.payload: drops column payload of audit.events and its values
--   deletes-data on extension pg_trgm: drops extension pg_trgm and the objects it provides
--   rewrites-table on column app.users.display_name: changing app.users.display_name from character varying(120) to character varying(80) may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
--   validates-existing-rows on constraint projects_status_check on app.projects: adding constraint projects_status_check checks every row of app.projects while writes are blocked

BEGIN;

DROP INDEX app.tasks_title_trgm_idx;

DROP INDEX audit.events_target_idx;

ALTER TABLE app.projects DROP CONSTRAINT projects_archived_at_check;

ALTER TABLE app.projects DROP CONSTRAINT projects_status_check;

ALTER TABLE audit.events DROP CONSTRAINT events_organisation_fk;

ALTER TABLE app.projects DROP COLUMN archived_at;

ALTER TABLE audit.events DROP COLUMN payload;

ALTER TABLE billing.invoice_lines DROP COLUMN line_total_cents;

DROP EXTENSION pg_trgm;

ALTER TABLE audit.events RESET (autovacuum_vacuum_insert_scale_factor, fillfactor);

COMMENT ON TABLE audit.events IS NULL;

COMMENT ON COLUMN app.tasks.priority IS NULL;

ALTER TABLE app.users ALTER COLUMN display_name TYPE character varying(80);

ALTER TABLE app.projects ADD CONSTRAINT projects_status_check CHECK ((status = ANY (ARRAY['active'::text, 'paused'::text])));

COMMIT;
