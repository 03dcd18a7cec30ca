//! Waiting on a WebDriver page, for the app's window and the browser alike:
//! an element to appear, texts to read as expected, each within a deadline.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, Locator, elements::Element};

/// The first element matching `css`, waiting up to `within` for it.
pub(crate) async fn find(client: &Client, css: &str, within: Duration) -> Result<Element> {
    let deadline = Instant::now() + within;
    loop {
        if let Ok(e) = client.find(Locator::Css(css)).await {
            return Ok(e);
        }
        if Instant::now() > deadline {
            bail!("`{css}` did not appear within {within:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits up to `within` until `check` over the texts of all `css` matches holds.
pub(crate) async fn wait_for_texts(
    client: &Client,
    css: &str,
    what: &str,
    within: Duration,
    check: impl Fn(&[String]) -> bool,
) -> Result<Vec<String>> {
    let deadline = Instant::now() + within;
    loop {
        let mut texts = Vec::new();
        for e in client.find_all(Locator::Css(css)).await? {
            // An element can go stale while the list re-renders; read again then.
            if let Ok(t) = e.text().await {
                texts.push(t);
            }
        }
        if check(&texts) {
            return Ok(texts);
        }
        if Instant::now() > deadline {
            bail!("{what}: `{css}` texts were {texts:?} after {within:?}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Replaces the value of the input `css` with `text`, as a user typing
/// (a line break is the Enter key).
pub(crate) async fn type_into(
    client: &Client,
    css: &str,
    text: &str,
    within: Duration,
) -> Result<()> {
    let field = find(client, css, within).await?;
    field.clear().await?;
    let keys: String = text
        .chars()
        .map(|c| {
            if c == '\n' {
                char::from(fantoccini::key::Key::Enter)
            } else {
                c
            }
        })
        .collect();
    field.send_keys(&keys).await?;
    Ok(())
}

/// Presses and releases `key` on whatever has the focus.
pub(crate) async fn press(client: &Client, value: char) -> Result<()> {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value })
        .then(KeyAction::Up { value });
    client.perform_actions(keys).await?;
    Ok(())
}
