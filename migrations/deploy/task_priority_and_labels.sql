-- Deploy tracker:task_priority_and_labels to pg
-- Task priority, labels and the board index
--
-- Hazards:
--   validates-existing-rows on constraint tasks_priority_check on app.tasks: adding constraint tasks_priority_check checks every row of app.tasks while writes are blocked
--   blocks-writes on index app.tasks_open_by_priority_idx: building index app.tasks_open_by_priority_idx blocks writes to app.tasks

BEGIN;

CREATE TABLE app.labels (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    organisation_id bigint NOT NULL,
    name text NOT NULL,
    colour character(7) DEFAULT '#888888'::bpchar NOT NULL,
    CONSTRAINT labels_colour_check CHECK ((colour ~ '^#[0-9a-f]{6}$'::text)),
    CONSTRAINT labels_organisation_name_key UNIQUE (organisation_id, name),
    CONSTRAINT labels_pkey PRIMARY KEY (id)
);

COMMENT ON TABLE app.organisations IS 'A paying customer of the service.';

COMMENT ON TABLE app.projects IS 'A board of tasks owned by one organisation.';

CREATE TABLE app.task_labels (
    task_id bigint NOT NULL,
    label_id bigint NOT NULL,
    CONSTRAINT task_labels_pkey PRIMARY KEY (task_id, label_id)
);

COMMENT ON TABLE app.tasks IS 'A unit of work inside a project.';

COMMENT ON TABLE app.users IS 'People who sign in; each belongs to one organisation.';

ALTER TABLE app.tasks ADD COLUMN priority smallint DEFAULT 3 NOT NULL;

ALTER TABLE app.users ADD COLUMN last_seen_at timestamp with time zone;

ALTER TABLE app.labels ADD CONSTRAINT labels_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES app.organisations(id) ON DELETE CASCADE;

ALTER TABLE app.task_labels ADD CONSTRAINT task_labels_label_id_fkey FOREIGN KEY (label_id) REFERENCES app.labels(id) ON DELETE CASCADE;

ALTER TABLE app.task_labels ADD CONSTRAINT task_labels_task_id_fkey FOREIGN KEY (task_id) REFERENCES app.tasks(id) ON DELETE CASCADE;

ALTER TABLE app.tasks ADD CONSTRAINT tasks_priority_check CHECK (((priority >= 1) AND (priority <= 5)));

CREATE INDEX task_labels_label_id_idx ON app.task_labels USING btree (label_id);

CREATE INDEX tasks_open_by_priority_idx ON app.tasks USING btree (project_id, priority, due_on) WHERE (NOT done);

COMMIT;
