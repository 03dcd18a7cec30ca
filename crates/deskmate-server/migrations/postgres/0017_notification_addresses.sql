-- The same as ../sqlite/0017_notification_addresses.sql, in PostgreSQL's types.

CREATE TABLE organisation_email_domains (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    domain          TEXT NOT NULL,
    PRIMARY KEY (organisation_id, domain)
);

CREATE TABLE notification_addresses (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('invoices_orders', 'support', 'abuse')),
    email           TEXT NOT NULL,
    mail            BOOLEAN NOT NULL DEFAULT FALSE,
    created_ms      BIGINT NOT NULL,
    UNIQUE (organisation_id, kind, email)
);

ALTER TABLE organisations ADD COLUMN contract_number TEXT;
CREATE UNIQUE INDEX organisations_contract_number ON organisations (contract_number);

CREATE TABLE account_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected')),
    created_ms      BIGINT NOT NULL,
    decided_ms      BIGINT,
    decided_by      BIGINT REFERENCES users (id)
);
CREATE INDEX account_requests_org ON account_requests (organisation_id, status, id);
CREATE INDEX account_requests_email ON account_requests (email, created_ms);
