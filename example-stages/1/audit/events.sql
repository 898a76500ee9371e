-- Append-only: who did what to which row.
CREATE TABLE audit.events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    actor_id bigint REFERENCES app.users (id) ON DELETE SET NULL,
    action text NOT NULL,
    target_table text NOT NULL,
    target_id bigint,
    occurred_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX events_occurred_at_idx ON audit.events USING brin (occurred_at);
