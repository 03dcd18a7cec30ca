//! The app's own settings, kept in the cache's `meta` table: they belong to
//! this computer, not to an account, and survive signing out.

use crate::{Core, CoreError, Result};

/// Meta key of the language the user chose (absent: the system's).
const LANGUAGE: &str = "ui_language";

/// The longest language tag kept (BCP 47 tags in practice stay far below).
const MAX_TAG: usize = 35;

/// Whether `tag` looks like a BCP 47 language tag ("sl", "pt-BR", "zh-Hant-TW").
fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= MAX_TAG
        && tag.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
        && tag
            .split('-')
            .next()
            .is_some_and(|first| first.len() >= 2 && first.chars().all(|c| c.is_ascii_alphabetic()))
}

impl Core {
    /// The language the user chose in the app, or `None` to follow the system.
    pub async fn language(&self) -> Result<Option<String>> {
        Ok(self
            .cache()
            .meta(LANGUAGE)
            .await?
            .filter(|tag| is_language_tag(tag)))
    }

    /// Keeps the user's choice of language; `None` goes back to the system's.
    pub async fn set_language(&self, tag: Option<&str>) -> Result<()> {
        match tag.map(str::trim) {
            Some(tag) if is_language_tag(tag) => {
                self.cache().set_meta(LANGUAGE, tag.to_owned()).await
            }
            Some(tag) => Err(CoreError::Invalid(format!("{tag:?} is not a language tag"))),
            None => {
                self.cache()
                    .call(|c| {
                        c.execute("DELETE FROM meta WHERE key = ?1", [LANGUAGE])?;
                        Ok(())
                    })
                    .await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in ["en", "sl", "pt-BR", "zh-Hant-TW", "cs-CZ"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "e",
            "1x",
            "en--GB",
            "en_GB",
            "<script>",
            "en-toolongpart",
            "é",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
