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
