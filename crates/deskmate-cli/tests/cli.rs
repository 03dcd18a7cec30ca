//! The real `deskmate` binary against a real deskmate-server on 127.0.0.1
//! port 0, with a temp data directory and the real OS keyring (run inside
//! scripts/with-session.sh).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Stdio;

use deskmate_api::{LoginResponse, SearchHit, Ticket, TicketList};
use tokio::io::AsyncWriteExt;

const PASSWORD: &str = "demo-password";

/// A demo-seeded deskmate-server in this process.
struct TestServer {
    url: String,
    server: deskmate_server::Server,
    _dir: tempfile::TempDir,
}

impl TestServer {
    async fn start() -> Self {
        Self::start_with(deskmate_server::Config::default()).await
    }

    /// [`TestServer::start`] with the provider's settings (always demo-seeded).
    async fn start_with(config: deskmate_server::Config) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("server.sqlite3").display());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let config = deskmate_server::Config {
            demo: true,
            ..config
        };
        let server = deskmate_server::launch_with(listener, &db, config)
            .await
            .unwrap();
        Self {
            url: format!("http://{}", server.local_addr()),
            server,
            _dir: dir,
        }
    }

    async fn stop(self) {
        self.server.shutdown().await;
    }

    /// The tickets `email` sees, straight from the HTTP API.
    async fn tickets_of(&self, email: &str) -> Vec<Ticket> {
        let http = reqwest::Client::new();
        let login: LoginResponse = http
            .post(format!("{}/api/v1/auth/login", self.url))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        let list: TicketList = http
            .get(format!("{}/api/v1/tickets", self.url))
            .bearer_auth(&login.token)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        list.tickets
    }

    /// `email` calls the HTTP API; the answer's status and JSON body.
    async fn call(
        &self,
        email: &str,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let http = reqwest::Client::new();
        let login: LoginResponse = http
            .post(format!("{}/api/v1/auth/login", self.url))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut request = http
            .request(method.clone(), format!("{}{path}", self.url))
            .bearer_auth(&login.token);
        if method != reqwest::Method::GET {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `deskmate --data-dir DIR ARGS...`, with `password` in
/// DESKMATE_PASSWORD when given, and `stdin` written to its input.
async fn deskmate(dir: &Path, args: &[&str], password: Option<&str>, stdin: &str) -> Run {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_deskmate"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("DESKMATE_PASSWORD")
        .env_remove("DESKMATE_DATA_DIR")
        .env_remove("DESKMATE_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(p) = password {
        cmd.env("DESKMATE_PASSWORD", p);
    }
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    // The binary may exit without reading: a broken pipe is fine.
    let _ = input.write_all(stdin.as_bytes()).await;
    drop(input);
    let output = child.wait_with_output().await.unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

async fn ok(dir: &Path, args: &[&str]) -> String {
    let run = deskmate(dir, args, None, "").await;
    assert_eq!(run.code, 0, "deskmate {args:?}: {run:?}");
    run.stdout
}

async fn login(dir: &Path, server: &TestServer, email: &str) -> Run {
    deskmate(
        dir,
        &["login", "--server", &server.url, "--email", email],
        Some(PASSWORD),
        "",
    )
    .await
}

async fn cached_json(dir: &Path) -> Vec<Ticket> {
    serde_json::from_str(&ok(dir, &["tickets", "list", "--json"]).await).unwrap()
}

fn ids(tickets: &[Ticket]) -> Vec<i64> {
    tickets.iter().map(|t| t.id).collect()
}

#[tokio::test]
async fn sign_in_list_and_file_a_ticket() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();

    let run = login(dir.path(), &server, "user@acme.example").await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("Signed in as "), "{run:?}");
    assert!(run.stdout.contains("(Acme"), "{run:?}");

    // The sign-in filled the cache: the list is the server's, as it serialises it.
    let on_server = server.tickets_of("user@acme.example").await;
    assert!(!on_server.is_empty());
    let cached = cached_json(dir.path()).await;
    assert_eq!(ids(&cached), ids(&on_server));
    assert_eq!(cached, on_server);

    let synced = ok(dir.path(), &["sync"]).await;
    assert_eq!(synced.trim(), format!("{} tickets", on_server.len()));

    let filed = ok(
        dir.path(),
        &[
            "ticket",
            "new",
            "--department",
            "billing",
            "--priority",
            "high",
            "--subject",
            "Invoice 2025-114 charged twice",
            "--body",
            "We were debited twice for the same invoice.",
        ],
    )
    .await;
    let id: i64 = filed.trim_end_matches('\n').parse().unwrap();
    assert_eq!(filed, format!("{id}\n"), "just the number on its own line");

    let on_server = server.tickets_of("user@acme.example").await;
    assert_eq!(
        on_server.iter().filter(|t| t.id == id).count(),
        1,
        "filed exactly once"
    );
    let mine = on_server.iter().find(|t| t.id == id).unwrap();
    assert_eq!(mine.subject, "Invoice 2025-114 charged twice");
    assert_eq!(mine.department.as_str(), "billing");
    assert_eq!(mine.priority.as_str(), "high");
    assert_eq!(
        cached_json(dir.path()).await.first().map(|t| t.id),
        Some(id)
    );

    let table = ok(dir.path(), &["tickets", "list"]).await;
    let first_row = table.lines().nth(1).unwrap();
    assert!(
        first_row.trim_start().starts_with(&id.to_string()),
        "{table}"
    );
    assert!(first_row.contains("open"), "{table}");
    assert!(first_row.contains("billing"), "{table}");
    assert!(
        first_row.ends_with("Invoice 2025-114 charged twice"),
        "{table}"
    );
    assert_eq!(table.lines().count(), on_server.len() + 1, "{table}");

    let shown = ok(dir.path(), &["ticket", "show", &id.to_string()]).await;
    assert!(shown.starts_with(&format!("Ticket #{id}: Invoice 2025-114 charged twice")));
    assert!(shown.contains("We were debited twice for the same invoice."));
    assert!(shown.contains("high"));

    // Unknown ids are an error, not an empty page.
    let run = deskmate(dir.path(), &["ticket", "show", "987654321"], None, "").await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("error: no ticket #987654321 in the local cache"),
        "{run:?}"
    );
}

