-- Ticket conversations, and when a ticket was closed (for the reopen window).

ALTER TABLE tickets ADD COLUMN closed_ms INTEGER;

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,
    -- Agents' notes for colleagues; never shown to customers.
    internal   INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    created_ms INTEGER NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, id);
