-- The same as ../sqlite/0011_expedite.sql, in PostgreSQL's types.

ALTER TABLE tickets ADD COLUMN expedited_ms BIGINT;

CREATE TABLE expedite_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id       BIGINT NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    requested_by    BIGINT NOT NULL REFERENCES users (id),
    requested_ms    BIGINT NOT NULL,
    amount_minor    BIGINT NOT NULL CHECK (amount_minor > 0),
    currency        TEXT NOT NULL,
    terms           TEXT NOT NULL,
    invoice_id      BIGINT REFERENCES invoices (id)
);
CREATE INDEX expedite_requests_pending ON expedite_requests (organisation_id)
    WHERE invoice_id IS NULL;
