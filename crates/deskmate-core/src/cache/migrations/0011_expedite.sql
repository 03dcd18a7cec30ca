-- Whether a ticket is expedited (the customer paid for an expedited
-- response) and since when, as the helpdesk last said.
ALTER TABLE tickets ADD COLUMN expedited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN expedited_at TEXT;
