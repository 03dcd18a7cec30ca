-- Change tracking for delta sync: every write stamps the rows it touches
-- with the next number of one counter row. Taking the number locks the row
-- until commit, so numbers are handed out in commit order and a client asking
-- "what changed after N" never skips a transaction that commits late.

CREATE TABLE change_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);

ALTER TABLE tickets ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;

UPDATE tickets SET change_seq = id;
UPDATE messages SET change_seq = id + (SELECT COALESCE(MAX(id), 0) FROM tickets);
INSERT INTO change_counter (id, seq) VALUES (
    1,
    (SELECT COALESCE(MAX(id), 0) FROM tickets) + (SELECT COALESCE(MAX(id), 0) FROM messages)
);

CREATE INDEX tickets_change ON tickets (change_seq);
CREATE INDEX messages_change ON messages (change_seq);
