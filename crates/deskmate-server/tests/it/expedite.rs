//! The paid expedited response: the quote, the customer's consent to the
//! exact price, the queue's order, the charge, and every refusal changing
//! nothing.

use crate::support::*;

use deskmate_api::{Price, Rights, Role};
use deskmate_server::db::ExpediteOffer;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

const AGENT: &str = "agent@provider.example";
const ACME_ADMIN: &str = "admin@acme.example";
/// Sees every Acme ticket but not the invoices.
const ACME_USER: &str = "user@acme.example";
const GLOBEX_ADMIN: &str = "admin@globex.example";
const TERMS: &str = "A paid service: your ticket skips the queue.";

fn offering(amount_minor: i64) -> deskmate_server::Config {
    deskmate_server::Config {
        expedite: Some(ExpediteOffer {
            price: Price::new(amount_minor, "EUR"),
            terms: TERMS.to_owned(),
        }),
        ..deskmate_server::Config::default()
    }
}

fn path(id: i64) -> String {
    format!("/api/v1/tickets/{id}/expedite")
}

fn price(amount_minor: i64) -> Value {
    json!({"accepted_price": {"amount_minor": amount_minor, "currency": "EUR"}})
}

async fn consent(h: &Helpdesk, token: &str, id: i64, body: Value, key: Option<&str>) -> Response {
    let mut rb = h
        .http
        .post(format!("{}{}", h.url, path(id)))
        .bearer_auth(token)
        .json(&body);
    if let Some(key) = key {
        rb = rb.header("idempotency-key", key);
    }
    rb.send().await.unwrap()
}

