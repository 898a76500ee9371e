CREATE TABLE app.tasks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES app.projects (id) ON DELETE CASCADE,
    assignee_id bigint REFERENCES app.users (id) ON DELETE SET NULL,
    title varchar(200) NOT NULL,
    done boolean NOT NULL DEFAULT false,
    -- 1 is most urgent; existing tasks get the middle value
    priority smallint NOT NULL DEFAULT 3,
    due_on date,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tasks_priority_check CHECK (priority BETWEEN 1 AND 5)
);

CREATE INDEX tasks_project_id_idx ON app.tasks (project_id);
CREATE INDEX tasks_assignee_id_idx ON app.tasks (assignee_id);
-- The board only shows open tasks, most urgent first.
CREATE INDEX tasks_open_by_priority_idx ON app.tasks (project_id, priority, due_on NULLS LAST)
    WHERE NOT done;
-- Substring search on titles ("ILIKE '%invoice%'").
CREATE INDEX tasks_title_trgm_idx ON app.tasks USING gin (title gin_trgm_ops);

COMMENT ON TABLE app.tasks IS 'A unit of work inside a project.';
COMMENT ON COLUMN app.tasks.priority IS '1 (most urgent) to 5.';
