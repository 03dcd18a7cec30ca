//! The real `deskmate` binary with fake remote-assistance tools on its PATH
//! (scripts written here): `remote detect --json`, and the consent flow of
//! `remote-session answer --accept` and `remote-session end` against a real
//! server (run inside scripts/with-session.sh).
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use crate::support::{TestServer, login, ok};
use serde_json::{Value, json};

/// `deskmate --data-dir DIR ARGS...` with `tools` first on its PATH.
async fn deskmate_with_tools(dir: &Path, tools: &Path, args: &[&str]) -> (i32, String, String) {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_deskmate"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("PATH", format!("{}:/usr/bin:/bin", tools.display()))
        .env_remove("DESKMATE_DATA_DIR")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The ticket's remote sessions as the agent sees them.
async fn sessions_on_server(server: &TestServer, ticket: i64) -> Value {
    let (status, listed) = server
        .call(
            "agent@provider.example",
            reqwest::Method::GET,
            &format!("/api/v1/tickets/{ticket}/remote-sessions"),
            Value::Null,
        )
        .await;
    assert_eq!(status, 200);
    listed
}

fn write_tool(dir: &Path, name: &str, body: &str) {
    let file = dir.join(name);
    std::fs::write(&file, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[tokio::test]
async fn detect_prints_the_tools_as_json_and_exits_zero_when_none_is_found() {
    let data = tempfile::tempdir().unwrap();
    let tools = tempfile::tempdir().unwrap();
    let (code, out, err) =
        deskmate_with_tools(data.path(), tools.path(), &["remote", "detect", "--json"]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), json!([]));
    let (code, out, _) =
        deskmate_with_tools(data.path(), tools.path(), &["remote", "detect"]).await;
    assert_eq!(code, 0);
    assert!(
        out.contains("No remote-assistance tool found")
            && out.contains("https://rustdesk.com/download")
    );

    write_tool(
        tools.path(),
        "rustdesk",
        r#"case "$1" in --version) echo 1.3.2 ;; --get-id) echo 123456789 ;; esac"#,
    );
    write_tool(tools.path(), "anydesk", r#"echo 'no service' >&2; exit 4"#);
    let (code, out, err) =
        deskmate_with_tools(data.path(), tools.path(), &["remote", "detect", "--json"]).await;
    assert_eq!(code, 0, "{err}");
    let found: Value = serde_json::from_str(&out).unwrap();
    let rustdesk_path = tools.path().join("rustdesk");
    assert_eq!(
        found[0],
        json!({"tool": "rustdesk", "path": rustdesk_path.to_str().unwrap(), "version": "1.3.2",
               "running": false, "id": "123456789", "error": null})
    );
    assert_eq!(found[1]["tool"], "anydesk");
    assert_eq!(found[1]["id"], Value::Null);
    assert!(
        found[1]["error"].as_str().unwrap().contains("no service"),
        "{found}"
    );
    let keys: Vec<&String> = found[1].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["error", "id", "path", "running", "tool", "version"]);
}

#[tokio::test]
async fn consent_sends_the_id_to_that_request_only_and_the_end_is_recorded() {
    let server = TestServer::start().await;
    let data = tempfile::tempdir().unwrap();
    let tools = tempfile::tempdir().unwrap();
    let argv = tools.path().join("argv.log");
    let stdin = tools.path().join("stdin.log");
    write_tool(
        tools.path(),
        "anydesk",
        &format!(
            r#"printf '%s\n' "$0 $*" >> '{argv}'
case "$1" in
  --version) echo 6.3.0 ;;
  --get-id) echo 987654321 ;;
  --set-password) cat >> '{stdin}' ;;
esac"#,
            argv = argv.display(),
            stdin = stdin.display()
        ),
    );
    assert_eq!(
        login(data.path(), &server, "user@acme.example").await.code,
        0
    );
    let ticket = server.tickets_of("user@acme.example").await[0].id;
    let mut asked = Vec::new();
    for reason in ["Check the mail queue.", "Another look later."] {
        let (status, body) = server
            .call(
                "agent@provider.example",
                reqwest::Method::POST,
                &format!("/api/v1/tickets/{ticket}/remote-sessions"),
                json!({"reason": reason, "tool": "anydesk"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        asked.push(body["id"].as_i64().unwrap().to_string());
    }
    ok(data.path(), &["sync"]).await;

    let (code, out, err) = deskmate_with_tools(
        data.path(),
        tools.path(),
        &["remote-session", "answer", &asked[0], "--accept"],
    )
    .await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Check the mail queue.") && out.contains("sees your screen"),
        "{out}"
    );
    assert!(out.contains("sent: anydesk ID 987654321"), "{out}");
    // The core's consent flow reports its steps, in order.
    let steps = [
        "looking for",
        "starting the tool",
        "reading its ID",
        "sending it",
    ];
    let at: Vec<usize> = steps.iter().filter_map(|s| out.find(s)).collect();
    assert!(at.len() == steps.len() && at.is_sorted(), "{out}");
    let (status, details) = server
        .call(
            "agent@provider.example",
            reqwest::Method::GET,
            &format!("/api/v1/remote-sessions/{}/connection", asked[0]),
            Value::Null,
        )
        .await;
    assert_eq!(status, 200, "{details}");
    assert_eq!(details["tool_id"], "987654321");
    let password = details["password"].as_str().unwrap().to_owned();
    assert_eq!(std::fs::read_to_string(&stdin).unwrap().trim(), password);
    assert!(!std::fs::read_to_string(&argv).unwrap().contains(&password));
    assert!(!out.contains(&password) && !err.contains(&password));

    // The other request got nothing.
    let listed = sessions_on_server(&server, ticket).await;
    let by_id = |listed: &Value, id: &str| {
        listed["remote_sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(id))
            .unwrap()
            .clone()
    };
    let other = by_id(&listed, &asked[1]);
    assert_eq!(
        (other["status"].as_str(), &other["tool_id"]),
        (Some("requested"), &Value::Null)
    );

    let (code, out, err) = deskmate_with_tools(
        data.path(),
        tools.path(),
        &["remote-session", "end", &asked[0]],
    )
    .await;
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "ended");
    let listed = sessions_on_server(&server, ticket).await;
    assert_eq!(by_id(&listed, &asked[0])["ended_by"], "customer");
    // The one-time password was replaced by one nobody knows.
    let passwords = std::fs::read_to_string(&stdin).unwrap();
    assert_eq!(passwords.lines().count(), 2);
    assert_ne!(passwords.lines().last().unwrap(), password);
    server.stop().await;
}
