-- What the helpdesk says about the files attached to the cached tickets (the
-- bytes are downloaded on demand into <data dir>/attachments/files/<sha256>).
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL,
    message_id   INTEGER,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    width        INTEGER,
    height       INTEGER,
    author_kind  TEXT NOT NULL,
    author_name  TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX attachments_by_ticket ON attachments (ticket_id, id);

-- The files an outbox item sends after its text, in order. Each names its
-- copy in <data dir>/attachments/outgoing/, made before the item was
-- committed and deleted once the item is done or discarded. `attachment_id`
-- is set as soon as the helpdesk has the file, so a resumed item sends only
-- the rest (and a repeat would be answered from its idempotency key anyway).
CREATE TABLE outbox_files (
    outbox_id     INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    local_name    TEXT NOT NULL UNIQUE,
    file_name     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    attachment_id INTEGER,
    PRIMARY KEY (outbox_id, position)
) STRICT;
