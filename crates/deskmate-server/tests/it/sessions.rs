//! Signing in and staying signed in over real HTTP, on both engines: the
//! token, its refusal when wrong or expired, the per-address rate limit,
//! changing the password and refreshing the token.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn sign_in_gives_a_token_and_the_same_refusal_for_any_wrong_credentials(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let r = h
        .http
        .post(format!("{}/api/v1/auth/login", h.url))
        .json(&json!({"email": "USER@acme.example", "password": "demo-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token"].as_str().unwrap().len(), 64);
    assert_eq!(body["user"]["name"], "Umberto User");
    assert_eq!(body["user"]["role"], "customer_user");
    assert_eq!(body["user"]["organisation"]["name"], "Acme Hosting Ltd");

    let wrong_password = h
        .http
        .post(format!("{}/api/v1/auth/login", h.url))
        .json(&json!({"email": "user@acme.example", "password": "nope"}))
        .send()
        .await
        .unwrap();
    let a = expect_error(wrong_password, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let unknown_email = h
        .http
        .post(format!("{}/api/v1/auth/login", h.url))
        .json(&json!({"email": "nobody@acme.example", "password": "nope"}))
        .send()
        .await
        .unwrap();
    let b = expect_error(unknown_email, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(a, b, "an unknown address is not revealed");

    // The token works, and `me` says who it belongs to.
    let token = h.login("admin@globex.example").await;
    let me: Value = h
        .http
        .get(format!("{}/api/v1/me", h.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "admin@globex.example");
    assert_eq!(me["role"], "customer_admin");
    h.server.shutdown().await;
}

async fn tickets_need_a_valid_unexpired_token(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let url = format!("{}/api/v1/tickets", h.url);
    let r = h.http.get(&url).send().await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h
        .http
        .get(&url)
        .bearer_auth("made-up")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h
        .http
        .get(&url)
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // An expired session is refused like an unknown one.
    let token = h.login("user@acme.example").await;
    assert!(!h.tickets(&token).await.is_empty());
    let db = deskmate_server::Db::open(&h.db_url).await.unwrap();
    let user_id = db
        .user_by_email("user@acme.example")
        .await
        .unwrap()
        .unwrap()
        .id;
    db.expire_sessions_of(user_id).await.unwrap();
    db.close().await;
    let r = h.http.get(&url).bearer_auth(&token).send().await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Logout ends the session.
    let token = h.login("user@acme.example").await;
    let r = h
        .post_raw("/api/v1/auth/logout", Some(&token), "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = h.http.get(&url).bearer_auth(&token).send().await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    h.server.shutdown().await;
}

async fn sign_in_is_rate_limited_per_address(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let attempt = |email: &'static str, password: &'static str| {
        h.http
            .post(format!("{}/api/v1/auth/login", h.url))
            .json(&json!({"email": email, "password": password}))
            .send()
    };
    for _ in 0..10 {
        let r = attempt("User@Acme.example", "guess").await.unwrap();
        expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // Now even the right password is refused for a while, on any spelling.
    let r = attempt("user@acme.example", "demo-password").await.unwrap();
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Other addresses are not affected; a success clears an address's failures.
    let r = attempt("admin@acme.example", "guess").await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    h.login("admin@acme.example").await;
    h.server.shutdown().await;
}

async fn changing_the_password_ends_the_other_sessions(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let here = h.login("user@acme.example").await;
    let elsewhere = h.login("user@acme.example").await;
    let other_user = h.login("admin@acme.example").await;
    let hd = &h;
    let change = |token: &str, current: &str, new: &str| {
        let token = token.to_owned();
        let body = json!({"current_password": current, "new_password": new});
        async move {
            hd.send(Method::POST, "/api/v1/auth/password", &token, body)
                .await
        }
    };

    // Refusals change nothing.
    let r = change(&here, "demo-password", "too-short").await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = change(&here, "demo-password", "demo-password").await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let long = "x".repeat(1025);
    let r = change(&here, "demo-password", &long).await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = change(&here, "wrong-password", "a-new-password-1").await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h
        .post_raw(
            "/api/v1/auth/password",
            Some(&here),
            r#"{"new_password":"x"}"#,
        )
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = h
        .post_raw(
            "/api/v1/auth/password",
            None,
            json!({"current_password": "demo-password", "new_password": "a-new-password-1"})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        h.get("/api/v1/me", &elsewhere).await.status(),
        StatusCode::OK
    );

    // Changed: this session goes on, the user's others end, nobody else's.
    let r = change(&here, "demo-password", "a-new-password-1").await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(h.get("/api/v1/me", &here).await.status(), StatusCode::OK);
    let r = h.get("/api/v1/me", &elsewhere).await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        h.get("/api/v1/me", &other_user).await.status(),
        StatusCode::OK
    );
    let sign_in = |password: &'static str| {
        h.http
            .post(format!("{}/api/v1/auth/login", h.url))
            .json(&json!({"email": "user@acme.example", "password": password}))
            .send()
    };
    let r = sign_in("demo-password").await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        sign_in("a-new-password-1").await.unwrap().status(),
        StatusCode::OK
    );

    // A wrong current password is a failed sign-in of the address: enough of
    // them lock both the change and the sign-in for a while.
    for _ in 0..10 {
        let r = change(&here, "guess-guess", "another-password-2").await;
        expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let r = change(&here, "a-new-password-1", "another-password-2").await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let r = sign_in("a-new-password-1").await.unwrap();
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    h.server.shutdown().await;
}

async fn refreshing_swaps_the_token_for_a_new_one(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let old = h.login("user@acme.example").await;
    let other = h.login("user@acme.example").await;
    let before = chrono::Utc::now();
    let r = h
        .post_raw("/api/v1/auth/refresh", Some(&old), "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    let new = body["token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert_eq!(body["user"]["email"], "user@acme.example");
    let expires: chrono::DateTime<chrono::Utc> =
        body["expires_at"].as_str().unwrap().parse().unwrap();
    let days = (expires - before).num_hours() as f64 / 24.0;
    assert!((29.9..=30.1).contains(&days), "expires in {days} days");

    // The old token has ended; the new one and the user's others work.
    let r = h.get("/api/v1/me", &old).await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(h.get("/api/v1/me", &new).await.status(), StatusCode::OK);
    assert_eq!(h.get("/api/v1/me", &other).await.status(), StatusCode::OK);
    let r = h
        .post_raw("/api/v1/auth/refresh", Some(&old), "")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h
        .post_raw("/api/v1/auth/refresh", None, "")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Logging out the new token ends it like any other.
    let r = h
        .post_raw("/api/v1/auth/logout", Some(&new), "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = h.get("/api/v1/me", &new).await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    h.server.shutdown().await;
}

on_both_engines!(
    sign_in_gives_a_token_and_the_same_refusal_for_any_wrong_credentials,
    tickets_need_a_valid_unexpired_token,
    sign_in_is_rate_limited_per_address,
    changing_the_password_ends_the_other_sessions,
    refreshing_swaps_the_token_for_a_new_one,
);
