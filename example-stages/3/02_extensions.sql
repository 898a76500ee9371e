-- citext makes e-mail uniqueness case-insensitive without lower() everywhere.
CREATE EXTENSION citext;
