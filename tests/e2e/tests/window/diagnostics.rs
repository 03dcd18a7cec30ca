//! What leaves the machine, in the real window: "Attach diagnostics" shows
//! the text that will be attached, a section unticked is left out, and the
//! helpdesk stores exactly the text shown, byte for byte (fetched back over
//! HTTP); a log with secrets in it is offered scrubbed, and only the
//! scrubbed copy reaches the helpdesk.
//!
//! The native file dialog cannot be driven over WebDriver: the app is
//! started with `DESKMATE_E2E_PICK` (see src-tauri/src/pickers.rs).

use deskmate_core::diagnostics::{ScrubOptions, scrub};
use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};

const USER: &str = "user@acme.example";

/// A log the user attaches, with a password and a token in it.
const LOG: &str = "2026-12-04 09:12:01 sync started for jana\n\
    2026-12-04 09:12:02 POST /login password=Sunflower42 user=jana\n\
    2026-12-04 09:12:03 Authorization: Bearer Zx9QmV4r7TqY2pLw8sNk3bHc\n\
    2026-12-04 09:12:04 sync failed: 502 Bad Gateway\n";

/// The text the window shows as the diagnostics to attach.
async fn shown_text(app: &AppWindow) -> String {
    let value = app
        .execute(
            "const pre = document.querySelector('[data-testid=diagnostics-text]');
             return pre ? pre.textContent : null;",
        )
        .await
        .unwrap();
    value.as_str().unwrap_or_default().to_owned()
}

/// Waits until the shown diagnostics satisfy `check`.
async fn wait_for_shown(app: &AppWindow, what: &str, check: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + deskmate_e2e::WAIT;
    loop {
        let text = shown_text(app).await;
        if check(&text) {
            return text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: the diagnostics shown are {text:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_are_sent_as_shown_and_a_log_only_scrubbed() {
    let server = ServerProcess::start_demo().unwrap();
    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let files = tempfile::tempdir().unwrap();
    let log_path = files.path().join("sync.log");
    std::fs::write(&log_path, LOG).unwrap();

    let app = AppWindow::launch_with_env(
        &server.url,
        &[("DESKMATE_E2E_PICK", log_path.to_str().unwrap())],
    )
    .await
    .unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    let subject = "Mail sync fails with 502 since this morning";
    app.start_ticket(
        "technical",
        "regular",
        subject,
        "The sync log and the diagnostics are attached.",
    )
    .await
    .unwrap();

    // The log holds secrets: offered scrubbed, not attached until answered.
    app.click("#new-ticket-attach").await.unwrap();
    let offer = app
        .wait_for_texts("[data-testid=scrub-offer]", "the scrub offer", |t| {
            t.len() == 1
        })
        .await
        .unwrap();
    assert!(offer[0].contains("sync.log"), "{offer:?}");
    let expected = scrub(
        LOG,
        &ScrubOptions {
            own_email: Some(USER.to_owned()),
            ip_addresses: false,
        },
    );
    let kinds = app
        .execute(
            "return [...document.querySelectorAll('[data-testid=scrub-removed] li')]
                 .map((li) => li.dataset.kind);",
        )
        .await
        .unwrap();
    let expected_kinds: Vec<String> = expected
        .removed
        .keys()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds, serde_json::json!(expected_kinds));
    assert!(expected.total_removed() >= 2, "{expected:?}");
    assert!(
        app.find_all("[data-testid=chosen-file]")
            .await
            .unwrap()
            .is_empty()
    );
    app.click("[data-testid=scrub-accept]").await.unwrap();
    app.wait_for_texts("[data-testid=chosen-name]", "the scrubbed copy", |t| {
        t == ["sync.log"]
    })
    .await
    .unwrap();

    // The diagnostics: every section first, then one unticked.
    app.click("[data-testid=diagnostics-attach]").await.unwrap();
    wait_for_shown(&app, "all sections", |t| {
        t.starts_with("== System ==\n") && t.contains("\n== Display ==\n")
    })
    .await;
    app.click("[data-testid=diagnostics-section-display]")
        .await
        .unwrap();
    let shown = wait_for_shown(&app, "without the display", |t| {
        t.starts_with("== System ==\n") && !t.contains("== Display ==")
    })
    .await;
    assert!(shown.contains("== Deskmate's recent log ==\n"), "{shown}");
    // The app's own log file, written since it started.
    assert!(shown.contains("opening the local cache"), "{shown}");
    assert!(
        shown.contains(&format!("Helpdesk: {}", server.url)),
        "{shown}"
    );

    app.click("#new-ticket-submit").await.unwrap();
    app.wait_for_texts("[data-testid=ticket-subject]", "the new ticket", |t| {
        t.first().map(String::as_str) == Some(subject)
    })
    .await
    .unwrap();

    let (id, detail) = api.filed_once(subject).await.unwrap();
    let attachments = detail["attachments"].as_array().unwrap();
    let names: Vec<_> = attachments
        .iter()
        .map(|a| a["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["sync.log", "diagnostics.txt"], "{detail}");
    let paths: Vec<String> = attachments
        .iter()
        .map(|a| format!("/api/v1/tickets/{id}/attachments/{}", a["id"]))
        .collect();

    // Byte for byte what was shown, without the unticked section.
    let diagnostics = api.download(&paths[1]).await.unwrap();
    assert!(
        diagnostics == shown.as_bytes(),
        "the attached diagnostics differ from those shown:\n{}",
        String::from_utf8_lossy(&diagnostics)
    );
    assert!(!String::from_utf8_lossy(&diagnostics).contains("== Display =="));

    // Only the scrubbed log left the machine.
    let log = api.download(&paths[0]).await.unwrap();
    assert_eq!(String::from_utf8(log).unwrap(), expected.text);
    assert!(!expected.text.contains("Sunflower42"));
    assert!(!expected.text.contains("Zx9QmV4r7TqY2pLw8sNk3bHc"));

    app.close().await.unwrap();
}
