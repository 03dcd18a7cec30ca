//! Full-text search over the cache: ticket subjects and descriptions and the
//! cached conversations (schema: `migrations/0007_search_index.sql`, kept by
//! the triggers of `migrations/search_triggers.sql` or rebuilt after a bulk
//! sync, see `search_index.rs`).
//!
//! Instant and offline. What the user types is never FTS5 syntax: it is cut
//! into words (runs of letters and digits, as the index's tokenizer cuts
//! text), each quoted ([`fts_query`]), the last one a prefix (as you type). A
//! ticket matches when its subject and description together, or one of its
//! messages, hold every word. A prefix as long as the index's longest prefix
//! index (four letters for tickets, three for messages) reads it; a longer one
//! is looked for through its first letters and checked against the
//! candidates' text ([`LongPrefix`]), since FTS5 answers a prefix it has no
//! index for by merging the whole list of every word it starts (all of
//! "server" for "server").
//!
//! Ranked by where the words are (subject, then description, then a message)
//! and then by age, without bm25, whose statistics read every document a word
//! is in ([`ranked`]). Each kind is read newest first in growing windows of
//! the newest rows and only until the hits are found, so a word found in most
//! documents stops after a few hundred rows and the hits are exactly the
//! newest ones. Snippets are cut from the text of the returned hits only
//! ([`snippet`]).

use std::collections::{HashMap, HashSet};

use deskmate_api::{SNIPPET_MARK_END, SNIPPET_MARK_START, SearchHit};
use rusqlite::{Connection, OptionalExtension, Statement, params};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::Cache;
use super::tickets::{COLUMNS, read_row};
use crate::Result;

/// The most hits one search returns.
pub const MAX_LIMIT: usize = 100;

/// Matches of each word [`Cache::similar_open_tickets`] reads: bounds the
/// work for words found in most documents.
pub const CANDIDATES: i64 = 1000;

/// Words of a query that are used; the rest is ignored.
const MAX_TERMS: usize = 16;

/// Characters a word is cut to (a pasted blob is not a search).
const MAX_TERM_CHARS: usize = 64;

/// Words around the match in a snippet.
const SNIPPET_TOKENS: i64 = 12;

/// FTS5 operators as words; a query of only these is no query.
const OPERATORS: [&str; 4] = ["AND", "OR", "NOT", "NEAR"];

/// The longest prefix each index has its own index for: `prefix = '2 3 4'`
/// for tickets, `'2 3'` for messages (migration 12: the four-letter one was a
/// third of the time it takes to index the conversations).
const TICKETS_INDEXED_PREFIX: usize = 4;
const MESSAGES_INDEXED_PREFIX: usize = 3;

/// Candidates of a long prefix's first letters whose text is read in vain before the
/// search asks FTS5 for the prefix itself (a word whose first four letters are
/// far more common than it, like one host among thousands of `vps1…`).
const VERIFY_BUDGET: usize = 500;

/// Whether `c` is part of a word: what the index's `unicode61` tokenizer keeps
/// (letters, digits), a combining accent being part of its letter.
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The words of `text` with their byte ranges.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !in_word(c))
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// A word as the index compares it: lower case, accents removed
/// (`remove_diacritics 2`).
fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `word` folded (see [`fold`]) is `folded`, or starts with it when
/// `prefix`; without allocating for plain ASCII.
fn word_matches(word: &str, folded: &str, prefix: bool) -> bool {
    if word.is_ascii() && folded.is_ascii() {
        let (w, f) = (word.as_bytes(), folded.as_bytes());
        let n = if prefix { f.len() } else { w.len() };
        return w.len() >= f.len() && n == f.len() && w[..n].eq_ignore_ascii_case(f);
    }
    let w = fold(word);
    if prefix {
        w.starts_with(folded)
    } else {
        w == folded
    }
}

/// What the user typed, as words of the index.
#[derive(Debug, Clone)]
struct Query {
    terms: Vec<String>,
    /// The last word is being typed: a prefix.
    prefix: bool,
}

