//! `deskmate scrub FILE`: the real binary prints a file as it would be
//! attached, keeping the signed-in user's own address; unreadable and
//! binary files are clear errors with a non-zero exit. `deskmate
//! diagnostics`: every section, scrubbed, the connection to a real server
//! step by step, and exactly the text that would be attached (run inside
//! scripts/with-session.sh, for the sign-in's keyring).

use std::process::Stdio;

use crate::support::{TestServer, deskmate, login, ok};
use serde_json::Value;

const LOG: &str = "Dec 03 09:20:07 web01 app[2231]: DB_PASSWORD=Gr33nTea! from 203.0.113.24\n\
     mail to user@acme.example and bob@globex.example\n";

#[tokio::test]
async fn scrub_prints_what_would_be_attached() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.log");
    std::fs::write(&file, LOG).unwrap();
    let path = file.to_str().unwrap();

    // Signed out: every address goes.
    let data = dir.path().join("data");
    let out = ok(&data, &["scrub", path]).await;
    assert_eq!(
        out,
        "Dec 03 09:20:07 web01 app[2231]: DB_PASSWORD=[REDACTED] from 203.0.113.24\n\
         mail to [REDACTED] and [REDACTED]\n"
    );

    // Signed in as user@acme.example: their own address stays; IP
    // addresses go when asked.
    let server = TestServer::start().await;
    let run = login(&data, &server, "user@acme.example").await;
    assert_eq!(run.code, 0, "{run:?}");
    let out = ok(&data, &["scrub", "--ip-addresses", path]).await;
    assert_eq!(
        out,
        "Dec 03 09:20:07 web01 app[2231]: DB_PASSWORD=[REDACTED] from [REDACTED]\n\
         mail to user@acme.example and [REDACTED]\n"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        LOG,
        "the file is untouched"
    );

    // What cannot be read is said so, with a non-zero exit and nothing printed.
    let missing = dir.path().join("missing.log");
    let run = deskmate(&data, &["scrub", missing.to_str().unwrap()], None, "").await;
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("cannot read"), "{run:?}");
    assert!(run.stdout.is_empty());
    let binary = dir.path().join("shot.png");
    std::fs::write(
        &binary,
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFE],
    )
    .unwrap();
    let run = deskmate(&data, &["scrub", binary.to_str().unwrap()], None, "").await;
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("not a text file"), "{run:?}");
    assert!(run.stdout.is_empty());
}

/// `deskmate diagnostics ARGS` with a known desktop name and no remote tools
/// on PATH.
async fn diagnostics(data: &std::path::Path, args: &[&str]) -> String {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_deskmate"))
        .arg("--data-dir")
        .arg(data)
        .arg("diagnostics")
        .args(args)
        .env("PATH", "/usr/bin:/bin")
        .env("XDG_CURRENT_DESKTOP", "GNOME token=Zq81xKf0")
        .env_remove("DESKMATE_DATA_DIR")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn diagnostics_show_exactly_what_would_be_attached() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = TestServer::start().await;
    let run = login(&data, &server, "user@acme.example").await;
    assert_eq!(run.code, 0, "{run:?}");
    // The app's own log in the shared data directory: its end is shown, scrubbed.
    let log = deskmate_core::diagnostics::log_path(&data);
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::write(
        &log,
        "2026-12-04T09:00:00Z  INFO sync started\n2026-12-04T09:00:01Z  WARN retry with api_key=Kq7Lw2Vt9Xs\n",
    )
    .unwrap();

    let text = diagnostics(&data, &[]).await;
    assert!(
        text.contains("== Deskmate's recent log ==\n2026-12-04T09:00:00Z  INFO sync started\n2026-12-04T09:00:01Z  WARN retry with api_key=[REDACTED]\n"),
        "{text}"
    );
    assert!(!text.contains("Kq7Lw2Vt9Xs"));
    for title in [
        "== System ==",
        "== Language and time zone ==",
        "== Display ==",
        "== Memory and disk ==",
        "== Connection to the helpdesk ==",
        "== Remote-assistance tools ==",
    ] {
        assert!(text.contains(title), "{title} missing:\n{text}");
    }
    assert!(
        text.contains(&format!("Helpdesk: {}", server.url)),
        "{text}"
    );
    assert!(text.contains("DNS: 127.0.0.1"), "{text}");
    assert!(text.contains("TCP: connected to 127.0.0.1:"), "{text}");
    assert!(text.contains("TLS: not used (plain http)"), "{text}");
    assert!(text.contains("/api/health: 200 OK in "), "{text}");
    assert!(
        text.contains("None found (RustDesk, AnyDesk, TeamViewer)."),
        "{text}"
    );
    assert!(
        text.contains("Desktop: GNOME token=[REDACTED]"),
        "scrubbed: {text}"
    );
    assert!(!text.contains("Zq81xKf0"));

    // JSON: the sections kept, and the text they make, which is what the
    // plain output prints; a section left out is in neither.
    let json: Value =
        serde_json::from_str(&diagnostics(&data, &["--json", "--without", "network"]).await)
            .unwrap();
    let sections = json["sections"].as_array().unwrap();
    let ids: Vec<&str> = sections.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "system",
            "locale",
            "display",
            "resources",
            "remote_tools",
            "log"
        ]
    );
    let rendered: String = sections
        .iter()
        .map(|s| {
            format!(
                "== {} ==\n{}\n",
                s["title"].as_str().unwrap(),
                s["text"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(json["text"], rendered.as_str());
    assert!(
        !json["text"]
            .as_str()
            .unwrap()
            .contains("Connection to the helpdesk")
    );

    // An unknown section is refused by name.
    let run = deskmate(&data, &["diagnostics", "--without", "passwords"], None, "").await;
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("passwords"), "{run:?}");

    // A helpdesk that is gone: the step that fails says so.
    drop(server);
    let text = diagnostics(&data, &[]).await;
    assert!(text.contains("TCP: FAILED (127.0.0.1:"), "{text}");
}
