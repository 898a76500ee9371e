-- What CREATE EXTENSION sets as the comment: the control file's. Read only
-- for the extensions installed, since it reads every control file.
SELECT a.name, a.comment FROM pg_available_extensions() a WHERE a.name = ANY ($1)
