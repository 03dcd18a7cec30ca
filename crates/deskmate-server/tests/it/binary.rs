//! The real binary's CLI contract: it prints its address and stops cleanly
//! on SIGTERM, and its admin commands create accounts that sign in.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::support::ticket;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[test]
fn the_binary_prints_its_address_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let mut child = Command::new(env!("CARGO_BIN_EXE_deskmate-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--database"])
        .arg(format!("sqlite://{}", db.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    // It accepts connections as soon as it said so.
    std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful exit on SIGTERM: {exit:?}");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());

    // `migrate` on the same file is a no-op that succeeds.
    let out = Command::new(env!("CARGO_BIN_EXE_deskmate-server"))
        .args(["migrate", "--database"])
        .arg(format!("sqlite://{}", db.display()))
        .output()
        .unwrap();
    assert!(out.status.success());
    // An unsupported URL is a clear error, not a panic.
    let out = Command::new(env!("CARGO_BIN_EXE_deskmate-server"))
        .args(["migrate", "--database", "mysql://localhost/x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL"));
}

/// Runs `deskmate-server admin ARGS` with the password given (in the
/// environment, or on stdin when `stdin` is set); (success, stdout, stderr).
fn admin(args: &[&str], password: Option<&str>, stdin: Option<&str>) -> (bool, String, String) {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_deskmate-server"));
    command
        .arg("admin")
        .args(args)
        .env_remove("DESKMATE_NEW_PASSWORD")
        .env_remove("DESKMATE_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = password {
        command.env("DESKMATE_NEW_PASSWORD", p);
    }
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

#[tokio::test]
async fn the_admin_commands_create_accounts_that_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("admin.sqlite3").display());
    let d = db.as_str();

    let (ok, out, err) = admin(
        &["create-organisation", "--database", d, "--name", "Initech"],
        None,
        None,
    );
    assert!(ok, "{err}");
    let org = out.trim().to_owned();
    assert!(org.parse::<i64>().unwrap() > 0, "{out}");
    let (ok, _, err) = admin(
        &["create-organisation", "--database", d, "--name", "Initech"],
        None,
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("an organisation with this name exists"),
        "{err}"
    );

    let user = |email: &str, role: &str| {
        vec![
            "create-user".to_owned(),
            "--database".to_owned(),
            db.clone(),
            "--organisation".to_owned(),
            org.clone(),
            "--email".to_owned(),
            email.to_owned(),
            "--name".to_owned(),
            format!("Name of {email}"),
            "--role".to_owned(),
            role.to_owned(),
        ]
    };
    let strs = |v: &[String]| {
        v.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\u{1}")
    };
    let run = |v: Vec<String>, password: Option<&str>, stdin: Option<&str>| {
        let joined = strs(&v);
        let args: Vec<&str> = joined.split('\u{1}').collect();
        admin(&args, password, stdin)
    };

    // The password from the environment, or one line of stdin.
    let (ok, out, err) = run(
        user("Peter@Initech.example", "customer_user"),
        Some("peter-password-1"),
        None,
    );
    assert!(ok, "{err}");
    assert!(out.trim().parse::<i64>().is_ok(), "{out}");
    let mut boss = user("bill@initech.example", "customer_admin");
    boss.push("--can-see-org-tickets".to_owned());
    let (ok, _, err) = run(boss, None, Some("bill-password-1\n"));
    assert!(ok, "{err}");
    let mut colleague = user("milton@initech.example", "customer_user");
    colleague.push("--can-see-org-tickets".to_owned());
    let (ok, _, err) = run(colleague, Some("milton-password-1"), None);
    assert!(ok, "{err}");
    let (ok, _, err) = admin(
        &[
            "create-agent",
            "--database",
            d,
            "--email",
            "joanna@provider.example",
            "--name",
            "Joanna",
        ],
        None,
        Some("joanna-password-1\r\n"),
    );
    assert!(ok, "{err}");

    // Clear refusals, no panics, nothing created.
    let (ok, _, err) = run(
        user("peter@initech.example", "customer_user"),
        Some("another-password"),
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("a user with this e-mail address exists"),
        "{err}"
    );
    let mut lost = user("lost@initech.example", "customer_user");
    lost[4] = "9999".to_owned();
    let (ok, _, err) = run(lost, Some("lost-password-1"), None);
    assert!(!ok);
    assert!(err.contains("no organisation with id 9999"), "{err}");
    let (ok, _, err) = run(
        user("short@initech.example", "customer_user"),
        Some("short"),
        None,
    );
    assert!(!ok);
    assert!(err.contains("at least 10 characters"), "{err}");
    let (ok, _, err) = run(
        user("empty@initech.example", "customer_user"),
        None,
        Some(""),
    );
    assert!(!ok);
    assert!(err.contains("no password"), "{err}");
    let (ok, _, err) = run(
        user("agent@initech.example", "agent"),
        Some("agent-password-1"),
        None,
    );
    assert!(!ok);
    assert!(err.contains("invalid value 'agent'"), "{err}");
    let (ok, _, err) = run(
        user("not-an-address", "customer_user"),
        Some("some-password-1"),
        None,
    );
    assert!(!ok);
    assert!(err.contains("is not an e-mail address"), "{err}");

    // Everyone signs in over HTTP with the password they were given.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = deskmate_server::launch(listener, &db, false).await.unwrap();
    let url = format!("http://{}", server.local_addr());
    let http = reqwest::Client::new();
    let sign_in = |email: &str, password: &str| {
        http.post(format!("{url}/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
    };
    let mut tokens = Vec::new();
    for (email, password, role) in [
        ("peter@initech.example", "peter-password-1", "customer_user"),
        ("bill@initech.example", "bill-password-1", "customer_admin"),
        (
            "milton@initech.example",
            "milton-password-1",
            "customer_user",
        ),
        ("joanna@provider.example", "joanna-password-1", "agent"),
    ] {
        let r = sign_in(email, password).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{email}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["user"]["role"], role, "{body}");
        if role == "agent" {
            assert!(body["user"]["organisation"].is_null());
        } else {
            assert_eq!(body["user"]["organisation"]["name"], "Initech");
            assert_eq!(body["user"]["organisation"]["id"].to_string(), org);
        }
        tokens.push(body["token"].as_str().unwrap().to_owned());
    }
    let r = sign_in("lost@initech.example", "lost-password-1")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // The rights given: Peter's ticket is seen by the admin and by Milton
    // (allowed the organisation's tickets), not the other way round.
    let r = http
        .post(format!("{url}/api/v1/tickets"))
        .bearer_auth(&tokens[0])
        .json(&ticket("Stapler missing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    for (token, expected) in [(&tokens[1], 1), (&tokens[2], 1), (&tokens[3], 1)] {
        let body: Value = http
            .get(format!("{url}/api/v1/tickets"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            body["tickets"].as_array().unwrap().len(),
            expected,
            "{body}"
        );
    }
    server.shutdown().await;
}
