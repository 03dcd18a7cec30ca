//! A deterministic helpdesk corpus: tickets and their conversations as delta
//! sync delivers them (pages of [`SyncPage`]), with text drawn from a
//! vocabulary of a few thousand words with a Zipf distribution, so very
//! common words ("the", "server", "error") are in nearly every document and
//! the tail is rare; every ticket also names a host (`vps` + digits) found
//! nowhere else.

use std::time::Duration;

use anyhow::{Context, Result};
use deskmate_api::{
    AuthorKind, Department, Message, Priority, SyncPage, Ticket, TicketDetails, TicketStatus,
};
use serde_json::json;

/// Words in frequency order (rank 1 first), the common ones real.
#[rustfmt::skip]
const COMMON: &[&str] = &[
    "the", "to", "and", "is", "a", "server", "error", "on", "of", "in", "it", "not", "we",
    "please", "you", "for", "i", "this", "with", "our", "since", "can", "mail", "be", "have",
    "are", "at", "from", "after", "again", "but", "no", "works", "all", "now", "that", "customer",
    "domain", "login", "password", "account", "cannot", "still", "when", "check", "connection",
    "service", "down", "access", "invoice", "thanks", "there", "was", "your", "issue", "problem",
    "today", "site", "dns", "backup", "restart", "email", "ssl", "certificate", "panel",
    "control", "database", "timeout", "slow", "update", "user", "users", "new", "time", "will",
    "an", "or", "by", "if", "my", "so", "up", "do", "does", "did", "what", "which", "hour",
    "minutes", "morning", "yesterday", "again", "web", "page", "website", "hosting", "vps",
    "disk", "quota", "full", "memory", "cpu", "load", "network", "firewall", "port", "ip",
    "address", "request", "response", "payment", "order", "contract", "renewal", "price",
    "upgrade", "plan", "ticket", "agent", "support", "reply", "log", "logs", "file", "files",
    "upload", "download", "ftp", "ssh", "key", "php", "version", "mysql", "wordpress", "cache",
    "redirect", "https", "browser", "chrome", "phone", "sip", "trunk", "call", "calls",
    "voicemail", "number", "line", "router", "vpn", "tunnel", "office", "remote", "desktop",
];

/// Real words at the very end of the ranking: rare.
#[rustfmt::skip]
const RARE: &[&str] = &[
    "kerberos", "fritzbox", "spamassassin", "dkim", "dmarc", "ipv6", "raid", "smart", "fsck",
    "inode", "cronjob", "letsencrypt", "nameserver", "glue", "ptr", "hsts", "ocsp", "sni",
    "haproxy", "nginx", "apache", "lighttpd", "postfix", "dovecot", "roundcube", "webdav",
    "caldav", "carddav", "ldap", "radius", "asterisk", "codec", "jitter", "latency", "traceroute",
    "mtu", "fragmentation", "bgp", "anycast", "ddos",
];

/// Syllables the synthetic middle of the vocabulary is made of.
#[rustfmt::skip]
const SYLLABLES: &[&str] = &[
    "ka", "lo", "ren", "ti", "mar", "vo", "sel", "din", "pra", "gu", "bel", "no", "tor", "mi",
    "sa", "qua", "fen", "ro", "lis", "de", "ven", "cu", "bra", "zo", "pil", "ta", "mun", "ge",
];

/// Words in the vocabulary (common, synthetic, rare).
pub const VOCABULARY: usize = 3000;

/// splitmix64: fast, deterministic, good enough for text.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }
}

