//! `make demo-headless`: the demo server and the real app under Xvfb, signed
//! in as user@acme.example, photographed from the X screen (real pixels, not the
//! DOM) into `target/demo.png`.
//!
//! `demo-shot --screenshots DIR` also photographs the main screens (the list,
//! a ticket's conversation, the guided new-ticket form) in English and in
//! Italian into DIR, for the README.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess, target_dir};

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let screenshots = match (args.next().as_deref(), args.next()) {
        (None, _) => None,
        (Some("--screenshots"), Some(dir)) => Some(PathBuf::from(dir)),
        _ => bail!("usage: demo-shot [--screenshots DIR]"),
    };
    let server = ServerProcess::start_demo()?;
    println!("demo helpdesk: {}", server.url);
    let app = AppWindow::launch(&server.url).await?;
    app.sign_in("user@acme.example", DEMO_PASSWORD).await?;
    let rows = app
        .wait_for_texts("[data-testid=ticket-subject]", "demo tickets", |t| {
            !t.is_empty()
        })
        .await?;
    println!("signed in; {} tickets listed", rows.len());
    let out = target_dir().join("demo.png");
    grab(&out).await?;
    println!("screenshot: {}", out.display());

    if let Some(dir) = screenshots {
        std::fs::create_dir_all(&dir)?;
        for lang in ["en", "it"] {
            // The language is a setting: chosen there, then back to the tickets.
            app.click("#nav-settings").await?;
            app.select("#language", lang).await?;
            app.click("#nav-tickets").await?;
            app.wait_for_texts("[data-testid=ticket-subject]", "the list", |t| {
                !t.is_empty()
            })
            .await?;
            app.execute("window.scrollTo(0, 0)").await?;
            grab(&dir.join(format!("list-{lang}.png"))).await?;
            app.click("[data-testid=ticket-row] [data-testid=ticket-subject]")
                .await?;
            app.wait_for_texts("[data-testid=message]", "the conversation", |t| {
                !t.is_empty()
            })
            .await?;
            app.execute("window.scrollTo(0, 0)").await?;
            grab(&dir.join(format!("detail-{lang}.png"))).await?;
            app.click("#back-to-list").await?;
            app.click("#new-ticket-button").await?;
            app.find("form#new-ticket").await?;
            app.execute("window.scrollTo(0, 0)").await?;
            grab(&dir.join(format!("new-ticket-{lang}.png"))).await?;
            app.click("#new-ticket-cancel").await?;
            println!("screenshots ({lang}): {}", dir.display());
        }
    }
    app.close().await?;
    Ok(())
}

/// Photographs the app's window (the X screen if it cannot be told apart).
async fn grab(out: &Path) -> Result<()> {
    // Let the window finish painting before the grab.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let window = app_window_id().unwrap_or_else(|| "root".to_owned());
    let status = Command::new("import")
        .args(["-window", &window])
        .arg(out)
        .status()
        .context("running ImageMagick `import` (installed by scripts/setup.sh)")?;
    if !status.success() {
        bail!("`import` failed: {status}");
    }
    Ok(())
}

/// The X window id of the app's main window (`xdotool`), if it can be found.
fn app_window_id() -> Option<String> {
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", "^Deskmate$"])
        .output()
        .ok()?;
    String::from_utf8(out.stdout)
        .ok()?
        .lines()
        .next()
        .map(str::to_owned)
}
