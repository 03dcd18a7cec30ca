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