#[tokio::test]
async fn the_password_can_come_from_stdin() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let run = deskmate(
        dir.path(),
        &[
            "login",
            "--server",
            &server.url,
            "--email",
            "admin@globex.example",
        ],
        None,
        "demo-password\n",
    )
    .await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("Globex"), "{run:?}");
    assert_eq!(
        ids(&cached_json(dir.path()).await),
        ids(&server.tickets_of("admin@globex.example").await)
    );

    // No password at all is refused before anything is sent.
    let other = tempfile::tempdir().unwrap();
    let run = deskmate(
        other.path(),
        &[
            "login",
            "--server",
            &server.url,
            "--email",
            "user@acme.example",
        ],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("DESKMATE_PASSWORD"), "{run:?}");
}

#[tokio::test]
async fn a_wrong_password_leaves_you_signed_out() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let run = deskmate(
        dir.path(),
        &[
            "login",
            "--server",
            &server.url,
            "--email",
            "user@acme.example",
        ],
        Some("not-the-password"),
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .to_lowercase()
            .contains("wrong e-mail or password"),
        "{run:?}"
    );
    assert!(run.stdout.is_empty(), "{run:?}");

    for args in [
        &["tickets", "list"][..],
        &["tickets", "list", "--json"],
        &["sync"],
        &["search", "quota"],
        &["ticket", "show", "1"],
        &[
            "ticket",
            "new",
            "--department",
            "technical",
            "--priority",
            "regular",
            "--subject",
            "s",
            "--body",
            "b",
        ],
    ] {
        let run = deskmate(dir.path(), args, None, "").await;
        assert_eq!(run.code, 3, "{args:?}: {run:?}");
        assert!(
            run.stderr
                .contains("error: not signed in: run `deskmate login`"),
            "{args:?}: {run:?}"
        );
        assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
    }
}

