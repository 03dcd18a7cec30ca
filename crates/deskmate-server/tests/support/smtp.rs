//! A real SMTP server (aiosmtpd, see smtp_sink.py) for the mail tests, and
//! the mails it received. Standalone: the core's and the end-to-end tests
//! include it too.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// One mail as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub body: String,
}

/// The running SMTP server; stopped when dropped.
pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    _child: Child,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        // Found from the workspace's root: the server's, the core's and the
        // end-to-end tests include this file.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .find(|dir| dir.join("Cargo.lock").exists())
            .expect("the workspace root");
        let script = root.join("crates/deskmate-server/tests/support/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 with aiosmtpd (scripts/setup.sh installs it)");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        tokio::time::timeout(
            Duration::from_secs(20),
            BufReader::new(stdout).read_line(&mut line),
        )
        .await
        .expect("the SMTP server starts")
        .unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            panic!("the SMTP server did not start: {line:?} (is aiosmtpd installed?)")
        });
        Self {
            port,
            dir,
            _child: child,
        }
    }

    /// `smtp://127.0.0.1:PORT`, for `--smtp-url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The sender and public address of a helpdesk mailing through this
    /// server (`--mail-from`, `--public-url`).
    pub const FROM: &str = "Deskmate Helpdesk <helpdesk@provider.example>";
    pub const PUBLIC_URL: &str = "https://help.provider.example/";

    /// Every mail received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| parse(&std::fs::read_to_string(p).unwrap()))
            .collect()
    }

    /// Waits (at most 20 s) until `count` mails have arrived; all of them.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{count} mails expected, {} arrived: {received:?}",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

fn parse(text: &str) -> Received {
    let (head, body) = text.split_once("\n\n").unwrap();
    let field = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap()
            .trim()
            .to_owned()
    };
    Received {
        to: field("To:"),
        from: field("From:"),
        subject: field("Subject:"),
        body: body.to_owned(),
    }
}