async fn quote(h: &Helpdesk, token: &str, id: i64) -> Value {
    let r = h.get(&path(id), token).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn queue_ids(h: &Helpdesk, agent: &str) -> Vec<i64> {
    let r = h.get("/api/v1/queue", agent).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    body["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["ticket"]["id"].as_i64().unwrap())
        .collect()
}

/// Every charge recorded: ticket, organisation, who, amount, currency, and
/// whether an invoice billed it.
async fn charges(h: &Helpdesk) -> Vec<(i64, i64, i64, i64, String, bool)> {
    const SQL: &str = "SELECT ticket_id, organisation_id, requested_by, amount_minor, currency, \
         invoice_id IS NOT NULL AS billed FROM expedite_requests ORDER BY id";
    if h.db_url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(&h.db_url).await.unwrap();
        let rows: Vec<(i64, i64, i64, i64, String, bool)> =
            sqlx::query_as(SQL).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    } else {
        let pool = sqlx::PgPool::connect(&h.db_url).await.unwrap();
        let rows: Vec<(i64, i64, i64, i64, String, bool)> =
            sqlx::query_as(SQL).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    }
}

/// What a refusal must leave as it was: the ticket, the queue, the charges.
async fn snapshot(h: &Helpdesk, agent: &str, id: i64) -> Value {
    json!({
        "ticket": h.detail(id, agent).await["ticket"],
        "queue": queue_ids(h, agent).await,
        "charges": charges(h).await.len(),
    })
}

/// A customer account of Acme with `rights`, signed in.
async fn acme_account(h: &Helpdesk, email: &str, rights: Rights) -> String {
    let hash = deskmate_server::auth::hash_password("demo-password").unwrap();
    let db = deskmate_server::Db::open(&h.db_url).await.unwrap();
    let me: Value = h
        .get("/api/v1/me", &h.login(ACME_ADMIN).await)
        .await
        .json()
        .await
        .unwrap();
    let org = me["organisation"]["id"].as_i64().unwrap();
    db.create_user(
        Some(org),
        email,
        "Colleague",
        Role::CustomerUser,
        &hash,
        rights,
    )
    .await
    .unwrap();
    db.close().await;
    h.login(email).await
}

async fn quote_then_consent_puts_the_ticket_first(engine: Engine) {
    let h = Helpdesk::start_with(engine, offering(4900)).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Mail server down").await;
    let before = queue_ids(&h, &agent).await;
    assert_ne!(before[0], id, "a new regular ticket is not first");
    let detail = h.detail(id, &user).await;
    assert_eq!(detail["ticket"]["expedited"], false);
    assert_eq!(detail["ticket"]["expedited_at"], Value::Null);

    let q = quote(&h, &user, id).await;
    assert_eq!(q["ticket_id"], id);
    assert_eq!(q["price"], json!({"amount_minor": 4900, "currency": "EUR"}));
    assert_eq!(q["terms"], TERMS);
    assert_eq!(q["can_expedite"], true, "{q}");
    assert_eq!(q["refusal"], Value::Null);
    assert_eq!(q["expedited"], Value::Null);

    let (_, _, cursor) = sync_all(&h, &user, 0, 500).await;
    let mut user_events = Events::open(&h, &user, Some(cursor)).await;
    let mut agent_events = Events::open(&h, &agent, None).await;

    // The author consents without the invoices right: it is their ticket.
    let r = consent(&h, &user, id, price(4900), Some("expedite-1")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let request: Value = r.json().await.unwrap();
    assert_eq!(request["ticket_id"], id);
    assert_eq!(request["price"]["amount_minor"], 4900);
    assert_eq!(request["requested_by_name"], "Umberto User");
    assert_eq!(request["terms"], TERMS);

    // First in the queue at once, the rest in their old order.
    let after = queue_ids(&h, &agent).await;
    assert_eq!(after[0], id);
    assert_eq!(
        after[1..],
        before
            .iter()
            .copied()
            .filter(|t| *t != id)
            .collect::<Vec<_>>()[..]
    );
    let detail = h.detail(id, &user).await;
    assert_eq!(detail["ticket"]["expedited"], true);
    assert_eq!(
        detail["ticket"]["expedited_at"], request["requested_at"],
        "since the consent"
    );
    assert_eq!(detail["queue_position"], 1);

    // Viewers and agents hear of it; the sync carries it.
    for events in [&mut user_events, &mut agent_events] {
        let e = events.next(SOON).await.expect("the ticket changed");
        assert_eq!(e.event, "change");
        assert_eq!(e.data["kind"], "ticket");
        assert_eq!(e.data["ticket_id"], id);
    }
    let (tickets, _, _) = sync_all(&h, &user, cursor, 500).await;
    let synced = tickets.iter().find(|t| t["id"] == id).expect("synced");
    assert_eq!(synced["expedited"], true);
    assert_eq!(synced["expedited_at"], request["requested_at"]);

    // The quote now says who and when; nobody can expedite it again.
    let admin = h.login(ACME_ADMIN).await;
    let q = quote(&h, &admin, id).await;
    assert_eq!(q["can_expedite"], false);
    assert!(
        q["refusal"].as_str().unwrap().contains("Umberto User"),
        "{q}"
    );
    assert_eq!(q["expedited"], request);

    // One charge, pending, for Acme, by the author.
    let acme_org = detail["ticket"]["organisation_id"].as_i64().unwrap();
    let requester = detail["ticket"]["requester_id"].as_i64().unwrap();
    assert_eq!(
        charges(&h).await,
        vec![(id, acme_org, requester, 4900, "EUR".to_owned(), false)]
    );
}

async fn a_stale_price_changes_nothing(engine: Engine) {
    let h = Helpdesk::start_with(engine, offering(5900)).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "VPN flaps").await;
    let before = snapshot(&h, &agent, id).await;
    let r = consent(&h, &user, id, price(4900), Some("stale")).await;
    let message = expect_error(r, StatusCode::CONFLICT, "conflict").await;
    assert!(
        message.contains("59.00 EUR"),
        "the current price: {message}"
    );
    assert!(message.contains("49.00 EUR"), "the accepted one: {message}");
    assert_eq!(snapshot(&h, &agent, id).await, before);
    // Another currency is another price.
    let r = consent(
        &h,
        &user,
        id,
        json!({"accepted_price": {"amount_minor": 5900, "currency": "USD"}}),
        None,
    )
    .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(snapshot(&h, &agent, id).await, before);
    // Re-quoted and accepted: done.
    let q = quote(&h, &user, id).await;
    let r = consent(&h, &user, id, json!({"accepted_price": q["price"]}), None).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

async fn closed_and_expedited_tickets_are_refused_but_a_repeat_is_replayed(engine: Engine) {
    let h = Helpdesk::start_with(engine, offering(4900)).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;

    let closed = h.file(&user, "Old problem").await;
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{closed}"),
            &agent,
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let q = quote(&h, &user, closed).await;
    assert_eq!(q["can_expedite"], false);
    assert!(q["refusal"].as_str().unwrap().contains("closed"), "{q}");
    let before = snapshot(&h, &agent, closed).await;
    let r = consent(&h, &user, closed, price(4900), None).await;
    let message = expect_error(r, StatusCode::CONFLICT, "conflict").await;
    assert!(message.contains("closed"), "{message}");
    assert_eq!(snapshot(&h, &agent, closed).await, before);

    let id = h.file(&user, "Urgent").await;
    let r = consent(&h, &user, id, price(4900), Some("once")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    let after = snapshot(&h, &agent, id).await;

    // The same key again: the first answer, nothing charged twice.
    let r = consent(&h, &user, id, price(4900), Some("once")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.json::<Value>().await.unwrap(), first);
    // Another try (no key, or another key, or another person): expedited already.
    let admin = h.login(ACME_ADMIN).await;
    for (token, key) in [(&user, None), (&user, Some("twice")), (&admin, None)] {
        let r = consent(&h, token, id, price(4900), key).await;
        let message = expect_error(r, StatusCode::CONFLICT, "conflict").await;
        assert!(message.contains("expedited already"), "{message}");
    }
    // The key with another body is a conflict too.
    let r = consent(&h, &user, id, price(5000), Some("once")).await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(snapshot(&h, &agent, id).await, after);
    assert_eq!(charges(&h).await.len(), 1);
}

async fn only_the_author_or_the_invoices_right_may_pay(engine: Engine) {
    let h = Helpdesk::start_with(engine, offering(4900)).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Who pays").await;
    let before = snapshot(&h, &agent, id).await;

    // Agents: never, though they see the quote.
    let q = quote(&h, &agent, id).await;
    assert_eq!(q["can_expedite"], false);
    let r = consent(&h, &agent, id, price(4900), None).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;

    // A colleague who sees the ticket but not the invoices: no.
    let colleague = acme_account(
        &h,
        "colleague@acme.example",
        Rights {
            all_tickets: true,
            expedite: true,
            ..Rights::default()
        },
    )
    .await;
    let q = quote(&h, &colleague, id).await;
    assert_eq!(q["can_expedite"], false);
    assert!(q["refusal"].as_str().unwrap().contains("invoices"), "{q}");
    let r = consent(&h, &colleague, id, price(4900), None).await;
    let message = expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(message.contains("invoices"), "{message}");
    assert_eq!(snapshot(&h, &agent, id).await, before);

    // One with the invoices right (not the author): yes.
    let billing = acme_account(
        &h,
        "billing@acme.example",
        Rights {
            all_tickets: true,
            invoices: true,
            expedite: true,
            ..Rights::default()
        },
    )
    .await;
    assert_eq!(quote(&h, &billing, id).await["can_expedite"], true);
    let r = consent(&h, &billing, id, price(4900), None).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let request: Value = r.json().await.unwrap();
    assert_eq!(request["requested_by_name"], "Colleague");
}

async fn another_organisations_ticket_is_unknown(engine: Engine) {
    let h = Helpdesk::start_with(engine, offering(4900)).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX_ADMIN).await;
    let id = h.file(&user, "Acme's own").await;
    let before = snapshot(&h, &agent, id).await;
    let r = h.get(&path(id), &globex).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = consent(&h, &globex, id, price(4900), None).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    for raw in ["987654321", "0", "abc"] {
        let r = h
            .get(&format!("/api/v1/tickets/{raw}/expedite"), &user)
            .await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert_eq!(snapshot(&h, &agent, id).await, before);
}

async fn bad_bodies_are_refused_and_change_nothing(engine: Engine) {
    let h = Helpdesk::start_with(engine, offering(4900)).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Bad bodies").await;
    let before = snapshot(&h, &agent, id).await;
    for raw in [
        "{",
        "[]",
        "{}",
        r#"{"accepted_price": 4900}"#,
        r#"{"accepted_price": {"amount_minor": "49.00", "currency": "EUR"}}"#,
        r#"{"accepted_price": {"amount_minor": 49.5, "currency": "EUR"}}"#,
        r#"{"accepted_price": {"amount_minor": 4900}}"#,
        r#"{"accepted_price": {"amount_minor": 4900, "currency": "EUR", "vat": 0}}"#,
        r#"{"accepted_price": {"amount_minor": 4900, "currency": "EUR"}, "more": 1}"#,
    ] {
        let r = h
            .post_raw(&path(id), Some(&user), raw)
            .send()
            .await
            .unwrap();
        expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    for (amount, currency) in [
        (0, "EUR"),
        (-4900, "EUR"),
        (4900, "eur"),
        (4900, "EURO"),
        (4900, ""),
    ] {
        let body = json!({"accepted_price": {"amount_minor": amount, "currency": currency}});
        let r = consent(&h, &user, id, body, None).await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    }
    let r = h
        .http
        .post(format!("{}{}", h.url, path(id)))
        .bearer_auth(&user)
        .body(price(4900).to_string())
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = h
        .post_raw(&path(id), None, price(4900).to_string())
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(snapshot(&h, &agent, id).await, before);
}

async fn not_offered_without_a_price(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "No price").await;
    let before = snapshot(&h, &agent, id).await;
    let r = h.get(&path(id), &user).await;
    let message = expect_error(r, StatusCode::NOT_FOUND, "not_offered").await;
    assert!(message.contains("does not offer"), "{message}");
    let r = consent(&h, &user, id, price(4900), None).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_offered").await;
    // Another organisation's ticket stays unknown, offered or not.
    let globex = h.login(GLOBEX_ADMIN).await;
    let r = h.get(&path(id), &globex).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(snapshot(&h, &agent, id).await, before);
}

async fn charges_are_listed_for_the_invoices_right(engine: Engine) {
    let h = Helpdesk::start_with(engine, offering(4900)).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let admin = h.login(ACME_ADMIN).await;
    let globex = h.login(GLOBEX_ADMIN).await;
    let first = h.file(&user, "First").await;
    let second = h.file(&user, "Second").await;
    for id in [first, second] {
        let r = consent(&h, &user, id, price(4900), None).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }

    // The admin (invoices right) sees both, newest first, pending; in pages.
    let r = h.get("/api/v1/expedite-charges", &admin).await;
    assert_eq!(r.status(), StatusCode::OK);
    let list: Value = r.json().await.unwrap();
    let charges = list["charges"].as_array().unwrap();
    let tickets: Vec<i64> = charges
        .iter()
        .map(|c| c["ticket_id"].as_i64().unwrap())
        .collect();
    assert_eq!(tickets, [second, first]);
    assert!(
        charges
            .iter()
            .all(|c| c["invoice_id"].is_null() && c["price"]["amount_minor"] == 4900)
    );
    assert_eq!(list["next_cursor"], Value::Null);
    let r = h.get("/api/v1/expedite-charges?limit=1", &admin).await;
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["charges"][0]["ticket_id"], second);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let r = h
        .get(
            &format!("/api/v1/expedite-charges?limit=1&cursor={cursor}"),
            &admin,
        )
        .await;
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["charges"][0]["ticket_id"], first);
    assert_eq!(page["next_cursor"], Value::Null);

    // Without the invoices right: no, though they bought them.
    let r = h.get("/api/v1/expedite-charges", &user).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    // Another organisation sees its own (none), and Acme's not at all.
    let org = h.detail(first, &agent).await["ticket"]["organisation_id"]
        .as_i64()
        .unwrap();
    let r = h.get("/api/v1/expedite-charges", &globex).await;
    let theirs: Value = r.json().await.unwrap();
    assert_eq!(theirs["charges"], json!([]));
    let r = h
        .get(
            &format!("/api/v1/expedite-charges?organisation_id={org}"),
            &globex,
        )
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    // Agents name the organisation.
    let r = h.get("/api/v1/expedite-charges", &agent).await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = h
        .get(
            &format!("/api/v1/expedite-charges?organisation_id={org}"),
            &agent,
        )
        .await;
    let seen: Value = r.json().await.unwrap();
    assert_eq!(seen["charges"].as_array().unwrap().len(), 2);
    let r = h.get("/api/v1/expedite-charges?limit=0", &admin).await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
}

/// The `expedite` right, withheld: not even the ticket's own author with
/// the invoices right may, and the refusal names who can help; given back
/// by the admin, the same person may.
async fn without_the_expedite_right_nobody_expedites(engine: Engine) {
    let h = Helpdesk::start_with(engine, offering(4900)).await;
    let agent = h.login(AGENT).await;
    let admin = h.login(ACME_ADMIN).await;
    let withheld = Rights {
        expedite: false,
        manage_users: false,
        ..Rights::ALL
    };
    let token = acme_account(&h, "nohurry@acme.example", withheld).await;
    let id = h.file(&token, "Slow but steady").await;
    let before = snapshot(&h, &agent, id).await;

    let q = quote(&h, &token, id).await;
    assert_eq!(q["can_expedite"], false);
    assert!(
        q["refusal"].as_str().unwrap().contains("administrators"),
        "{q}"
    );
    let r = consent(&h, &token, id, price(4900), None).await;
    let message = expect_error(r, StatusCode::FORBIDDEN, "right_withheld").await;
    assert!(message.contains("administrators"), "{message}");
    assert_eq!(snapshot(&h, &agent, id).await, before);

    // The admin gives the right: the same request succeeds.
    let users: Value = h.get("/api/v1/users", &admin).await.json().await.unwrap();
    let account = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "nohurry@acme.example")
        .unwrap();
    assert_eq!(account["rights"]["expedite"], false);
    let given = json!({"rights": Rights { manage_users: false, ..Rights::ALL }});
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{}", account["id"]),
            &admin,
            given,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(quote(&h, &token, id).await["can_expedite"], true);
    let r = consent(&h, &token, id, price(4900), None).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

on_both_engines!(
    without_the_expedite_right_nobody_expedites,
    quote_then_consent_puts_the_ticket_first,
    a_stale_price_changes_nothing,
    closed_and_expedited_tickets_are_refused_but_a_repeat_is_replayed,
    only_the_author_or_the_invoices_right_may_pay,
    another_organisations_ticket_is_unknown,
    bad_bodies_are_refused_and_change_nothing,
    not_offered_without_a_price,
    charges_are_listed_for_the_invoices_right,
);