#[tokio::test]
async fn an_unreachable_server_keeps_the_cached_list() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    ok(dir.path(), &["sync"]).await;
    let before = cached_json(dir.path()).await;
    assert!(!before.is_empty());
    let url = server.url.clone();
    server.stop().await;

    let run = deskmate(dir.path(), &["sync"], None, "").await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("error: cannot reach the helpdesk at {url}")),
        "{run:?}"
    );
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_eq!(cached_json(dir.path()).await, before);
    let table = ok(dir.path(), &["tickets", "list"]).await;
    assert_eq!(table.lines().count(), before.len() + 1, "{table}");

    let run = deskmate(
        dir.path(),
        &[
            "ticket",
            "new",
            "--department",
            "technical",
            "--priority",
            "regular",
            "--subject",
            "While offline",
            "--body",
            "The panel is down.",
        ],
        None,
        "",
    )
    .await;
    // Filed anyway: it waits in the outbox for the next sync.
    assert_eq!(run.code, 0, "{run:?}");
    let local = run
        .stdout
        .trim()
        .strip_prefix("pending:")
        .unwrap()
        .to_owned();
    assert!(local.parse::<i64>().is_ok(), "{run:?}");
    let listed = ok(dir.path(), &["outbox"]).await;
    assert!(listed.contains(&format!("pending:{local}")), "{listed}");
    assert!(listed.contains("While offline"), "{listed}");
    assert!(listed.contains("pending"), "{listed}");
    let run = deskmate(dir.path(), &["sync"], None, "").await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("1 unsent write(s) stay queued"),
        "{run:?}"
    );
}

#[tokio::test]
async fn usage_errors_exit_2_and_list_the_allowed_values() {
    let dir = tempfile::tempdir().unwrap();
    let run = deskmate(
        dir.path(),
        &[
            "ticket",
            "new",
            "--department",
            "sales",
            "--priority",
            "regular",
            "--subject",
            "s",
            "--body",
            "b",
        ],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "{run:?}");
    for allowed in ["technical", "billing", "commercial"] {
        assert!(run.stderr.contains(allowed), "{run:?}");
    }
    let run = deskmate(
        dir.path(),
        &[
            "ticket",
            "new",
            "--department",
            "billing",
            "--priority",
            "urgent",
            "--subject",
            "s",
            "--body",
            "b",
        ],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("regular") && run.stderr.contains("high"));
    for args in [
        &["ticket", "show", "seven"][..],
        &["ticket", "new", "--attach", "x"],
        &["nope"],
        &[],
    ] {
        assert_eq!(
            deskmate(dir.path(), args, None, "").await.code,
            2,
            "{args:?}"
        );
    }
}

#[tokio::test]
async fn invalid_tickets_are_refused_before_the_server() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    let before = server.tickets_of("user@acme.example").await.len();
    let run = deskmate(
        dir.path(),
        &[
            "ticket",
            "new",
            "--department",
            "technical",
            "--priority",
            "regular",
            "--subject",
            "   ",
            "--body",
            "b",
        ],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("error: subject must not be empty"),
        "{run:?}"
    );
    assert_eq!(server.tickets_of("user@acme.example").await.len(), before);
}

#[tokio::test]
async fn logout_signs_out_and_clears_the_cache() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let run = login(dir.path(), &server, "agent@provider.example").await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!cached_json(dir.path()).await.is_empty());

    assert_eq!(ok(dir.path(), &["logout"]).await.trim(), "Signed out");
    let run = deskmate(dir.path(), &["tickets", "list"], None, "").await;
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("not signed in"), "{run:?}");
    let run = deskmate(dir.path(), &["sync"], None, "").await;
    assert_eq!(run.code, 3, "{run:?}");

    // Signing in again works, and sees the server's list once more.
    assert_eq!(
        login(dir.path(), &server, "agent@provider.example")
            .await
            .code,
        0
    );
    assert_eq!(
        ids(&cached_json(dir.path()).await),
        ids(&server.tickets_of("agent@provider.example").await)
    );
}

#[tokio::test]
async fn a_reply_reaches_the_ticket_and_shows_in_the_conversation() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    let id = server.tickets_of("user@acme.example").await[0].id;
    let id = id.to_string();
    let out = ok(
        dir.path(),
        &["reply", &id, "--body", "Restarted twice, same 502."],
    )
    .await;
    assert_eq!(out.trim(), "sent");
    let shown = ok(dir.path(), &["ticket", "show", &id]).await;
    assert!(shown.contains("Restarted twice, same 502."), "{shown}");
    assert!(shown.contains("(customer)"), "{shown}");

    let run = deskmate(dir.path(), &["reply", &id, "--body", "   "], None, "").await;
    assert_eq!(run.code, 1, "{run:?}");
    let run = deskmate(
        dir.path(),
        &["reply", "999999", "--body", "Hello?"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "a refused reply is an error: {run:?}");
    assert!(run.stderr.contains("refused"), "{run:?}");
    server.stop().await;
}

