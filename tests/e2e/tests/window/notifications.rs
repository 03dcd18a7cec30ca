//! Desktop notifications from the real app in a D-Bus session, observed as
//! the real `org.freedesktop.Notifications.Notify` calls it makes
//! (`dbus-monitor`; dunst answers them): an agent's reply is told, titled
//! with its ticket; a muted kind and the user's own reply are not; quiet
//! hours hold a reply and the summary follows; a restart repeats nothing;
//! a second launch with `deskmate://ticket/<id>` shows that ticket in the
//! running window. The first launch opens signed in by `deskmate login` on
//! the same data directory. One server, two launches of the app.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Timelike;
use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess, WAIT, workspace_binary};
use reqwest::Method;
use serde_json::json;
use tokio::io::AsyncBufReadExt;

const USER: &str = "user@acme.example";
const AGENT: &str = "agent@provider.example";

/// `dbus-monitor` watching every `Notify` call on the session bus.
struct Monitor {
    _child: tokio::process::Child,
    text: Arc<Mutex<String>>,
}

impl Monitor {
    async fn start() -> Self {
        let mut child = tokio::process::Command::new("dbus-monitor")
            .arg("interface='org.freedesktop.Notifications',member='Notify'")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("dbus-monitor (apt dbus) in a D-Bus session (scripts/with-session.sh)");
        let text = Arc::new(Mutex::new(String::new()));
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let kept = Arc::clone(&text);
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let mut text = kept.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        // It prints its own NameAcquired signal once it listens.
        let monitor = Self {
            _child: child,
            text,
        };
        monitor
            .wait_for_text("monitor listening", "NameAcquired")
            .await;
        monitor
    }

    /// The `Notify` calls seen so far, each as the text dbus-monitor printed.
    fn calls(&self) -> Vec<String> {
        let text = self.text.lock().unwrap().clone();
        text.split("method call")
            .filter(|block| block.contains("member=Notify"))
            .map(str::to_owned)
            .collect()
    }

