-- The same schema as ../sqlite/0001_foundation.sql, in PostgreSQL's types.
-- Times are UTC milliseconds since the Unix epoch, as on SQLite, so that both
-- engines run the same queries.

CREATE TABLE organisations (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL
);

CREATE TABLE users (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id     BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
    email               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('customer_user', 'customer_admin', 'agent')),
    password_hash       TEXT NOT NULL,
    can_see_org_tickets BOOLEAN NOT NULL DEFAULT FALSE,
    created_ms          BIGINT NOT NULL,
    CHECK ((role = 'agent') = (organisation_id IS NULL))
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_ms);

CREATE TABLE tickets (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    requester_id    BIGINT NOT NULL REFERENCES users (id),
    department      TEXT NOT NULL CHECK (department IN ('technical', 'billing', 'commercial')),
    priority        TEXT NOT NULL CHECK (priority IN ('regular', 'high')),
    status          TEXT NOT NULL CHECK (status IN ('open', 'waiting_for_customer', 'resolved', 'closed')),
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
);
CREATE INDEX tickets_org_updated ON tickets (organisation_id, updated_ms DESC);
CREATE INDEX tickets_requester ON tickets (requester_id, updated_ms DESC);
CREATE INDEX tickets_updated ON tickets (updated_ms DESC);

CREATE TABLE idempotency_keys (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       BIGINT NOT NULL,
    response     TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- Failed sign-ins per (lower-cased) address, for rate limiting that holds
-- across every server instance on the same database.
CREATE TABLE login_failures (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      TEXT NOT NULL,
    at_ms      BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at_ms);
