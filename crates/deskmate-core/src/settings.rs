//! The app's own settings, kept in the cache's `meta` table: they belong to
//! this computer, not to an account, and survive signing out.

use crate::{Core, CoreError, Result};

/// Meta key of the language the user chose (absent: the system's).
const LANGUAGE: &str = "ui_language";

/// Meta key of close-to-tray ("0": closing the window quits; absent: on).
const CLOSE_TO_TRAY: &str = "close_to_tray";

/// Meta key set once the user was told that closing the window kept the app
/// in the tray.
const CLOSE_EXPLAINED: &str = "close_to_tray_explained";

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

impl Core {
    /// Whether closing the window keeps the app in the tray (on unless the
    /// user turned it off).
    pub async fn close_to_tray(&self) -> Result<bool> {
        Ok(self.cache().meta(CLOSE_TO_TRAY).await?.as_deref() != Some("0"))
    }

    /// Keeps the user's choice of close-to-tray.
    pub async fn set_close_to_tray(&self, on: bool) -> Result<()> {
        let value = if on { "1" } else { "0" };
        self.cache().set_meta(CLOSE_TO_TRAY, value.to_owned()).await
    }

    /// Whether the user was already told that closing the window keeps the
    /// app in the tray.
    pub async fn close_explained(&self) -> Result<bool> {
        Ok(self.cache().meta(CLOSE_EXPLAINED).await?.is_some())
    }

    /// Remembers that the user was told: it is not told again.
    pub async fn set_close_explained(&self) -> Result<()> {
        self.cache().set_meta(CLOSE_EXPLAINED, "1".to_owned()).await
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
