-- Append-only: who did what to which row.
CREATE TABLE audit.events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    actor_id bigint REFERENCES app.users (id) ON DELETE SET NULL,
    action text NOT NULL,
    target_table text NOT NULL,
    target_id bigint,
    payload jsonb NOT NULL DEFAULT '{}',
    occurred_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 100, autovacuum_vacuum_insert_scale_factor = 0.05);

CREATE INDEX events_occurred_at_idx ON audit.events USING brin (occurred_at);
CREATE INDEX events_target_idx ON audit.events (target_table, target_id) WHERE target_id IS NOT NULL;

-- The table is large by the time this lands: add the key without scanning
-- the existing rows, validate in a later change.
ALTER TABLE audit.events
    ADD CONSTRAINT events_organisation_fk FOREIGN KEY (organisation_id)
    REFERENCES app.organisations (id) NOT VALID;

COMMENT ON TABLE audit.events IS 'Append-only log of changes made through the application.';
COMMENT ON COLUMN audit.events.payload IS 'Changed fields, old and new values.';
