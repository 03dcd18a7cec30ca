//! Announcements and planned maintenance mailed to the opted-in support
//! addresses of the organisations they reach, through a real SMTP server,
//! on both engines: one naming a service only to the organisations having
//! it; a general one to every organisation; one organisation's own only to it.

use crate::notification_addresses::{add, set_domains};
use crate::support::smtp::SmtpSink;
use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn organisation(h: &Helpdesk, token: &str) -> i64 {
    let me: Value = h.get("/api/v1/me", token).await.json().await.unwrap();
    me["organisation"]["id"].as_i64().unwrap()
}

async fn post(h: &Helpdesk, agent: &str, body: Value) {
    let r = h
        .send(Method::POST, "/api/v1/announcements", agent, body)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
}

async fn announcements_mailed_to_whom_they_reach(engine: Engine) {
    let (sink, h) = SmtpSink::with_helpdesk(engine).await;
    let agent = h.login("agent@provider.example").await;
    let acme_admin = h.login("admin@acme.example").await;
    let globex_admin = h.login("admin@globex.example").await;
    let acme = organisation(&h, &acme_admin).await;
    let globex = organisation(&h, &globex_admin).await;
    set_domains(&h.db_url, acme, &["acme.example"]).unwrap();
    set_domains(&h.db_url, globex, &["globex.example"]).unwrap();
    for (token, email, mail) in [
        (&acme_admin, "noc@acme.example", true),
        (&acme_admin, "quiet@acme.example", false),
        (&globex_admin, "noc@globex.example", true),
    ] {
        let r = add(&h, token, "support", email, mail).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    // Abuse addresses get no announcements.
    let r = add(&h, &acme_admin, "abuse", "abuse@acme.example", true).await;
    assert_eq!(r.status(), StatusCode::CREATED);

    post(
        &h,
        &agent,
        json!({"kind": "maintenance", "title": "Web hosting: storage upgrade",
               "body": "Sites may answer slowly for a few minutes.",
               "affected_services": ["Managed web hosting"], "services": ["HST-WEB-01"],
               "starts_at": "2027-01-10T22:00:00Z", "ends_at": "2027-01-11T02:00:00Z"}),
    )
    .await;
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, "noc@acme.example", "{mails:?}");
    assert_eq!(
        mails[0].subject,
        "[Planned maintenance] Web hosting: storage upgrade"
    );
    assert!(
        mails[0]
            .body
            .contains("When: 2027-01-10 22:00 UTC to 2027-01-11 02:00 UTC"),
        "{mails:?}"
    );
    assert!(
        mails[0].body.contains("Affected: Managed web hosting"),
        "{mails:?}"
    );

    post(
        &h,
        &agent,
        json!({"kind": "announcement", "title": "New support hours",
               "body": "From February the phone line is open until 20:00."}),
    )
    .await;
    post(
        &h,
        &agent,
        json!({"kind": "announcement", "title": "Your contract renewal",
               "body": "Your contract renews in March.", "organisation_id": globex}),
    )
    .await;
    let mails = sink.wait_for(4).await;
    let mut got: Vec<(&str, &str)> = mails[1..]
        .iter()
        .map(|m| (m.to.as_str(), m.subject.as_str()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("noc@acme.example", "[Announcement] New support hours"),
            ("noc@globex.example", "[Announcement] New support hours"),
            ("noc@globex.example", "[Announcement] Your contract renewal"),
        ],
        "{mails:?}"
    );
    // Nothing more arrives for anyone.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.received().len(), 4);
}

on_both_engines!(announcements_mailed_to_whom_they_reach);
