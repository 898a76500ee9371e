CREATE TABLE app.projects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES app.organisations (id) ON DELETE CASCADE,
    owner_id bigint REFERENCES app.users (id) ON DELETE SET NULL,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'active',
    created_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    CONSTRAINT projects_status_check CHECK (status IN ('active', 'paused', 'archived')),
    CONSTRAINT projects_archived_at_check CHECK ((status = 'archived') = (archived_at IS NOT NULL)),
    CONSTRAINT projects_organisation_name_key UNIQUE (organisation_id, name)
);

COMMENT ON TABLE app.projects IS 'A board of tasks owned by one organisation.';
