-- Verify tracker:task_priority_and_labels on pg

BEGIN;

SET LOCAL search_path = '';

DO $verify$
BEGIN
    IF NOT (to_regclass('app.labels') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.labels is missing';
    END IF;
    IF NOT (to_regclass('app.organisations') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.organisations is missing';
    END IF;
    IF NOT (to_regclass('app.projects') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.projects is missing';
    END IF;
    IF NOT (to_regclass('app.task_labels') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.task_labels is missing';
    END IF;
    IF NOT (to_regclass('app.tasks') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.tasks is missing';
    END IF;
    IF NOT (to_regclass('app.users') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'table app.users is missing';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('app.tasks') AND attname = 'priority' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'smallint' AND attnotnull = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'column app.tasks.priority is missing or not smallint NOT NULL';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('app.users') AND attname = 'last_seen_at' AND NOT attisdropped AND pg_catalog.format_type(atttypid, atttypmod) = 'timestamp with time zone' AND attnotnull = false) THEN
        RAISE EXCEPTION USING MESSAGE = 'column app.users.last_seen_at is missing or not timestamp with time zone';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.labels') AND conname = 'labels_organisation_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint labels_organisation_id_fkey on app.labels is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.task_labels') AND conname = 'task_labels_label_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint task_labels_label_id_fkey on app.task_labels is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.task_labels') AND conname = 'task_labels_task_id_fkey' AND contype = 'f' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint task_labels_task_id_fkey on app.task_labels is missing or of another kind';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('app.tasks') AND conname = 'tasks_priority_check' AND contype = 'c' AND convalidated = true) THEN
        RAISE EXCEPTION USING MESSAGE = 'constraint tasks_priority_check on app.tasks is missing or of another kind';
    END IF;
    IF NOT (to_regclass('app.task_labels_label_id_idx') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'index app.task_labels_label_id_idx is missing';
    END IF;
    IF NOT (to_regclass('app.tasks_open_by_priority_idx') IS NOT NULL) THEN
        RAISE EXCEPTION USING MESSAGE = 'index app.tasks_open_by_priority_idx is missing';
    END IF;
END
$verify$;

ROLLBACK;
