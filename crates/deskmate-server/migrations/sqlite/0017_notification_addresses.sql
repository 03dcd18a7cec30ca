-- An organisation's e-mail addresses per notification type, each opting
-- in to mail, and the e-mail domains the provider allows them in (none
-- set: any domain).

CREATE TABLE organisation_email_domains (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    domain          TEXT NOT NULL,
    PRIMARY KEY (organisation_id, domain)
);

CREATE TABLE notification_addresses (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('invoices_orders', 'support', 'abuse')),
    email           TEXT NOT NULL,
    mail            INTEGER NOT NULL DEFAULT 0 CHECK (mail IN (0, 1)),
    created_ms      INTEGER NOT NULL,
    UNIQUE (organisation_id, kind, email)
);

-- Account requests: a person without an account asks with their name,
-- e-mail and the organisation's contract number; the organisation's
-- customer admins (or the provider's agents, when it has none) decide.
ALTER TABLE organisations ADD COLUMN contract_number TEXT;
CREATE UNIQUE INDEX organisations_contract_number ON organisations (contract_number);

CREATE TABLE account_requests (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected')),
    created_ms      INTEGER NOT NULL,
    decided_ms      INTEGER,
    decided_by      INTEGER REFERENCES users (id)
);
CREATE INDEX account_requests_org ON account_requests (organisation_id, status, id);
CREATE INDEX account_requests_email ON account_requests (email, created_ms);
