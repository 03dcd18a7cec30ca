-- When the customer can be reached at their computer about a ticket: the
-- `Availability` wire type as JSON (time zone, weekly and dated windows, a
-- note); NULL until they say. Only the server reads it, with the shared
-- arithmetic of deskmate-api.

ALTER TABLE tickets ADD COLUMN availability TEXT;