    async fn wait_for_text(&self, what: &str, needle: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.text.lock().unwrap().contains(needle) {
            assert!(Instant::now() < deadline, "{what}: not within {WAIT:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for a `Notify` call containing every one of `parts`.
    async fn wait_for_call(&self, parts: &[&str]) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(call) = self
                .calls()
                .into_iter()
                .find(|c| parts.iter().all(|p| c.contains(p)))
            {
                return call;
            }
            assert!(
                Instant::now() < deadline,
                "no Notify with {parts:?} within {WAIT:?}; seen: {:#?}",
                self.calls()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Sets the notification settings through the window's own command.
async fn set_notify_settings(app: &AppWindow, settings: serde_json::Value) {
    let script = format!(
        "return window.__TAURI_INTERNALS__.invoke('set_notify_settings', {{ args: {{ settings: {settings} }} }});"
    );
    app.execute(&script).await.unwrap();
}

/// Waits until the app's cache holds a notification in `state` whose key starts with `prefix`.
async fn cached_notification(app: &AppWindow, prefix: &str, state: &str) {
    let path = app.data_dir().join(deskmate_core::cache::FILE_NAME);
    let cache = deskmate_core::cache::Cache::open(path).await.unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        let (like, wanted) = (format!("{prefix}%"), state.to_owned());
        let found: bool = cache
            .call(move |c| {
                Ok(c.query_row(
                    "SELECT EXISTS (SELECT 1 FROM notifications WHERE key LIKE ?1 AND state = ?2)",
                    [like, wanted],
                    |r| r.get(0),
                )?)
            })
            .await
            .unwrap();
        if found {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no {prefix} notification {state}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the app kept notification settings containing `part`.
async fn cached_setting(app: &AppWindow, part: &str) {
    let path = app.data_dir().join(deskmate_core::cache::FILE_NAME);
    let cache = deskmate_core::cache::Cache::open(path).await.unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        let kept = cache
            .meta("notify_settings")
            .await
            .unwrap()
            .unwrap_or_default();
        if kept.contains(part) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "settings {part:?} not kept: {kept}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_reach_the_desktop_once_and_a_link_opens_its_ticket() {
    let server = ServerProcess::start_demo().unwrap();
    let monitor = Monitor::start().await;
    let agent = server.api_as(AGENT, DEMO_PASSWORD).await.unwrap();
    let laptop = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let tickets = laptop.tickets().await.unwrap();
    let (id, subject) = (
        tickets[0]["id"].as_i64().unwrap(),
        tickets[0]["subject"].as_str().unwrap().to_owned(),
    );
    let other = tickets[1]["id"].as_i64().unwrap();
    let reply = |body: &'static str| {
        let agent = &agent;
        async move {
            agent
                .send(
                    Method::POST,
                    &format!("/api/v1/tickets/{id}/messages"),
                    json!({ "body": body }),
                )
                .await
                .unwrap();
        }
    };

    // Signed in by the CLI on the data directory the app then opens: the
    // same cache layout and keyring entry, so the window opens signed in.
    let data_dir = tempfile::tempdir().unwrap();
    let login =
        tokio::process::Command::new(workspace_binary("deskmate", "DESKMATE_CLI_BIN").unwrap())
            .arg("--data-dir")
            .arg(data_dir.path())
            .args(["login", "--server", &server.url, "--email", USER])
            .env("DESKMATE_PASSWORD", DEMO_PASSWORD)
            .status()
            .await
            .unwrap();
    assert!(login.success(), "deskmate login: {login}");
    let app = AppWindow::launch_with_data_dir(&server.url, data_dir)
        .await
        .unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();

    // An agent's reply: a real Notify, titled with the ticket.
    reply("First answer from the desk.").await;
    monitor
        .wait_for_call(&[&format!("#{id} {subject}"), "First answer from the desk."])
        .await;

    // Muted replies and the user's own reply from another computer: nothing.
    // The announcement after them is told, so they were looked at first.
    app.click("#nav-settings").await.unwrap();
    app.click("[data-testid=notify-kind-reply]").await.unwrap();
    cached_setting(&app, "\"muted\":[\"reply\"]").await;
    reply("A muted answer.").await;
    laptop
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            json!({ "body": "Written on my laptop." }),
        )
        .await
        .unwrap();
    cached_notification(&app, "reply:", "muted").await;
    agent
        .send(
            Method::POST,
            "/api/v1/announcements",
            json!({"kind": "announcement", "title": "Office closed on Friday",
                   "body": "Back on Monday.", "affected_services": [],
                   "starts_at": null, "ends_at": null, "organisation_id": null}),
        )
        .await
        .unwrap();
    monitor.wait_for_call(&["Office closed on Friday"]).await;

    // Quiet hours around now: the reply waits, and the summary follows them.
    let hour = chrono::Utc::now().hour();
    set_notify_settings(
        &app,
        json!({ "quietHours": { "from": format!("{hour:02}:00"), "to": format!("{:02}:00", (hour + 1) % 24) },
                "timeZone": "UTC" }),
    )
    .await;
    reply("An answer in the quiet hours.").await;
    cached_notification(&app, "reply:", "held").await;
    set_notify_settings(&app, json!({})).await;
    monitor
        .wait_for_call(&["Notifications that waited: 1", "Replies: 1"])
        .await;

    // A restart (even a crash) and the reconnect repeat nothing; the next
    // reply is told.
    let data_dir = app.crash().await.unwrap();
    let app = AppWindow::launch_with_data_dir(&server.url, data_dir)
        .await
        .unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    reply("After the restart.").await;
    monitor.wait_for_call(&["After the restart."]).await;
    let calls = monitor.calls();
    assert_eq!(calls.len(), 4, "each told once: {calls:#?}");
    for never in [
        "A muted answer.",
        "Written on my laptop.",
        "An answer in the quiet hours.",
    ] {
        assert!(
            !calls.iter().any(|c| c.contains(never)),
            "{never}: {calls:#?}"
        );
    }

    // A second launch with a link: it hands the link to the running window
    // (the same data directory is the same instance) and exits.
    let second =
        tokio::process::Command::new(workspace_binary("deskmate-app", "DESKMATE_APP_BIN").unwrap())
            .arg("--data-dir")
            .arg(app.data_dir())
            .arg(format!("deskmate://ticket/{other}"))
            .stdout(Stdio::null())
            .status();
    let status = tokio::time::timeout(WAIT, second).await.unwrap().unwrap();
    assert!(status.success(), "the second launch exits: {status}");
    app.find(&format!(
        "[data-testid=ticket-detail][data-ticket-id='{other}']"
    ))
    .await
    .unwrap();
    // Closed, not left running: a window left on the display takes the
    // keyboard focus from the windows of the tests after this one.
    app.close().await.unwrap();
}
