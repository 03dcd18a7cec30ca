//! Account requests on both engines: a wrong contract number is refused;
//! the organisation's customer admin (not a user, not another
//! organisation) sees and approves a request, which creates the user and
//! mails a real SMTP server the set-password link; its token sets the
//! password and the new user signs in; rejection; an organisation
//! without customer admins has its requests decided by the provider.

use crate::support::smtp::SmtpSink;
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const ACME_CONTRACT: &str = deskmate_server::demo::DEMO_CONTRACT_ACME;

async fn ask(h: &Helpdesk, name: &str, email: &str, contract: &str) -> reqwest::Response {
    h.post_raw(
        "/api/v1/account-requests",
        None,
        json!({"name": name, "email": email, "contract_number": contract}).to_string(),
    )
    .send()
    .await
    .unwrap()
}

async fn pending(h: &Helpdesk, token: &str) -> Vec<Value> {
    let r = h.get("/api/v1/account-requests", token).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Value>().await.unwrap()["requests"]
        .as_array()
        .unwrap()
        .clone()
}

async fn decide(h: &Helpdesk, token: &str, id: &Value, verdict: &str) -> reqwest::Response {
    h.http
        .post(format!("{}/api/v1/account-requests/{id}/{verdict}", h.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn requests_are_decided_by_the_organisations_admins(engine: Engine) {
    let (sink, h) = SmtpSink::with_helpdesk(engine).await;
    let admin = h.login("admin@acme.example").await;
    let user = h.login("user@acme.example").await;
    let globex = h.login("admin@globex.example").await;
    let agent = h.login("agent@provider.example").await;

    let r = ask(&h, "Nadia Novak", "nadia@acme.example", "ACME-9999").await;
    let message = expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert!(message.contains("contract number"), "{message}");
    let r = ask(&h, "Nadia Novak", "not-an-address", ACME_CONTRACT).await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(
        ask(
            &h,
            "Nadia Novak",
            "Nadia@Acme.example",
            &format!(" {ACME_CONTRACT} ")
        )
        .await
        .status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        ask(&h, "Mallory", "mallory@acme.example", ACME_CONTRACT)
            .await
            .status(),
        StatusCode::ACCEPTED
    );

    // Who sees them: Acme's admin; not its user, not Globex, and not the
    // provider (Acme has an admin).
    let r = h.get("/api/v1/account-requests", &user).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(pending(&h, &globex).await, Vec::<Value>::new());
    assert_eq!(pending(&h, &agent).await, Vec::<Value>::new());
    let requests = pending(&h, &admin).await;
    let emails: Vec<&str> = requests
        .iter()
        .map(|r| r["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["nadia@acme.example", "mallory@acme.example"]);
    let (nadia, mallory) = (&requests[0]["id"], &requests[1]["id"]);
    let r = decide(&h, &globex, nadia, "approve").await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;

    // Approved: a customer user without rights, mailed the link.
    let r = decide(&h, &admin, nadia, "approve").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let account: Value = r.json().await.unwrap();
    assert_eq!(account["email"], "nadia@acme.example");
    assert_eq!(account["name"], "Nadia Novak");
    assert_eq!(account["role"], "customer_user");
    assert!(
        account["rights"]
            .as_object()
            .unwrap()
            .values()
            .all(|v| v == false)
    );
    let r = decide(&h, &admin, nadia, "approve").await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = decide(&h, &admin, mallory, "reject").await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(pending(&h, &admin).await, Vec::<Value>::new());

    let mails = sink.wait_for(1).await;
    assert_eq!(mails.len(), 1, "only the approved one: {mails:?}");
    assert_eq!(mails[0].to, "nadia@acme.example");
    let link = mails[0]
        .body
        .lines()
        .find(|l| l.contains("/reset-password?token="))
        .unwrap();
    let token = link.rsplit('=').next().unwrap();
    let r = h
        .post_raw(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "nadias-own-password"}).to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = h
        .post_raw(
            "/api/v1/auth/login",
            None,
            json!({"email": "nadia@acme.example", "password": "nadias-own-password"}).to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn without_an_admin_the_provider_decides(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login("agent@provider.example").await;
    let db = deskmate_server::Db::open(&h.db_url).await.unwrap();
    let initech = db.create_organisation("Initech").await.unwrap();
    db.set_contract_number(initech, Some("INI-1"))
        .await
        .unwrap();
    let r = db.set_contract_number(initech, Some(ACME_CONTRACT)).await;
    assert!(r.is_err(), "contract numbers are unique");
    db.close().await;
    assert_eq!(
        ask(&h, "Peter", "peter@initech.example", "INI-1")
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let requests = pending(&h, &agent).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["organisation"]["name"], "Initech");
    // Without mail, approval says so and changes nothing; rejection works.
    let r = decide(&h, &agent, &requests[0]["id"], "approve").await;
    expect_error(r, StatusCode::SERVICE_UNAVAILABLE, "mail_not_configured").await;
    assert_eq!(pending(&h, &agent).await.len(), 1);
    let r = decide(&h, &agent, &requests[0]["id"], "reject").await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Rate limit per address.
    for _ in 1..deskmate_server::handlers::account_requests::REQUESTS_PER_ADDRESS {
        ask(&h, "Peter", "peter@initech.example", "INI-1").await;
    }
    let r = ask(&h, "Peter", "peter@initech.example", "INI-1").await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

on_both_engines!(
    requests_are_decided_by_the_organisations_admins,
    without_an_admin_the_provider_decides,
);
