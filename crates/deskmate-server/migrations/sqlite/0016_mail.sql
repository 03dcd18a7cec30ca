-- E-mail out: every mail the helpdesk sends is queued here in the
-- transaction that decided to send it, and a task delivers it off the
-- request path, retrying with back-off, so a dead SMTP server never fails
-- or slows a request. Password reset tokens (only their SHA-256), single
-- use, time-limited, and the requests for them (rate limits).

CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_ms      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- When the next delivery attempt is due (a sender's claim moves it on).
    next_attempt_ms INTEGER NOT NULL,
    sent_ms         INTEGER,
    -- Set when delivery was given up (an address the SMTP server refuses
    -- for good, or too many attempts).
    failed_ms       INTEGER,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_ms)
    WHERE sent_ms IS NULL AND failed_ms IS NULL;

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms    INTEGER
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_ms);

-- Every reset request by address, known or not (the per-address limit).
CREATE TABLE password_reset_requests (
    email TEXT NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX password_reset_requests_email ON password_reset_requests (email, at_ms);
