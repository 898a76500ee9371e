CREATE TABLE app.labels (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES app.organisations (id) ON DELETE CASCADE,
    name text NOT NULL,
    colour char(7) NOT NULL DEFAULT '#888888',
    CONSTRAINT labels_colour_check CHECK (colour ~ '^#[0-9a-f]{6}$'),
    CONSTRAINT labels_organisation_name_key UNIQUE (organisation_id, name)
);
