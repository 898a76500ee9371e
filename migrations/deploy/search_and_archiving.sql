-- Deploy tracker:search_and_archiving to pg
-- Trigram task search, archived projects, audit payloads
--
-- Hazards:
--   rewrites-table on column app.users.display_name: changing app.users.display_name from character varying(80) to character varying(120) may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
--   rewrites-table on column billing.invoice_lines.line_total_cents: adding generated column line_total_cents rewrites billing.invoice_lines
--   validates-existing-rows on constraint projects_archived_at_check on app.projects: adding constraint projects_archived_at_check checks every row of app.projects while writes are blocked
--   validates-existing-rows on constraint projects_status_check on app.projects: adding constraint projects_status_check checks every row of app.projects while writes are blocked
--   blocks-writes on index app.tasks_title_trgm_idx: building index app.tasks_title_trgm_idx blocks writes to app.tasks
--   blocks-writes on index audit.events_target_idx: building index audit.events_target_idx blocks writes to audit.events

BEGIN;

ALTER TABLE app.projects DROP CONSTRAINT projects_status_check;

CREATE EXTENSION pg_trgm WITH SCHEMA public;

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

ALTER TABLE audit.events SET (autovacuum_vacuum_insert_scale_factor=0.05, fillfactor=100);

COMMENT ON TABLE audit.events IS 'Append-only log of changes made through the application.';

ALTER TABLE app.projects ADD COLUMN archived_at timestamp with time zone;

COMMENT ON COLUMN app.tasks.priority IS '1 (most urgent) to 5.';

ALTER TABLE app.users ALTER COLUMN display_name TYPE character varying(120);

ALTER TABLE audit.events ADD COLUMN payload jsonb DEFAULT '{}'::jsonb NOT NULL;

COMMENT ON COLUMN audit.events.payload IS 'Changed fields, old and new values.';

ALTER TABLE billing.invoice_lines ADD COLUMN line_total_cents bigint GENERATED ALWAYS AS (((quantity)::bigint * unit_price_cents)) STORED;

ALTER TABLE app.projects ADD CONSTRAINT projects_archived_at_check CHECK (((status = 'archived'::text) = (archived_at IS NOT NULL)));

ALTER TABLE app.projects ADD CONSTRAINT projects_status_check CHECK ((status = ANY (ARRAY['active'::text, 'paused'::text, 'archived'::text])));

ALTER TABLE audit.events ADD CONSTRAINT events_organisation_fk FOREIGN KEY (organisation_id) REFERENCES app.organisations(id) NOT VALID;

CREATE INDEX tasks_title_trgm_idx ON app.tasks USING gin (title public.gin_trgm_ops);

CREATE INDEX events_target_idx ON audit.events USING btree (target_table, target_id) WHERE (target_id IS NOT NULL);

COMMIT;
