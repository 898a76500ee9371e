-- Verify tracker:citext_emails_and_invoice_numbers on pg

BEGIN;

SET LOCAL search_path = '';

DO $verify$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citext')) THEN
        RAISE EXCEPTION USING MESSAGE = 'extension citext is missing';
    END IF;
    IF NOT (to_regclass('billing.invoice_number_seq') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'sequence billing.invoice_number_seq is missing';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('app.projects') AND attname = 'description' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'text' AND attnotnull = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'column app.projects.description is missing or not text NOT NULL';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('app.users') AND attname = 'email' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'public.citext' AND attnotnull = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'column app.users.email is missing or not public.citext NOT NULL';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('billing.invoices') AND attname = 'number' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'bigint' AND attnotnull = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'column billing.invoices.number is missing or not bigint NOT NULL';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('billing.invoices') AND attname = 'total_cents' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'bigint' AND attnotnull = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'column billing.invoices.total_cents is missing or not bigint NOT NULL';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('billing.invoice_lines') AND conname = 'invoice_lines_quantity_check' AND contype = 'c' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint invoice_lines_quantity_check on billing.invoice_lines is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('billing.invoices') AND conname = 'invoices_status_check' AND contype = 'c' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint invoices_status_check on billing.invoices is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('billing.invoices') AND conname = 'invoices_total_non_negative' AND contype = 'c' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint invoices_total_non_negative on billing.invoices is missing or of another kind';
    END IF;
END
$verify$;

ROLLBACK;
