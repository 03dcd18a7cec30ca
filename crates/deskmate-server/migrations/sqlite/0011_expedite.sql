-- The paid expedited response: a customer accepts the provider's price for
-- a ticket, the ticket goes before every other in the queue (tickets.expedited,
-- 0009) and the organisation is charged. One row per expedited ticket: the
-- consent (who, when, the price and terms they accepted) and the charge line
-- the provider bills.

-- Since when the ticket is expedited (NULL: it is not, or it was flagged
-- before this migration).
ALTER TABLE tickets ADD COLUMN expedited_ms INTEGER;

CREATE TABLE expedite_requests (
    id              INTEGER PRIMARY KEY,
    ticket_id       INTEGER NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
    -- Who pays: the ticket's organisation.
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    requested_by    INTEGER NOT NULL REFERENCES users (id),
    requested_ms    INTEGER NOT NULL,
    -- The accepted price, in the currency's smallest unit.
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    currency        TEXT NOT NULL,
    terms           TEXT NOT NULL,
    -- The invoice that billed the charge; NULL while it is pending.
    invoice_id      INTEGER REFERENCES invoices (id)
);
-- The provider's billing run: the organisation's pending charges.
CREATE INDEX expedite_requests_pending ON expedite_requests (organisation_id)
    WHERE invoice_id IS NULL;