impl Query {
    /// `None` when `input` holds no word. Every run of letters and digits is a
    /// word (so `subject:vpn` is the two words `subject` and `vpn`); bare
    /// `AND`/`OR`/`NOT`/`NEAR` are dropped. The last word is a prefix while it
    /// is being typed (no trailing space) and has at least two characters.
    fn parse(input: &str) -> Option<Self> {
        let typing = !input.ends_with(char::is_whitespace);
        let mut raw_last_ends_word = false;
        let terms: Vec<String> = input
            .split_whitespace()
            .flat_map(|chunk| {
                raw_last_ends_word = chunk.ends_with(in_word);
                chunk
                    .split(|c: char| !in_word(c))
                    .filter(|t| !t.is_empty())
                    .filter(|t| !OPERATORS.contains(t))
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .take(MAX_TERMS)
            .map(|t| t.chars().take(MAX_TERM_CHARS).collect())
            .collect();
        let last = terms.last()?;
        let prefix = typing
            && raw_last_ends_word
            && last.chars().filter(|c| c.is_alphanumeric()).count() >= 2;
        Some(Self { terms, prefix })
    }

    /// The last word when it is a prefix longer than `indexed`, the longest
    /// prefix an index has its own index for, as the index compares words.
    fn long_prefix(&self, indexed: usize) -> Option<String> {
        let last = self.terms.last()?;
        (self.prefix && last.chars().count() > indexed).then(|| fold(last))
    }

    /// The FTS5 query; with `cut`, a long prefix is cut to its first `cut`
    /// letters (its candidates, checked by [`LongPrefix`]).
    fn fts(&self, cut: Option<usize>) -> String {
        let last = self.terms.len() - 1;
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if i == last && self.prefix {
                    if let Some(cut) = cut {
                        let short: String = t.chars().take(cut).collect();
                        format!("\"{short}\"*")
                    } else {
                        format!("\"{t}\"*")
                    }
                } else {
                    format!("\"{t}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The words as the index compares them, and whether each is a prefix.
    fn folded(&self) -> Vec<(String, bool)> {
        let last = self.terms.len() - 1;
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| (fold(t), i == last && self.prefix))
            .collect()
    }
}

/// The FTS5 query for what the user typed, or `None` when it holds no word:
/// each word quoted (so operators, parentheses, `*`, `^`, `:` and `-` are
/// never syntax), the last one a prefix while it is being typed.
#[cfg(test)]
fn fts_query(input: &str) -> Option<String> {
    Query::parse(input).map(|q| q.fts(None))
}

/// A prefix longer than the index's prefix indexes: its candidates come from
/// its first letters, and a candidate stays when one of its words starts
/// with the whole prefix.
struct LongPrefix {
    folded: String,
    /// Candidates read in vain so far; past [`VERIFY_BUDGET`] the search asks FTS5.
    checked: usize,
}

impl LongPrefix {
    fn holds(&mut self, texts: &[&str]) -> bool {
        let holds = texts
            .iter()
            .any(|text| words(text).any(|(_, w)| word_matches(w, &self.folded, true)));
        if !holds {
            self.checked += 1;
        }
        holds
    }

    fn spent(&self) -> bool {
        self.checked > VERIFY_BUDGET
    }
}

impl Cache {
    /// The cached tickets matching `query`, best first, each once with a
    /// snippet of where it matched (matched words between
    /// [`SNIPPET_MARK_START`] and [`SNIPPET_MARK_END`]). At most `limit`
    /// (capped at [`MAX_LIMIT`]); nothing for a query without words.
    pub async fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let limit = limit.min(MAX_LIMIT);
        let Some(query) = Query::parse(query) else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.call(move |c| search(c, &query, limit)).await
    }
}

/// The most similar tickets [`Cache::similar_open_tickets`] returns.
pub const SIMILAR_LIMIT: usize = 3;

/// Words of a subject and of a description that are compared.
const SIMILAR_SUBJECT_TERMS: usize = 8;
const SIMILAR_BODY_TERMS: usize = 8;

/// Input shorter than this (letters and digits of subject and description) is
/// not compared: a few letters would match half the list.
const SIMILAR_MIN_CHARS: usize = 4;

/// Words too common to say two tickets are alike (the app's five languages).
const STOPWORDS: &[&str] = &[
    "the", "and", "for", "with", "not", "are", "was", "has", "have", "but", "our", "you", "this",
    "that", "from", "after", "when", "does", "can", "cannot", "any", "all", "its", "della",
    "delle", "dello", "degli", "nel", "nella", "per", "con", "non", "che", "una", "sono", "dal",
    "dalla", "alla", "del", "pri", "kot", "tudi", "ali", "sem", "smo", "ker", "pre", "ako", "nie",
    "som", "ale", "aby", "pro", "jak", "jsem", "není", "nebo", "což",
];

/// A subject or description cut into the words worth comparing, at most `max`.
fn similar_terms(text: &str, min_chars: usize, max: usize, into: &mut Vec<String>) -> usize {
    let before = into.len();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= min_chars)
        .map(str::to_lowercase)
    {
        if into.len() - before == max {
            break;
        }
        if STOPWORDS.contains(&word.as_str()) || into.contains(&word) {
            continue;
        }
        into.push(word.chars().take(MAX_TERM_CHARS).collect());
    }
    into.len() - before
}

impl Cache {
    /// Open (or waiting for the customer) cached tickets that look like the
    /// one being written, best first, at most [`SIMILAR_LIMIT`]: each holds more
    /// than half of the words of `subject` (counted twice) and `body` (each word
    /// also as a prefix, so "return" finds "returns"). Nothing for very short input.
    pub async fn similar_open_tickets(&self, subject: &str, body: &str) -> Result<Vec<SearchHit>> {
        let typed = subject
            .chars()
            .chain(body.chars())
            .filter(|c| c.is_alphanumeric())
            .count();
        if typed < SIMILAR_MIN_CHARS {
            return Ok(Vec::new());
        }
        let mut terms = Vec::new();
        let in_subject = similar_terms(subject, 3, SIMILAR_SUBJECT_TERMS, &mut terms);
        similar_terms(body, 3, SIMILAR_BODY_TERMS, &mut terms);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        self.call(move |c| similar(c, &terms, in_subject)).await
    }
}

fn similar(c: &Connection, terms: &[String], in_subject: usize) -> Result<Vec<SearchHit>> {
    let weight = |i: usize| if i < in_subject { 2_usize } else { 1 };
    let total: usize = (0..terms.len()).map(weight).sum();
    // Alike: more than half of the weighted words.
    let needed = total / 2 + 1;
    let mut score: HashMap<i64, usize> = HashMap::new();
    {
        let mut stmt = c.prepare_cached(
            "SELECT f.rowid FROM tickets_fts AS f JOIN tickets AS t ON t.id = f.rowid
             WHERE tickets_fts MATCH ?1 AND t.status IN ('open', 'waiting_for_customer')
             ORDER BY f.rowid DESC LIMIT ?2",
        )?;
        for (i, term) in terms.iter().enumerate() {
            let phrase = format!("\"{}\"*", term.replace('"', ""));
            let rows = stmt.query_map(params![phrase, CANDIDATES], |r| r.get::<_, i64>(0))?;
            for id in rows {
                *score.entry(id?).or_default() += weight(i);
            }
        }
    }
    let mut ranked: Vec<(i64, usize)> = score.into_iter().filter(|(_, s)| *s >= needed).collect();
    // Most words in common first; ties: the newer ticket first.
    ranked.sort_by(|(a_id, a), (b_id, b)| b.cmp(a).then(b_id.cmp(a_id)));
    ranked.truncate(SIMILAR_LIMIT);
    let any: Vec<(String, bool)> = terms.iter().map(|t| (fold(t), true)).collect();
    let mut load = c.prepare_cached(&format!("SELECT {COLUMNS} FROM tickets WHERE id = ?1"))?;
    let mut hits = Vec::with_capacity(ranked.len());
    for (id, _) in ranked {
        let Some(ticket) = load.query_row([id], read_row).optional()?.transpose()? else {
            continue;
        };
        let snippet = snippet(&ticket.body, &any)
            .or_else(|| snippet(&ticket.subject, &any))
            .unwrap_or_default();
        hits.push(SearchHit { ticket, snippet });
    }
    Ok(hits)
}

/// The newest rows an index is first searched in, per hit wanted: a word in
/// most documents fills its hits from this first window alone.
const FIRST_WINDOW_PER_HIT: i64 = 4;

/// How much larger each next (older) window is than the one before: a rare
/// word, whose list is short anyway, is searched everywhere in a few steps.
const WINDOW_GROWTH: i64 = 8;

/// Calls `scan(lowest, highest)` over disjoint windows of rowids, newest
/// first: the `first` newest, then ever larger ones below, the last one
/// unbounded below, until `scan` says it has enough. Each window is read in
/// ascending rowid order from its start (FTS5 seeks there through the doclist
/// index and stops at its end, whereas a descending scan loads a word's whole
/// doclist first), and only the rows of windows newer than the hits wanted are
/// ever read, so a very common word costs as little as a rare one.
fn newest_first(
    newest: i64,
    first: i64,
    mut scan: impl FnMut(i64, i64) -> Result<bool>,
) -> Result<()> {
    let mut highest = newest;
    let mut size = first.max(1);
    loop {
        let lowest = highest.saturating_sub(size - 1);
        if lowest <= 1 {
            scan(i64::MIN, highest)?;
            return Ok(());
        }
        if scan(lowest, highest)? {
            return Ok(());
        }
        highest = lowest - 1;
        size = size.saturating_mul(WINDOW_GROWTH);
    }
}

fn newest_rowid(c: &Connection, table: Table) -> Result<i64> {
    let sql = match table {
        Table::Messages => "SELECT COALESCE(MAX(id), 0) FROM messages",
        Table::Tickets | Table::Subjects => "SELECT COALESCE(MAX(id), 0) FROM tickets",
    };
    Ok(c.prepare_cached(sql)?.query_row([], |r| r.get(0))?)
}

/// What a query is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    /// Ticket subjects alone (every word in the subject).
    Subjects,
    /// Ticket subjects and descriptions together.
    Tickets,
    /// Messages of cached tickets.
    Messages,
}

impl Table {
    /// Rows matching `?1` with a rowid in `?2..=?3`, ascending: the rowid,
    /// the ticket, and with `texts` what a long prefix is checked against.
    fn sql(self, texts: bool) -> &'static str {
        match (self, texts) {
            (Table::Subjects | Table::Tickets, false) => {
                "SELECT rowid, rowid FROM tickets_fts
                 WHERE tickets_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3 ORDER BY rowid"
            }
            (Table::Subjects, true) => {
                "SELECT f.rowid, f.rowid, t.subject FROM tickets_fts AS f
                 JOIN tickets AS t ON t.id = f.rowid
                 WHERE tickets_fts MATCH ?1 AND f.rowid BETWEEN ?2 AND ?3 ORDER BY f.rowid"
            }
            (Table::Tickets, true) => {
                "SELECT f.rowid, f.rowid, t.subject, t.body FROM tickets_fts AS f
                 JOIN tickets AS t ON t.id = f.rowid
                 WHERE tickets_fts MATCH ?1 AND f.rowid BETWEEN ?2 AND ?3 ORDER BY f.rowid"
            }
            // A message of a ticket no longer cached is not a hit.
            (Table::Messages, false) => {
                "SELECT f.rowid, m.ticket_id FROM messages_fts AS f
                 JOIN messages AS m ON m.id = f.rowid JOIN tickets AS t ON t.id = m.ticket_id
                 WHERE messages_fts MATCH ?1 AND f.rowid BETWEEN ?2 AND ?3 ORDER BY f.rowid"
            }
            (Table::Messages, true) => {
                "SELECT f.rowid, m.ticket_id, m.body FROM messages_fts AS f
                 JOIN messages AS m ON m.id = f.rowid JOIN tickets AS t ON t.id = m.ticket_id
                 WHERE messages_fts MATCH ?1 AND f.rowid BETWEEN ?2 AND ?3 ORDER BY f.rowid"
            }
        }
    }

