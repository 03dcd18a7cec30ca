-- The guided form's answers (all optional; which apply depends on the department).

ALTER TABLE tickets ADD COLUMN affected_service TEXT;
-- Order number or server IP (technical, commercial), invoice number (billing).
ALTER TABLE tickets ADD COLUMN reference TEXT;
ALTER TABLE tickets ADD COLUMN incident_started_ms BIGINT;
ALTER TABLE tickets ADD COLUMN incident_time_zone TEXT;
ALTER TABLE tickets ADD COLUMN error_message TEXT;
ALTER TABLE tickets ADD COLUMN steps TEXT;
ALTER TABLE tickets ADD COLUMN tried TEXT;
