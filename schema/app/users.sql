CREATE TABLE app.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES app.organisations (id) ON DELETE CASCADE,
    email citext NOT NULL,
    display_name varchar(120),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    CONSTRAINT users_organisation_email_key UNIQUE (organisation_id, email)
);

COMMENT ON TABLE app.users IS 'People who sign in; each belongs to one organisation.';
