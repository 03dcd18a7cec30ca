//! The real app window, driven through tauri-driver over WebDriver.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::process::{Guarded, TauriDriver, start_tauri_driver_with_env, workspace_binary};

/// How long to wait for something to appear in the window.
pub const WAIT: Duration = Duration::from_secs(20);

/// One running app (its own tauri-driver, WebKitWebDriver and data directory).
pub struct AppWindow {
    pub client: Client,
    data_dir: tempfile::TempDir,
    /// Found once the session is up: a process that has quit by itself can
    /// no longer be looked up by its parent.
    pid: u32,
    driver: Guarded,
}

impl AppWindow {
    /// Launches the app pointed at `server_url`, with a fresh data directory.
    pub async fn launch(server_url: &str) -> Result<Self> {
        Self::launch_with_data_dir(server_url, tempfile::tempdir()?).await
    }

    /// Launches the app on an existing data directory (one a previous window
    /// gave back with [`AppWindow::crash`]): the app restarted.
    pub async fn launch_with_data_dir(
        server_url: &str,
        data_dir: tempfile::TempDir,
    ) -> Result<Self> {
        Self::launch_with(server_url, data_dir, &[]).await
    }

    /// Launches the app with variables added to its environment (the
    /// `DESKMATE_E2E_*` stand-ins for native dialogs, see src-tauri's pickers).
    pub async fn launch_with_env(server_url: &str, env: &[(&str, &str)]) -> Result<Self> {
        Self::launch_with(server_url, tempfile::tempdir()?, env).await
    }

    /// Launches the app with `DESKMATE_LIVE_ONLY=1`: the core never pulls on a
    /// clock of its own and the window never polls, so whatever the window
    /// shows of a change on the server came through the live event stream. A
    /// test waiting for an agent's answer this way fails when the stream is cut.
    pub async fn launch_live_only(server_url: &str) -> Result<Self> {
        Self::launch_with_env(server_url, &[("DESKMATE_LIVE_ONLY", "1")]).await
    }

