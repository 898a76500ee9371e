-- citext makes e-mail uniqueness case-insensitive without lower() everywhere;
-- pg_trgm backs the task search box.
CREATE EXTENSION citext;
CREATE EXTENSION pg_trgm;
