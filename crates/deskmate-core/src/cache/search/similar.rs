//! Open tickets like the one being written: its rarer words, any of them.

use super::*;

/// The most similar tickets [`Cache::similar_open_tickets`] returns.
pub const SIMILAR_LIMIT: usize = 3;

/// Words of a subject and of a description that are compared.
pub(super) const SIMILAR_SUBJECT_TERMS: usize = 8;
pub(super) const SIMILAR_BODY_TERMS: usize = 8;

/// Input shorter than this (letters and digits of subject and description) is
/// not compared: a few letters would match half the list.
pub(super) const SIMILAR_MIN_CHARS: usize = 4;

/// Words too common to say two tickets are alike (the app's five languages).
pub(super) const STOPWORDS: &[&str] = &[
    "the", "and", "for", "with", "not", "are", "was", "has", "have", "but", "our", "you", "this",
    "that", "from", "after", "when", "does", "can", "cannot", "any", "all", "its", "della",
    "delle", "dello", "degli", "nel", "nella", "per", "con", "non", "che", "una", "sono", "dal",
    "dalla", "alla", "del", "pri", "kot", "tudi", "ali", "sem", "smo", "ker", "pre", "ako", "nie",
    "som", "ale", "aby", "pro", "jak", "jsem", "není", "nebo", "což",
];

/// A subject or description cut into the words worth comparing, at most `max`.
pub(super) fn similar_terms(
    text: &str,
    min_chars: usize,
    max: usize,
    into: &mut Vec<String>,
) -> usize {
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

pub(super) fn similar(
    c: &Connection,
    terms: &[String],
    in_subject: usize,
) -> Result<Vec<SearchHit>> {
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
