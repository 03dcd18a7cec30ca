-- Guided remote assistance: the accepted request carries the tool and the
-- ID the customer's app read; the record says who ended the session and
-- when it could start. A one-time password lives apart from the record
-- (never in sync, events or the record's row), readable only by the
-- requesting agent, and is deleted when the session ends or expires.
-- `tickets.ready_until_ms`: the customer is at the computer and ready for
-- remote help until then.

ALTER TABLE remote_sessions ADD COLUMN connect_tool TEXT
    CHECK (connect_tool IN ('rustdesk', 'anydesk', 'teamviewer'));
ALTER TABLE remote_sessions ADD COLUMN tool_id TEXT;
ALTER TABLE remote_sessions ADD COLUMN started_ms INTEGER;
ALTER TABLE remote_sessions ADD COLUMN ended_by INTEGER REFERENCES users (id);

CREATE TABLE remote_session_secrets (
    remote_session_id INTEGER PRIMARY KEY REFERENCES remote_sessions (id) ON DELETE CASCADE,
    password          TEXT NOT NULL,
    expires_ms        INTEGER NOT NULL
);
CREATE INDEX remote_session_secrets_expiry ON remote_session_secrets (expires_ms);

ALTER TABLE tickets ADD COLUMN ready_until_ms INTEGER;
