-- Unsent forms, saved as the user types so closing the app or a crash loses
-- nothing. Each belongs to the account that wrote it. `payload` is the form
-- as left: a NewTicket-shaped object (new_ticket) or {"text": ...} (reply).
-- A reply draft's id is `reply:<ticket id>`: one per ticket.
CREATE TABLE drafts (
    server_url TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    id         TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('new_ticket', 'reply')),
    ticket_id  INTEGER,
    payload    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (server_url, user_id, id)
) STRICT;
