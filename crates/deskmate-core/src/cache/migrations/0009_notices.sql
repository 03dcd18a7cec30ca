-- What the provider tells the user outside a ticket's conversation, as the
-- last sync brought it: announcements and planned maintenance, remote-session
-- requests on visible tickets, order-delay requests of the user's
-- organisation. Each row keeps the helpdesk's whole record (`record`, JSON)
-- and, as columns, what the views filter and sort on. A withdrawn
-- announcement is deleted by the sync page that says so.
CREATE TABLE announcements (
    id         INTEGER PRIMARY KEY,
    -- When it applies; NULL: from its creation, until further notice.
    starts_at  TEXT,
    ends_at    TEXT,
    created_at TEXT NOT NULL,
    record     TEXT NOT NULL
) STRICT;

CREATE TABLE remote_sessions (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL,
    status       TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    record       TEXT NOT NULL
) STRICT;
CREATE INDEX remote_sessions_by_ticket ON remote_sessions (ticket_id, id);

CREATE TABLE order_delays (
    id         INTEGER PRIMARY KEY,
    status     TEXT NOT NULL,
    due_at     TEXT,
    created_at TEXT NOT NULL,
    record     TEXT NOT NULL
) STRICT;
