-- Desktop notifications: every event the app decided to tell the user
-- about, keyed so that no pull, restart, reconnect or resync can add it a
-- second time. Rows are written in the sync page's own transaction, from
-- what the page changed against what the cache held before it. `state`:
-- pending (not yet looked at), shown, held (paused or quiet hours; summed up
-- when they end), muted (its kind is switched off), summarised.
CREATE TABLE notifications (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    ticket_id  INTEGER,
    record_id  INTEGER,
    -- The new status of a status change.
    detail     TEXT,
    state      TEXT NOT NULL DEFAULT 'pending',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX notifications_by_state ON notifications (state, created_at);

-- A cache that has synced before knows what is old: from here on, what
-- sync brings is new. (A fresh cache's first full sync notifies nothing.)
INSERT INTO meta (key, value) SELECT 'notify_ready', '1' FROM meta WHERE key = 'sync_cursor';
