//! The shell in the real window: the sidebar reaches every screen with the
//! keyboard alone, and the announcements screen shows only what the user's
//! organisation may see.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use fantoccini::key::Key;
use reqwest::Method;
use serde_json::json;

const USER: &str = "user@acme.example";
const AGENT: &str = "agent@provider.example";

/// The organisation of the demo account `email` (`GET /api/v1/me`).
async fn organisation_of(server: &ServerProcess, email: &str) -> i64 {
    let me = server
        .api_as(email, DEMO_PASSWORD)
        .await
        .unwrap()
        .get("/api/v1/me")
        .await
        .unwrap();
    me["organisation"]["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announcements_show_only_what_the_organisation_may_see() {
    let server = ServerProcess::start_demo().unwrap();
    let agent = server.api_as(AGENT, DEMO_PASSWORD).await.unwrap();
    let globex = organisation_of(&server, "admin@globex.example").await;
    let acme = organisation_of(&server, USER).await;
    let post = |title: &'static str, organisation: Option<i64>| {
        let agent = &agent;
        async move {
            agent
                .send(
                    Method::POST,
                    "/api/v1/announcements",
                    json!({"kind": "announcement", "title": title, "body": "Details follow.",
                           "affected_services": [], "starts_at": null, "ends_at": null,
                           "organisation_id": organisation}),
                )
                .await
                .unwrap();
        }
    };
    post("Globex only: SIP trunk re-routing tonight", Some(globex)).await;
    post("Acme only: new invoice address", Some(acme)).await;
    post("For everyone: office closed on Friday", None).await;

    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    app.click("#nav-announcements").await.unwrap();
    let shown = app
        .wait_for_texts(
            "[data-testid=announcement-title]",
            "the announcements",
            |t| {
                t.iter()
                    .any(|s| s == "For everyone: office closed on Friday")
                    && t.iter().any(|s| s == "Acme only: new invoice address")
            },
        )
        .await
        .unwrap();
    assert!(
        !shown.iter().any(|s| s.starts_with("Globex only")),
        "an announcement for Globex is not shown to an Acme user: {shown:?}"
    );
    // The demo's maintenance is announced to each organisation with its own services.
    let services = app
        .wait_for_texts("[data-testid=announcement-services]", "the services", |t| {
            t.iter().any(|s| s.contains("Managed web hosting"))
        })
        .await
        .unwrap();
    assert!(
        !services.iter().any(|s| s.contains("GLX-SIP-01")),
        "Globex's maintenance is not Acme's: {services:?}"
    );
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_is_reached_with_the_keyboard_only() {
    let server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();

    // The sidebar is one tab stop, on the screen shown.
    app.tab_to("nav-tickets").await.unwrap();
    for (entry, screen) in [
        ("nav-announcements", "[data-testid=announcements]"),
        ("nav-requests", "[data-testid=requests]"),
        // The demo user may see the call records.
        ("nav-billing", "[data-testid=billing]"),
        ("nav-account", "[data-testid=account]"),
        ("nav-settings", "[data-testid=settings]"),
    ] {
        app.press(Key::Down).await.unwrap();
        let focused = app.focused(&format!("#{entry}"), None).await.unwrap();
        assert!(focused.matches, "the arrow moved to {entry}: {focused:?}");
        assert!(focused.visible, "{entry} shows its focus: {focused:?}");
        app.press(Key::Enter).await.unwrap();
        app.find(screen).await.unwrap();
        let current = app
            .execute(&format!(
                "return document.getElementById('{entry}').getAttribute('aria-current')"
            ))
            .await
            .unwrap();
        assert_eq!(current, json!("page"), "{entry} is the current screen");
    }
    // From the last entry, Home goes back to the first; Enter opens the tickets.
    app.press(Key::Home).await.unwrap();
    assert!(app.focused("#nav-tickets", None).await.unwrap().matches);
    app.press(Key::Enter).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    // Into the screen with Tab: its first control after the sidebar.
    app.tab_to("refresh").await.unwrap();
    app.close().await.unwrap();
}
