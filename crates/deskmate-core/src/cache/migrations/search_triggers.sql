-- The triggers that keep the search indexes exact on every insert, update and
-- delete of tickets and messages. Created by migration 6 and again when a bulk
-- sync (cache/search_index.rs) has rebuilt the indexes without them; the
-- connection enables recursive_triggers, so INSERT OR REPLACE (which deletes
-- the old row) also passes through the delete triggers.
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
