-- The same schema as ../sqlite/0012_services.sql, in PostgreSQL's types.
--
-- Each organisation's services by the provider's reference; announcements
-- that name services reach only the organisations that have one of them.
-- Order-delay requests ask for one typed thing (seed 000) and keep the
-- answer in typed columns.

CREATE TABLE services (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    reference       TEXT NOT NULL,
    name            TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL,
    UNIQUE (organisation_id, reference)
);
CREATE INDEX services_reference ON services (reference, organisation_id);

ALTER TABLE announcements ADD COLUMN service_refs TEXT NOT NULL DEFAULT '[]';
CREATE TABLE announcement_services (
    announcement_id BIGINT NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    reference       TEXT NOT NULL,
    PRIMARY KEY (announcement_id, reference)
);
CREATE INDEX announcement_services_reference ON announcement_services (reference);

ALTER TABLE order_delays ADD COLUMN kind TEXT NOT NULL DEFAULT 'information'
    CHECK (kind IN ('information', 'resolution_date', 'site_access', 'extra_charge'));
ALTER TABLE order_delays ADD COLUMN charge_minor BIGINT;
ALTER TABLE order_delays ADD COLUMN charge_currency TEXT;
ALTER TABLE order_delays ADD COLUMN resolution_date TEXT;
ALTER TABLE order_delays ADD COLUMN contact_name TEXT;
ALTER TABLE order_delays ADD COLUMN contact_phone TEXT;
ALTER TABLE order_delays ADD COLUMN contact_email TEXT;
ALTER TABLE order_delays ADD COLUMN charge_accepted BOOLEAN;