#[tokio::test]
async fn search_finds_words_of_the_conversation_offline() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    // Only the agent's answer in the demo data says "quota"; the sign-in
    // synced it. The helpdesk is not asked: it is stopped.
    server.stop().await;

    let text = ok(dir.path(), &["search", "quota"]).await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "one hit, two lines: {text}");
    assert!(
        lines[0].ends_with("resolved  Mailbox info@acme.example does not receive external mail"),
        "{text}"
    );
    assert!(lines[1].contains("[quota]"), "{text}");

    let hits: Vec<SearchHit> =
        serde_json::from_str(&ok(dir.path(), &["search", "quot", "--json"]).await).unwrap();
    assert_eq!(hits.len(), 2, "prefix: quota and Quote: {hits:?}");
    let hits: Vec<SearchHit> =
        serde_json::from_str(&ok(dir.path(), &["search", "QUOTA mailbox", "--json"]).await)
            .unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].snippet.contains("\u{2}"), "{hits:?}");
    assert_eq!(
        hits[0].ticket.subject,
        "Mailbox info@acme.example does not receive external mail"
    );

    for hostile in ["\"", "AND (", "*", "NEAR(", "   "] {
        assert_eq!(
            ok(dir.path(), &["search", hostile]).await,
            "No tickets match.\n",
            "{hostile:?}"
        );
        assert_eq!(ok(dir.path(), &["search", hostile, "--json"]).await, "[]\n");
    }
}

#[tokio::test]
async fn the_guided_answers_travel_with_the_ticket() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    let id = ok(
        dir.path(),
        &[
            "ticket",
            "new",
            "--department",
            "technical",
            "--priority",
            "high",
            "--subject",
            "SIP trunk down",
            "--body",
            "No calls since 08:00.",
            "--service",
            "SIP trunk",
            "--reference",
            "203.0.113.7",
            "--started-at",
            "2026-01-14T08:00:00+01:00",
            "--time-zone",
            "Europe/Rome",
            "--error-message",
            "503 Service Unavailable",
        ],
    )
    .await;
    let id: i64 = id.trim().parse().unwrap();
    let on_server = server.tickets_of("user@acme.example").await;
    let filed = on_server.iter().find(|t| t.id == id).unwrap();
    assert_eq!(filed.details.affected_service.as_deref(), Some("SIP trunk"));
    assert_eq!(filed.details.reference.as_deref(), Some("203.0.113.7"));
    assert_eq!(
        filed.details.incident_started_at.map(|t| t.to_rfc3339()),
        Some("2026-01-14T07:00:00+00:00".to_owned())
    );
    let shown = ok(dir.path(), &["ticket", "show", &id.to_string()]).await;
    assert!(shown.contains("Service:      SIP trunk"), "{shown}");
    assert!(shown.contains("503 Service Unavailable"), "{shown}");

    let run = deskmate(
        dir.path(),
        &[
            "ticket",
            "new",
            "--department",
            "technical",
            "--priority",
            "high",
            "--subject",
            "s",
            "--body",
            "b",
            "--started-at",
            "yesterday",
        ],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "a bad time is a usage error: {run:?}");
    server.stop().await;
}

