-- Deploy tracker:citext_emails_and_invoice_numbers to pg
-- Case-insensitive e-mails, numbered invoices, cents as bigint
--
-- Hazards:
--   rewrites-table on column app.users.email: changing app.users.email from text to public.citext may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
--   rewrites-table on column billing.invoices.number: changing billing.invoices.number from text to bigint may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
--   deletes-data on column billing.invoices.number: converting billing.invoices.number from text to bigint needs an explicit cast, which fails or loses precision on values that do not fit
--   rewrites-table on column billing.invoices.total_cents: changing billing.invoices.total_cents from integer to bigint may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
--   validates-existing-rows on constraint invoice_lines_quantity_check on billing.invoice_lines: adding constraint invoice_lines_quantity_check checks every row of billing.invoice_lines while writes are blocked
--   validates-existing-rows on constraint invoices_status_check on billing.invoices: adding constraint invoices_status_check checks every row of billing.invoices while writes are blocked
--   validates-existing-rows on constraint invoices_total_non_negative on billing.invoices: adding constraint invoices_total_non_negative checks every row of billing.invoices while writes are blocked

BEGIN;

CREATE EXTENSION citext WITH SCHEMA public;

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';

CREATE SEQUENCE billing.invoice_number_seq
    MINVALUE 100001
    START WITH 100001;

ALTER TABLE app.projects ADD COLUMN description text DEFAULT ''::text NOT NULL;

ALTER TABLE app.users ALTER COLUMN email TYPE public.citext;

ALTER TABLE billing.invoices ALTER COLUMN number TYPE bigint USING number::bigint;

ALTER TABLE billing.invoices ALTER COLUMN number SET DEFAULT nextval('billing.invoice_number_seq'::regclass);

COMMENT ON COLUMN billing.invoices.number IS 'Public invoice number, from billing.invoice_number_seq.';

ALTER TABLE billing.invoices ALTER COLUMN total_cents DROP DEFAULT;

ALTER TABLE billing.invoices ALTER COLUMN total_cents TYPE bigint;

ALTER TABLE billing.invoices ALTER COLUMN total_cents SET DEFAULT 0;

ALTER TABLE billing.invoice_lines ADD CONSTRAINT invoice_lines_quantity_check CHECK ((quantity > 0));

ALTER TABLE billing.invoices ADD CONSTRAINT invoices_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'sent'::text, 'paid'::text, 'void'::text])));

ALTER TABLE billing.invoices ADD CONSTRAINT invoices_total_non_negative CHECK ((total_cents >= 0));

ALTER SEQUENCE billing.invoice_number_seq OWNED BY billing.invoices.number;

COMMIT;
