-- Writes the user made, kept until the helpdesk has accepted them. Each has
-- the idempotency key it is always sent with, so resending after a crash or
-- a lost answer never files twice. Items belong to the account that made
-- them and are only sent as that account.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    server_url      TEXT NOT NULL,
    user_id         INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    -- The ticket a reply or reopen is for.
    ticket_id       INTEGER,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    error_code      TEXT,
    error_message   TEXT,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX outbox_due ON outbox (server_url, user_id, state, id);

-- The conversations of tickets the user opened, and what only the detail
-- view knows about a ticket.
CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL,
    author_id   INTEGER NOT NULL,
    author_name TEXT NOT NULL,
    author_kind TEXT NOT NULL,
    body        TEXT NOT NULL,
    internal    INTEGER NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX messages_by_ticket ON messages (ticket_id, id);

CREATE TABLE ticket_extras (
    ticket_id    INTEGER PRIMARY KEY,
    reopen_until TEXT
) STRICT;
