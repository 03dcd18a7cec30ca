-- When the customer can be reached at their computer about a ticket, as the
-- helpdesk last said (the `Availability` wire type as JSON); NULL: not said.
ALTER TABLE tickets ADD COLUMN availability TEXT;
