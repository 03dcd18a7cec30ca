-- The same as ../sqlite/0013_remote_assistance.sql, in PostgreSQL's types.

ALTER TABLE remote_sessions ADD COLUMN connect_tool TEXT
    CHECK (connect_tool IN ('rustdesk', 'anydesk', 'teamviewer'));
ALTER TABLE remote_sessions ADD COLUMN tool_id TEXT;
ALTER TABLE remote_sessions ADD COLUMN started_ms BIGINT;
ALTER TABLE remote_sessions ADD COLUMN ended_by BIGINT REFERENCES users (id);

CREATE TABLE remote_session_secrets (
    remote_session_id BIGINT PRIMARY KEY REFERENCES remote_sessions (id) ON DELETE CASCADE,
    password          TEXT NOT NULL,
    expires_ms        BIGINT NOT NULL
);
CREATE INDEX remote_session_secrets_expiry ON remote_session_secrets (expires_ms);

ALTER TABLE tickets ADD COLUMN ready_until_ms BIGINT;
