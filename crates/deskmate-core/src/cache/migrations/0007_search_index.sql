-- The search indexes of 0003, rebuilt smaller and faster to write and query
-- (the triggers follow, from search_triggers.sql):
--
-- * `columnsize = 0`: no per-document size table (it was only for bm25,
--   which search no longer uses) — one B-tree insert less per row.
-- * `detail = none` for messages (only which messages hold a word; snippets
--   are made from the text) and `detail = column` for tickets (which column,
--   for ranking subject matches first): positions are what made the index big
--   and slow to write. Each word of a query is one token, never a phrase.
-- * `prefix = '2 3 4'`: as-you-type prefixes of up to four letters read their
--   own index (a four-letter one like "serv" or "vps1" merged every matching
--   word's list before); longer ones are checked against the text of the
--   candidates of their first four letters (cache/search.rs).
DROP TRIGGER tickets_fts_insert;
DROP TRIGGER tickets_fts_delete;
DROP TRIGGER tickets_fts_update;
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE tickets_fts;
DROP TABLE messages_fts;

CREATE VIRTUAL TABLE tickets_fts USING fts5 (
    subject,
    body,
    content = 'tickets',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4',
    detail = column,
    columnsize = 0
);

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4',
    detail = none,
    columnsize = 0
);

-- A bulk write (a first sync, a rebuild) collects this much in memory before
-- writing a segment: fewer, bigger segments, less merging.
INSERT INTO tickets_fts (tickets_fts, rank) VALUES ('hashsize', 33554432);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('hashsize', 33554432);

INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
