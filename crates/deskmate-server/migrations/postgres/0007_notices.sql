-- The same schema as ../sqlite/0007_notices.sql, in PostgreSQL's types.
--
-- What the provider tells its customers outside a ticket's conversation:
-- announcements and planned maintenance, remote-session requests on a
-- ticket, order-delay information requests; and tombstones, so that delta
-- sync can tell clients what was withdrawn. Every row carries the change
-- number of its last write (see 0003_changes.sql).

CREATE TABLE announcements (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('announcement', 'maintenance')),
    title             TEXT NOT NULL,
    body              TEXT NOT NULL,
    -- A JSON array of strings.
    affected_services TEXT NOT NULL DEFAULT '[]',
    starts_ms         BIGINT,
    ends_ms           BIGINT,
    -- NULL: every customer; else only this organisation's people.
    organisation_id   BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
    created_by        BIGINT NOT NULL REFERENCES users (id),
    created_ms        BIGINT NOT NULL,
    updated_ms        BIGINT NOT NULL,
    change_seq        BIGINT NOT NULL DEFAULT 0,
    CHECK (kind <> 'maintenance' OR (starts_ms IS NOT NULL AND ends_ms IS NOT NULL)),
    CHECK (starts_ms IS NULL OR ends_ms IS NULL OR ends_ms > starts_ms)
);
CREATE INDEX announcements_change ON announcements (change_seq);

CREATE TABLE remote_sessions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id    BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    tool         TEXT NOT NULL CHECK (tool IN ('rustdesk', 'anydesk', 'teamviewer', 'other')),
    status       TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'ended', 'cancelled')),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_ms BIGINT NOT NULL,
    answered_by  BIGINT REFERENCES users (id),
    answered_ms  BIGINT,
    ended_ms     BIGINT,
    summary      TEXT,
    change_seq   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX remote_sessions_ticket ON remote_sessions (ticket_id, id);
CREATE INDEX remote_sessions_change ON remote_sessions (change_seq);

CREATE TABLE order_delays (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    order_number    TEXT NOT NULL,
    question        TEXT NOT NULL,
    due_ms          BIGINT,
    status          TEXT NOT NULL CHECK (status IN ('open', 'answered')),
    answer          TEXT,
    answered_by     BIGINT REFERENCES users (id),
    created_by      BIGINT NOT NULL REFERENCES users (id),
    created_ms      BIGINT NOT NULL,
    answered_ms     BIGINT,
    change_seq      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX order_delays_org ON order_delays (organisation_id, created_ms DESC);
CREATE INDEX order_delays_change ON order_delays (change_seq);

-- A record that is gone, for those who could see it: `organisation_id` NULL
-- means every signed-in person, else that organisation's people (agents see
-- every deletion).
CREATE TABLE deletions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('announcement')),
    record_id       BIGINT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
    deleted_ms      BIGINT NOT NULL,
    change_seq      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX deletions_change ON deletions (change_seq);
