//! What keeps one client from wearing the server down: connection time-outs
//! (a slowloris client is cut off), caps and rate limits with typed 429s,
//! and the security headers every answer carries (sign-in's limits:
//! `sign_in_limits`).

use std::time::Duration;

use crate::support::*;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Well above the time-outs the tests configure: a connection still open
/// then was never going to be cut off.
const CUT_OFF_WITHIN: Duration = Duration::from_secs(20);

fn short_timeouts() -> deskmate_server::Config {
    deskmate_server::Config {
        timeouts: deskmate_server::serve::Timeouts {
            header_read: Duration::from_secs(1),
            body_read: Duration::from_secs(1),
        },
        ..deskmate_server::Config::default()
    }
}

pub(crate) fn capped(caps: deskmate_server::limits::Caps) -> deskmate_server::Config {
    deskmate_server::Config {
        caps,
        ..deskmate_server::Config::default()
    }
}

/// Reads until the server closes the connection; `true` when it did
/// before [`CUT_OFF_WITHIN`].
async fn closed_by_server(stream: &mut tokio::net::TcpStream) -> bool {
    let mut buffer = [0u8; 1024];
    let closed = async {
        loop {
            match stream.read(&mut buffer).await {
                // A reset is as closed as an orderly end.
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(CUT_OFF_WITHIN, closed).await.is_ok()
}

async fn a_slow_or_silent_client_is_cut_off(engine: Engine) {
    let h = Helpdesk::start_with(engine, short_timeouts()).await;
    let addr = h.server.local_addr();

    // Half a request head, then nothing.
    let mut half = tokio::net::TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    // Connected, and not a byte.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    // A whole head announcing a body that never comes.
    let mut no_body = tokio::net::TcpStream::connect(addr).await.unwrap();
    no_body
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\"",
        )
        .await
        .unwrap();
    assert!(closed_by_server(&mut half).await, "half a head is cut off");
    assert!(
        closed_by_server(&mut silent).await,
        "a silent client is cut off"
    );
    assert!(
        closed_by_server(&mut no_body).await,
        "a stalled body is cut off"
    );

    // An idle keep-alive connection is closed too, after its answer.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0u8; 12];
    idle.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    assert!(
        closed_by_server(&mut idle).await,
        "an idle connection is closed"
    );

    // Meanwhile everyone else is served.
    let r = h
        .http
        .get(format!("{}/api/health", h.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    h.server.shutdown().await;
}

/// Whether the server ends the stream before [`CUT_OFF_WITHIN`] (events
/// and keep-alives on the way are read and dropped).
async fn ends(events: &mut Events) -> bool {
    let ended = async { while let Ok(Some(_)) = events.response.chunk().await {} };
    tokio::time::timeout(CUT_OFF_WITHIN, ended).await.is_ok()
}

/// Whether the stream still hears of a change: a ticket `token` files.
async fn still_follows(h: &Helpdesk, events: &mut Events, token: &str) -> bool {
    let id = h.file(token, "Still following?").await;
    while let Some(event) = events.next(SOON).await {
        if event.event == "change" && event.data["ticket_id"] == id {
            return true;
        }
    }
    false
}

async fn a_stream_ends_when_its_session_does(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let email = "user@acme.example";
    let (signed_out, kept, other) = (
        h.login(email).await,
        h.login(email).await,
        h.login(email).await,
    );
    let mut of_signed_out = Events::open(&h, &signed_out, None).await;
    let mut of_kept = Events::open(&h, &kept, None).await;
    let mut of_other = Events::open(&h, &other, None).await;

    let r = h
        .post_raw("/api/v1/auth/logout", Some(&signed_out), "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(
        ends(&mut of_signed_out).await,
        "signing out ends the session's stream"
    );
    assert!(
        still_follows(&h, &mut of_kept, &kept).await,
        "the account's other sessions follow on"
    );

    // A password change keeps the session that made it and ends the others.
    let r = h
        .send(
            reqwest::Method::POST,
            "/api/v1/auth/password",
            &kept,
            serde_json::json!({"current_password": "demo-password", "new_password": "a much longer one"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(
        ends(&mut of_other).await,
        "a password change ends the other sessions' streams"
    );
    assert!(
        still_follows(&h, &mut of_kept, &kept).await,
        "and not the stream of the session that changed it"
    );

    // Expiry ends it too.
    let me: serde_json::Value = h.get("/api/v1/me", &kept).await.json().await.unwrap();
    h.server
        .db()
        .expire_sessions_of(me["id"].as_i64().unwrap())
        .await
        .unwrap();
    assert!(ends(&mut of_kept).await, "an expired session's stream ends");
    h.server.shutdown().await;
}

async fn an_account_may_follow_only_so_many_streams(engine: Engine) {
    let h = Helpdesk::start_with(
        engine,
        capped(deskmate_server::limits::Caps {
            streams_per_account: 2,
            ..Default::default()
        }),
    )
    .await;
    let (first, second) = (
        h.login("user@acme.example").await,
        h.login("user@acme.example").await,
    );
    let colleague = h.login("admin@acme.example").await;
    let mut one = Events::open(&h, &first, None).await;
    let _two = Events::open(&h, &second, None).await;
    let open = |token: String| {
        h.http
            .get(format!("{}/api/v1/events", h.url))
            .bearer_auth(token)
            .send()
    };
    let r = open(first.clone()).await.unwrap();
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Another account has its own.
    let _theirs = Events::open(&h, &colleague, None).await;

    // A stream that ends gives its place back.
    let r = h
        .post_raw("/api/v1/auth/logout", Some(&first), "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(ends(&mut one).await);
    let deadline = tokio::time::Instant::now() + SOON;
    loop {
        let r = open(second.clone()).await.unwrap();
        if r.status() == StatusCode::OK {
            break;
        }
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(
            tokio::time::Instant::now() < deadline,
            "the place was never given back"
        );
        tokio::task::yield_now().await;
    }
    h.server.shutdown().await;
}

/// An upload whose body stops after the file's first bytes: the server
/// holds its place while it waits for the rest (dropping it ends it). It
/// asks `Expect: 100-continue`, which the server answers once the handler
/// reads the body, past taking the place: then it is held.
async fn stalled_upload(h: &Helpdesk, token: &str, ticket: i64) -> tokio::net::TcpStream {
    let mut stream = tokio::net::TcpStream::connect(h.server.local_addr())
        .await
        .unwrap();
    let head = format!(
        "POST /api/v1/tickets/{ticket}/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Authorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary=b\r\n\
         Content-Length: 1000000\r\nExpect: 100-continue\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    while !answer.ends_with(b"\r\n\r\n") {
        answer.push(stream.read_u8().await.unwrap());
    }
    assert!(
        answer.starts_with(b"HTTP/1.1 100"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    stream
        .write_all(
            b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.txt\"\r\n\
              Content-Type: text/plain\r\n\r\nThe first bytes",
        )
        .await
        .unwrap();
    stream
}

async fn upload(h: &Helpdesk, token: &str, ticket: i64) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(b"A whole file.\n".to_vec())
        .file_name("whole.txt")
        .mime_str("text/plain")
        .unwrap();
    h.http
        .post(format!("{}/api/v1/tickets/{ticket}/attachments", h.url))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

async fn refused_upload(h: &Helpdesk, token: &str, ticket: i64) {
    let r = upload(h, token, ticket).await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

async fn uploads_in_flight_are_capped_per_account_and_overall(engine: Engine) {
    let h = Helpdesk::start_with(
        engine,
        capped(deskmate_server::limits::Caps {
            uploads_per_account: 1,
            uploads_at_once: 2,
            ..Default::default()
        }),
    )
    .await;
    let (user, admin) = (
        h.login("user@acme.example").await,
        h.login("admin@acme.example").await,
    );
    let agent = h.login("agent@provider.example").await;
    let ticket = h.file(&user, "Files at once").await;

    let users = stalled_upload(&h, &user, ticket).await;
    refused_upload(&h, &user, ticket).await;
    // Another account has its own place, while the server has room.
    assert_eq!(
        upload(&h, &admin, ticket).await.status(),
        StatusCode::CREATED
    );
    let admins = stalled_upload(&h, &admin, ticket).await;
    refused_upload(&h, &agent, ticket).await;

    // A finished (here: abandoned) upload gives its places back.
    drop(users);
    let deadline = tokio::time::Instant::now() + SOON;
    loop {
        let r = upload(&h, &agent, ticket).await;
        if r.status() == StatusCode::CREATED {
            break;
        }
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(
            tokio::time::Instant::now() < deadline,
            "the places were never given back"
        );
    }
    drop(admins);
    h.server.shutdown().await;
}

async fn writes_are_rate_limited_per_account(engine: Engine) {
    let h = Helpdesk::start_with(
        engine,
        capped(deskmate_server::limits::Caps {
            writes_per_minute: 3,
            ..Default::default()
        }),
    )
    .await;
    let (user, admin) = (
        h.login("user@acme.example").await,
        h.login("admin@acme.example").await,
    );
    for n in 0..3 {
        h.file(&user, &format!("Write {n}")).await;
    }
    let r = h
        .send(
            reqwest::Method::POST,
            "/api/v1/tickets",
            &user,
            ticket("One too many"),
        )
        .await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Reading, other accounts and signing out are not held back.
    assert_eq!(
        h.get("/api/v1/tickets", &user).await.status(),
        StatusCode::OK
    );
    h.file(&admin, "Someone else's").await;
    let r = h
        .post_raw("/api/v1/auth/logout", Some(&user), "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    h.server.shutdown().await;
}

async fn every_answer_carries_the_security_headers(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let answers = [
        h.http
            .get(format!("{}/api/health", h.url))
            .send()
            .await
            .unwrap(),
        h.get("/api/v1/tickets", &user).await,
        h.get("/api/v1/no-such-route", &user).await,
        h.post_raw("/api/v1/auth/login", None, "{")
            .send()
            .await
            .unwrap(),
    ];
    for r in &answers {
        let header = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(
            header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{}",
            r.url()
        );
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
        assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"));
        let csp = header("content-security-policy").unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
    }
    // The console keeps its own policy, which lets its page run.
    let r = h
        .http
        .get(format!("{}/agent/", h.url))
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("sandbox"), "{csp}");
    h.server.shutdown().await;
}

on_both_engines!(
    uploads_in_flight_are_capped_per_account_and_overall,
    writes_are_rate_limited_per_account,
    every_answer_carries_the_security_headers,
    a_slow_or_silent_client_is_cut_off,
    a_stream_ends_when_its_session_does,
    an_account_may_follow_only_so_many_streams,
);
