-- What the helpdesk last said about a ticket's place in the provider's queue
-- (kept so the detail view shows it offline, "as of" `queue_checked_at`).
-- Added, not rebuilt, like 0004.
ALTER TABLE ticket_extras ADD COLUMN queue_position INTEGER;
ALTER TABLE ticket_extras ADD COLUMN first_response_due_at TEXT;
ALTER TABLE ticket_extras ADD COLUMN queue_checked_at TEXT;

-- Which tickets each account has read: the newest answer of the provider
-- (agent message id, 0 for none) there was when the account last opened the
-- ticket. Message ids, not clock times, so a wrong clock here cannot hide an
-- answer. Kept across sign-outs, like drafts: the same person signing in again
-- finds what they read still read.
CREATE TABLE ticket_seen (
    server_url      TEXT NOT NULL,
    user_id         INTEGER NOT NULL,
    ticket_id       INTEGER NOT NULL,
    last_message_id INTEGER NOT NULL,
    seen_at         TEXT NOT NULL,
    PRIMARY KEY (server_url, user_id, ticket_id)
) STRICT;
