-- The queue's order and who works on what: an expedited ticket (the
-- customer paid for an expedited response) comes before every other, then
-- high priority, then the oldest. An agent claims a queued ticket so the
-- others leave it alone; customers never see who.

ALTER TABLE tickets ADD COLUMN expedited INTEGER NOT NULL DEFAULT 0
    CHECK (expedited IN (0, 1));
-- The agent who holds the ticket, and since when (both NULL: nobody).
ALTER TABLE tickets ADD COLUMN claimed_by INTEGER REFERENCES users (id);
ALTER TABLE tickets ADD COLUMN claimed_ms INTEGER;

DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (expedited, priority, created_ms, id)
    WHERE first_responded_ms IS NULL AND status <> 'closed';