/// A real PNG of `width` x `height` pixels.
fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The ids of the sent files `ticket show` lists, by name.
fn sent_attachments(show: &str) -> Vec<(i64, String)> {
    show.lines()
        .skip_while(|l| *l != "Attachments:")
        .filter(|l| l.contains("  sent  "))
        .map(|l| {
            let mut words = l.split_whitespace();
            let id = words.next().unwrap().parse().unwrap();
            (id, l.rsplit("  ").next().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn files_attached_on_the_command_line_arrive_and_download() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    let shot = png(300, 200);
    let shot_path = files.path().join("panel 502.png");
    std::fs::write(&shot_path, &shot).unwrap();
    let log_path = files.path().join("error.log");
    std::fs::write(&log_path, "09:10 nginx: 502 Bad Gateway\n").unwrap();
    let new_ticket = |subject: &'static str, attach: Vec<String>| {
        let mut args = vec![
            "ticket",
            "new",
            "--department",
            "technical",
            "--priority",
            "regular",
            "--subject",
            subject,
            "--body",
            "See the files.",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
        for file in attach {
            args.push("--attach".to_owned());
            args.push(file);
        }
        args
    };
    let shown = |p: &Path| p.display().to_string();

    let args = new_ticket("With files", vec![shown(&shot_path), shown(&log_path)]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let id = ok(dir.path(), &args).await.trim().to_owned();
    assert!(id.parse::<i64>().is_ok(), "prints the ticket number: {id}");

    let show = ok(dir.path(), &["ticket", "show", &id]).await;
    let sent = sent_attachments(&show);
    let names: Vec<&str> = sent.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["panel 502.png", "error.log"], "{show}");
    assert!(show.contains("image/png"), "{show}");

    let out = files.path().join("downloaded.png");
    let printed = ok(
        dir.path(),
        &[
            "attachment",
            "get",
            &id,
            &sent[0].0.to_string(),
            "--output",
            &shown(&out),
        ],
    )
    .await;
    assert_eq!(printed.trim(), shown(&out));
    assert_eq!(std::fs::read(&out).unwrap(), shot, "byte-exact");

    // A reply with a file; then files refused before anything is queued.
    let reply = ok(
        dir.path(),
        &[
            "reply",
            &id,
            "--body",
            "One more.",
            "--attach",
            &shown(&log_path),
        ],
    )
    .await;
    assert_eq!(reply.trim(), "sent");
    let exe = files.path().join("tool.exe");
    std::fs::write(&exe, b"MZ\x90\0\x03\0\0\0").unwrap();
    let args = new_ticket("Refused", vec![shown(&exe)]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = deskmate(dir.path(), &args, None, "").await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("tool.exe: this kind of file is not accepted"),
        "{run:?}"
    );
    assert_eq!(ok(dir.path(), &["outbox"]).await, "");

    // Offline: a ticket with a file waits in the outbox, and what was
    // downloaded is still there.
    server.stop().await;
    let args = new_ticket("Offline with a file", vec![shown(&log_path)]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let pending = ok(dir.path(), &args).await;
    assert!(pending.trim().starts_with("pending:"), "{pending}");
    let outbox = ok(dir.path(), &["outbox"]).await;
    assert!(outbox.contains("Offline with a file"), "{outbox}");
    let again = files.path().join("again.png");
    ok(
        dir.path(),
        &[
            "attachment",
            "get",
            &id,
            &sent[0].0.to_string(),
            "--output",
            &shown(&again),
        ],
    )
    .await;
    assert_eq!(std::fs::read(&again).unwrap(), shot);
}

#[tokio::test]
async fn notices_are_listed_and_answered_online_and_offline() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "admin@acme.example").await.code,
        0
    );

    // The sign-in's pull brought the news and Acme's maintenance.
    let text = ok(dir.path(), &["announcements"]).await;
    assert!(text.contains("New in the control panel"), "{text}");
    assert!(text.contains("maintenance  Planned maintenance"), "{text}");
    assert!(
        text.contains("Services: Managed web hosting, E-mail hosting"),
        "{text}"
    );
    let list: Vec<deskmate_api::Announcement> =
        serde_json::from_str(&ok(dir.path(), &["announcements", "--json"]).await).unwrap();
    assert_eq!(list.len(), 2, "{list:?}");

    let delays: Vec<deskmate_api::OrderDelayView> =
        serde_json::from_str(&ok(dir.path(), &["order-delays", "--json"]).await).unwrap();
    assert_eq!(delays.len(), 1);
    let delay = delays[0].order_delay.id.to_string();
    let text = ok(dir.path(), &["order-delays"]).await;
    assert!(
        text.starts_with(&format!("#{delay}  open  order HST-21093  due ")),
        "{text}"
    );

    // An agent asks for a remote session; after a sync it can be declined.
    let ticket = server.tickets_of("admin@acme.example").await[0].id;
    let (status, body) = server
        .call(
            "agent@provider.example",
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{ticket}/remote-sessions"),
            serde_json::json!({"reason": "Look at the mail queue.", "tool": "rustdesk"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let session = body["id"].as_i64().unwrap().to_string();
    ok(dir.path(), &["sync"]).await;
    let run = deskmate(
        dir.path(),
        &["remote-session", "answer", &session],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "--accept or --decline is required: {run:?}");
    let run = deskmate(
        dir.path(),
        &[
            "remote-session",
            "answer",
            &session,
            "--accept",
            "--decline",
        ],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "not both: {run:?}");
    let out = ok(
        dir.path(),
        &["remote-session", "answer", &session, "--decline"],
    )
    .await;
    assert_eq!(out.trim(), "sent");
    let (_, body) = server
        .call(
            "agent@provider.example",
            reqwest::Method::GET,
            &format!("/api/v1/tickets/{ticket}/remote-sessions"),
            serde_json::Value::Null,
        )
        .await;
    let on_server = body["remote_sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(session.as_str()))
        .unwrap()
        .clone();
    assert_eq!(on_server["status"], "declined");
    let run = deskmate(
        dir.path(),
        &["remote-session", "answer", &session, "--accept"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "answered already: {run:?}");

    // Offline: the answer is queued and shown as not sent yet.
    let url = server.url.clone();
    server.stop().await;
    let out = ok(
        dir.path(),
        &[
            "order-delay",
            "answer",
            &delay,
            "--answer",
            "EPP code: 4TR-91",
        ],
    )
    .await;
    let local = out
        .trim()
        .strip_prefix("pending:")
        .unwrap_or_else(|| panic!("{out}"));
    let text = ok(dir.path(), &["order-delays"]).await;
    assert!(text.contains(&format!("#{delay}  answered")), "{text}");
    assert!(
        text.contains(&format!("not sent yet (pending:{local})")),
        "{text}"
    );
    assert!(text.contains("EPP code: 4TR-91"), "{text}");
    let outbox = ok(dir.path(), &["outbox"]).await;
    assert!(
        outbox.contains(&format!("pending:{local}  pending")),
        "{outbox}"
    );
    assert!(outbox.contains("EPP code: 4TR-91"), "{outbox}");
    let run = deskmate(
        dir.path(),
        &["order-delay", "answer", "999999", "--answer", "x"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("no order-delay request"),
        "{run:?} ({url})"
    );
}

/// The ticket the agents' queue shows first.
async fn first_in_queue(server: &TestServer) -> i64 {
    let (status, queue) = server
        .call(
            "agent@provider.example",
            reqwest::Method::GET,
            "/api/v1/queue",
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, 200, "{queue}");
    queue["tickets"][0]["ticket"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_expedited_response_is_quoted_then_bought_at_exactly_that_price() {
    let server = TestServer::start_with(deskmate_server::Config {
        expedite: Some(deskmate_server::db::ExpediteOffer {
            price: deskmate_api::Price::new(4900, "EUR"),
            terms: "A paid service: the ticket skips the queue.".to_owned(),
        }),
        ..deskmate_server::Config::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    let mut filed = Vec::new();
    for subject in ["Mail down", "VPN flaps"] {
        let (status, body) = server
            .call(
                "user@acme.example",
                reqwest::Method::POST,
                "/api/v1/tickets",
                serde_json::json!({"department": "technical", "priority": "regular",
                    "subject": subject, "body": "Since 09:10."}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        filed.push(body["id"].as_i64().unwrap().to_string());
    }
    let (id, other) = (filed[0].as_str(), filed[1].as_str());
    ok(dir.path(), &["sync"]).await;

    // The quote alone changes nothing.
    let text = ok(dir.path(), &["ticket", "expedite", id]).await;
    assert!(
        text.starts_with(&format!("Expedited response for ticket #{id}: 49.00 EUR\n")),
        "{text}"
    );
    assert!(text.contains("skips the queue"), "{text}");
    assert!(
        text.contains(&format!(
            "deskmate ticket expedite {id} --accept-price 49.00EUR"
        )),
        "{text}"
    );
    assert!(
        !ok(dir.path(), &["ticket", "show", id])
            .await
            .contains("Expedited")
    );

    // Another price is refused here; a price that is not one is a usage error.
    let run = deskmate(
        dir.path(),
        &["ticket", "expedite", id, "--accept-price", "39.00EUR"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("the price is 49.00 EUR, not 39.00 EUR"),
        "{run:?}"
    );
    let run = deskmate(
        dir.path(),
        &["ticket", "expedite", id, "--accept-price", "cheap"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("49.00EUR"), "{run:?}");
    assert_ne!(first_in_queue(&server).await.to_string(), id);
    assert!(!ok(dir.path(), &["outbox"]).await.contains("Expedite"));

    // The price shown: sent, first in the queue, shown on the ticket.
    let text = ok(
        dir.path(),
        &["ticket", "expedite", id, "--accept-price", "49.00 EUR"],
    )
    .await;
    assert!(text.ends_with("sent\n"), "{text}");
    assert_eq!(first_in_queue(&server).await.to_string(), id);
    let show = ok(dir.path(), &["ticket", "show", id]).await;
    assert!(show.contains("Expedited:    yes since "), "{show}");
    let run = deskmate(
        dir.path(),
        &["ticket", "expedite", id, "--accept-price", "49.00EUR"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("expedited already"), "{run:?}");
    let text = ok(dir.path(), &["ticket", "expedite", id]).await;
    assert!(text.contains("Expedited by Umberto User on "), "{text}");

    // Offline: no quote, but a consent waits in the outbox.
    server.stop().await;
    let run = deskmate(dir.path(), &["ticket", "expedite", other], None, "").await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("needs a connection"), "{run:?}");
    let text = ok(
        dir.path(),
        &["ticket", "expedite", other, "--accept-price", "49.00EUR"],
    )
    .await;
    assert!(
        text.trim_end().ends_with(|c: char| c.is_ascii_digit()),
        "{text}"
    );
    assert!(text.contains("pending:"), "{text}");
    let outbox = ok(dir.path(), &["outbox"]).await;
    assert!(
        outbox.contains(&format!("Expedite ticket #{other} for 49.00 EUR")),
        "{outbox}"
    );
}

#[tokio::test]
async fn availability_is_said_shown_and_taken_back() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    let out = ok(
        dir.path(),
        &[
            "ticket",
            "new",
            "--department",
            "technical",
            "--priority",
            "regular",
            "--subject",
            "VPN drops",
            "--body",
            "Every ten minutes.",
        ],
    )
    .await;
    let id = out.trim().to_owned();
    let path = format!("/api/v1/tickets/{id}");

    let out = ok(
        dir.path(),
        &[
            "ticket",
            "availability",
            &id,
            "--time-zone",
            "Europe/Prague",
            "--weekly",
            "mon-sun 00:00-24:00",
            "--note",
            "Front desk",
        ],
    )
    .await;
    assert_eq!(out.trim(), "sent");
    let (_, body) = server
        .call(
            "admin@acme.example",
            reqwest::Method::GET,
            &path,
            serde_json::Value::Null,
        )
        .await;
    let availability = &body["ticket"]["availability"];
    assert_eq!(availability["time_zone"], "Europe/Prague");
    assert_eq!(availability["weekly"][0]["from"], "00:00");
    assert_eq!(availability["note"], "Front desk");
    let shown = ok(dir.path(), &["ticket", "show", &id]).await;
    assert!(
        shown.contains("Reachable at the computer (Europe/Prague):"),
        "{shown}"
    );
    assert!(shown.contains("every mon-sun 00:00-24:00"), "{shown}");
    assert!(shown.contains("Reachable now, until "), "{shown}");

    // A one-off window the day after tomorrow replaces it.
    let day = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let on = format!("{day} 10:00-11:30");
    let out = ok(
        dir.path(),
        &[
            "ticket",
            "availability",
            &id,
            "--time-zone",
            "UTC",
            "--on",
            &on,
        ],
    )
    .await;
    assert_eq!(out.trim(), "sent");
    let shown = ok(dir.path(), &["ticket", "show", &id]).await;
    assert!(shown.contains("Next reachable "), "{shown}");
    assert!(!shown.contains("every "), "{shown}");

    // Refused before anything is queued: the zone, or no zone at all.
    let run = deskmate(
        dir.path(),
        &[
            "ticket",
            "availability",
            &id,
            "--time-zone",
            "Mars/Olympus",
            "--weekly",
            "mon 09:00-10:00",
        ],
        None,
        "",
    )
    .await;
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("Mars/Olympus"), "{run:?}");
    let run = deskmate(
        dir.path(),
        &["ticket", "availability", &id, "--weekly", "mon 09:00-10:00"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "--time-zone is required: {run:?}");
    assert_eq!(ok(dir.path(), &["outbox"]).await, "", "nothing queued");

    let out = ok(dir.path(), &["ticket", "availability", &id, "--clear"]).await;
    assert_eq!(out.trim(), "sent");
    let (_, body) = server
        .call(
            "admin@acme.example",
            reqwest::Method::GET,
            &path,
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(body["ticket"]["availability"], serde_json::Value::Null);
    let shown = ok(dir.path(), &["ticket", "show", &id]).await;
    assert!(!shown.contains("Reachable"), "{shown}");
    server.stop().await;
}
