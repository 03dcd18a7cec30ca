-- The guided form's answers of each ticket, as the helpdesk's JSON object
-- (deskmate_api::TicketDetails). Added, not rebuilt: the search triggers on
-- `tickets` must stay.
ALTER TABLE tickets ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
