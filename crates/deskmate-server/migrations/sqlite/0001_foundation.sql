-- Organisations (the provider's customers), their people and the provider's
-- agents, sign-in sessions, tickets, and remembered idempotent responses.
-- Times are UTC milliseconds since the Unix epoch (the PostgreSQL schema in
-- ../postgres is the same table for table).

CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    -- NULL for the provider's agents.
    organisation_id     INTEGER REFERENCES organisations (id) ON DELETE CASCADE,
    -- Stored lower-case; looked up lower-case.
    email               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('customer_user', 'customer_admin', 'agent')),
    password_hash       TEXT NOT NULL,
    -- A customer user's right to see every ticket of the organisation, not only their own.
    can_see_org_tickets INTEGER NOT NULL DEFAULT 0 CHECK (can_see_org_tickets IN (0, 1)),
    created_ms          INTEGER NOT NULL,
    CHECK ((role = 'agent') = (organisation_id IS NULL))
);

CREATE TABLE sessions (
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_ms);

CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    requester_id    INTEGER NOT NULL REFERENCES users (id),
    department      TEXT NOT NULL CHECK (department IN ('technical', 'billing', 'commercial')),
    priority        TEXT NOT NULL CHECK (priority IN ('regular', 'high')),
    status          TEXT NOT NULL CHECK (status IN ('open', 'waiting_for_customer', 'resolved', 'closed')),
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL
);
CREATE INDEX tickets_org_updated ON tickets (organisation_id, updated_ms DESC);
CREATE INDEX tickets_requester ON tickets (requester_id, updated_ms DESC);
CREATE INDEX tickets_updated ON tickets (updated_ms DESC);

CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    -- What the first request asked for, so a reused key with another body is refused.
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_ms   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- Failed sign-ins per (lower-cased) address, for rate limiting that holds
-- across every server instance on the same database.
CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    at_ms      INTEGER NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at_ms);
