-- Deploy tracker:initial_schema to pg
-- Organisations, users, projects, tasks, comments, invoices and the audit log

BEGIN;

CREATE SCHEMA app;

CREATE SCHEMA audit;

CREATE SCHEMA billing;

CREATE TABLE app.comments (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    task_id bigint NOT NULL,
    author_id bigint NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT comments_pkey PRIMARY KEY (id)
);

CREATE TABLE app.organisations (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    slug character varying(40) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT organisations_pkey PRIMARY KEY (id),
    CONSTRAINT organisations_slug_key UNIQUE (slug)
);

CREATE TABLE app.projects (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    organisation_id bigint NOT NULL,
    owner_id bigint,
    name text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT projects_organisation_name_key UNIQUE (organisation_id, name),
    CONSTRAINT projects_pkey PRIMARY KEY (id),
    CONSTRAINT projects_status_check CHECK ((status = ANY (ARRAY['active'::text, 'paused'::text])))
);

CREATE TABLE app.tasks (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    project_id bigint NOT NULL,
    assignee_id bigint,
    title character varying(200) NOT NULL,
    done boolean DEFAULT false NOT NULL,
    due_on date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tasks_pkey PRIMARY KEY (id)
);

CREATE TABLE app.users (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    organisation_id bigint NOT NULL,
    email text NOT NULL,
    display_name character varying(80),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_organisation_email_key UNIQUE (organisation_id, email),
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE TABLE audit.events (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    organisation_id bigint NOT NULL,
    actor_id bigint,
    action text NOT NULL,
    target_table text NOT NULL,
    target_id bigint,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id)
);

CREATE TABLE billing.invoice_lines (
    invoice_id bigint NOT NULL,
    line_no smallint NOT NULL,
    description text NOT NULL,
    quantity integer DEFAULT 1 NOT NULL,
    unit_price_cents integer NOT NULL,
    CONSTRAINT invoice_lines_pkey PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE billing.invoices (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    organisation_id bigint NOT NULL,
    number text NOT NULL,
    issued_on date DEFAULT CURRENT_DATE NOT NULL,
    total_cents integer DEFAULT 0 NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    CONSTRAINT invoices_number_key UNIQUE (number),
    CONSTRAINT invoices_pkey PRIMARY KEY (id)
);

ALTER TABLE app.comments ADD CONSTRAINT comments_author_id_fkey FOREIGN KEY (author_id) REFERENCES app.users(id);

ALTER TABLE app.comments ADD CONSTRAINT comments_task_id_fkey FOREIGN KEY (task_id) REFERENCES app.tasks(id) ON DELETE CASCADE;

ALTER TABLE app.projects ADD CONSTRAINT projects_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES app.organisations(id) ON DELETE CASCADE;

ALTER TABLE app.projects ADD CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES app.users(id) ON DELETE SET NULL;

ALTER TABLE app.tasks ADD CONSTRAINT tasks_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES app.users(id) ON DELETE SET NULL;

ALTER TABLE app.tasks ADD CONSTRAINT tasks_project_id_fkey FOREIGN KEY (project_id) REFERENCES app.projects(id) ON DELETE CASCADE;

ALTER TABLE app.users ADD CONSTRAINT users_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES app.organisations(id) ON DELETE CASCADE;

ALTER TABLE audit.events ADD CONSTRAINT events_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES app.users(id) ON DELETE SET NULL;

ALTER TABLE billing.invoice_lines ADD CONSTRAINT invoice_lines_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES billing.invoices(id) ON DELETE CASCADE;

ALTER TABLE billing.invoices ADD CONSTRAINT invoices_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES app.organisations(id);

CREATE INDEX comments_task_id_idx ON app.comments USING btree (task_id, created_at);

CREATE INDEX tasks_assignee_id_idx ON app.tasks USING btree (assignee_id);

CREATE INDEX tasks_project_id_idx ON app.tasks USING btree (project_id);

CREATE INDEX events_occurred_at_idx ON audit.events USING brin (occurred_at);

CREATE INDEX invoices_organisation_id_idx ON billing.invoices USING btree (organisation_id, issued_on DESC);

COMMIT;
