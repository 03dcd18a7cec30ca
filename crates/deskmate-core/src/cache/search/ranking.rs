//! Ranking without bm25: each table read newest first in growing windows,
//! ranked by where the words are (subject, description, message), then age.

use super::*;

/// The newest rows an index is first searched in, per hit wanted: a word in
/// most documents fills its hits from this first window alone.
pub(super) const FIRST_WINDOW_PER_HIT: i64 = 4;

/// How much larger each next (older) window is than the one before: a rare
/// word, whose list is short anyway, is searched everywhere in a few steps.
pub(super) const WINDOW_GROWTH: i64 = 8;

/// Calls `scan(lowest, highest)` over disjoint windows of rowids, newest
/// first: the `first` newest, then ever larger ones below, the last one
/// unbounded below, until `scan` says it has enough. Each window is read in
/// ascending rowid order from its start (FTS5 seeks there through the doclist
/// index and stops at its end, whereas a descending scan loads a word's whole
/// doclist first), and only the rows of windows newer than the hits wanted are
/// ever read, so a very common word costs as little as a rare one.
pub(super) fn newest_first(
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

pub(super) fn newest_rowid(c: &Connection, table: Table) -> Result<i64> {
    let sql = match table {
        Table::Messages => "SELECT COALESCE(MAX(id), 0) FROM messages",
        Table::Tickets | Table::Subjects => "SELECT COALESCE(MAX(id), 0) FROM tickets",
    };
    Ok(c.prepare_cached(sql)?.query_row([], |r| r.get(0))?)
}

/// What a query is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
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
    pub(super) fn sql(self, texts: bool) -> &'static str {
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
    pub(super) fn indexed_prefix(self) -> usize {
        match self {
            Table::Subjects | Table::Tickets => TICKETS_INDEXED_PREFIX,
            Table::Messages => MESSAGES_INDEXED_PREFIX,
        }
    }

    pub(super) fn fts(self, query: &Query, cut: bool) -> String {
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
pub(super) struct Match {
    pub(super) rowid: i64,
    pub(super) ticket: i64,
}

/// The matches of one window (`lowest..=highest`), newest first, appended to
/// `out`; those of a long prefix only when their text holds it. `false` when
/// checking them used up the prefix's budget.
pub(super) fn scan_window(
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
pub(super) fn newest_matches(
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
pub(super) enum Found {
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
pub(super) fn ranked(c: &Connection, query: &Query, limit: usize) -> Result<Vec<(i64, Found)>> {
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