    /// The longest prefix the index has its own index for.
    fn indexed_prefix(self) -> usize {
        match self {
            Table::Subjects | Table::Tickets => TICKETS_INDEXED_PREFIX,
            Table::Messages => MESSAGES_INDEXED_PREFIX,
        }
    }

    fn fts(self, query: &Query, cut: bool) -> String {
        let fts = query.fts(cut.then(|| self.indexed_prefix()));
        if self == Table::Subjects {
            format!("{{subject}} : ({fts})")
        } else {
            fts
        }
    }
}

/// A match: the row of the index and its ticket.
#[derive(Debug, Clone, Copy)]
struct Match {
    rowid: i64,
    ticket: i64,
}

/// The matches of one window (`lowest..=highest`), newest first, appended to
/// `out`; those of a long prefix only when their text holds it. `false` when
/// checking them used up the prefix's budget.
fn scan_window(
    stmt: &mut Statement<'_>,
    fts: &str,
    (lowest, highest): (i64, i64),
    mut long: Option<&mut LongPrefix>,
    out: &mut Vec<Match>,
) -> Result<bool> {
    let start = out.len();
    let mut rows = stmt.query(params![fts, lowest, highest])?;
    while let Some(row) = rows.next()? {
        if let Some(long) = long.as_deref_mut() {
            let count = row.as_ref().column_count();
            let mut texts = Vec::with_capacity(count - 2);
            for i in 2..count {
                texts.push(row.get_ref(i)?.as_str().unwrap_or_default());
            }
            if !long.holds(&texts) {
                if long.spent() {
                    return Ok(false);
                }
                continue;
            }
        }
        out.push(Match {
            rowid: row.get(0)?,
            ticket: row.get(1)?,
        });
    }
    out[start..].reverse();
    Ok(true)
}

/// The matches of `query` in `table`, newest first, read window by window
/// until `enough` says so (or everything was read): a long prefix through its
/// first letters and the candidates' text, or, when that reads too many
/// candidates in vain, through FTS5's own prefix query.
fn newest_matches(
    c: &Connection,
    table: Table,
    query: &Query,
    wanted: usize,
    mut enough: impl FnMut(&[Match]) -> bool,
) -> Result<Vec<Match>> {
    let newest = newest_rowid(c, table)?;
    let first = FIRST_WINDOW_PER_HIT.saturating_mul(i64::try_from(wanted).unwrap_or(i64::MAX));
    let mut out = Vec::new();
    if let Some(folded) = query.long_prefix(table.indexed_prefix()) {
        let fts = table.fts(query, true);
        let mut stmt = c.prepare_cached(table.sql(true))?;
        let mut long = LongPrefix { folded, checked: 0 };
        let mut spent = false;
        newest_first(newest, first, |lowest, highest| {
            spent = !scan_window(
                &mut stmt,
                &fts,
                (lowest, highest),
                Some(&mut long),
                &mut out,
            )?;
            Ok(spent || enough(&out))
        })?;
        if !spent {
            return Ok(out);
        }
        out.clear();
    }
    let fts = table.fts(query, false);
    let mut stmt = c.prepare_cached(table.sql(false))?;
    newest_first(newest, first, |lowest, highest| {
        scan_window(&mut stmt, &fts, (lowest, highest), None, &mut out)?;
        Ok(enough(&out))
    })?;
    Ok(out)
}

