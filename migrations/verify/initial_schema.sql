-- Verify tracker:initial_schema on pg

BEGIN;

SET LOCAL search_path = '';

DO $verify$
BEGIN
    IF NOT (to_regnamespace('app') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'schema app is missing';
    END IF;
    IF NOT (to_regnamespace('audit') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'schema audit is missing';
    END IF;
    IF NOT (to_regnamespace('billing') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'schema billing is missing';
    END IF;
    IF NOT (to_regclass('app.comments') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.comments is missing';
    END IF;
    IF NOT (to_regclass('app.organisations') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.organisations is missing';
    END IF;
    IF NOT (to_regclass('app.projects') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.projects is missing';
    END IF;
    IF NOT (to_regclass('app.tasks') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.tasks is missing';
    END IF;
    IF NOT (to_regclass('app.users') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.users is missing';
    END IF;
    IF NOT (to_regclass('audit.events') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table audit.events is missing';
    END IF;
    IF NOT (to_regclass('billing.invoice_lines') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table billing.invoice_lines is missing';
    END IF;
    IF NOT (to_regclass('billing.invoices') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table billing.invoices is missing';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.comments') AND conname = 'comments_author_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint comments_author_id_fkey on app.comments is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.comments') AND conname = 'comments_task_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint comments_task_id_fkey on app.comments is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.projects') AND conname = 'projects_organisation_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint projects_organisation_id_fkey on app.projects is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.projects') AND conname = 'projects_owner_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint projects_owner_id_fkey on app.projects is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.tasks') AND conname = 'tasks_assignee_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint tasks_assignee_id_fkey on app.tasks is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.tasks') AND conname = 'tasks_project_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint tasks_project_id_fkey on app.tasks is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.users') AND conname = 'users_organisation_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint users_organisation_id_fkey on app.users is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('audit.events') AND conname = 'events_actor_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint events_actor_id_fkey on audit.events is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('billing.invoice_lines') AND conname = 'invoice_lines_invoice_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint invoice_lines_invoice_id_fkey on billing.invoice_lines is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('billing.invoices') AND conname = 'invoices_organisation_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint invoices_organisation_id_fkey on billing.invoices is missing or of another kind';
    END IF;
    IF NOT (to_regclass('app.comments_task_id_idx') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'index app.comments_task_id_idx is missing';
    END IF;
    IF NOT (to_regclass('app.tasks_assignee_id_idx') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'index app.tasks_assignee_id_idx is missing';
    END IF;
    IF NOT (to_regclass('app.tasks_project_id_idx') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'index app.tasks_project_id_idx is missing';
    END IF;
    IF NOT (to_regclass('audit.events_occurred_at_idx') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'index audit.events_occurred_at_idx is missing';
    END IF;
    IF NOT (to_regclass('billing.invoices_organisation_id_idx') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'index billing.invoices_organisation_id_idx is missing';
    END IF;
END
$verify$;

ROLLBACK;
