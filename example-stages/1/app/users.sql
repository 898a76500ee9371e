CREATE TABLE app.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES app.organisations (id) ON DELETE CASCADE,
    email text NOT NULL,
    display_name varchar(80),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_organisation_email_key UNIQUE (organisation_id, email)
);
