//! The keyboard alone: WebDriver key actions on the real window, and what the
//! focus looks like after each key.

use anyhow::{Result, bail};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde::Deserialize;

use crate::AppWindow;

/// The most Tab presses [`AppWindow::tab_until`] tries before giving up.
const MAX_TABS: usize = 80;

/// The element that has the keyboard focus, as the page sees it.
#[derive(Debug, Clone, Deserialize)]
pub struct Focused {
    pub tag: String,
    pub id: String,
    pub text: String,
    /// Whether the condition given to [`AppWindow::tab_until`] holds for it.
    pub matches: bool,
    /// An outline of at least 2 px or a box shadow is drawn around it.
    pub visible: bool,
}

/// Describes `document.activeElement`; it matches when it matches the CSS
/// selector `arguments[0]` and, unless `arguments[1]` is null, its text is that.
/// (No `eval`: the window's content security policy may forbid it.)
const FOCUSED: &str = "const el = document.activeElement || document.body;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id || '',
      text: (el.innerText || el.value || '').trim().slice(0, 80),
      matches: el.matches(arguments[0])
        && (arguments[1] === null || (el.textContent || '').trim() === arguments[1]),
      visible: Boolean(outline || shadow),
    };";

impl AppWindow {
    /// Presses and releases `key` (a character or a [`Key`]) on whatever has the focus.
    pub async fn press(&self, key: impl Into<char>) -> Result<()> {
        crate::page::press(&self.client, key.into()).await
    }

    /// Types `text` key by key into whatever has the focus.
    pub async fn type_keys(&self, text: &str) -> Result<()> {
        let mut keys = KeyActions::new("keyboard".into());
        for value in text.chars() {
            keys = keys
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client.perform_actions(keys).await?;
        Ok(())
    }

    /// What has the focus, and whether it matches `css` (and has the `text`).
    pub async fn focused(&self, css: &str, text: Option<&str>) -> Result<Focused> {
        let value = self
            .client
            .execute(FOCUSED, vec![css.into(), text.into()])
            .await?;
        Ok(serde_json::from_value(value)?)
    }

    /// Presses Tab until the focused element matches `css` (and has the
    /// `text`). Fails when it is not reached, or when any element the focus
    /// passes on the way shows no focus ring.
    pub async fn tab_until(&self, css: &str, text: Option<&str>) -> Result<Focused> {
        let mut path = Vec::new();
        for _ in 0..MAX_TABS {
            self.press(Key::Tab).await?;
            let focused = self.focused(css, text).await?;
            if focused.tag != "body" && !focused.visible {
                bail!(
                    "the focus on <{} id={:?}> {:?} is not visible (after {path:?})",
                    focused.tag,
                    focused.id,
                    focused.text
                );
            }
            if focused.matches {
                return Ok(focused);
            }
            path.push(format!("{}#{}", focused.tag, focused.id));
        }
        bail!("Tab never reached `{css}` {text:?}; it went through {path:?}")
    }

    /// [`Self::tab_until`] the element with this id.
    pub async fn tab_to(&self, id: &str) -> Result<Focused> {
        self.tab_until(&format!("#{id}"), None).await
    }
}
