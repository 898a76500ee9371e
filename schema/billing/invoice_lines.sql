-- Sorts before invoices.sql but references it.
CREATE TABLE billing.invoice_lines (
    invoice_id bigint NOT NULL REFERENCES billing.invoices (id) ON DELETE CASCADE,
    line_no smallint NOT NULL,
    description text NOT NULL,
    quantity integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price_cents integer NOT NULL,
    -- Kept by the server so reports never disagree with the invoice.
    line_total_cents bigint GENERATED ALWAYS AS (quantity::bigint * unit_price_cents) STORED,
    PRIMARY KEY (invoice_id, line_no)
);
