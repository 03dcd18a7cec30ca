//! `make screenshots`: the agent console's queue and a ticket, as headless
//! Chromium draws them against a demo deskmate-server, into
//! `docs/screenshots/console-queue.png` and `console-ticket.png` (or the
//! folder given as the one argument).

#![allow(clippy::print_stderr)]

use std::path::PathBuf;

use anyhow::{Context, Result};
use deskmate_e2e::{Browser, DEMO_PASSWORD, ServerProcess};
use reqwest::Method;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screenshots".to_owned()),
    );
    std::fs::create_dir_all(&dir)?;
    let server = ServerProcess::start_demo()?;
    let customer = server.api_as("user@acme.example", DEMO_PASSWORD).await?;
    // One expedited ticket, so the picture shows the queue's first rule.
    let ticket = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            json!({"department": "technical", "priority": "high",
                   "subject": "Mail server rejects every message since 09:00",
                   "body": "Our users get \"550 relay not permitted\" for every outgoing message.",
                   "details": {"affected_service": "Managed mail", "reference": "203.0.113.25",
                               "error_message": "550 5.7.1 Relaying denied"}}),
        )
        .await?;
    let id = ticket["id"].as_i64().context("ticket without id")?;
    let path = format!("/api/v1/tickets/{id}/expedite");
    let quote = customer.get(&path).await?;
    customer
        .send(
            Method::POST,
            &path,
            json!({"accepted_price": quote["price"]}),
        )
        .await?;

    let browser = Browser::launch().await?;
    browser
        .sign_in_to_console(&server.url, "agent@provider.example")
        .await?;
    browser.screenshot(&dir.join("console-queue.png")).await?;
    browser
        .goto(&format!("{}/agent/#/tickets/{id}", server.url))
        .await?;
    browser.find("#composer").await?;
    browser.find(".expedite-record").await?;
    browser.screenshot(&dir.join("console-ticket.png")).await?;
    browser.close().await?;
    eprintln!(
        "console-shot: wrote console-queue.png and console-ticket.png in {}",
        dir.display()
    );
    Ok(())
}
