-- Local mirror of what the signed-in user may see, plus non-secret session facts.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- At most one session. The token itself is in the OS keyring, never here.
CREATE TABLE session (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    server_url   TEXT NOT NULL,
    user_json    TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    signed_in_at TEXT NOT NULL
) STRICT;

CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL,
    requester_id    INTEGER NOT NULL,
    requester_name  TEXT NOT NULL,
    department      TEXT NOT NULL,
    priority        TEXT NOT NULL,
    status          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE INDEX tickets_by_activity ON tickets (updated_at DESC, id DESC);
