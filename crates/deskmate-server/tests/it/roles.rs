//! Promoting and demoting an organisation's accounts, on both engines: only
//! a customer admin changes roles, a promoted account has every right, a
//! demoted one keeps them unless told which, and an organisation always
//! keeps a customer admin.

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "a-long-password-1";

fn rights(all_tickets: bool, invoices: bool, manage_users: bool) -> Value {
    json!({"all_tickets": all_tickets, "invoices": invoices, "call_records": false,
           "manage_users": manage_users, "expedite": false})
}

fn every_right() -> Value {
    json!({"all_tickets": true, "invoices": true, "call_records": true,
           "manage_users": true, "expedite": true})
}

async fn patch(h: &Helpdesk, token: &str, id: i64, body: Value) -> reqwest::Response {
    h.send(Method::PATCH, &format!("/api/v1/users/{id}"), token, body)
        .await
}

/// The account `id` as `GET /api/v1/users` lists it.
async fn listed(h: &Helpdesk, token: &str, id: i64) -> Value {
    let r = h.get("/api/v1/users", token).await;
    assert_eq!(r.status(), StatusCode::OK);
    let list: Value = r.json().await.unwrap();
    list["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .cloned()
        .unwrap()
}

async fn add(h: &Helpdesk, admin: &str, email: &str, rights: Value) -> i64 {
    let body = json!({"email": email, "name": "Added", "password": PASSWORD, "rights": rights});
    let r = h.send(Method::POST, "/api/v1/users", admin, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn token_of(h: &Helpdesk, email: &str) -> String {
    let r = h
        .http
        .post(format!("{}/api/v1/auth/login", h.url))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn customer_admins_promote_and_demote_and_one_always_stays(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let admin = h.login("admin@acme.example").await;
    let me: Value = h.get("/api/v1/me", &admin).await.json().await.unwrap();
    let admin_id = me["id"].as_i64().unwrap();

    // The last customer admin cannot demote themselves; nothing changes.
    let r = patch(&h, &admin, admin_id, json!({"role": "customer_user"})).await;
    let message = expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert!(message.contains("last customer admin"), "{message}");
    assert_eq!(listed(&h, &admin, admin_id).await["role"], "customer_admin");
    let r = patch(&h, &admin, admin_id, json!({"role": "agent"})).await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;

    // A manager who is not an admin neither promotes nor demotes.
    let mo = add(&h, &admin, "mo@acme.example", rights(true, false, true)).await;
    let mo_token = token_of(&h, "mo@acme.example").await;
    let nina = add(&h, &admin, "nina@acme.example", rights(false, true, false)).await;
    let r = patch(&h, &mo_token, nina, json!({"role": "customer_admin"})).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(listed(&h, &admin, nina).await["role"], "customer_user");

    // Promoted: every right, at once.
    let r = patch(&h, &admin, nina, json!({"role": "customer_admin"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let promoted: Value = r.json().await.unwrap();
    assert_eq!(promoted["role"], "customer_admin");
    assert_eq!(promoted["rights"], every_right());
    let nina_token = token_of(&h, "nina@acme.example").await;
    let nina_me: Value = h.get("/api/v1/me", &nina_token).await.json().await.unwrap();
    assert_eq!(nina_me["role"], "customer_admin");
    // Mo may no longer change Nina's account.
    let r = patch(&h, &mo_token, nina, json!({"name": "N"})).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;

    // With a second admin, the first may step down, keeping every right
    // unless the same request says which.
    let r = patch(&h, &admin, admin_id, json!({"role": "customer_user"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let demoted: Value = r.json().await.unwrap();
    assert_eq!(demoted["role"], "customer_user");
    assert_eq!(demoted["rights"], every_right());
    let r = patch(
        &h,
        &nina_token,
        admin_id,
        json!({"role": "customer_admin", "rights": rights(true, false, true)}),
    )
    .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = patch(
        &h,
        &nina_token,
        mo,
        json!({"role": "customer_user", "rights": rights(true, true, true)}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "a no-op role is no promotion");
    assert_eq!(
        r.json::<Value>().await.unwrap()["rights"],
        rights(true, true, true)
    );

    // Now Nina is the last admin: her own demotion is refused too.
    let r = patch(&h, &nina_token, nina, json!({"role": "customer_user"})).await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(
        listed(&h, &nina_token, nina).await["role"],
        "customer_admin"
    );
    h.server.shutdown().await;
}

on_both_engines!(customer_admins_promote_and_demote_and_one_always_stays);
