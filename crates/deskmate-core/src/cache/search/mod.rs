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

mod query;
mod ranking;
mod similar;
#[cfg(test)]
mod tests;

use query::*;
use ranking::*;

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
