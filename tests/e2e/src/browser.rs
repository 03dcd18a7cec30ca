//! A real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! installed by scripts/setup.sh) driven over WebDriver, for the agent
//! console that deskmate-server serves at `/agent/`.

use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::WAIT;
use crate::process::{Guarded, free_port, wait_for_port};

/// One browser: its chromedriver and a WebDriver session in it.
pub struct Browser {
    pub client: Client,
    _driver: Guarded,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium in it.
    pub async fn launch() -> Result<Self> {
        let port = free_port()?;
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context(
                "starting chromedriver (apt chromium-driver, installed by scripts/setup.sh)",
            )?;
        let mut driver = Guarded::new(child, "chromedriver");
        wait_for_port(
            port,
            Duration::from_secs(20),
            driver.child_mut(),
            "chromedriver",
        )?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-GB",
                ],
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("starting headless Chromium over WebDriver")?;
        Ok(Self {
            client,
            _driver: driver,
        })
    }

    pub async fn goto(&self, url: &str) -> Result<()> {
        Ok(self.client.goto(url).await?)
    }

    /// The first element matching `css`, waiting up to [`WAIT`] for it.
    pub async fn find(&self, css: &str) -> Result<Element> {
        crate::page::find(&self.client, css, WAIT).await
    }

    /// Waits up to [`WAIT`] until `check` over the texts of all `css` matches holds.
    pub async fn wait_for_texts(
        &self,
        css: &str,
        what: &str,
        check: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>> {
        crate::page::wait_for_texts(&self.client, css, what, WAIT, check).await
    }

    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        crate::page::type_into(&self.client, css, text, WAIT).await
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        self.find(css).await?.click().await?;
        Ok(())
    }

    /// Presses and releases `key` on whatever has the focus.
    pub async fn press(&self, key: impl Into<char>) -> Result<()> {
        crate::page::press(&self.client, key.into()).await
    }

    /// Opens the console at `server_url` and signs in as `email` with the
    /// demo password; returns once the queue is drawn.
    pub async fn sign_in_to_console(&self, server_url: &str, email: &str) -> Result<()> {
        self.goto(&format!("{server_url}/agent/")).await?;
        self.type_into("#email", email).await?;
        self.type_into("#password", crate::DEMO_PASSWORD).await?;
        self.click("button[type=submit]").await?;
        self.find("#queue tbody tr").await?;
        Ok(())
    }

    /// Presses `key` while holding `modifier` (Ctrl+Enter).
    pub async fn chord(&self, modifier: Key, key: Key) -> Result<()> {
        let (modifier, key) = (char::from(modifier), char::from(key));
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: modifier })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: modifier });
        self.client.perform_actions(keys).await?;
        Ok(())
    }

    /// Waits up to [`WAIT`] until `script` returns `true` in the page.
    pub async fn wait_until(&self, script: &str, what: &str) -> Result<()> {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            if self.execute(script).await? == serde_json::Value::Bool(true) {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                anyhow::bail!("{what}: `{script}` was not true within {WAIT:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs `script` in the page and returns what it returns.
    pub async fn execute(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(script, Vec::new()).await?)
    }

    /// Saves what the browser shows as a PNG.
    pub async fn screenshot(&self, path: &std::path::Path) -> Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// Ends the WebDriver session (and the browser).
    pub async fn close(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}
