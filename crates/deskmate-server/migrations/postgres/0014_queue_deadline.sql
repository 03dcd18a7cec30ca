-- The same as ../sqlite/0014_queue_deadline.sql.

DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (expedited, first_response_due_ms, created_ms, id)
    WHERE first_responded_ms IS NULL AND status <> 'closed';
