CREATE TABLE billing.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES app.organisations (id),
    number bigint NOT NULL UNIQUE DEFAULT nextval('billing.invoice_number_seq'),
    issued_on date NOT NULL DEFAULT current_date,
    total_cents bigint NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'draft',
    CONSTRAINT invoices_total_non_negative CHECK (total_cents >= 0),
    CONSTRAINT invoices_status_check CHECK (status IN ('draft', 'sent', 'paid', 'void'))
);

CREATE INDEX invoices_organisation_id_idx ON billing.invoices (organisation_id, issued_on DESC);

ALTER SEQUENCE billing.invoice_number_seq OWNED BY billing.invoices.number;

COMMENT ON COLUMN billing.invoices.number IS 'Public invoice number, from billing.invoice_number_seq.';
