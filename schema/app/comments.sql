-- Discussion on a task. Defined before app/tasks.sql and app/users.sql on
-- purpose: the tool orders statements by what they reference.
CREATE TABLE app.comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id bigint NOT NULL REFERENCES app.tasks (id) ON DELETE CASCADE,
    author_id bigint NOT NULL REFERENCES app.users (id),
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX comments_task_id_idx ON app.comments (task_id, created_at);
