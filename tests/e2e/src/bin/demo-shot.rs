//! `make demo-headless`: the demo server and the real app under Xvfb, signed
//! in as user@acme.example, photographed from the X screen (real pixels, not the
//! DOM) into `target/demo.png`.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess, target_dir};

#[tokio::main]
async fn main() -> Result<()> {
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
    // Let the window finish painting before the grab.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let out = target_dir().join("demo.png");
    let window = app_window_id().unwrap_or_else(|| "root".to_owned());
    let status = Command::new("import")
        .args(["-window", &window])
        .arg(&out)
        .status()
        .context("running ImageMagick `import` (installed by scripts/setup.sh)")?;
    if !status.success() {
        bail!("`import` failed: {status}");
    }
    app.close().await?;
    println!("screenshot: {}", out.display());
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
