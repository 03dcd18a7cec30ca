//! The scrubber: text that leaves the machine (the diagnostics, a log the
//! user attaches) loses its secrets first: private-key blocks,
//! Authorization headers and cookies, bearer tokens and JWTs, passwords in
//! URLs, command lines and `key=value` settings, cloud access keys,
//! e-mail addresses other than the user's own and, on request, IP
//! addresses. Each secret becomes [`REDACTED`] (its key, quotes and
//! surroundings stay, so the text still reads); everything else is left
//! byte for byte as it was.

use std::collections::BTreeMap;
use std::net::Ipv6Addr;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde::Serialize;

/// What a removed secret is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// What kind of secret was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    PrivateKey,
    AuthorizationHeader,
    Cookie,
    BearerToken,
    Jwt,
    UrlPassword,
    CommandLine,
    KeyValue,
    CloudKey,
    Email,
    IpAddress,
}

/// What to keep and what else to remove.
#[derive(Debug, Clone, Default)]
pub struct ScrubOptions {
    /// The user's own address, which stays (compared without case).
    pub own_email: Option<String>,
    /// Remove IPv4 and IPv6 addresses too.
    pub ip_addresses: bool,
}

/// The text as it would leave the machine, and what was taken out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scrubbed {
    pub text: String,
    /// How many secrets of each kind were removed.
    pub removed: BTreeMap<SecretKind, usize>,
}

impl Scrubbed {
    pub fn total_removed(&self) -> usize {
        self.removed.values().sum()
    }
}

/// One pattern: the named groups `pre` and `post` stay, `secret` (or, when
/// the pattern has no `secret`, the whole match) goes; a quoted value
/// keeps its quotes (groups `dq`, `sq` inside `"..."` and `'...'`).
struct Rule {
    kind: SecretKind,
    regex: Regex,
}

/// The patterns, most specific first: a private key's block is gone before
/// anything inside it could match another rule, a header's value before
/// the token in it.
const PATTERNS: &[(SecretKind, &str)] = &[
    (
        SecretKind::PrivateKey,
        r"(?s)-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\z)",
    ),
    (
        SecretKind::AuthorizationHeader,
        r#"(?i)(?P<pre>\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?P<secret>[^\r\n"']+)"#,
    ),
    (
        SecretKind::Cookie,
        r#"(?i)(?P<pre>\b(?:set-)?cookie["']?\s*[:=]\s*["']?)(?P<secret>[^\r\n"']+)"#,
    ),
    (
        SecretKind::BearerToken,
        r"(?i)(?P<pre>\bbearer\s+)(?P<secret>[A-Za-z0-9\-._~+/]{16,}=*)",
    ),
    (
        SecretKind::Jwt,
        r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*",
    ),
    (
        SecretKind::UrlPassword,
        r#"(?i)(?P<pre>\b[a-z][a-z0-9+.-]*://[^\s:/@'"]+:)(?P<secret>[^\s@/'"]+)(?P<post>@)"#,
    ),
    // --password VALUE, --token=VALUE, -pass VALUE ...
    (
        SecretKind::CommandLine,
        r#"(?i)(?P<pre>(?:^|\s)--?(?:password|passwd|pass|pwd|secret|token|api-?key|access-?token|auth-?token|client-?secret)(?:=|\s+))(?:"(?P<dq>[^"\r\n]*)"|'(?P<sq>[^'\r\n]*)'|(?P<secret>[^\s"'<>]+))"#,
    ),
    // mysql -pSECRET (no space: with one, mysql asks and nothing is there).
    (
        SecretKind::CommandLine,
        r#"(?i)(?P<pre>\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\r\n]*?\s-p)(?:"(?P<dq>[^"\r\n]*)"|'(?P<sq>[^'\r\n]*)'|(?P<secret>[^\s"']+))"#,
    ),
    (
        SecretKind::CommandLine,
        r#"(?i)(?P<pre>\bsshpass\s+-p\s*)(?:"(?P<dq>[^"\r\n]*)"|'(?P<sq>[^'\r\n]*)'|(?P<secret>\S+))"#,
    ),
    // curl -u user:SECRET
    (
        SecretKind::CommandLine,
        r#"(?P<pre>\s(?:-u|--user)\s*["']?[^\s:"']+:)(?P<secret>[^\s"']+)"#,
    ),
    (
        SecretKind::CommandLine,
        r#"(?i)(?P<pre>ConvertTo-SecureString\s+(?:-String\s+)?)(?:"(?P<dq>[^"\r\n]*)"|'(?P<sq>[^'\r\n]*)')"#,
    ),
    // net user NAME SECRET (a password that is not an option)
    (
        SecretKind::CommandLine,
        r"(?i)(?P<pre>\bnet\s+user\s+[^\s/]+\s+)(?P<secret>[^\s/*]\S*)",
    ),
    // <Data Name="Password">SECRET</Data>, <password>SECRET</password>
    (
        SecretKind::KeyValue,
        r#"(?i)(?P<pre>\bName="[^"]*(?:password|passwd|secret|token|apikey|api_key)[^"]*">)(?P<secret>[^<]+)(?P<post><)"#,
    ),
    (
        SecretKind::KeyValue,
        r"(?i)(?P<pre><[A-Za-z0-9_:.-]*(?:password|passwd|secret|token|apikey|api_key|accesskey)>)(?P<secret>[^<]+)(?P<post></)",
    ),
    (
        SecretKind::KeyValue,
        r#"(?i)(?P<pre>\b[A-Za-z0-9_.-]*?(?:password|passwd|passphrase|pwd|secret|api[_-]?key|apikey|access[_-]?key|accountkey|private[_-]?key|access[_-]?token|auth[_-]?token|refresh[_-]?token|session[_-]?token|client[_-]?secret|token|credentials?)["']?\s*[:=]\s*)(?:"(?P<dq>[^"\r\n]*)"|'(?P<sq>[^'\r\n]*)'|(?P<secret>[^\s&;,"'<>)}\]]+))"#,
    ),
    (
        SecretKind::KeyValue,
        r"(?i)(?P<pre>[?&]sig=)(?P<secret>[^&\s]+)",
    ),
    (
        SecretKind::CloudKey,
        r"\b(?:(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}|AIza[0-9A-Za-z_-]{35}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{20,})\b",
    ),
    (
        SecretKind::Email,
        r"(?i)\b[A-Z0-9._%+-]+@(?P<domain>[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,})\b",
    ),
];

