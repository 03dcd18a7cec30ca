//! The real window in each of its five languages: every string on the main
//! screens comes from the chosen locale file, and no message key shows.

use std::path::Path;

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use serde_json::Value;

const LANGUAGES: [&str; 5] = ["en", "it", "sl", "sk", "cs"];

/// A message of `ui/src/lib/i18n/<lang>.json` by its dotted key.
fn message(lang: &str, key: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../ui/src/lib/i18n/{lang}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut node: Value = serde_json::from_str(&text).unwrap();
    for part in key.split('.') {
        node = node[part].take();
    }
    node.as_str()
        .unwrap_or_else(|| panic!("{lang}: no message {key}"))
        .to_owned()
}

/// Every message key of the English file ("tickets.newTicket", ...).
fn keys() -> Vec<String> {
    fn walk(prefix: &str, node: &Value, out: &mut Vec<String>) {
        if let Some(map) = node.as_object() {
            for (k, v) in map {
                walk(&format!("{prefix}{k}."), v, out);
            }
        } else {
            out.push(prefix.trim_end_matches('.').to_owned());
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/i18n/en.json");
    let en: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = Vec::new();
    walk("", &en, &mut out);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_language_shows_its_own_words_and_no_keys() {
    let server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in("user@acme.example", DEMO_PASSWORD)
        .await
        .unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    let keys = keys();
    assert!(
        keys.len() > 50,
        "the English file has the messages: {}",
        keys.len()
    );

    for lang in LANGUAGES {
        // The language is a setting: chosen there, then back to the tickets.
        app.click("#nav-settings").await.unwrap();
        app.select("#language", lang).await.unwrap();
        app.click("#nav-tickets").await.unwrap();
        let expected = message(lang, "tickets.newTicket");
        app.wait_for_texts("#new-ticket-button", lang, |t| t == [expected.clone()])
            .await
            .unwrap();
        // The list, the form and a ticket's detail in this language.
        let mut shown = app.page_text().await.unwrap();
        app.click("#new-ticket-button").await.unwrap();
        app.find("form#new-ticket").await.unwrap();
        shown.push_str(&app.page_text().await.unwrap());
        app.click("#new-ticket-cancel").await.unwrap();
        app.click("[data-testid=ticket-row] [data-testid=ticket-subject]")
            .await
            .unwrap();
        app.find("[data-testid=ticket-detail]").await.unwrap();
        shown.push_str(&app.page_text().await.unwrap());
        app.click("#back-to-list").await.unwrap();
        app.find("[data-testid=ticket-row]").await.unwrap();

        for key in &keys {
            assert!(
                !shown.contains(key.as_str()),
                "{lang}: the key {key} shows untranslated"
            );
        }
        let lang_attr = app
            .execute("return document.documentElement.lang")
            .await
            .unwrap();
        assert_eq!(lang_attr, Value::from(lang), "html lang follows the choice");
        if lang != "en" {
            assert_ne!(
                expected,
                message("en", "tickets.newTicket"),
                "{lang} is translated"
            );
        }
    }
    app.close().await.unwrap();
}
