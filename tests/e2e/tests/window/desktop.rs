//! The app's life on a desktop with a tray (a real StatusNotifierWatcher on
//! the session bus, its menu clicked over D-Bus as a tray host does):
//! closing the window (WM_DELETE_WINDOW, as the close button sends it) keeps
//! the app running in the tray, told once; the tray's Open brings the window
//! back and its Quit quits; Start at login writes and removes the XDG
//! autostart entry under the app's HOME; the window's size survives a
//! restart, kept in the data directory. Without a tray, Settings says why
//! and closing the window quits.

use std::time::{Duration, Instant};

use deskmate_e2e::tray_host::{TrayHost, request_close, resize, x_window};
use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess, WAIT, is_running};
use serde_json::Value;

const USER: &str = "user@acme.example";

/// Waits until `script` run in the page returns `want`.
async fn wait_js(app: &AppWindow, script: &str, want: Value) {
    let deadline = Instant::now() + WAIT;
    loop {
        let got = app.execute(script).await.unwrap();
        if got == want {
            return;
        }
        assert!(Instant::now() < deadline, "{script}: {got} not {want}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until `check` holds for the file at `path` (its text, `None`: absent).
async fn wait_file(path: &std::path::Path, what: &str, check: impl Fn(Option<&str>) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        let text = std::fs::read_to_string(path).ok();
        if check(text.as_deref()) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: {text:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn open_settings(app: &AppWindow) {
    app.click("#nav-settings").await.unwrap();
    app.find("[data-testid=desktop-settings] [data-testid=close-to-tray]")
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_closes_to_the_tray_starts_at_login_and_keeps_its_size() {
    let server = ServerProcess::start_demo().unwrap();
    let home = tempfile::tempdir().unwrap();
    let home_var = home.path().to_str().unwrap().to_owned();
    let env = [("HOME", home_var.as_str())];
    let tray = TrayHost::start().await.unwrap();
    let app = AppWindow::launch_with(&server.url, tempfile::tempdir().unwrap(), &env)
        .await
        .unwrap();
    let pid = app.pid().unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();

    // Settings: close-to-tray on by default, offered (there is a tray).
    open_settings(&app).await;
    let close_to_tray = "return (e => [e.checked, e.disabled])(document.querySelector('[data-testid=close-to-tray]'))";
    wait_js(&app, close_to_tray, serde_json::json!([true, false])).await;

    // Start at login: opt-in, a real XDG autostart entry starting this data directory.
    let entry = home.path().join(".config/autostart/Deskmate.desktop");
    assert!(!entry.exists(), "off by default");
    app.click("[data-testid=start-at-login]").await.unwrap();
    let data_dir = std::fs::canonicalize(app.data_dir()).unwrap();
    let exec = format!("--data-dir {}", data_dir.display());
    wait_file(&entry, "the autostart entry", |t| {
        t.is_some_and(|t| t.contains("[Desktop Entry]") && t.contains(&exec))
    })
    .await;
    app.click("[data-testid=start-at-login]").await.unwrap();
    wait_file(&entry, "the entry removed", |t| t.is_none()).await;

    // A size of the user's own.
    let window = x_window(pid, "Deskmate").unwrap();
    resize(&window, 900, 640).unwrap();
    wait_js(
        &app,
        "return [window.innerWidth, window.innerHeight]",
        serde_json::json!([900, 640]),
    )
    .await;

    // The close button: the window goes, the app stays, told once.
    request_close(&window).unwrap();
    wait_js(&app, "return document.visibilityState", "hidden".into()).await;
    assert!(is_running(pid), "the app runs on in the tray");
    let cache =
        deskmate_core::cache::Cache::open(app.data_dir().join(deskmate_core::cache::FILE_NAME))
            .await
            .unwrap();
    let deadline = Instant::now() + WAIT;
    while cache
        .meta("close_to_tray_explained")
        .await
        .unwrap()
        .is_none()
    {
        assert!(Instant::now() < deadline, "the explanation was not given");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(cache);

    // The tray's Open brings it back; its Quit quits (saving the window's state).
    tray.click(pid, "Open Deskmate").await.unwrap();
    wait_js(&app, "return document.visibilityState", "visible".into()).await;
    tray.click(pid, "Quit").await.unwrap();
    let data_dir = app.wait_for_exit().await.unwrap();
    assert!(
        data_dir.path().join("window-state.json").is_file(),
        "the window's state is kept in the data directory"
    );

    // No tray on this desktop now: the same size, Settings says why, and
    // closing the window quits.
    tray.stop().await.unwrap();
    let app = AppWindow::launch_with(&server.url, data_dir, &env)
        .await
        .unwrap();
    let pid = app.pid().unwrap();
    wait_js(
        &app,
        "return [window.innerWidth, window.innerHeight]",
        serde_json::json!([900, 640]),
    )
    .await;
    app.find("[data-testid=ticket-row]").await.unwrap();
    open_settings(&app).await;
    wait_js(&app, close_to_tray, serde_json::json!([true, true])).await;
    let hint = app.find("[data-testid=close-to-tray-hint]").await.unwrap();
    assert!(
        hint.text().await.unwrap().contains("no tray icons"),
        "Settings says why"
    );
    request_close(&x_window(pid, "Deskmate").unwrap()).unwrap();
    app.wait_for_exit().await.unwrap();
}
