//! Organisations' services and the announcements that name them, and
//! order-delay requests that ask for one typed thing (seed 000), over real
//! HTTP on both engines; and the admin subcommands that set services.

use std::process::Command;

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const AGENT: &str = "agent@provider.example";
const ACME_USER: &str = "user@acme.example";
const GLOBEX: &str = "admin@globex.example";

pub(crate) async fn organisation_id(h: &Helpdesk, token: &str) -> i64 {
    let me: Value = h.get("/api/v1/me", token).await.json().await.unwrap();
    me["organisation"]["id"].as_i64().unwrap()
}

pub(crate) async fn put_service(
    h: &Helpdesk,
    agent: &str,
    org: i64,
    reference: &str,
    name: &str,
) -> Value {
    let path = format!("/api/v1/organisations/{org}/services/{reference}");
    let r = h
        .send(Method::PUT, &path, agent, json!({ "name": name }))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn remove_service(h: &Helpdesk, token: &str, org: i64, reference: &str) -> reqwest::Response {
    h.http
        .delete(format!(
            "{}/api/v1/organisations/{org}/services/{reference}",
            h.url
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn references(h: &Helpdesk, token: &str, org: i64) -> Vec<String> {
    let r = h
        .get(&format!("/api/v1/organisations/{org}/services"), token)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let list: Value = r.json().await.unwrap();
    list["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reference"].as_str().unwrap().to_owned())
        .collect()
}

async fn services_are_set_listed_and_removed_by_agents(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX).await;
    let acme = organisation_id(&h, &user).await;
    let globex_id = organisation_id(&h, &globex).await;
    // The demo's, by reference; an organisation's people read their own.
    assert_eq!(
        references(&h, &user, acme).await,
        ["HST-MAIL-01", "HST-WEB-01"]
    );
    assert_eq!(
        references(&h, &agent, globex_id).await,
        ["GLX-ETH-07", "GLX-SIP-01"]
    );
    let other = h
        .get(
            &format!("/api/v1/organisations/{globex_id}/services"),
            &user,
        )
        .await;
    expect_error(other, StatusCode::NOT_FOUND, "not_found").await;

    let set = put_service(&h, &agent, acme, "VPS-7.a_1", "  Managed VPS  ").await;
    assert_eq!(set["name"], "Managed VPS");
    assert_eq!(set["organisation_id"], acme);
    let renamed = put_service(&h, &agent, acme, "VPS-7.a_1", "Managed VPS Milan").await;
    assert_eq!(renamed["id"], set["id"]);
    assert_eq!(renamed["name"], "Managed VPS Milan");
    assert!(
        references(&h, &user, acme)
            .await
            .contains(&"VPS-7.a_1".to_owned())
    );

    // Refusals change nothing.
    let path = format!("/api/v1/organisations/{acme}/services/VPS-8");
    let by_customer = h
        .send(Method::PUT, &path, &user, json!({"name": "Mine"}))
        .await;
    expect_error(by_customer, StatusCode::FORBIDDEN, "forbidden").await;
    let empty = h
        .send(Method::PUT, &path, &agent, json!({"name": "  "}))
        .await;
    expect_error(empty, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let long = h
        .send(Method::PUT, &path, &agent, json!({"name": "x".repeat(201)}))
        .await;
    expect_error(long, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let unknown = h
        .send(Method::PUT, &path, &agent, json!({"name": "A", "x": 1}))
        .await;
    expect_error(unknown, StatusCode::BAD_REQUEST, "bad_request").await;
    let bad_ref = format!("/api/v1/organisations/{acme}/services/-no");
    let r = h
        .send(Method::PUT, &bad_ref, &agent, json!({"name": "A"}))
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = h
        .send(
            Method::PUT,
            "/api/v1/organisations/999999/services/A",
            &agent,
            json!({"name": "A"}),
        )
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    assert!(
        !references(&h, &agent, acme)
            .await
            .contains(&"VPS-8".to_owned())
    );

    let r = remove_service(&h, &user, acme, "VPS-7.a_1").await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(
        remove_service(&h, &agent, acme, "VPS-7.a_1").await.status(),
        StatusCode::NO_CONTENT
    );
    let again = remove_service(&h, &agent, acme, "VPS-7.a_1").await;
    expect_error(again, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        references(&h, &agent, acme).await,
        ["HST-MAIL-01", "HST-WEB-01"]
    );
}

fn works_on(title: &str, services: &[&str]) -> Value {
    json!({
        "kind": "maintenance",
        "title": title,
        "body": "Short interruptions.",
        "services": services,
        "starts_at": "2030-03-01T22:00:00Z",
        "ends_at": "2030-03-02T02:00:00Z",
    })
}

async fn titles(h: &Helpdesk, token: &str) -> Vec<String> {
    let list: Value = h
        .get("/api/v1/announcements", token)
        .await
        .json()
        .await
        .unwrap();
    list["announcements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Everything `/api/v1/sync` hands `token` after `cursor`: announcements
/// by id, the ids of deletions, and the last cursor.
async fn synced(h: &Helpdesk, token: &str, cursor: i64) -> (Vec<Value>, Vec<i64>, i64) {
    let page: Value = h
        .get(&format!("/api/v1/sync?cursor={cursor}"), token)
        .await
        .json()
        .await
        .unwrap();
    let gone = page["deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    (
        page["announcements"].as_array().unwrap().clone(),
        gone,
        page["cursor"].as_i64().unwrap(),
    )
}

async fn announcements_for_a_service_reach_only_its_organisations(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX).await;
    let acme = organisation_id(&h, &user).await;
    let (_, _, acme_cursor) = synced(&h, &user, 0).await;
    let (_, _, globex_cursor) = synced(&h, &globex, 0).await;
    let mut acme_events = Events::open(&h, &user, None).await;
    let mut globex_events = Events::open(&h, &globex, None).await;

    // The demo's: Acme sees its mail relay work, not Globex's SIP platform.
    let acme_titles = titles(&h, &user).await;
    assert!(acme_titles.contains(&"Planned maintenance: mail relay upgrade".to_owned()));
    assert!(!acme_titles.contains(&"Planned maintenance: SIP platform in Milan".to_owned()));
    let globex_titles = titles(&h, &globex).await;
    assert!(globex_titles.contains(&"Planned maintenance: SIP platform in Milan".to_owned()));
    assert!(!globex_titles.contains(&"Planned maintenance: mail relay upgrade".to_owned()));

    // One for a Globex service and one for an Acme service and an unused one.
    let sip = h
        .send(
            Method::POST,
            "/api/v1/announcements",
            &agent,
            works_on("SIP works", &["GLX-SIP-01"]),
        )
        .await;
    assert_eq!(sip.status(), StatusCode::CREATED);
    let sip: Value = sip.json().await.unwrap();
    assert_eq!(
        sip["services"],
        json!([{"reference": "GLX-SIP-01", "name": null}])
    );
    let web = h
        .send(
            Method::POST,
            "/api/v1/announcements",
            &agent,
            works_on("Web works", &["HST-WEB-01", "NOBODY-1"]),
        )
        .await;
    let web: Value = web.json().await.unwrap();

    // Live: each organisation hears of its own only.
    let e = acme_events
        .next(SOON)
        .await
        .expect("Acme hears of its service's");
    assert_eq!(e.data["id"], web["id"]);
    let e = globex_events
        .next(SOON)
        .await
        .expect("Globex hears of its service's");
    assert_eq!(e.data["id"], sip["id"]);
    assert!(acme_events.next(QUIET).await.is_none());
    assert!(globex_events.next(QUIET).await.is_none());

    // The list: its own service's, named as the organisation names it; the
    // references it does not have are not shown to it.
    let list: Value = h
        .get("/api/v1/announcements", &user)
        .await
        .json()
        .await
        .unwrap();
    let mine = list["announcements"].as_array().unwrap();
    assert!(mine.iter().all(|a| a["id"] != sip["id"]));
    let web_seen = mine.iter().find(|a| a["id"] == web["id"]).unwrap();
    assert_eq!(
        web_seen["services"],
        json!([{"reference": "HST-WEB-01", "name": "Managed web hosting"}])
    );
    // Sync: the same.
    let (changed, _, acme_cursor) = synced(&h, &user, acme_cursor).await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["services"], web_seen["services"]);
    let (changed, _, globex_cursor) = synced(&h, &globex, globex_cursor).await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["id"], sip["id"]);
    // Agents see every one, with every reference.
    let everything = titles(&h, &agent).await;
    assert!(
        everything.contains(&"SIP works".to_owned())
            && everything.contains(&"Web works".to_owned())
    );

    // Acme is given the SIP service: the SIP works reach it, live and by
    // sync (the demo's works on the SIP platform too).
    put_service(&h, &agent, acme, "GLX-SIP-01", "Our SIP trunk").await;
    let mut heard = Vec::new();
    for _ in 0..2 {
        let e = acme_events
            .next(SOON)
            .await
            .expect("Acme hears of them now");
        heard.push(e.data["id"].as_i64().unwrap());
    }
    let sip_id = sip["id"].as_i64().unwrap();
    assert!(heard.contains(&sip_id), "{heard:?}");
    let (changed, _, acme_cursor) = synced(&h, &user, acme_cursor).await;
    assert_eq!(changed.len(), 2);
    let ours = changed.iter().find(|a| a["id"] == sip["id"]).unwrap();
    assert_eq!(
        ours["services"],
        json!([{"reference": "GLX-SIP-01", "name": "Our SIP trunk"}])
    );
    assert!(titles(&h, &user).await.contains(&"SIP works".to_owned()));
    // Taken away again: withdrawn from Acme alone.
    assert_eq!(
        remove_service(&h, &agent, acme, "GLX-SIP-01")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let (changed, mut gone, _) = synced(&h, &user, acme_cursor).await;
    assert!(changed.is_empty());
    gone.sort_unstable();
    heard.sort_unstable();
    assert_eq!(gone, heard);
    assert!(!titles(&h, &user).await.contains(&"SIP works".to_owned()));
    let (_, gone, _) = synced(&h, &globex, globex_cursor).await;
    assert!(gone.is_empty(), "Globex still sees it");
    assert!(titles(&h, &globex).await.contains(&"SIP works".to_owned()));
    let (_, gone, _) = synced(&h, &agent, 0).await;
    assert!(!gone.contains(&sip_id), "agents still see it");

    // Services are fixed at posting, and their references checked.
    let path = format!("/api/v1/announcements/{}", sip["id"]);
    let r = h
        .send(Method::PATCH, &path, &agent, json!({"services": []}))
        .await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = h
        .send(
            Method::POST,
            "/api/v1/announcements",
            &agent,
            works_on("Bad", &["no spaces"]),
        )
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let many: Vec<String> = (0..21).map(|i| format!("S{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let r = h
        .send(
            Method::POST,
            "/api/v1/announcements",
            &agent,
            works_on("Bad", &many),
        )
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
}

fn delay(org: i64, kind: &str, charge: Option<Value>) -> Value {
    let mut body = json!({
        "organisation_id": org,
        "order_number": format!("ORD-{kind}"),
        "question": "What we need to go on.",
        "kind": kind,
    });
    if let Some(charge) = charge {
        body["charge"] = charge;
    }
    body
}

async fn asked(h: &Helpdesk, agent: &str, body: Value) -> Value {
    let r = h
        .send(Method::POST, "/api/v1/order-delays", agent, body)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

async fn typed_order_delays_take_their_own_answer_once(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX).await;
    let acme = organisation_id(&h, &user).await;
    let eur = json!({"amount_minor": 18000, "currency": "EUR"});

    // What agents may ask.
    for (body, status, code) in [
        (
            delay(acme, "extra_charge", None),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            delay(acme, "site_access", Some(eur.clone())),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            delay(acme, "shrug", None),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ] {
        let r = h
            .send(Method::POST, "/api/v1/order-delays", &agent, body)
            .await;
        expect_error(r, status, code).await;
    }

    let date = asked(&h, &agent, delay(acme, "resolution_date", None)).await;
    let access = asked(&h, &agent, delay(acme, "site_access", None)).await;
    let charge = asked(&h, &agent, delay(acme, "extra_charge", Some(eur.clone()))).await;
    assert_eq!(charge["kind"], "extra_charge");
    assert_eq!(charge["charge"], eur);
    assert_eq!(access["charge"], Value::Null);

    let answer = |id: &Value, token: &str, body: Value| {
        let path = format!("/api/v1/order-delays/{id}/answer");
        let token = token.to_owned();
        let h = &h;
        async move { h.send(Method::POST, &path, &token, body).await }
    };
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .date_naive()
        .to_string();
    let long_ago = (chrono::Utc::now() - chrono::Duration::days(3))
        .date_naive()
        .to_string();
    let refusals = [
        (
            &date,
            json!({"charge_accepted": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            &date,
            json!({"answer": "Soon"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            &date,
            json!({"resolution_date": long_ago}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            &date,
            json!({"resolution_date": "2030-02-30"}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            &date,
            json!({"resolution_date": "next week"}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            &access,
            json!({"site_contact": {"name": "Ada"}}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            &access,
            json!({"site_contact": {"name": " ", "phone": "+39 02 1234"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            &access,
            json!({"site_contact": {"name": "Ada", "phone": "ring the bell"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            &access,
            json!({"resolution_date": tomorrow}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            &charge,
            json!({}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            &charge,
            json!({"charge_accepted": "yes"}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ];
    for (request, body, status, code) in refusals {
        let r = answer(&request["id"], &user, body.clone()).await;
        assert_eq!(r.status(), status, "{body}");
        expect_error(r, status, code).await;
    }
    // Another organisation's request is answered like one that does not exist.
    let r = answer(&date["id"], &globex, json!({"resolution_date": tomorrow})).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;

    // The answers, recorded in their typed fields.
    let r = answer(&date["id"], &user, json!({"resolution_date": tomorrow})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let contact =
        json!({"name": "Ada Rossi", "phone": "+39 02 1234 5678", "email": "ada@acme.example"});
    let r = answer(
        &access["id"],
        &user,
        json!({"site_contact": contact, "answer": "Reception first"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = answer(&charge["id"], &user, json!({"charge_accepted": false})).await;
    assert_eq!(r.status(), StatusCode::OK);

    // A second answer is refused and changes nothing.
    let r = answer(&charge["id"], &user, json!({"charge_accepted": true})).await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;

    // The agent sees every answer as given.
    let list: Value = h
        .get("/api/v1/order-delays", &agent)
        .await
        .json()
        .await
        .unwrap();
    let of = |id: &Value| {
        list["order_delays"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == *id)
            .unwrap()
            .clone()
    };
    let d = of(&date["id"]);
    assert_eq!(d["status"], "answered");
    assert_eq!(d["resolution_date"], tomorrow.as_str());
    assert_eq!(d["answered_by_name"], "Umberto User");
    let a = of(&access["id"]);
    assert_eq!(a["site_contact"], contact);
    assert_eq!(a["answer"], "Reception first");
    assert_eq!(a["resolution_date"], Value::Null);
    let c = of(&charge["id"]);
    assert_eq!(c["charge_accepted"], false);
    assert_eq!(c["charge"], eur);
    assert_eq!(c["answer"], Value::Null);
    // And the old way of asking and answering, in words, still works.
    let words = asked(
        &h,
        &agent,
        json!({"organisation_id": acme, "order_number": "W-1", "question": "Why?"}),
    )
    .await;
    assert_eq!(words["kind"], "information");
    let r = answer(&words["id"], &user, json!({"answer": "Because."})).await;
    assert_eq!(r.status(), StatusCode::OK);
}

on_both_engines!(
    services_are_set_listed_and_removed_by_agents,
    announcements_for_a_service_reach_only_its_organisations,
    typed_order_delays_take_their_own_answer_once,
);

/// Runs `deskmate-server admin ARGS`: success, stdout, stderr.
fn admin(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_deskmate-server"))
        .arg("admin")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_admin_commands_set_list_and_remove_services() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("admin.sqlite3").display());
    let (ok, out, err) = admin(&[
        "create-organisation",
        "--database",
        &db,
        "--name",
        "Initech",
    ]);
    assert!(ok, "{err}");
    let org = out.trim().to_owned();
    let set = |reference: &str, name: &str| {
        admin(&[
            "set-service",
            "--database",
            &db,
            "--organisation",
            &org,
            "--reference",
            reference,
            "--name",
            name,
        ])
    };
    let (ok, out, err) = set("TPS-1", "TPS reports");
    assert!(ok, "{err}");
    let id: i64 = out.trim().parse().unwrap();
    let (ok, out, _) = set("TPS-1", "TPS reports, new cover");
    assert!(ok);
    assert_eq!(out.trim().parse::<i64>().unwrap(), id, "renamed, not added");
    assert!(set("ETH-2", "Ethernet").0);
    let list = || admin(&["list-services", "--database", &db, "--organisation", &org]);
    let (ok, out, _) = list();
    assert!(ok);
    assert_eq!(out, "ETH-2\tEthernet\nTPS-1\tTPS reports, new cover\n");

    // Clear errors, exit code 1, nothing changed.
    let (ok, _, err) = set("no spaces", "X");
    assert!(!ok);
    assert!(err.contains("not a service reference"), "{err}");
    let (ok, _, err) = set("X-1", "  ");
    assert!(!ok);
    assert!(err.contains("name must not be empty"), "{err}");
    let (ok, _, err) = admin(&[
        "set-service",
        "--database",
        &db,
        "--organisation",
        "999",
        "--reference",
        "X-1",
        "--name",
        "X",
    ]);
    assert!(!ok);
    assert!(err.contains("no organisation #999"), "{err}");
    let remove = |reference: &str| {
        admin(&[
            "remove-service",
            "--database",
            &db,
            "--organisation",
            &org,
            "--reference",
            reference,
        ])
    };
    assert!(remove("ETH-2").0);
    let (ok, _, err) = remove("ETH-2");
    assert!(!ok);
    assert!(err.contains("has no service"), "{err}");
    assert_eq!(list().1, "TPS-1\tTPS reports, new cover\n");
}