const IPV4: &str = r"\b(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\b";
/// Candidates only: each is checked with [`Ipv6Addr`]'s parser.
const IPV6: &str = r"(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}";

/// What systemd calls its units (`user@1000.service`): not addresses.
const UNIT_SUFFIXES: &[&str] = &[
    "service",
    "socket",
    "target",
    "mount",
    "automount",
    "timer",
    "path",
    "slice",
    "scope",
    "device",
    "swap",
];

/// The compiled patterns. They are constants: `rules_compile` proves each
/// one compiles, so none is ever missing here.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    PATTERNS
        .iter()
        .filter_map(|(kind, pattern)| {
            let regex = Regex::new(pattern)
                .inspect_err(|e| tracing::error!(error = %e, "a scrubber pattern does not compile"))
                .ok()?;
            Some(Rule { kind: *kind, regex })
        })
        .collect()
});

/// The IPv4 pattern, and the IPv6 candidates' with its check.
type IpCheck = fn(&str) -> bool;

static IP_RULES: LazyLock<Vec<(Regex, IpCheck)>> = LazyLock::new(|| {
    let rules: [(&str, IpCheck); 2] = [(IPV4, |_| true), (IPV6, is_ipv6)];
    rules
        .into_iter()
        .filter_map(|(p, check)| Some((Regex::new(p).ok()?, check)))
        .collect()
});

/// An IPv6 address with at least two groups written out: `::1` and `d::`
/// (in `std::string`) are not worth removing or are no address.
fn is_ipv6(candidate: &str) -> bool {
    candidate.parse::<Ipv6Addr>().is_ok()
        && candidate.split(':').filter(|g| !g.is_empty()).count() >= 2
}

/// `text` without its secrets.
pub fn scrub(text: &str, options: &ScrubOptions) -> Scrubbed {
    let mut removed = BTreeMap::new();
    let mut text = text.to_owned();
    for rule in RULES.iter() {
        let mut count = 0;
        let replaced = rule.regex.replace_all(&text, |c: &Captures| {
            match replacement(rule.kind, c, options) {
                Some(r) => {
                    count += 1;
                    r
                }
                None => c[0].to_owned(),
            }
        });
        if count > 0 {
            text = replaced.into_owned();
            *removed.entry(rule.kind).or_insert(0) += count;
        }
    }
    if options.ip_addresses {
        for (regex, is_ip) in IP_RULES.iter() {
            let mut count = 0;
            let replaced = regex.replace_all(&text, |c: &Captures| {
                let candidate = &c[0];
                if is_ip(candidate) {
                    count += 1;
                    REDACTED.to_owned()
                } else {
                    candidate.to_owned()
                }
            });
            if count > 0 {
                text = replaced.into_owned();
                *removed.entry(SecretKind::IpAddress).or_insert(0) += count;
            }
        }
    }
    Scrubbed { text, removed }
}

