-- The same as ../sqlite/0015_expedite_right.sql, in PostgreSQL's types.
ALTER TABLE users ADD COLUMN right_expedite BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE users SET right_expedite = FALSE WHERE role = 'agent';
