//! The real `deskmate` binary against a real deskmate-server on 127.0.0.1
//! port 0, with a temp data directory and the real OS keyring (run inside
//! scripts/with-session.sh): signing in, the list, filing, replying, search.

use crate::support::{TestServer, cached_json, deskmate, ids, login, ok};
use deskmate_api::SearchHit;

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
