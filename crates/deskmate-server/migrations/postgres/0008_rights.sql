-- The same as ../sqlite/0008_rights.sql, in PostgreSQL's types.

ALTER TABLE users RENAME COLUMN can_see_org_tickets TO right_all_tickets;
ALTER TABLE users ADD COLUMN right_invoices BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN right_call_records BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN right_manage_users BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN deleted_ms BIGINT;

UPDATE users SET right_all_tickets = TRUE, right_invoices = TRUE, right_call_records = TRUE,
    right_manage_users = TRUE WHERE role = 'customer_admin';

CREATE TABLE invoices (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    number          TEXT NOT NULL UNIQUE,
    issued_on       TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    amount_cents    BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('paid', 'unpaid', 'overdue')),
    period          TEXT NOT NULL
);
CREATE INDEX invoices_org ON invoices (organisation_id, issued_on DESC, id DESC);

CREATE TABLE call_records (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    service          TEXT NOT NULL,
    started_ms       BIGINT NOT NULL,
    duration_seconds BIGINT NOT NULL CHECK (duration_seconds >= 0),
    destination      TEXT NOT NULL,
    cost_cents       BIGINT NOT NULL,
    currency         TEXT NOT NULL
);
CREATE INDEX call_records_org ON call_records (organisation_id, started_ms DESC, id DESC);