/// Where a hit matched.
#[derive(Debug, Clone, Copy)]
enum Found {
    /// Its subject, or its subject and description together, hold every word.
    Ticket,
    /// This message (its newest matching one) holds every word.
    Message(i64),
}

/// The best `limit` tickets for `query`, best first: those whose subject holds
/// every word, then those whose subject and description together do, then
/// those with a message that does; newest first within each (the newer ticket,
/// or the newer matching message). Exact, and only as many of the newest
/// matches are read as it takes: a word found in most documents stops after
/// the first few hundred rows. No bm25: its word statistics read every
/// document a word is in, which for a common word over a large cache is what
/// made a search take half a second.
fn ranked(c: &Connection, query: &Query, limit: usize) -> Result<Vec<(i64, Found)>> {
    let mut hits: Vec<(i64, Found)> = Vec::with_capacity(limit);
    let mut seen: HashSet<i64> = HashSet::with_capacity(limit);
    let subjects = newest_matches(c, Table::Subjects, query, limit, |m| m.len() >= limit)?;
    for m in subjects.into_iter().take(limit) {
        seen.insert(m.ticket);
        hits.push((m.ticket, Found::Ticket));
    }
    if hits.len() < limit {
        let wanted = limit - hits.len();
        let tickets = newest_matches(c, Table::Tickets, query, wanted, |m| {
            m.iter().filter(|m| !seen.contains(&m.ticket)).count() >= wanted
        })?;
        for m in tickets {
            if hits.len() == limit {
                break;
            }
            if seen.insert(m.ticket) {
                hits.push((m.ticket, Found::Ticket));
            }
        }
    }
    if hits.len() < limit {
        let wanted = limit - hits.len();
        let messages = newest_matches(c, Table::Messages, query, wanted, |m| {
            let mut new = HashSet::new();
            m.iter()
                .filter(|m| !seen.contains(&m.ticket) && new.insert(m.ticket))
                .count()
                >= wanted
        })?;
        for m in messages {
            if hits.len() == limit {
                break;
            }
            // Newest first: the first message of a ticket is its newest match.
            if seen.insert(m.ticket) {
                hits.push((m.ticket, Found::Message(m.rowid)));
            }
        }
    }
    Ok(hits)
}

/// Messages of a ticket looked at for a snippet when its description holds
/// none of the words, newest first.
const SNIPPET_MESSAGES: i64 = 10;

