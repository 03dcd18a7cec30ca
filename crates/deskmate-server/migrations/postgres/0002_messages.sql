-- Ticket conversations, and when a ticket was closed (for the reopen window).

ALTER TABLE tickets ADD COLUMN closed_ms BIGINT;

CREATE TABLE messages (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id  BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_id  BIGINT NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,
    internal   BOOLEAN NOT NULL DEFAULT FALSE,
    created_ms BIGINT NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, id);
