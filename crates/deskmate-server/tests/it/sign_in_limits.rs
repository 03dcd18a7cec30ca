//! Sign-in's limits: failures counted per address and client, per client
//! across addresses, and purged once past their window.

use crate::hardening::capped;
use crate::support::*;
use reqwest::StatusCode;

/// An HTTP client connecting from another loopback address (another
/// "computer" to the server).
fn client_at(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(ip))
        .build()
        .unwrap()
}

async fn sign_in(
    h: &Helpdesk,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(format!("{}/api/v1/auth/login", h.url))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn a_strangers_guesses_do_not_lock_the_owner_out(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let stranger = client_at([127, 0, 0, 2]);
    for _ in 0..10 {
        let r = sign_in(&h, &stranger, "user@acme.example", "guess").await;
        expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // The stranger is refused even with the right password...
    let r = sign_in(&h, &stranger, "user@acme.example", "demo-password").await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // ...the owner, elsewhere, signs in.
    let r = sign_in(&h, &h.http, "user@acme.example", "demo-password").await;
    assert_eq!(r.status(), StatusCode::OK);
    h.server.shutdown().await;
}

async fn spraying_addresses_from_one_client_is_limited(engine: Engine) {
    let h = Helpdesk::start_with(
        engine,
        capped(deskmate_server::limits::Caps {
            login_failures_per_client: 4,
            ..Default::default()
        }),
    )
    .await;
    let sprayer = client_at([127, 0, 0, 3]);
    for n in 0..4 {
        let r = sign_in(
            &h,
            &sprayer,
            &format!("guess-{n}@acme.example"),
            "Summer2026!",
        )
        .await;
        expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let r = sign_in(&h, &sprayer, "user@acme.example", "demo-password").await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let r = sign_in(&h, &h.http, "user@acme.example", "demo-password").await;
    assert_eq!(r.status(), StatusCode::OK, "other clients are not affected");
    h.server.shutdown().await;
}

async fn failed_sign_ins_past_the_window_are_purged(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let db = h.server.db();
    let now = chrono::Utc::now();
    let long_ago = now - chrono::Duration::minutes(20);
    db.record_login_failure(
        "nobody-7f3a@example.com",
        "198.51.100.7",
        long_ago,
        long_ago - chrono::Duration::minutes(1),
    )
    .await
    .unwrap();
    let ever = chrono::DateTime::UNIX_EPOCH;
    assert_eq!(
        db.login_failures_since("nobody-7f3a@example.com", None, ever)
            .await
            .unwrap(),
        1
    );
    // Any later failure, at any address, purges what is past every window.
    let r = sign_in(&h, &h.http, "someone-else@example.com", "guess").await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        db.login_failures_since("nobody-7f3a@example.com", None, ever)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        db.login_failures_since("someone-else@example.com", None, ever)
            .await
            .unwrap(),
        1
    );
    h.server.shutdown().await;
}

on_both_engines!(
    a_strangers_guesses_do_not_lock_the_owner_out,
    spraying_addresses_from_one_client_is_limited,
    failed_sign_ins_past_the_window_are_purged,
);
