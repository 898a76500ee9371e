-- Revert tracker:task_priority_and_labels from pg
--
-- Hazards:
--   deletes-data on column app.tasks.priority: drops column priority of app.tasks and its values
--   deletes-data on column app.users.last_seen_at: drops column last_seen_at of app.users and its values
--   deletes-data on table app.task_labels: drops table app.task_labels and every row in it
--   deletes-data on table app.labels: drops table app.labels and every row in it

BEGIN;

DROP INDEX app.tasks_open_by_priority_idx;

ALTER TABLE app.tasks DROP CONSTRAINT tasks_priority_check;

ALTER TABLE app.tasks DROP COLUMN priority;

ALTER TABLE app.users DROP COLUMN last_seen_at;

DROP TABLE app.task_labels;

DROP TABLE app.labels;

COMMENT ON TABLE app.organisations IS NULL;

COMMENT ON TABLE app.projects IS NULL;

COMMENT ON TABLE app.tasks IS NULL;

COMMENT ON TABLE app.users IS NULL;

COMMIT;