/// What one match becomes; `None` leaves it as it was (the user's own
/// address, a systemd unit).
fn replacement(kind: SecretKind, c: &Captures, options: &ScrubOptions) -> Option<String> {
    if kind == SecretKind::Email {
        let whole = &c[0];
        let own = options
            .own_email
            .as_deref()
            .is_some_and(|own| own.eq_ignore_ascii_case(whole));
        let domain = c.name("domain").map_or("", |d| d.as_str());
        let unit = domain
            .rsplit('.')
            .next()
            .is_some_and(|last| UNIT_SUFFIXES.iter().any(|u| last.eq_ignore_ascii_case(u)));
        return (!own && !unit).then(|| REDACTED.to_owned());
    }
    // What an earlier rule took out stays as it says.
    let value = ["secret", "dq", "sq"]
        .iter()
        .find_map(|g| c.name(g))
        .map_or(&c[0], |m| m.as_str());
    if value.starts_with("[REDACTED") {
        return None;
    }
    let pre = c.name("pre").map_or("", |m| m.as_str());
    let post = c.name("post").map_or("", |m| m.as_str());
    let value = if c.name("dq").is_some() {
        format!("\"{REDACTED}\"")
    } else if c.name("sq").is_some() {
        format!("'{REDACTED}'")
    } else {
        REDACTED.to_owned()
    };
    Some(format!("{pre}{value}{post}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_compile() {
        assert_eq!(RULES.len(), PATTERNS.len());
        assert_eq!(IP_RULES.len(), 2);
    }

    fn scrubbed(text: &str) -> String {
        scrub(text, &ScrubOptions::default()).text
    }

    #[test]
    fn what_one_rule_removed_no_other_rule_touches() {
        assert_eq!(
            scrubbed("mysqldump --password=ShopPw99 shop"),
            "mysqldump --password=[REDACTED] shop"
        );
        assert_eq!(
            scrubbed("<Data>New-LocalUser -Password $pw</Data>"),
            "<Data>New-LocalUser -Password [REDACTED]</Data>"
        );
    }

    #[test]
    fn quoted_values_keep_their_quotes() {
        assert_eq!(
            scrubbed(r#"{"password": "hunter2", "user": "bob"}"#),
            r#"{"password": "[REDACTED]", "user": "bob"}"#
        );
        assert_eq!(
            scrubbed("DB_PASSWORD='s3 cr3t'"),
            "DB_PASSWORD='[REDACTED]'"
        );
    }

    #[test]
    fn words_that_only_look_like_keys_stay() {
        for clean in [
            "max_tokens: 100",
            "I forgot my password yesterday",
            "mkdir -p /srv/www && mysql -u root -p app",
            "Started user@1000.service - User Manager for UID 1000.",
            "the bearer of bad news",
            "--token-file /etc/token",
        ] {
            assert_eq!(scrubbed(clean), clean);
        }
    }

    #[test]
    fn the_own_address_stays_and_others_go() {
        let options = ScrubOptions {
            own_email: Some("Jana@Acme.example".into()),
            ip_addresses: false,
        };
        let out = scrub("from jana@acme.example to bob@globex.example", &options);
        assert_eq!(out.text, "from jana@acme.example to [REDACTED]");
        assert_eq!(out.removed[&SecretKind::Email], 1);
    }

    #[test]
    fn ip_addresses_go_only_on_request() {
        let text =
            "client 203.0.113.24 and 2001:db8::1 at 12:34:56, mac aa:bb:cc:dd:ee:ff, std::string";
        assert_eq!(scrubbed(text), text);
        let options = ScrubOptions {
            own_email: None,
            ip_addresses: true,
        };
        assert_eq!(
            scrub(text, &options).text,
            "client [REDACTED] and [REDACTED] at 12:34:56, mac aa:bb:cc:dd:ee:ff, std::string"
        );
    }
}