/// The ranked words and their cumulative Zipf (s = 1) weights.
pub struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    pub fn new() -> Self {
        let mut words: Vec<String> = Vec::with_capacity(VOCABULARY);
        let mut seen = std::collections::HashSet::new();
        for w in COMMON {
            if seen.insert((*w).to_owned()) {
                words.push((*w).to_owned());
            }
        }
        let synthetic = VOCABULARY - RARE.len();
        let mut rng = Rng::new(0x5EED_0001);
        while words.len() < synthetic {
            let parts = 2 + rng.below(3);
            let word: String = (0..parts)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        for w in RARE {
            if seen.insert((*w).to_owned()) {
                words.push((*w).to_owned());
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Self { words, cumulative }
    }

    /// The word of rank `rank` (0 = most common).
    pub fn word(&self, rank: usize) -> &str {
        &self.words[rank.min(self.words.len() - 1)]
    }

    fn sample(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.word(i)
    }

    /// A sentence-like text of `n` words.
    fn text(&self, rng: &mut Rng, n: usize, out: &mut String) {
        for i in 0..n {
            let w = self.sample(rng);
            if i == 0 {
                let mut chars = w.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(w);
            }
            if i + 1 < n && rng.below(12) == 0 {
                out.push(if rng.below(2) == 0 { ',' } else { '.' });
            }
        }
        out.push('.');
    }
}

/// The host named in ticket `id`'s description: in no other document.
pub fn host_of(id: i64) -> String {
    format!("vps{}", 100_000 + id)
}

/// Around `mean` words, ±`spread`.
fn length(rng: &mut Rng, mean: usize, spread: usize) -> usize {
    mean - spread + rng.below(2 * spread + 1)
}

/// What [`generate`] built.
pub struct Corpus {
    pub pages: Vec<SyncPage>,
    pub tickets: usize,
    pub messages: usize,
    /// Characters of text (subjects, descriptions, messages).
    pub text_bytes: usize,
}

/// `tickets` tickets and `messages` messages (spread evenly over them), in
/// change order (each ticket, then its conversation), cut into pages of
/// `page_rows` rows.
pub fn generate(
    vocabulary: &Vocabulary,
    tickets: usize,
    messages: usize,
    page_rows: usize,
) -> Result<Corpus> {
    // chrono is not a dependency here: times come from a parsed template.
    let ticket_template: Ticket = serde_json::from_value(json!({
        "id": 0, "organisation_id": 1, "requester_id": 2, "requester_name": "Umberto User",
        "department": "technical", "priority": "regular", "status": "open",
        "subject": "", "body": "", "details": {},
        "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z",
    }))
    .context("ticket template")?;
    let message_template: Message = serde_json::from_value(json!({
        "id": 0, "ticket_id": 0, "author_id": 4, "author_name": "Paolo Provider",
        "author_kind": "agent", "body": "", "internal": false,
        "created_at": "2025-01-01T00:00:00Z",
    }))
    .context("message template")?;
    let base = ticket_template.created_at;

    let page_rows = page_rows.max(1);
    let mut rng = Rng::new(0xDE5C_4A7E);
    let mut pages = Vec::new();
    let mut page = SyncPage {
        tickets: Vec::new(),
        messages: Vec::new(),
        attachments: Vec::new(),
        cursor: 0,
        more: true,
    };
    let mut cursor = 0_i64;
    let mut text_bytes = 0;
    let mut message_id = 0_i64;
    let mut flush = |page: &mut SyncPage, cursor: i64, force: bool| {
        let rows = page.tickets.len() + page.messages.len();
        if rows >= page_rows || (force && rows > 0) {
            page.cursor = cursor;
            pages.push(std::mem::replace(
                page,
                SyncPage {
                    tickets: Vec::new(),
                    messages: Vec::new(),
                    attachments: Vec::new(),
                    cursor: 0,
                    more: true,
                },
            ));
        }
    };
    for t in 0..tickets {
        let id = t as i64 + 1;
        let at = base + Duration::from_secs(600 * id as u64);
        let mut subject = String::with_capacity(64);
        let n = length(&mut rng, 8, 3);
        vocabulary.text(&mut rng, n, &mut subject);
        subject.pop();
        let mut body = String::with_capacity(320);
        let n = length(&mut rng, 40, 15);
        vocabulary.text(&mut rng, n, &mut body);
        body.push_str(&format!(" Host {}.", host_of(id)));
        text_bytes += subject.len() + body.len();
        let mut ticket = ticket_template.clone();
        ticket.id = id;
        ticket.organisation_id = 1 + (id % 2);
        ticket.department = [
            Department::Technical,
            Department::Billing,
            Department::Commercial,
        ][rng.below(3)];
        ticket.priority = if rng.below(5) == 0 {
            Priority::High
        } else {
            Priority::Regular
        };
        ticket.status = [
            TicketStatus::Open,
            TicketStatus::WaitingForCustomer,
            TicketStatus::Resolved,
            TicketStatus::Closed,
        ][rng.below(4)];
        ticket.subject = subject;
        ticket.body = body;
        ticket.details = TicketDetails::default();
        ticket.created_at = at;
        ticket.updated_at = at + Duration::from_secs(3600);
        cursor += 1;
        page.tickets.push(ticket);
        flush(&mut page, cursor, false);

        // This ticket's share of the messages.
        let share = messages * (t + 1) / tickets.max(1) - messages * t / tickets.max(1);
        for j in 0..share {
            message_id += 1;
            let mut body = String::with_capacity(240);
            let n = length(&mut rng, 30, 12);
            vocabulary.text(&mut rng, n, &mut body);
            text_bytes += body.len();
            let mut message = message_template.clone();
            message.id = message_id;
            message.ticket_id = id;
            if j % 2 == 1 {
                message.author_id = 2;
                message.author_name = "Umberto User".into();
                message.author_kind = AuthorKind::Customer;
            }
            message.body = body;
            message.created_at = at + Duration::from_secs(60 * (j as u64 + 1));
            cursor += 1;
            page.messages.push(message);
            flush(&mut page, cursor, false);
        }
    }
    flush(&mut page, cursor, true);
    if let Some(last) = pages.last_mut() {
        last.more = false;
    }
    Ok(Corpus {
        pages,
        tickets,
        messages: usize::try_from(message_id).unwrap_or(0),
        text_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_pages_of_the_asked_size() {
        let v = Vocabulary::new();
        assert_eq!(v.words.len(), VOCABULARY);
        assert_eq!(v.word(0), "the");
        let a = generate(&v, 100, 800, 100).unwrap();
        let b = generate(&v, 100, 800, 100).unwrap();
        assert_eq!(a.tickets + a.messages, 900);
        assert_eq!(a.pages.len(), 9);
        assert!(
            a.pages
                .iter()
                .all(|p| p.tickets.len() + p.messages.len() == 100)
        );
        assert!(!a.pages[8].more && a.pages[0].more);
        assert_eq!(a.pages[3].messages[5].body, b.pages[3].messages[5].body);
        assert!(a.pages[0].tickets[0].body.contains(&host_of(1)));
    }
}
