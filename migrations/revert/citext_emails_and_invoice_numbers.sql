-- Revert tracker:citext_emails_and_invoice_numbers from pg
-- This restores the structure the deploy removed, not the data it deleted.
--
-- Hazards:
--   deletes-data on column app.projects.description: drops column description of app.projects and its values
--   rewrites-table on column app.users.email: changing app.users.email from public.citext to text may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
--   deletes-data on extension citext: drops extension citext and the objects it provides
--   rewrites-table on column billing.invoices.number: changing billing.invoices.number from bigint to text may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock
--   deletes-data on sequence billing.invoice_number_seq: drops sequence billing.invoice_number_seq and its current value
--   rewrites-table on column billing.invoices.total_cents: changing billing.invoices.total_cents from bigint to integer may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock

BEGIN;

ALTER TABLE billing.invoice_lines DROP CONSTRAINT invoice_lines_quantity_check;

ALTER TABLE billing.invoices DROP CONSTRAINT invoices_status_check;

ALTER TABLE billing.invoices DROP CONSTRAINT invoices_total_non_negative;

ALTER TABLE app.projects DROP COLUMN description;

ALTER TABLE app.users ALTER COLUMN email TYPE text;

DROP EXTENSION citext;

ALTER TABLE billing.invoices ALTER COLUMN number DROP DEFAULT;

ALTER TABLE billing.invoices ALTER COLUMN number TYPE text;

COMMENT ON COLUMN billing.invoices.number IS NULL;

DROP SEQUENCE billing.invoice_number_seq;

ALTER TABLE billing.invoices ALTER COLUMN total_cents DROP DEFAULT;

ALTER TABLE billing.invoices ALTER COLUMN total_cents TYPE integer;

ALTER TABLE billing.invoices ALTER COLUMN total_cents SET DEFAULT 0;

COMMIT;
