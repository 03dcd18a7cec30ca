//! Password reset by e-mail against a real SMTP server (aiosmtpd), on both
//! engines: the mail arrives with the link and the token, the token works
//! once, ends every old session, expires; an unknown address gets the same
//! 202 and no mail; without SMTP the route says `mail_not_configured`; a
//! dead SMTP server fails no request.

use crate::support::smtp::SmtpSink;
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const USER: &str = "user@acme.example";
const NEW_PASSWORD: &str = "a-brand-new-password";

fn with_mail(sink: &SmtpSink) -> deskmate_server::Config {
    deskmate_server::Config {
        mail: Some(sink.settings()),
        ..deskmate_server::Config::default()
    }
}

async fn request(h: &Helpdesk, email: &str) -> reqwest::Response {
    h.post_raw(
        "/api/v1/auth/password-reset",
        None,
        json!({ "email": email }).to_string(),
    )
    .send()
    .await
    .unwrap()
}

async fn confirm(h: &Helpdesk, token: &str, password: &str) -> reqwest::Response {
    h.post_raw(
        "/api/v1/auth/password-reset/confirm",
        None,
        json!({ "token": token, "password": password }).to_string(),
    )
    .send()
    .await
    .unwrap()
}

async fn sign_in(h: &Helpdesk, email: &str, password: &str) -> StatusCode {
    h.post_raw(
        "/api/v1/auth/login",
        None,
        json!({ "email": email, "password": password }).to_string(),
    )
    .send()
    .await
    .unwrap()
    .status()
}

/// The token a reset mail carries: the line after the app's instructions,
/// which the link ends with too.
fn token_in(body: &str) -> String {
    let link = body
        .lines()
        .find(|l| l.starts_with("https://help.provider.example/reset-password?token="))
        .unwrap_or_else(|| panic!("no link in {body}"));
    let token = link.rsplit('=').next().unwrap().to_owned();
    assert!(
        body.lines().any(|l| l.trim() == token),
        "the token itself is in the mail too: {body}"
    );
    token
}

async fn the_token_works_once_and_ends_old_sessions(engine: Engine) {
    let (sink, h) = SmtpSink::with_helpdesk(engine).await;
    let old_session = h.login(USER).await;

    // An unknown address first: the same 202, and (the known one's mail
    // arriving first and alone shows) no mail.
    assert_eq!(
        request(&h, "nobody@acme.example").await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        request(&h, " User@Acme.example ").await.status(),
        StatusCode::ACCEPTED
    );
    let mails = sink.wait_for(1).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(mail.to, USER);
    assert!(mail.from.contains("helpdesk@provider.example"), "{mail:?}");
    assert!(mail.subject.contains("password"), "{mail:?}");
    let token = token_in(&mail.body);

    // Stored only as a hash: the token is nowhere in the database.
    assert!(!database_holds(&h, &token).await);

    // A too short password changes nothing and keeps the token.
    let r = confirm(&h, &token, "short").await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(
        h.get("/api/v1/me", &old_session).await.status(),
        StatusCode::OK
    );

    let r = confirm(&h, &token, NEW_PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({ "email": USER }));
    assert_eq!(
        h.get("/api/v1/me", &old_session).await.status(),
        StatusCode::UNAUTHORIZED,
        "every old session ended"
    );
    assert_eq!(
        sign_in(&h, USER, "demo-password").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(sign_in(&h, USER, NEW_PASSWORD).await, StatusCode::OK);

    // Once only.
    let r = confirm(&h, &token, "yet-another-password").await;
    let message = expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    assert!(message.contains("new mail"), "{message}");
    assert_eq!(sign_in(&h, USER, NEW_PASSWORD).await, StatusCode::OK);
    let r = confirm(&h, "not-a-token", NEW_PASSWORD).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
}

/// Whether the reset tokens' table keeps `needle` itself (it must keep
/// only hashes).
async fn database_holds(h: &Helpdesk, needle: &str) -> bool {
    const SQL: &str = "SELECT COUNT(*) FROM password_resets WHERE token_hash = $1";
    let count: i64 = if h.db_url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(&h.db_url).await.unwrap();
        let (n,): (i64,) = sqlx::query_as(SQL)
            .bind(needle)
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        n
    } else {
        let pool = sqlx::PgPool::connect(&h.db_url).await.unwrap();
        let (n,): (i64,) = sqlx::query_as(SQL)
            .bind(needle)
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        n
    };
    count > 0
}

async fn an_expired_token_is_refused(engine: Engine) {
    let sink = SmtpSink::start().await;
    let config = deskmate_server::Config {
        password_reset_lifetime: chrono::Duration::zero(),
        ..with_mail(&sink)
    };
    let h = Helpdesk::start_with(engine, config).await;
    assert_eq!(request(&h, USER).await.status(), StatusCode::ACCEPTED);
    let token = token_in(&sink.wait_for(1).await[0].body);
    let r = confirm(&h, &token, NEW_PASSWORD).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(sign_in(&h, USER, "demo-password").await, StatusCode::OK);
}

async fn requests_are_rate_limited_per_address_and_account(engine: Engine) {
    let (sink, h) = SmtpSink::with_helpdesk(engine).await;
    for _ in 0..deskmate_server::handlers::password_reset::RESETS_PER_ADDRESS {
        assert_eq!(request(&h, USER).await.status(), StatusCode::ACCEPTED);
    }
    let r = request(&h, USER).await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Unknown addresses are limited alike.
    for _ in 0..deskmate_server::handlers::password_reset::RESETS_PER_ADDRESS {
        request(&h, "nobody@acme.example").await;
    }
    let r = request(&h, "nobody@acme.example").await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Of the five answered requests only three mailed the account: a
    // request of another account, answered after them, arrives fourth.
    assert_eq!(
        request(&h, "admin@acme.example").await.status(),
        StatusCode::ACCEPTED
    );
    let mails = sink.wait_for(4).await;
    let to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    let per_account = deskmate_server::handlers::password_reset::RESET_MAILS_PER_ACCOUNT as usize;
    assert_eq!(to.len(), per_account + 1, "{to:?}");
    assert!(to[..per_account].iter().all(|t| *t == USER), "{to:?}");
    assert_eq!(to[per_account], "admin@acme.example");
}

async fn without_smtp_the_reset_says_so(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let r = request(&h, USER).await;
    let message = expect_error(r, StatusCode::SERVICE_UNAVAILABLE, "mail_not_configured").await;
    assert!(message.contains("e-mail"), "{message}");
    // The rest works.
    assert_eq!(sign_in(&h, USER, "demo-password").await, StatusCode::OK);
}

async fn a_dead_smtp_server_fails_no_request(engine: Engine) {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = deskmate_server::Config {
        mail: Some(deskmate_server::mail::MailSettings {
            smtp_url: format!("smtp://127.0.0.1:{port}"),
            from: "helpdesk@provider.example".to_owned(),
            public_url: "https://help.provider.example".to_owned(),
        }),
        ..deskmate_server::Config::default()
    };
    let h = Helpdesk::start_with(engine, config).await;
    for _ in 0..3 {
        assert_eq!(request(&h, USER).await.status(), StatusCode::ACCEPTED);
    }
}

on_both_engines!(
    the_token_works_once_and_ends_old_sessions,
    an_expired_token_is_refused,
    requests_are_rate_limited_per_address_and_account,
    without_smtp_the_reset_says_so,
    a_dead_smtp_server_fails_no_request,
);
