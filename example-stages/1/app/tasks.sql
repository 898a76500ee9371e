CREATE TABLE app.tasks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES app.projects (id) ON DELETE CASCADE,
    assignee_id bigint REFERENCES app.users (id) ON DELETE SET NULL,
    title varchar(200) NOT NULL,
    done boolean NOT NULL DEFAULT false,
    due_on date,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tasks_project_id_idx ON app.tasks (project_id);
CREATE INDEX tasks_assignee_id_idx ON app.tasks (assignee_id);