    /// Launches the app on `data_dir` with variables added to its
    /// environment (a `HOME` of its own, say).
    pub async fn launch_with(
        server_url: &str,
        data_dir: tempfile::TempDir,
        env: &[(&str, &str)],
    ) -> Result<Self> {
        let app = workspace_binary("deskmate-app", "DESKMATE_APP_BIN")?;
        if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
            bail!("no display: run the end-to-end tests through `make e2e` (Xvfb)");
        }
        let TauriDriver {
            process: driver,
            port,
            ..
        } = start_tauri_driver_with_env(Stdio::inherit(), env)?;
        let client = connect(port, &app, data_dir.path(), server_url).await?;
        let pid = app_pid(driver.id(), &app)?;
        Ok(Self {
            client,
            data_dir,
            pid,
            driver,
        })
    }

    /// Kills the app process with SIGKILL, as a crash or a power cut of the
    /// process would (nothing runs on the way out), and gives back its data
    /// directory for [`AppWindow::launch_with_data_dir`].
    pub async fn crash(self) -> Result<tempfile::TempDir> {
        let pid = self.pid;
        let killed = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .context("running kill")?;
        if !killed.success() {
            bail!("kill -KILL {pid} failed");
        }
        self.gone(pid).await
    }

    /// The app's process id.
    pub fn pid(&self) -> Result<u32> {
        Ok(self.pid)
    }

    /// Waits until the app ended by itself (Quit in its tray menu, its last
    /// window closed) and gives back its data directory.
    pub async fn wait_for_exit(self) -> Result<tempfile::TempDir> {
        let pid = self.pid;
        self.gone(pid).await
    }

    /// Waits until process `pid` (the app's) is gone, then lets go of its
    /// session and driver.
    async fn gone(self, pid: u32) -> Result<tempfile::TempDir> {
        let deadline = Instant::now() + WAIT;
        while is_running(pid) {
            if Instant::now() > deadline {
                bail!("the app (pid {pid}) still runs");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The session died with the app; the driver goes when dropped.
        let Self {
            client,
            data_dir,
            driver,
            ..
        } = self;
        drop(client);
        drop(driver);
        Ok(data_dir)
    }

    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// The first element matching `css`, waiting up to [`WAIT`] for it.
    pub async fn find(&self, css: &str) -> Result<Element> {
        crate::page::find(&self.client, css, WAIT).await
    }

    /// All elements matching `css` (possibly none), without waiting.
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    /// Waits up to [`WAIT`] until `check` over the texts of all `css` matches holds.
    pub async fn wait_for_texts(
        &self,
        css: &str,
        what: &str,
        check: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>> {
        self.wait_for_texts_within(css, what, WAIT, check).await
    }

    /// [`Self::wait_for_texts`] with its own time limit, for what the app does
    /// on a timer (retrying the outbox, polling for replies).
    pub async fn wait_for_texts_within(
        &self,
        css: &str,
        what: &str,
        within: Duration,
        check: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>> {
        crate::page::wait_for_texts(&self.client, css, what, within, check).await
    }

    /// Replaces the value of the input `css` with `text`, as a user typing
    /// (a line break is the Enter key).
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        crate::page::type_into(&self.client, css, text, WAIT).await
    }

    /// Sets the value of a date or time input `css` the way the browser does
    /// when the user picks one (WebKit's pickers take no typed keys), firing
    /// the `input` and `change` events the page listens to.
    pub async fn set_value(&self, css: &str, value: &str) -> Result<()> {
        let field = self.find(css).await?;
        let element = serde_json::to_value(&field)?;
        self.client
            .execute(
                "const [el, value] = arguments;
                 const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
                 setter.call(el, value);
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![element, json!(value)],
            )
            .await?;
        Ok(())
    }

    /// Picks the `<option>` with `value` in the select `css`.
    pub async fn select(&self, css: &str, value: &str) -> Result<()> {
        let select = self.find(css).await?;
        select.select_by_value(value).await?;
        Ok(())
    }

    /// Clicks the first `css` match, scrolled to the middle of the view
    /// first: WebKitWebDriver scrolls an element only to the view's edge, and
    /// a button on the last rows of the window under Xvfb gets its mouse
    /// down and up but no click.
    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self.find(css).await?;
        self.client
            .execute(
                "document.querySelector(arguments[0])?.scrollIntoView({block: 'center'});",
                vec![serde_json::Value::from(css)],
            )
            .await?;
        element.click().await?;
        Ok(())
    }

    /// The visible text of the whole page.
    pub async fn page_text(&self) -> Result<String> {
        let text = self.execute("return document.body.innerText").await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Runs `script` in the page and returns what it returns.
    pub async fn execute(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(script, Vec::new()).await?)
    }

    /// Opens the new-ticket form and fills what every ticket has; the caller
    /// adds the guided answers it wants and submits with `#new-ticket-submit`.
    pub async fn start_ticket(
        &self,
        department: &str,
        priority: &str,
        subject: &str,
        body: &str,
    ) -> Result<()> {
        self.click("#new-ticket-button").await?;
        self.select("#department", department).await?;
        self.select("#priority", priority).await?;
        self.type_into("#subject", subject).await?;
        self.type_into("#body", body).await
    }

    /// Fills the sign-in form and submits it.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<()> {
        self.find("form#sign-in").await?;
        self.type_into("#email", email).await?;
        self.type_into("#password", password).await?;
        self.click("#sign-in-submit").await
    }

    /// Closes the WebDriver session (and with it the app).
    pub async fn close(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

async fn connect(port: u16, app: &PathBuf, data_dir: &Path, server_url: &str) -> Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        json!({
            "application": app,
            "args": ["--data-dir", data_dir, "--server-url", server_url],
        }),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        // tauri-driver listens on plain HTTP on loopback: no TLS stack needed.
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return Ok(client),
            Err(e) if Instant::now() < deadline => {
                eprintln!("WebDriver session not ready yet: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => return Err(e).context("starting the app over WebDriver"),
        }
    }
}

/// The pid of the process running `app` among the descendants of `ancestor`
/// (tauri-driver starts WebKitWebDriver, which starts the app).
fn app_pid(ancestor: u32, app: &Path) -> Result<u32> {
    let want = std::fs::canonicalize(app).unwrap_or_else(|_| app.to_owned());
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        // `pid (comm) state ppid ...`: comm may hold spaces, split after the last `)`.
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let ppid = stat
            .rfind(')')
            .and_then(|close| stat.get(close + 1..))
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parents.push((pid, ppid));
        }
    }
    let mut family = vec![ancestor];
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        family.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    family
        .into_iter()
        .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|e| e == want))
        .with_context(|| format!("no process runs {} under pid {ancestor}", app.display()))
}

pub fn is_running(pid: u32) -> bool {
    // A killed child stays a zombie until its parent reaps it: that is gone too.
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .and_then(|close| stat.get(close + 1..))
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X")
    })
}
