-- The same as ../sqlite/0016_mail.sql, in PostgreSQL's types.

CREATE TABLE mail_outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,
    sent_ms         BIGINT,
    failed_ms       BIGINT,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_ms)
    WHERE sent_ms IS NULL AND failed_ms IS NULL;

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    used_ms    BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_ms);

CREATE TABLE password_reset_requests (
    email TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX password_reset_requests_email ON password_reset_requests (email, at_ms);
