//! What the user typed, as words to look for: folded, quoted for FTS5, the
//! last one a prefix; a prefix longer than the index's checked by hand.

use super::*;

/// Whether `c` is part of a word: what the index's `unicode61` tokenizer keeps
/// (letters, digits), a combining accent being part of its letter.
pub(super) fn in_word(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The words of `text` with their byte ranges.
pub(super) fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !in_word(c))
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// A word as the index compares it: lower case, accents removed
/// (`remove_diacritics 2`).
pub(super) fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `word` folded (see [`fold`]) is `folded`, or starts with it when
/// `prefix`; without allocating for plain ASCII.
pub(super) fn word_matches(word: &str, folded: &str, prefix: bool) -> bool {
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
pub(super) struct Query {
    pub(super) terms: Vec<String>,
    /// The last word is being typed: a prefix.
    pub(super) prefix: bool,
}

impl Query {
    /// `None` when `input` holds no word. Every run of letters and digits is a
    /// word (so `subject:vpn` is the two words `subject` and `vpn`); bare
    /// `AND`/`OR`/`NOT`/`NEAR` are dropped. The last word is a prefix while it
    /// is being typed (no trailing space) and has at least two characters.
    pub(super) fn parse(input: &str) -> Option<Self> {
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
    pub(super) fn long_prefix(&self, indexed: usize) -> Option<String> {
        let last = self.terms.last()?;
        (self.prefix && last.chars().count() > indexed).then(|| fold(last))
    }

    /// The FTS5 query; with `cut`, a long prefix is cut to its first `cut`
    /// letters (its candidates, checked by [`LongPrefix`]).
    pub(super) fn fts(&self, cut: Option<usize>) -> String {
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
    pub(super) fn folded(&self) -> Vec<(String, bool)> {
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
pub(super) fn fts_query(input: &str) -> Option<String> {
    Query::parse(input).map(|q| q.fts(None))
}

/// A prefix longer than the index's prefix indexes: its candidates come from
/// its first letters, and a candidate stays when one of its words starts
/// with the whole prefix.
pub(super) struct LongPrefix {
    pub(super) folded: String,
    /// Candidates read in vain so far; past [`VERIFY_BUDGET`] the search asks FTS5.
    pub(super) checked: usize,
}

impl LongPrefix {
    pub(super) fn holds(&mut self, texts: &[&str]) -> bool {
        let holds = texts
            .iter()
            .any(|text| words(text).any(|(_, w)| word_matches(w, &self.folded, true)));
        if !holds {
            self.checked += 1;
        }
        holds
    }

    pub(super) fn spent(&self) -> bool {
        self.checked > VERIFY_BUDGET
    }
}
