-- Local full-text search over what the cache holds: ticket subjects and
-- descriptions, and the bodies of cached messages.
--
-- Two external-content FTS5 indexes (the text is stored once, in tickets and
-- messages), kept exact by the triggers below on every insert, update and
-- delete. The connection enables recursive_triggers, so INSERT OR REPLACE
-- (which deletes the old row) also passes through the delete triggers.
--
-- `remove_diacritics 2`: "citta" finds "città", "cislo" finds "číslo".
-- `prefix '2 3'`: as-you-type prefix queries of 2-3 letters read a prefix
-- index instead of merging every matching term.
CREATE VIRTUAL TABLE tickets_fts USING fts5 (
    subject,
    body,
    content = 'tickets',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- What the cache already holds (an upgrade from schema 2).
INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;

CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject, body)
    VALUES ('delete', old.id, old.subject, old.body);
END;

-- Only when the indexed text (or the id) changes: a sync that rewrites a
-- ticket's status leaves the index alone.
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF id, subject, body ON tickets
WHEN old.id IS NOT new.id OR old.subject IS NOT new.subject OR old.body IS NOT new.body
BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject, body)
    VALUES ('delete', old.id, old.subject, old.body);
    INSERT INTO tickets_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;

-- A message's ticket is read from messages at query time: moving one only
-- needs the text indexed under its id.
CREATE TRIGGER messages_fts_update AFTER UPDATE OF id, body ON messages
WHEN old.id IS NOT new.id OR old.body IS NOT new.body
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
