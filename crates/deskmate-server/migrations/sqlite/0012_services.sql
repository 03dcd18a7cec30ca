-- Each organisation's services (a VPS, a SIP trunk, an Ethernet line) by
-- the provider's reference; announcements that name services reach only
-- the organisations that have one of them. Order-delay requests ask for
-- one typed thing (seed 000): a resolution date, a site-access contact, or
-- acceptance of an extra charge; the answer is kept in typed columns.

CREATE TABLE services (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    reference       TEXT NOT NULL,
    name            TEXT NOT NULL,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    UNIQUE (organisation_id, reference)
);
CREATE INDEX services_reference ON services (reference, organisation_id);

-- The references an announcement names, as a JSON array (what it answers)
-- and one row each (who sees it). Older announcements name none: general.
ALTER TABLE announcements ADD COLUMN service_refs TEXT NOT NULL DEFAULT '[]';
CREATE TABLE announcement_services (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    reference       TEXT NOT NULL,
    PRIMARY KEY (announcement_id, reference)
);
CREATE INDEX announcement_services_reference ON announcement_services (reference);

-- Older requests asked in words.
ALTER TABLE order_delays ADD COLUMN kind TEXT NOT NULL DEFAULT 'information'
    CHECK (kind IN ('information', 'resolution_date', 'site_access', 'extra_charge'));
-- The charge to accept or reject (extra_charge), in the currency's smallest unit.
ALTER TABLE order_delays ADD COLUMN charge_minor INTEGER;
ALTER TABLE order_delays ADD COLUMN charge_currency TEXT;
-- The answer's typed fields; a date as YYYY-MM-DD.
ALTER TABLE order_delays ADD COLUMN resolution_date TEXT;
ALTER TABLE order_delays ADD COLUMN contact_name TEXT;
ALTER TABLE order_delays ADD COLUMN contact_phone TEXT;
ALTER TABLE order_delays ADD COLUMN contact_email TEXT;
ALTER TABLE order_delays ADD COLUMN charge_accepted INTEGER CHECK (charge_accepted IN (0, 1));
