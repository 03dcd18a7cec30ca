-- The list's filters (ticket_page): each walks its own index in the list's
-- order (newest activity first) and stops after a page, and counts per
-- status read the index alone. The unfiltered list uses tickets_by_activity.
CREATE INDEX tickets_by_status ON tickets (status, updated_at DESC, id DESC);
CREATE INDEX tickets_by_department ON tickets (department, updated_at DESC, id DESC);
