-- Files attached to tickets. The bytes live in the database, beside their
-- metadata, so every server instance on one database serves them and there
-- is no per-process disk state. Each row is stamped with the change counter
-- like messages, so delta sync hands out the metadata. An attachment linked
-- to an internal note is internal too: agents only.

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id   INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL REFERENCES users (id),
    file_name    TEXT NOT NULL,
    -- Sniffed from the bytes, never the sender's claim.
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256       TEXT NOT NULL,
    width        INTEGER,
    height       INTEGER,
    internal     INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    created_ms   INTEGER NOT NULL,
    change_seq   INTEGER NOT NULL DEFAULT 0,
    -- Last, so reading the metadata does not read the bytes.
    content      BLOB NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id, id);
CREATE INDEX attachments_change ON attachments (change_seq);
