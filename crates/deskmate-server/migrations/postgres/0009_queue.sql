-- The same as ../sqlite/0009_queue.sql, in PostgreSQL's types.

ALTER TABLE tickets ADD COLUMN expedited BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE tickets ADD COLUMN claimed_by BIGINT REFERENCES users (id);
ALTER TABLE tickets ADD COLUMN claimed_ms BIGINT;

DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (expedited, priority, created_ms, id)
    WHERE first_responded_ms IS NULL AND status <> 'closed';
