CREATE TABLE billing.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES app.organisations (id),
    number text NOT NULL UNIQUE,
    issued_on date NOT NULL DEFAULT current_date,
    total_cents integer NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'draft'
);

CREATE INDEX invoices_organisation_id_idx ON billing.invoices (organisation_id, issued_on DESC);
