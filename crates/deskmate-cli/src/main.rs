//! `deskmate`: the Deskmate helpdesk client on the command line.
//!
//! A thin shell over [`deskmate_core::Core`]: the same cache, the same session
//! in the OS keyring and the same server client as the desktop app, so a
//! `deskmate` pointed at the app's data directory sees what the app sees.
//!
//! Exit codes: 0 success, 1 failure, 2 usage error (clap), 3 signed out.

mod availability;
mod cli;
mod commands;
mod diagnostics;
mod expedite;
mod notices;
mod output;
mod remote;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use deskmate_api::ErrorCode;
use deskmate_core::CoreError;

use crate::cli::Cli;

/// The app identifier: the desktop app keeps its cache in `<data dir>/<this>`.
const APP_IDENTIFIER: &str = "com.deskmate.app";

/// Exit code when there is no usable session.
const EXIT_SIGNED_OUT: u8 = 3;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// From the core; its [`ErrorCode`] decides the exit code.
    Core(CoreError),
    /// No session: never signed in, signed out, or the token expired.
    SignedOut(Option<String>),
    /// Anything else, in plain words.
    Message(String),
    /// Writing the output failed (a closed pipe is not reported).
    Output(std::io::Error),
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        match e.code() {
            ErrorCode::SignedOut | ErrorCode::Unauthorized => {
                let detail = e.to_string();
                // The core's plain "not signed in" needs no repeating.
                Self::SignedOut((!detail.starts_with("not signed in")).then_some(detail))
            }
            _ => Self::Core(e),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Self::Output(e)
    }
}

pub type Outcome = Result<(), Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = data_dir(cli.data_dir.clone()).and_then(|dir| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure::Message(format!("cannot start the async runtime: {e}")))?
            .block_on(commands::run(&dir, cli.command))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(failure),
    }
}

/// Prints `error: ...` on stderr and picks the exit code.
fn report(failure: Failure) -> ExitCode {
    let (message, code) = match failure {
        Failure::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            // `deskmate tickets list | head`: the reader has what it wanted.
            return ExitCode::SUCCESS;
        }
        Failure::Output(e) => (format!("cannot write the output: {e}"), 1),
        Failure::Core(e) => (e.to_string(), 1),
        Failure::Message(m) => (m, 1),
        Failure::SignedOut(None) => (
            "not signed in: run `deskmate login`".to_owned(),
            EXIT_SIGNED_OUT,
        ),
        Failure::SignedOut(Some(detail)) => (
            format!("not signed in ({detail}): run `deskmate login`"),
            EXIT_SIGNED_OUT,
        ),
    };
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(code)
}

/// `--data-dir`, `DESKMATE_DATA_DIR`, or the desktop app's own data directory.
fn data_dir(given: Option<PathBuf>) -> Result<PathBuf, Failure> {
    match given.filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => Ok(dir),
        None => dirs::data_dir()
            .map(|d| d.join(APP_IDENTIFIER))
            .ok_or_else(|| {
                Failure::Message(
                    "cannot find the user data directory; pass --data-dir or set DESKMATE_DATA_DIR"
                        .to_owned(),
                )
            }),
    }
}

/// Logs go to stderr only, filtered by `DESKMATE_LOG` (default `warn`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DESKMATE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
