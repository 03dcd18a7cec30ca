-- The same as ../sqlite/0010_availability.sql, in PostgreSQL's types.

ALTER TABLE tickets ADD COLUMN availability TEXT;
