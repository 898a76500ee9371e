-- Revert tracker:initial_schema from pg
--
-- Hazards:
--   deletes-data on table app.comments: drops table app.comments and every row in it
--   deletes-data on table app.tasks: drops table app.tasks and every row in it
--   deletes-data on table app.projects: drops table app.projects and every row in it
--   deletes-data on table audit.events: drops table audit.events and every row in it
--   deletes-data on table app.users: drops table app.users and every row in it
--   deletes-data on table billing.invoice_lines: drops table billing.invoice_lines and every row in it
--   deletes-data on table billing.invoices: drops table billing.invoices and every row in it
--   deletes-data on table app.organisations: drops table app.organisations and every row in it
--   deletes-data on schema app: drops schema app
--   deletes-data on schema audit: drops schema audit
--   deletes-data on schema billing: drops schema billing

BEGIN;

DROP TABLE app.comments;

DROP TABLE app.tasks;

DROP TABLE app.projects;

DROP TABLE audit.events;

DROP TABLE app.users;

DROP TABLE billing.invoice_lines;

DROP TABLE billing.invoices;

DROP TABLE app.organisations;

DROP SCHEMA app;

DROP SCHEMA audit;

DROP SCHEMA billing;

COMMIT;
