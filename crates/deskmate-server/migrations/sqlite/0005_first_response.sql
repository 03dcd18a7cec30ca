-- The first-response promise: when an agent's first answer is due (set when
-- the ticket is filed, from its priority) and when it came (an agent's first
-- reply that is not an internal note). The tickets that wait for it form the
-- queue, high priority first, then oldest first.

ALTER TABLE tickets ADD COLUMN first_response_due_ms INTEGER;
ALTER TABLE tickets ADD COLUMN first_responded_ms INTEGER;

-- Tickets filed before: the default promise (4 h high, 24 h regular) and the
-- first agent reply already in the conversation, if any.
UPDATE tickets SET first_response_due_ms = created_ms
    + CASE WHEN priority = 'high' THEN 4 ELSE 24 END * 3600000;
UPDATE tickets SET first_responded_ms = (
    SELECT MIN(m.created_ms) FROM messages m JOIN users u ON u.id = m.author_id
    WHERE m.ticket_id = tickets.id AND u.role = 'agent' AND NOT m.internal
);

CREATE INDEX tickets_queue ON tickets (priority, created_ms, id)
    WHERE first_responded_ms IS NULL AND status <> 'closed';
