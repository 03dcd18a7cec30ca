//! End-to-end harness: a real `deskmate-server` on 127.0.0.1 port 0 with a temp
//! database, a real `tauri-driver` (fronting WebKitWebDriver) and the real app
//! window, driven over WebDriver; and a headless Chromium for the agent
//! console the server serves ([`Browser`]).
//!
//! Run under a display and a session bus with a secret service, as `make e2e`
//! does (`scripts/with-session.sh`). Nothing here skips itself: a missing
//! binary, display or driver is a failure with a message saying what to do.

// A test harness reports to the test log on stderr.
#![allow(clippy::print_stderr)]

mod browser;
mod keyboard;
pub mod launch;
mod page;
mod process;
pub mod screen;
mod server;
/// The server tests' real SMTP server (aiosmtpd), shared.
#[path = "../../../crates/deskmate-server/tests/support/smtp.rs"]
pub mod smtp;
pub mod tray_host;
mod window;

pub use browser::Browser;
pub use keyboard::Focused;
pub use process::{free_port, target_dir, workspace_binary};
pub use server::{ApiClient, ServerProcess};
pub use window::{AppWindow, WAIT, is_running};

/// The password of every `--demo` account.
pub const DEMO_PASSWORD: &str = "demo-password";