fn search(c: &Connection, query: &Query, limit: usize) -> Result<Vec<SearchHit>> {
    let ranked = ranked(c, query, limit)?;
    let terms = query.folded();
    let mut load = c.prepare_cached(&format!("SELECT {COLUMNS} FROM tickets WHERE id = ?1"))?;
    let mut message_body = c.prepare_cached("SELECT body FROM messages WHERE id = ?1")?;
    let mut newest_messages = c.prepare_cached(
        "SELECT body FROM messages WHERE ticket_id = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let mut hits = Vec::with_capacity(ranked.len());
    for (id, found) in ranked {
        let Some(ticket) = load.query_row([id], read_row).optional()?.transpose()? else {
            continue;
        };
        // Where the ticket matched: its description, else its matching (or
        // newest mentioning) message, else its subject.
        let mut text = None;
        match found {
            Found::Ticket => {
                text = snippet(&ticket.body, &terms);
                if text.is_none() {
                    let mut bodies = newest_messages
                        .query_map(params![id, SNIPPET_MESSAGES], |r| r.get::<_, String>(0))?;
                    while text.is_none()
                        && let Some(body) = bodies.next()
                    {
                        text = snippet(&body?, &terms);
                    }
                }
            }
            Found::Message(message_id) => {
                if let Some(body) = message_body
                    .query_row([message_id], |r| r.get::<_, String>(0))
                    .optional()?
                {
                    text = snippet(&body, &terms);
                }
            }
        }
        let snippet = text
            .or_else(|| snippet(&ticket.subject, &terms))
            .unwrap_or_default();
        hits.push(SearchHit { ticket, snippet });
    }
    Ok(hits)
}

/// Up to [`SNIPPET_TOKENS`] words of `text` from just before its first match
/// of `terms` (folded words, each a prefix or whole), each matched word
/// between [`SNIPPET_MARK_START`] and [`SNIPPET_MARK_END`], `…` where text
/// was left out; `None` when no word of `text` matches.
fn snippet(text: &str, terms: &[(String, bool)]) -> Option<String> {
    let words: Vec<(usize, &str)> = words(text).collect();
    let hit = |w: &str| terms.iter().any(|(t, prefix)| word_matches(w, t, *prefix));
    let first = words.iter().position(|(_, w)| hit(w))?;
    let size = usize::try_from(SNIPPET_TOKENS).unwrap_or(12);
    let end = (first.saturating_sub(2) + size).min(words.len());
    let start = end.saturating_sub(size);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let from = words[start].0;
    let mut at = from;
    for (offset, word) in &words[start..end] {
        out.push_str(&text[at..*offset]);
        if hit(word) {
            out.push(SNIPPET_MARK_START);
            out.push_str(word);
            out.push(SNIPPET_MARK_END);
        } else {
            out.push_str(word);
        }
        at = offset + word.len();
    }
    if end == words.len() {
        out.push_str(&text[at..]);
    } else {
        out.push('…');
    }
    Some(out.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use deskmate_api::{AuthorKind, Department, Message, Priority, SyncPage, Ticket, TicketStatus};

    use super::*;

    fn ticket(id: i64, subject: &str, body: &str) -> Ticket {
        let at = Utc::now();
        Ticket {
            id,
            organisation_id: 1,
            requester_id: 2,
            requester_name: "Umberto".into(),
            department: Department::Technical,
            priority: Priority::Regular,
            status: TicketStatus::Open,
            subject: subject.into(),
            body: body.into(),
            details: Default::default(),
            created_at: at,
            updated_at: at,
            expedited: false,
            expedited_at: None,
            availability: None,
        }
    }

    fn message(id: i64, ticket_id: i64, body: &str) -> Message {
        Message {
            id,
            ticket_id,
            author_id: 50,
            author_name: "Alice Agent".into(),
            author_kind: AuthorKind::Agent,
            body: body.into(),
            internal: false,
            created_at: Utc::now(),
        }
    }

    async fn cache() -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
        (dir, cache)
    }

    async fn ids(cache: &Cache, query: &str) -> Vec<i64> {
        cache
            .search(query, 50)
            .await
            .unwrap()
            .iter()
            .map(|h| h.ticket.id)
            .collect()
    }

    /// FTS5's own check that each index matches its content table exactly.
    async fn assert_index_exact(cache: &Cache) {
        cache
            .call(|c| {
                c.execute_batch(
                    "INSERT INTO tickets_fts (tickets_fts, rank) VALUES ('integrity-check', 1);
                     INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1);",
                )?;
                Ok(())
            })
            .await
            .unwrap();
    }

    #[test]
    fn user_text_is_quoted_never_syntax() {
        assert_eq!(fts_query("quota").as_deref(), Some("\"quota\"*"));
        assert_eq!(fts_query("quota ").as_deref(), Some("\"quota\""));
        assert_eq!(
            fts_query("mail quota").as_deref(),
            Some("\"mail\" \"quota\"*")
        );
        // One letter is not a prefix (it would read every word with that letter).
        assert_eq!(fts_query("mail q").as_deref(), Some("\"mail\" \"q\""));
        assert_eq!(fts_query("say \"hi").as_deref(), Some("\"say\" \"hi\"*"));
        assert_eq!(fts_query("a OR b").as_deref(), Some("\"a\" \"b\""));
        // Words as the index cuts them: never a phrase, never a column filter.
        assert_eq!(
            fts_query("subject:vpn -down").as_deref(),
            Some("\"subject\" \"vpn\" \"down\"*")
        );
        assert_eq!(fts_query("quota. ").as_deref(), Some("\"quota\""));
        assert_eq!(fts_query("e-mail").as_deref(), Some("\"e\" \"mail\"*"));
        for nothing in [
            "",
            "   ",
            "\"",
            "\"\"",
            "*",
            "AND (",
            "( ) * ^ : - +",
            "NEAR",
            "\0\n\t",
        ] {
            assert_eq!(fts_query(nothing), None, "{nothing:?}");
        }
        let long = "word ".repeat(1000);
        assert_eq!(
            fts_query(&long).unwrap().matches('"').count(),
            MAX_TERMS * 2
        );
    }

    #[tokio::test]
    async fn hostile_input_is_a_result_never_an_error() {
        let (_dir, cache) = cache().await;
        cache
            .replace_tickets(vec![ticket(
                1,
                "AND (OR) NOT * \"quoted\"",
                "NEAR(a b) col:x ^y",
            )])
            .await
            .unwrap();
        for input in [
            "\"",
            "\"\"",
            "AND (",
            "*",
            "(",
            ")",
            "NEAR(a b)",
            "a OR",
            "NOT",
            "-",
            "^y",
            "col:x",
            "{subject}: x",
            "x\"y",
            "\\",
            "'",
            "''",
            "%",
            "_",
            "\u{0}",
            "🙂",
            "ž\u{30c}",
            "subject:*",
            "\"AND\"",
            "quoted\"*",
            "a AND",
            "((((",
        ] {
            let hits = cache.search(input, 10).await;
            assert!(hits.is_ok(), "{input:?}: {hits:?}");
        }
        assert_eq!(ids(&cache, "quoted").await, vec![1]);
        assert_eq!(
            ids(&cache, "col:x").await,
            vec![1],
            "a phrase, not a column filter"
        );
        assert!(ids(&cache, "AND (").await.is_empty());
        assert!(ids(&cache, "   ").await.is_empty());
    }

    #[tokio::test]
    async fn subject_ranks_above_body_and_messages_and_each_ticket_once() {
        let (_dir, cache) = cache().await;
        cache
            .replace_tickets(vec![
                ticket(1, "Printer jammed", "The VPN is fine; the printer jams."),
                ticket(2, "VPN drops every hour", "Since Monday."),
                ticket(3, "Slow laptop", "Nothing about networks."),
            ])
            .await
            .unwrap();
        cache
            .replace_conversation(
                3,
                vec![
                    message(10, 3, "Is the VPN client up to date?"),
                    message(11, 3, "Please restart the VPN client."),
                ],
                None,
            )
            .await
            .unwrap();
        let hits = cache.search("vpn", 50).await.unwrap();
        let ids: Vec<i64> = hits.iter().map(|h| h.ticket.id).collect();
        assert_eq!(ids[0], 2, "the subject match first: {hits:?}");
        assert_eq!(ids.len(), 3, "each ticket once: {hits:?}");
        let slow = hits.iter().find(|h| h.ticket.id == 3).unwrap();
        assert!(
            slow.snippet
                .contains(&format!("{SNIPPET_MARK_START}VPN{SNIPPET_MARK_END}")),
            "{slow:?}"
        );
        assert!(slow.snippet.contains("client"), "{slow:?}");
        let printer = hits.iter().find(|h| h.ticket.id == 1).unwrap();
        assert!(
            printer.snippet.contains("printer jams"),
            "the body: {printer:?}"
        );
        assert_eq!(cache.search("vpn", 1).await.unwrap().len(), 1);
        assert_eq!(cache.search("vpn", 0).await.unwrap().len(), 0);
    }

    #[tokio::test]
    async fn accents_prefixes_and_every_word() {
        let (_dir, cache) = cache().await;
        cache
            .replace_tickets(vec![
                ticket(1, "Fattura della città", "Il numero è sbagliato."),
                ticket(2, "Číslo faktúry", "Účtovné číslo nesedí, prosím o opravu."),
                ticket(3, "Neznan račun", "Ne morem se prijaviti v košarico."),
            ])
            .await
            .unwrap();
        assert_eq!(ids(&cache, "citta").await, vec![1]);
        assert_eq!(ids(&cache, "CITTÀ").await, vec![1]);
        assert_eq!(ids(&cache, "cislo").await, vec![2]);
        assert_eq!(ids(&cache, "uctovne cis").await, vec![2]);
        assert_eq!(ids(&cache, "racun").await, vec![3]);
        assert_eq!(ids(&cache, "kosar").await, vec![3], "prefix as you type");
        assert!(
            ids(&cache, "kosar ").await.is_empty(),
            "a finished word is whole"
        );
        assert!(ids(&cache, "citta cislo").await.is_empty(), "every word");
    }

    #[tokio::test]
    async fn the_index_follows_every_write() {
        let (_dir, cache) = cache().await;
        cache
            .replace_tickets(vec![
                ticket(1, "Alpha", "first"),
                ticket(2, "Beta", "second"),
            ])
            .await
            .unwrap();
        cache
            .replace_conversation(1, vec![message(10, 1, "gamma reply")], None)
            .await
            .unwrap();
        assert_eq!(ids(&cache, "gamma").await, vec![1]);

        // An upsert that changes the text, one that changes only the status.
        cache
            .upsert_ticket(ticket(2, "Delta", "second"))
            .await
            .unwrap();
        let mut closed = ticket(1, "Alpha", "first");
        closed.status = TicketStatus::Closed;
        cache.upsert_ticket(closed).await.unwrap();
        assert!(ids(&cache, "beta").await.is_empty());
        assert_eq!(ids(&cache, "delta").await, vec![2]);
        assert_eq!(ids(&cache, "alpha").await, vec![1]);

        // A conversation replaced: the old message is gone from the index.
        cache
            .replace_conversation(1, vec![message(11, 1, "epsilon")], None)
            .await
            .unwrap();
        assert!(ids(&cache, "gamma").await.is_empty());
        assert_eq!(ids(&cache, "epsilon").await, vec![1]);
        assert_index_exact(&cache).await;

        // INSERT OR REPLACE deletes the old row: the delete trigger still runs.
        cache
            .call(|c| {
                c.execute(
                    "INSERT OR REPLACE INTO messages (id, ticket_id, author_id, author_name,
                       author_kind, body, internal, created_at)
                     SELECT id, ticket_id, author_id, author_name, author_kind, 'zeta', internal,
                       created_at FROM messages WHERE id = 11",
                    [],
                )?;
                Ok(())
            })
            .await
            .unwrap();
        assert!(ids(&cache, "epsilon").await.is_empty());
        assert_eq!(ids(&cache, "zeta").await, vec![1]);
        assert_index_exact(&cache).await;

        // The list replaced: ticket 1 and its conversation leave the cache.
        cache
            .replace_tickets(vec![ticket(2, "Delta", "second")])
            .await
            .unwrap();
        assert!(ids(&cache, "alpha").await.is_empty());
        assert!(ids(&cache, "zeta").await.is_empty());
        assert_eq!(ids(&cache, "delta").await, vec![2]);
        assert_index_exact(&cache).await;

        cache.clear_tickets().await.unwrap();
        assert!(ids(&cache, "delta").await.is_empty());
        assert_index_exact(&cache).await;
        let rows: i64 = cache
            .call(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT count(*) FROM tickets_fts) + (SELECT count(*) FROM messages_fts)",
                    [],
                    |r| r.get(0),
                )?)
            })
            .await
            .unwrap();
        assert_eq!(rows, 0);
    }

    #[tokio::test]
    async fn an_upgraded_cache_indexes_what_it_already_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite3");
        {
            let c = Connection::open(&path).unwrap();
            for sql in [
                include_str!("migrations/0001_init.sql"),
                include_str!("migrations/0002_outbox.sql"),
            ] {
                c.execute_batch(sql).unwrap();
            }
            c.pragma_update(None, "user_version", 2).unwrap();
            // A row as schema 2 knew it (today's upsert writes later columns).
            c.execute(
                "INSERT INTO tickets (id, organisation_id, requester_id, requester_name, \
                 department, priority, status, subject, body, created_at, updated_at) \
                 VALUES (5, 1, 2, 'Umberto', 'technical', 'regular', 'open', 'Old ticket', \
                 'from before', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
                [],
            )
            .unwrap();
            super::super::messages::upsert_message(&c, &message(50, 5, "kept quota")).unwrap();
        }
        let cache = Cache::open(&path).await.unwrap();
        assert_eq!(ids(&cache, "quota").await, vec![5]);
        assert_eq!(ids(&cache, "old").await, vec![5]);
        assert_index_exact(&cache).await;
    }

    /// Migration 12 rebuilds the indexes, even those a bulk sync left for its
    /// end, and every trigger is back afterwards.
    #[tokio::test]
    async fn the_messages_index_upgrade_finishes_an_interrupted_bulk_sync() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite3");
        {
            let c = Connection::open(&path).unwrap();
            super::super::migrations::migrate_to(&c, 11).unwrap();
            super::super::tickets::upsert(&c, &ticket(1, "Indexed", "before")).unwrap();
            // A bulk sync under way: no triggers, rows not indexed yet.
            c.execute_batch(
                "DROP TRIGGER tickets_fts_insert; DROP TRIGGER tickets_fts_delete;
                 DROP TRIGGER tickets_fts_update; DROP TRIGGER messages_fts_insert;
                 DROP TRIGGER messages_fts_delete; DROP TRIGGER messages_fts_update;
                 INSERT INTO meta (key, value) VALUES ('search_index_bulk', '1');",
            )
            .unwrap();
            super::super::tickets::upsert(&c, &ticket(2, "Pending", "x")).unwrap();
            super::super::messages::upsert_message(&c, &message(20, 2, "certificate renewed"))
                .unwrap();
        }
        let cache = Cache::open(&path).await.unwrap();
        assert!(!in_bulk(&cache).await);
        assert_eq!(ids(&cache, "indexed").await, vec![1]);
        assert_eq!(ids(&cache, "pending").await, vec![2]);
        assert_eq!(
            ids(&cache, "cert").await,
            vec![2],
            "four letters, three indexed"
        );
        assert_eq!(ids(&cache, "certificate ").await, vec![2]);
        assert_index_exact(&cache).await;
        cache
            .replace_conversation(1, vec![message(10, 1, "certainly")], None)
            .await
            .unwrap();
        assert_eq!(ids(&cache, "certa").await, vec![1], "the triggers are back");
        assert_index_exact(&cache).await;
    }

    #[tokio::test]
    async fn a_message_of_an_uncached_ticket_is_no_hit() {
        let (_dir, cache) = cache().await;
        cache
            .replace_tickets(vec![ticket(1, "One", "x")])
            .await
            .unwrap();
        cache
            .replace_conversation(7, vec![message(70, 7, "orphan words")], None)
            .await
            .unwrap();
        assert!(ids(&cache, "orphan").await.is_empty());
    }

    /// Many documents that all hold the same word: the answer stays bounded
    /// and fast (read against the 1.5 s of ranking every match).
    #[tokio::test]
    async fn very_common_words_stay_bounded() {
        let (_dir, cache) = cache().await;
        cache
            .call(|c| {
                let tx = c.transaction()?;
                for id in 1..=20_000_i64 {
                    super::super::tickets::upsert(
                        &tx,
                        &ticket(
                            id,
                            &format!("the ticket number {id}"),
                            "the the the body text",
                        ),
                    )?;
                    super::super::messages::upsert_message(
                        &tx,
                        &message(id, id, "the agent answered the question"),
                    )?;
                }
                tx.commit()?;
                Ok(())
            })
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let hits = cache.search("the", MAX_LIMIT + 50).await.unwrap();
        let took = started.elapsed();
        assert_eq!(hits.len(), MAX_LIMIT);
        assert!(hits.iter().all(|h| h.snippet.contains(SNIPPET_MARK_START)));
        // Generous for a debug build on a busy 2-core machine.
        assert!(took < std::time::Duration::from_secs(2), "{took:?}");
        let exact = cache.search("number 12345 ", 10).await.unwrap();
        assert_eq!(exact.first().map(|h| h.ticket.id), Some(12_345));
    }

    /// A word in nearly every document: the hits are exactly the newest of the
    /// best kind (subject, then description, then a message), however many
    /// older documents hold it too.
    #[tokio::test]
    async fn common_words_return_exactly_the_newest_hits_of_the_best_kind() {
        let (_dir, cache) = cache().await;
        cache
            .call(|c| {
                let tx = c.transaction()?;
                for id in 1..=6_000_i64 {
                    let subject = if id % 3 == 0 {
                        format!("the ticket {id}")
                    } else {
                        format!("ticket {id}")
                    };
                    let body = match id {
                        10 | 20 | 30 => "the quota is full",
                        _ if id > 5_000 => "the mailbox quota",
                        _ => "the body text",
                    };
                    super::super::tickets::upsert(&tx, &ticket(id, &subject, body))?;
                    let text = if id % 1000 == 7 {
                        "run kinit"
                    } else {
                        "the answer"
                    };
                    super::super::messages::upsert_message(&tx, &message(id, id, text))?;
                }
                // The newest message that says it is of an old ticket.
                super::super::messages::upsert_message(&tx, &message(9_000, 4, "kinit again"))?;
                tx.commit()?;
                Ok(())
            })
            .await
            .unwrap();
        let the = ids(&cache, "the ").await;
        assert_eq!(the, (0..50).map(|i| 6_000 - 3 * i).collect::<Vec<_>>());
        let all = cache.search("the ", MAX_LIMIT).await.unwrap();
        assert_eq!(all.len(), MAX_LIMIT);
        assert_eq!(all.last().map(|h| h.ticket.id), Some(6_000 - 3 * 99));

        // Subject matches first, then the newest descriptions.
        let quota: Vec<i64> = cache
            .search("ticket quota", 8)
            .await
            .unwrap()
            .iter()
            .map(|h| h.ticket.id)
            .collect();
        assert_eq!(
            quota,
            vec![6_000, 5_999, 5_998, 5_997, 5_996, 5_995, 5_994, 5_993]
        );
        let quota = ids(&cache, "quota ").await;
        assert_eq!(quota.len(), 50);
        assert_eq!(quota[..3], [6_000, 5_999, 5_998]);

        // Only in messages: the ticket with the newest matching message first.
        assert_eq!(
            ids(&cache, "kinit").await,
            vec![4, 5_007, 4_007, 3_007, 2_007, 1_007, 7]
        );
        let hits = cache.search("kinit", 1).await.unwrap();
        assert!(hits[0].snippet.contains("again"), "{hits:?}");
    }

    /// A ticket found by its subject alone shows where one of its messages
    /// says the words, when its description does not.
    #[tokio::test]
    async fn a_subject_hit_shows_a_message_that_says_it() {
        let (_dir, cache) = cache().await;
        cache
            .replace_tickets(vec![
                ticket(1, "Fritzbox", "Nothing here."),
                ticket(2, "Fritzbox", "x"),
            ])
            .await
            .unwrap();
        cache
            .replace_conversation(
                1,
                vec![
                    message(10, 1, "The fritzbox rebooted"),
                    message(11, 1, "Thanks"),
                ],
                None,
            )
            .await
            .unwrap();
        let hits = cache.search("fritzbox ", 10).await.unwrap();
        assert_eq!(
            hits.iter().map(|h| h.ticket.id).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert!(hits[1].snippet.contains("rebooted"), "{hits:?}");
        assert!(
            hits[0]
                .snippet
                .contains(&format!("{SNIPPET_MARK_START}Fritzbox{SNIPPET_MARK_END}")),
            "the subject: {hits:?}"
        );
    }

    #[tokio::test]
    async fn similar_open_tickets_share_enough_words() {
        let (_dir, cache) = cache().await;
        let mut closed = ticket(3, "Website returns 502 again", "Closed long ago.");
        closed.status = TicketStatus::Closed;
        let mut waiting = ticket(4, "Invoice charged twice", "Refund the second payment.");
        waiting.status = TicketStatus::WaitingForCustomer;
        cache
            .replace_tickets(vec![
                ticket(
                    1,
                    "Website returns 502 Bad Gateway",
                    "After the PHP upgrade.",
                ),
                ticket(2, "Mailbox full", "The website mailbox quota."),
                closed,
                waiting,
                ticket(5, "Router one", "x"),
                ticket(6, "Router two", "x"),
                ticket(7, "Router three", "x"),
                ticket(8, "Router four", "x"),
            ])
            .await
            .unwrap();
        let similar = |s: &'static str, b: &'static str| {
            let cache = cache.clone();
            async move {
                cache
                    .similar_open_tickets(s, b)
                    .await
                    .unwrap()
                    .iter()
                    .map(|h| h.ticket.id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(similar("Website returns 502", "").await, vec![1]);
        assert_eq!(similar("website retur", "").await, vec![1], "as typed");
        assert_eq!(
            similar("Website", "").await,
            vec![2, 1],
            "one word, newest first"
        );
        assert_eq!(similar("charged", "").await, vec![4], "waiting counts");
        assert!(similar("the", "").await.is_empty(), "too common");
        assert!(similar("we", "").await.is_empty(), "too short");
        assert!(similar("", "").await.is_empty());
        assert!(similar("Printer on fire", "").await.is_empty());
        assert_eq!(similar("Router", "").await.len(), SIMILAR_LIMIT);
        let hits = cache
            .similar_open_tickets("Website down", "returns 502 after the upgrade")
            .await
            .unwrap();
        assert_eq!(hits.first().map(|h| h.ticket.id), Some(1), "{hits:?}");
        assert!(hits[0].snippet.contains(SNIPPET_MARK_START), "{hits:?}");
    }

    fn page(tickets: Vec<Ticket>, messages: Vec<Message>, cursor: i64, more: bool) -> SyncPage {
        SyncPage {
            tickets,
            messages,
            more,
            ..SyncPage::empty(cursor)
        }
    }

    async fn in_bulk(cache: &Cache) -> bool {
        cache
            .call(|c| super::super::search_index::in_bulk(c))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn prefixes_short_and_long_find_words_by_their_start() {
        let (_dir, cache) = cache().await;
        let mut tickets = vec![
            ticket(1, "Server down", "The mail server is down."),
            ticket(2, "Servers slow", "All of them."),
            ticket(3, "Passwort", "Reset it."),
        ];
        // Many words sharing their first four letters with one host.
        for id in 10..3010 {
            tickets.push(ticket(id, "Host", &format!("Host vps{}", 100_000 + id)));
        }
        cache.replace_tickets(tickets).await.unwrap();
        cache
            .replace_conversation(3, vec![message(30, 3, "Your new password is set")], None)
            .await
            .unwrap();
        assert_eq!(
            ids(&cache, "serv").await,
            vec![2, 1],
            "a four-letter prefix"
        );
        assert_eq!(ids(&cache, "server").await, vec![2, 1], "a longer one");
        assert_eq!(ids(&cache, "servers").await, vec![2]);
        assert_eq!(
            ids(&cache, "server ").await,
            vec![1],
            "a finished word is whole"
        );
        assert_eq!(ids(&cache, "passwo").await, vec![3], "subject and message");
        assert_eq!(ids(&cache, "password").await, vec![3], "in a message only");
        assert_eq!(ids(&cache, "vps103000").await, vec![3000]);
        assert_eq!(
            ids(&cache, "vps10300").await,
            (3000..=3009).rev().collect::<Vec<_>>()
        );
        assert_eq!(ids(&cache, "vps1").await.len(), 50, "bounded by the limit");
        let hits = cache.search("vps103005", 5).await.unwrap();
        assert_eq!(hits.len(), 1);
        assert!(
            hits[0]
                .snippet
                .contains(&format!("{SNIPPET_MARK_START}vps103005{SNIPPET_MARK_END}")),
            "{hits:?}"
        );
    }

    #[tokio::test]
    async fn a_bulk_first_sync_is_searchable_and_later_pages_keep_the_index_exact() {
        let (_dir, cache) = cache().await;
        cache
            .apply_sync_page(page(
                vec![ticket(1, "Kerberos ticket", "Realm broken")],
                vec![message(10, 1, "try kinit again")],
                2,
                true,
            ))
            .await
            .unwrap();
        assert!(in_bulk(&cache).await, "many pages into an empty cache");
        cache
            .apply_sync_page(page(
                vec![
                    ticket(2, "Fritzbox reboot", "Loops"),
                    ticket(1, "Kerberos realm", "x"),
                ],
                vec![message(11, 2, "firmware update")],
                5,
                false,
            ))
            .await
            .unwrap();
        assert!(!in_bulk(&cache).await, "the last page built the index");
        assert_eq!(ids(&cache, "kinit").await, vec![1]);
        assert_eq!(ids(&cache, "firmware").await, vec![2]);
        assert_eq!(ids(&cache, "realm").await, vec![1]);
        assert!(
            ids(&cache, "broken").await.is_empty(),
            "the rewritten text only"
        );
        assert_index_exact(&cache).await;

        // Later pages go through the triggers again.
        cache
            .apply_sync_page(page(
                vec![ticket(2, "Fritzbox fixed", "Loops")],
                vec![
                    message(12, 1, "kerberos works now"),
                    message(11, 2, "rolled back"),
                ],
                7,
                true,
            ))
            .await
            .unwrap();
        assert!(!in_bulk(&cache).await, "the cache was not empty");
        assert_eq!(ids(&cache, "fixed").await, vec![2]);
        assert!(ids(&cache, "reboot").await.is_empty());
        assert!(ids(&cache, "firmware").await.is_empty());
        assert_eq!(ids(&cache, "rolled").await, vec![2]);
        assert_eq!(ids(&cache, "works").await, vec![1]);
        assert_index_exact(&cache).await;
    }

    #[tokio::test]
    async fn a_bulk_sync_cut_short_is_indexed_when_it_stops_or_at_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite3");
        let cache = Cache::open(&path).await.unwrap();
        cache
            .apply_sync_page(page(
                vec![ticket(1, "Dmarc report", "x")],
                Vec::new(),
                1,
                true,
            ))
            .await
            .unwrap();
        assert!(in_bulk(&cache).await);
        cache.finish_search_index().await.unwrap();
        assert!(!in_bulk(&cache).await);
        assert_eq!(ids(&cache, "dmarc").await, vec![1]);
        cache
            .upsert_ticket(ticket(1, "Anycast", "x"))
            .await
            .unwrap();
        assert_eq!(
            ids(&cache, "anycast").await,
            vec![1],
            "the triggers are back"
        );
        assert_index_exact(&cache).await;

        // A crash in the middle of a bulk sync: the next open builds the index.
        cache.clear_tickets().await.unwrap();
        cache
            .apply_sync_page(page(
                vec![ticket(2, "Ddos alert", "x")],
                Vec::new(),
                1,
                true,
            ))
            .await
            .unwrap();
        assert!(in_bulk(&cache).await);
        drop(cache);
        let cache = Cache::open(&path).await.unwrap();
        assert!(!in_bulk(&cache).await);
        assert_eq!(ids(&cache, "ddos").await, vec![2]);
        assert_index_exact(&cache).await;
    }
}
