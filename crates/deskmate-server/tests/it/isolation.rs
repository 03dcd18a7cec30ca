//! Organisations never see into each other: every route of the OpenAPI
//! document that takes an id answers another organisation's id exactly as it
//! answers an id that does not exist, never with success, and changes
//! nothing. The routes are read from the document the server serves, so a
//! new route with an id is walked too (or the test says what it lacks).

use std::collections::BTreeMap;

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// An id no table holds.
const UNKNOWN: i64 = 987_654_321;

/// Acme's records, as Acme's admin sees them.
struct AcmeIds {
    ticket: i64,
    attachment: i64,
    announcement: i64,
    remote_session: i64,
    order_delay: i64,
    user: i64,
    organisation: i64,
    notification_address: i64,
    account_request: i64,
}

async fn json_of(h: &Helpdesk, path: &str, token: &str) -> Value {
    let r = h.get(path, token).await;
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    r.json().await.unwrap()
}

async fn acme_ids(h: &Helpdesk, acme: &str) -> AcmeIds {
    let me = json_of(h, "/api/v1/me", acme).await;
    let acme_org = me["organisation"]["id"].as_i64().unwrap();
    let mut with_attachment = None;
    let mut with_session = None;
    for t in h.tickets(acme).await {
        let id = t["id"].as_i64().unwrap();
        let detail = h.detail(id, acme).await;
        if let Some(a) = detail["attachments"].as_array().and_then(|a| a.first()) {
            with_attachment = Some((id, a["id"].as_i64().unwrap()));
        }
        let sessions = json_of(h, &format!("/api/v1/tickets/{id}/remote-sessions"), acme).await;
        if let Some(s) = sessions["remote_sessions"]
            .as_array()
            .and_then(|s| s.first())
        {
            with_session = Some(s["id"].as_i64().unwrap());
        }
    }
    let (ticket, attachment) = with_attachment.expect("the demo attaches files to Acme tickets");
    let announcements = json_of(h, "/api/v1/announcements", acme).await;
    let announcement = announcements["announcements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["organisation_id"].as_i64() == Some(acme_org))
        .expect("the demo plans a maintenance for Acme only")["id"]
        .as_i64()
        .unwrap();
    let delays = json_of(h, "/api/v1/order-delays", acme).await;
    let order_delay = delays["order_delays"][0]["id"].as_i64().unwrap();
    let users = json_of(h, "/api/v1/users", acme).await;
    let user = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "user@acme.example")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // A notification address and a pending account request of Acme's.
    let r = h
        .send(
            reqwest::Method::POST,
            "/api/v1/notification-addresses",
            acme,
            json!({"kind": "support", "email": "support@acme.example"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let notification_address = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = h
        .post_raw(
            "/api/v1/account-requests",
            None,
            json!({"name": "N", "email": "n@acme.example",
                "contract_number": deskmate_server::demo::DEMO_CONTRACT_ACME})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let account_request = json_of(h, "/api/v1/account-requests", acme).await["requests"][0]["id"]
        .as_i64()
        .unwrap();
    AcmeIds {
        notification_address,
        account_request,
        ticket,
        attachment,
        announcement,
        remote_session: with_session.expect("the demo asks Acme for a remote session"),
        order_delay,
        user,
        organisation: acme_org,
    }
}

/// The path with its ids filled in, and a valid body for the route, so
/// that only the id decides the answer.
fn request_for(method: &str, template: &str, ids: &AcmeIds, unknown: bool) -> (String, Body) {
    let id = |v: i64| if unknown { UNKNOWN } else { v };
    let (path, body) = match (method, template) {
        ("get", "/api/v1/tickets/{id}") => {
            (format!("/api/v1/tickets/{}", id(ids.ticket)), Body::None)
        }
        ("patch", "/api/v1/tickets/{id}") => (
            format!("/api/v1/tickets/{}", id(ids.ticket)),
            Body::Json(json!({"status": "closed"})),
        ),
        ("post", "/api/v1/tickets/{id}/messages") => (
            format!("/api/v1/tickets/{}/messages", id(ids.ticket)),
            Body::Json(json!({"body": "Let me in."})),
        ),
        ("post", "/api/v1/tickets/{id}/reopen") => (
            format!("/api/v1/tickets/{}/reopen", id(ids.ticket)),
            Body::Json(json!({"details": "Again."})),
        ),
        ("get", "/api/v1/tickets/{id}/expedite") => (
            format!("/api/v1/tickets/{}/expedite", id(ids.ticket)),
            Body::None,
        ),
        ("post", "/api/v1/tickets/{id}/expedite") => (
            format!("/api/v1/tickets/{}/expedite", id(ids.ticket)),
            Body::Json(json!({"accepted_price": {"amount_minor": 4900, "currency": "EUR"}})),
        ),
        ("post", "/api/v1/tickets/{id}/attachments") => (
            format!("/api/v1/tickets/{}/attachments", id(ids.ticket)),
            Body::File,
        ),
        ("get", "/api/v1/tickets/{id}/attachments/{attachment_id}") => (
            // Both the ticket and the file are Acme's, or both unknown.
            format!(
                "/api/v1/tickets/{}/attachments/{}",
                id(ids.ticket),
                id(ids.attachment)
            ),
            Body::None,
        ),
        ("get", "/api/v1/tickets/{id}/remote-sessions") => (
            format!("/api/v1/tickets/{}/remote-sessions", id(ids.ticket)),
            Body::None,
        ),
        ("post", "/api/v1/tickets/{id}/remote-sessions") => (
            format!("/api/v1/tickets/{}/remote-sessions", id(ids.ticket)),
            Body::Json(json!({"reason": "Look at it.", "tool": "rustdesk"})),
        ),
        ("patch", "/api/v1/announcements/{id}") => (
            format!("/api/v1/announcements/{}", id(ids.announcement)),
            Body::Json(json!({"title": "Taken over"})),
        ),
        ("delete", "/api/v1/announcements/{id}") => (
            format!("/api/v1/announcements/{}", id(ids.announcement)),
            Body::None,
        ),
        ("post", "/api/v1/remote-sessions/{id}/answer") => (
            format!("/api/v1/remote-sessions/{}/answer", id(ids.remote_session)),
            Body::Json(json!({"accept": true})),
        ),
        ("post", "/api/v1/remote-sessions/{id}/end") => (
            format!("/api/v1/remote-sessions/{}/end", id(ids.remote_session)),
            Body::Json(json!({"summary": "Done."})),
        ),
        ("post", "/api/v1/remote-sessions/{id}/cancel") => (
            format!("/api/v1/remote-sessions/{}/cancel", id(ids.remote_session)),
            Body::None,
        ),
        ("get", "/api/v1/remote-sessions/{id}/connection") => (
            format!(
                "/api/v1/remote-sessions/{}/connection",
                id(ids.remote_session)
            ),
            Body::None,
        ),
        ("get" | "put" | "delete", "/api/v1/tickets/{id}/ready-now") => (
            format!("/api/v1/tickets/{}/ready-now", id(ids.ticket)),
            Body::Json(json!({"minutes": 30})),
        ),
        ("post", "/api/v1/order-delays/{id}/answer") => (
            format!("/api/v1/order-delays/{}/answer", id(ids.order_delay)),
            Body::Json(json!({"answer": "Tomorrow."})),
        ),
        ("put", "/api/v1/tickets/{id}/availability") => (
            format!("/api/v1/tickets/{}/availability", id(ids.ticket)),
            Body::Json(json!({"time_zone": "Europe/Prague", "weekly": [
                {"days": ["mon"], "from": "09:00", "to": "10:00"}
            ]})),
        ),
        ("delete", "/api/v1/tickets/{id}/availability") => (
            format!("/api/v1/tickets/{}/availability", id(ids.ticket)),
            Body::None,
        ),
        ("post" | "delete", "/api/v1/queue/{id}/claim") => (
            format!("/api/v1/queue/{}/claim", id(ids.ticket)),
            Body::None,
        ),
        ("patch", "/api/v1/users/{id}") => (
            format!("/api/v1/users/{}", id(ids.user)),
            Body::Json(json!({"name": "Taken over"})),
        ),
        ("delete", "/api/v1/users/{id}") => (format!("/api/v1/users/{}", id(ids.user)), Body::None),
        ("patch", "/api/v1/notification-addresses/{id}") => (
            format!(
                "/api/v1/notification-addresses/{}",
                id(ids.notification_address)
            ),
            Body::Json(json!({"mail": true})),
        ),
        ("delete", "/api/v1/notification-addresses/{id}") => (
            format!(
                "/api/v1/notification-addresses/{}",
                id(ids.notification_address)
            ),
            Body::None,
        ),
        (
            "post",
            "/api/v1/account-requests/{id}/approve" | "/api/v1/account-requests/{id}/reject",
        ) => (
            template.replace("{id}", &id(ids.account_request).to_string()),
            Body::None,
        ),
        ("get", "/api/v1/organisations/{id}/services") => (
            format!("/api/v1/organisations/{}/services", id(ids.organisation)),
            Body::None,
        ),
        ("put" | "delete", "/api/v1/organisations/{id}/services/{reference}") => (
            format!(
                "/api/v1/organisations/{}/services/HST-WEB-01",
                id(ids.organisation)
            ),
            if method == "put" {
                Body::Json(json!({"name": "Taken over"}))
            } else {
                Body::None
            },
        ),
        _ => panic!(
            "{} {template} takes an id but this walk does not know it yet: add its \
             request to tests/isolation.rs",
            method.to_uppercase()
        ),
    };
    (path, body)
}

enum Body {
    None,
    Json(Value),
    File,
}

async fn call(h: &Helpdesk, method: &str, path: &str, body: &Body, token: &str) -> (u16, Value) {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let mut rb = h
        .http
        .request(method, format!("{}{path}", h.url))
        .bearer_auth(token);
    rb = match body {
        Body::None => rb,
        Body::Json(v) => rb.json(v),
        Body::File => rb.multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"09:10 nginx: 502".to_vec()).file_name("x.log"),
        )),
    };
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    let body = r.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// Everything an agent can see, to compare before and after.
async fn everything(h: &Helpdesk, agent: &str) -> Value {
    let (tickets, messages, cursor) = sync_all(h, agent, 0, 500).await;
    json!({
        "tickets": tickets,
        "messages": messages,
        "cursor": cursor,
        "announcements": json_of(h, "/api/v1/announcements", agent).await,
    })
}

async fn another_organisations_ids_are_unknown_ids(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login("agent@provider.example").await;
    let acme = h.login("admin@acme.example").await;
    let globex = h.login("admin@globex.example").await;
    let ids = acme_ids(&h, &acme).await;

    let document = json_of(&h, "/api/openapi.json", &globex).await;
    let mut routes = BTreeMap::new();
    for (template, operations) in document["paths"].as_object().unwrap() {
        if !template.contains('{') {
            continue;
        }
        for method in operations.as_object().unwrap().keys() {
            routes.insert((template.clone(), method.clone()), ());
        }
    }
    assert!(routes.len() >= 17, "every route with an id: {routes:?}");

    let before = everything(&h, &agent).await;
    for (template, method) in routes.keys() {
        let (theirs, body) = request_for(method, template, &ids, false);
        let (unknown, _) = request_for(method, template, &ids, true);
        let (status, answer) = call(&h, method, &theirs, &body, &globex).await;
        let (unknown_status, unknown_answer) = call(&h, method, &unknown, &body, &globex).await;
        let route = format!("{} {template}", method.to_uppercase());
        assert!(
            status == 404 || (status == 403 && answer["code"] == "forbidden"),
            "{route} with Acme's id answered Globex {status} {answer}"
        );
        assert_eq!(
            (status, &answer["code"]),
            (unknown_status, &unknown_answer["code"]),
            "{route}: Acme's id and an unknown one are answered alike"
        );
        if status == 404 {
            assert_eq!(answer["code"], "not_found", "{route}: {answer}");
        }
    }
    assert_eq!(
        everything(&h, &agent).await,
        before,
        "nothing of Acme's changed"
    );

    // The walk can tell: Globex's own ticket and Acme's for Acme answer.
    let own = h.tickets(&globex).await[0]["id"].as_i64().unwrap();
    assert_eq!(
        h.get(&format!("/api/v1/tickets/{own}"), &globex)
            .await
            .status(),
        200
    );
    let (status, _) = call(
        &h,
        "get",
        &format!(
            "/api/v1/tickets/{}/attachments/{}",
            ids.ticket, ids.attachment
        ),
        &Body::None,
        &acme,
    )
    .await;
    assert_eq!(status, 200);
    h.server.shutdown().await;
}

on_both_engines!(another_organisations_ids_are_unknown_ids);
