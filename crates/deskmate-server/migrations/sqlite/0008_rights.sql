-- Rights per customer account (what a customer admin may give or take:
-- every ticket of the organisation, invoices, call records, managing the
-- accounts), accounts removed by their organisation, and what billing
-- knows: invoices and the call records of voice services.

-- The old "sees the organisation's tickets" flag is the first right.
ALTER TABLE users RENAME COLUMN can_see_org_tickets TO right_all_tickets;
ALTER TABLE users ADD COLUMN right_invoices INTEGER NOT NULL DEFAULT 0
    CHECK (right_invoices IN (0, 1));
ALTER TABLE users ADD COLUMN right_call_records INTEGER NOT NULL DEFAULT 0
    CHECK (right_call_records IN (0, 1));
ALTER TABLE users ADD COLUMN right_manage_users INTEGER NOT NULL DEFAULT 0
    CHECK (right_manage_users IN (0, 1));
-- Set when the organisation removed the account: it no longer signs in, its
-- tickets and messages stay (their author's name with them).
ALTER TABLE users ADD COLUMN deleted_ms INTEGER;

-- Customer admins have every right.
UPDATE users SET right_all_tickets = 1, right_invoices = 1, right_call_records = 1,
    right_manage_users = 1 WHERE role = 'customer_admin';

CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    number          TEXT NOT NULL UNIQUE,
    -- Dates as YYYY-MM-DD (they sort as text).
    issued_on       TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    -- In the currency's smallest unit.
    amount_cents    INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('paid', 'unpaid', 'overdue')),
    -- The month billed, YYYY-MM.
    period          TEXT NOT NULL
);
CREATE INDEX invoices_org ON invoices (organisation_id, issued_on DESC, id DESC);

CREATE TABLE call_records (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- The voice service that called, e.g. the VoIP line's number.
    service          TEXT NOT NULL,
    started_ms       INTEGER NOT NULL,
    duration_seconds INTEGER NOT NULL CHECK (duration_seconds >= 0),
    destination      TEXT NOT NULL,
    cost_cents       INTEGER NOT NULL,
    currency         TEXT NOT NULL
);
CREATE INDEX call_records_org ON call_records (organisation_id, started_ms DESC, id DESC);
