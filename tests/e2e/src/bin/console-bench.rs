//! `make bench`'s `console_queue_ms`: how long after navigation the agent
//! console's first screen is usable (the queue's first rows drawn) with
//! 10,000 tickets waiting, in a real headless Chromium against a real
//! deskmate-server (`DESKMATE_SERVER_BIN`, the release build in the bench).
//!
//! The tickets are filed over the API (16 at a time) by a demo customer; the
//! agent signs in once. Each run reloads `/agent/` and reads the console's
//! `deskmate-queue-drawn` performance mark: milliseconds from the start of
//! the navigation to the moment the first rows were in the page. Median of
//! `--runs` (default 5) after one warm-up; writes target/bench/console.json.

#![allow(clippy::print_stderr, clippy::print_stdout)]

use std::time::Duration;

use anyhow::{Context, Result, bail};
use deskmate_e2e::{Browser, DEMO_PASSWORD, ServerProcess, target_dir};
use reqwest::Method;
use serde_json::json;

/// The first screen must be usable within this, on this machine.
const GOAL_MS: f64 = 1000.0;

#[tokio::main]
async fn main() -> Result<()> {
    let mut tickets = 10_000usize;
    let mut runs = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args
            .next()
            .with_context(|| format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--tickets" => tickets = value.parse()?,
            "--runs" => runs = value.parse()?,
            _ => bail!("unknown argument {arg}: use --tickets N, --runs N"),
        }
    }
    let server = ServerProcess::start_demo()?;
    let customer = server.api_as("user@acme.example", DEMO_PASSWORD).await?;
    eprintln!("console-bench: filing {tickets} tickets");
    let mut tasks = Vec::new();
    for lane in 0..16 {
        let customer = customer.clone();
        tasks.push(tokio::spawn(async move {
            for n in (lane..tickets).step_by(16) {
                let department = ["technical", "billing", "commercial"][n % 3];
                let body = json!({
                    "department": department,
                    "priority": if n % 5 == 0 { "high" } else { "regular" },
                    "subject": format!("Bench ticket {n}"),
                    "body": "A ticket filed for the console's queue figure.",
                });
                customer.send(Method::POST, "/api/v1/tickets", body).await?;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }

    let browser = Browser::launch().await?;
    let console = format!("{}/agent/", server.url);
    browser
        .sign_in_to_console(&server.url, "agent@provider.example")
        .await?;

    let mut times = Vec::new();
    for run in 0..=runs {
        browser.goto(&console).await?;
        let mark =
            "return performance.getEntriesByName('deskmate-queue-drawn')[0]?.startTime ?? null";
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        let ms = loop {
            if let Some(ms) = browser.execute(mark).await?.as_f64() {
                break ms;
            }
            if std::time::Instant::now() > deadline {
                bail!("the queue was not drawn within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        };
        let rows = browser
            .execute("return document.querySelectorAll('#queue tbody tr').length")
            .await?;
        if rows.as_u64().unwrap_or(0) == 0 {
            bail!("the queue was marked drawn without rows");
        }
        if run > 0 {
            times.push(ms);
        }
        eprintln!(
            "console-bench: run {run}: {ms:.0} ms{}",
            if run == 0 { " (warm-up)" } else { "" }
        );
    }
    browser.close().await?;
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().context("no runs")?;
    let verdict = if median <= GOAL_MS { "pass" } else { "MISS" };
    println!(
        "console_queue_ms  {median:.0} ms  goal <= {GOAL_MS:.0}  {verdict}  ({tickets} tickets, median of {runs})"
    );
    let out = target_dir().join("bench");
    std::fs::create_dir_all(&out)?;
    std::fs::write(
        out.join("console.json"),
        serde_json::to_string_pretty(&json!({ "console_queue_ms": median.round() }))?,
    )?;
    Ok(())
}
