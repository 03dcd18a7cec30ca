//! A list longer than a page, in the real window: the first 100 rows, "Show
//! more" for the rest, and the status filter answered by the shell (counts
//! beside each status, only matching rows drawn).

use std::collections::HashSet;

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use reqwest::Method;
use serde_json::json;

const USER: &str = "user@acme.example";
const FILED: usize = 120;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_list_comes_a_page_at_a_time_and_filters_in_the_shell() {
    let server = ServerProcess::start_demo().unwrap();
    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    // The demo's tickets (fewer than a page of the helpdesk's list), then many open ones.
    let demo = api.tickets().await.unwrap();
    assert!(demo.len() < 50, "{} demo tickets", demo.len());
    for n in 1..=FILED {
        api.send(
            Method::POST,
            "/api/v1/tickets",
            json!({"department": "technical", "priority": "regular",
                   "subject": format!("Paged list check {n}"),
                   "body": "One of many tickets, so the list needs more than one page."}),
        )
        .await
        .unwrap();
    }
    let total = demo.len() + FILED;
    let status_of = |status: &str| {
        let filed = if status == "open" { FILED } else { 0 };
        demo.iter().filter(|t| t["status"] == status).count() + filed
    };

    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    let first = app
        .wait_for_texts("[data-testid=ticket-subject]", "the first page", |t| {
            t.len() == 100
        })
        .await
        .unwrap();
    // Newest first: the last one filed is at the top.
    assert_eq!(first[0], format!("Paged list check {FILED}"));
    let more = app.find("#show-more").await.unwrap();
    let label = more.text().await.unwrap();
    assert!(
        label.contains("100") && label.contains(&total.to_string()),
        "{label:?}"
    );

    app.click("#show-more").await.unwrap();
    let shown = app
        .wait_for_texts("[data-testid=ticket-subject]", "every ticket", |t| {
            t.len() == total
        })
        .await
        .unwrap();
    assert_eq!(
        shown[..100],
        first[..],
        "the next page comes after the first"
    );
    let ids = app
        .execute(
            "return [...document.querySelectorAll('[data-testid=ticket-row]')]\
             .map((r) => r.dataset.ticketId)",
        )
        .await
        .unwrap();
    let ids: HashSet<String> = serde_json::from_value(ids).unwrap();
    assert_eq!(ids.len(), total, "no ticket twice");
    assert!(app.find_all("#show-more").await.unwrap().is_empty());

    // Each status says how many it holds; choosing one draws only those.
    let open = status_of("open");
    let option = app
        .find("#filter-status option[value=open]")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(option.ends_with(&format!("({open})")), "{option:?}");
    let (status, label, count) = [
        ("waiting_for_customer", "Waiting for you"),
        ("resolved", "Resolved"),
        ("closed", "Closed"),
    ]
    .into_iter()
    .map(|(status, label)| (status, label, status_of(status)))
    .find(|(_, _, n)| *n > 0)
    .expect("the demo has tickets past open");
    app.select("#filter-status", status).await.unwrap();
    let statuses = app
        .wait_for_texts("[data-testid=ticket-status]", "the filtered rows", |t| {
            t.len() == count
        })
        .await
        .unwrap();
    assert!(statuses.iter().all(|s| s == label), "{statuses:?}");

    // All statuses again: the first page from the top.
    app.select("#filter-status", "").await.unwrap();
    app.wait_for_texts(
        "[data-testid=ticket-subject]",
        "the first page again",
        |t| t.len() == 100,
    )
    .await
    .unwrap();
    app.close().await.unwrap();
}
