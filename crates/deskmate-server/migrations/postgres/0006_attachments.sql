-- Files attached to tickets. The bytes live in the database, beside their
-- metadata, so every server instance on one database serves them and there
-- is no per-process disk state. Each row is stamped with the change counter
-- like messages, so delta sync hands out the metadata. An attachment linked
-- to an internal note is internal too: agents only.

CREATE TABLE attachments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id    BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id   BIGINT REFERENCES messages (id) ON DELETE CASCADE,
    author_id    BIGINT NOT NULL REFERENCES users (id),
    file_name    TEXT NOT NULL,
    -- Sniffed from the bytes, never the sender's claim.
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256       TEXT NOT NULL,
    width        BIGINT,
    height       BIGINT,
    internal     BOOLEAN NOT NULL DEFAULT FALSE,
    created_ms   BIGINT NOT NULL,
    change_seq   BIGINT NOT NULL DEFAULT 0,
    -- Stored out of line (TOAST) when large; metadata reads skip it.
    content      BYTEA NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id, id);
CREATE INDEX attachments_change ON attachments (change_seq);
