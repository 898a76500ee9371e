-- Invoice numbers are public and must never be reused, so they come from
-- their own sequence rather than from the row id. OWNED BY lives in
-- invoices.sql: the table's default needs the sequence first.
CREATE SEQUENCE billing.invoice_number_seq
    AS bigint
    START WITH 100001
    MINVALUE 100001
    CACHE 1;
