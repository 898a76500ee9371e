-- Sorts before tasks.sql and references it, and references labels.sql too.
CREATE TABLE app.task_labels (
    task_id bigint NOT NULL REFERENCES app.tasks (id) ON DELETE CASCADE,
    label_id bigint NOT NULL REFERENCES app.labels (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, label_id)
);

CREATE INDEX task_labels_label_id_idx ON app.task_labels (label_id);
