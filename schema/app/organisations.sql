-- A customer of the SaaS; everything else hangs off an organisation.
CREATE TABLE app.organisations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    slug varchar(40) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organisations_slug_key UNIQUE (slug)
);

COMMENT ON TABLE app.organisations IS 'A paying customer of the service.';
