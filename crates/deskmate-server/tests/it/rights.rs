//! Rights per customer account, on both engines: which tickets a user sees
//! (list, detail, sync, events), invoices and call records behind their
//! rights, managing an organisation's accounts, and the ticket list's
//! filters, search and pages.

use std::collections::HashSet;

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "a-long-password-1";

fn rights(all_tickets: bool, invoices: bool, call_records: bool, manage_users: bool) -> Value {
    json!({
        "all_tickets": all_tickets,
        "invoices": invoices,
        "call_records": call_records,
        "manage_users": manage_users,
        "expedite": false,
    })
}

/// `rights` with the right to request expedited responses too.
fn and_expedite(mut rights: Value) -> Value {
    rights["expedite"] = Value::Bool(true);
    rights
}

fn none() -> Value {
    rights(false, false, false, false)
}

impl Helpdesk {
    /// A new customer user added by `manager`; their id.
    async fn add_user(&self, manager: &str, email: &str, rights: Value) -> i64 {
        let body = json!({"email": email, "name": format!("Name of {email}"),
            "password": PASSWORD, "rights": rights});
        let r = self
            .send(Method::POST, "/api/v1/users", manager, body)
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let account: Value = r.json().await.unwrap();
        assert_eq!(account["role"], "customer_user");
        assert_eq!(account["rights"], rights);
        account["id"].as_i64().unwrap()
    }

    async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/auth/login", self.url))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    async fn token_of(&self, email: &str) -> String {
        let r = self.sign_in(email, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn json(&self, path: &str, token: &str) -> Value {
        let r = self.get(path, token).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        r.json().await.unwrap()
    }

    async fn me(&self, token: &str) -> Value {
        self.json("/api/v1/me", token).await
    }

    /// Every ticket of the list at `query`, walking its pages.
    async fn walk(&self, token: &str, query: &str) -> Vec<Value> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/tickets?{query}&cursor={c}"),
                None => format!("/api/v1/tickets?{query}"),
            };
            let page = self.json(&path, token).await;
            all.extend(page["tickets"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return all,
            }
        }
    }

    async fn reply(&self, token: &str, ticket: i64, body: &str, internal: bool) {
        let r = self
            .send(
                Method::POST,
                &format!("/api/v1/tickets/{ticket}/messages"),
                token,
                json!({"body": body, "internal": internal}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
}

/// Asserts that the event stream ends (rather than going quiet); changes
/// still on their way (PostgreSQL relays them) may come first.
async fn ends(events: &mut Events) {
    let started = std::time::Instant::now();
    while let Some(event) = events.next(SOON).await {
        assert_eq!(event.event, "change", "{event:?}");
    }
    assert!(
        started.elapsed() < SOON / 2,
        "the stream should have ended, not just gone quiet"
    );
}

fn ids(tickets: &[Value]) -> Vec<i64> {
    tickets.iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

async fn a_user_without_all_tickets_sees_only_their_own(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let admin = h.login("admin@acme.example").await;
    let agent = h.login("agent@provider.example").await;
    let colleague = h.login("user@acme.example").await;
    h.add_user(&admin, "own@acme.example", none()).await;
    let own = h.token_of("own@acme.example").await;
    let me = h.me(&own).await;
    assert_eq!(me["rights"], none());
    assert_eq!(me["role"], "customer_user");

    let mine = h.file(&own, "Own printer jams").await;
    let others = ids(&h.tickets(&admin).await);
    let theirs = *others.iter().find(|id| **id != mine).unwrap();

    // List and detail: only the tickets they filed.
    assert_eq!(ids(&h.tickets(&own).await), vec![mine]);
    assert_eq!(h.detail(mine, &own).await["ticket"]["id"], mine);
    let r = h.get(&format!("/api/v1/tickets/{theirs}"), &own).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{theirs}/messages"),
            &own,
            json!({"body": "Me too"}),
        )
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    // A colleague with the right sees it.
    assert!(ids(&h.tickets(&colleague).await).contains(&mine));

    // Sync: their ticket and its conversation only.
    h.reply(&agent, theirs, "Looking into it.", false).await;
    h.reply(&agent, mine, "Which printer?", false).await;
    let (tickets, messages, _) = sync_all(&h, &own, 0, 2).await;
    assert!(tickets.iter().all(|t| t["id"] == mine), "{tickets:?}");
    assert!(!tickets.is_empty());
    assert_eq!(messages.len(), 1);
    assert!(messages.iter().all(|m| m["ticket_id"] == mine));

    // Events: a change to someone else's ticket is not announced.
    let mut events = Events::open(&h, &own, None).await;
    h.reply(&agent, theirs, "Fixed on our side.", false).await;
    h.reply(&agent, mine, "The HP in room 2?", false).await;
    // The reply to theirs came first: had it been announced, it would be first.
    let event = events.next(SOON).await.expect("an event");
    assert_eq!(event.event, "change");
    assert_eq!(event.data["ticket_id"], mine, "{event:?}");
    while let Some(event) = events.next(QUIET).await {
        assert_eq!(event.data["ticket_id"], mine, "{event:?}");
    }

    // Given the right, they see the organisation's tickets at once; the
    // open stream ends so that it is followed again with the new rights.
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{}", me["id"]),
            &admin,
            json!({"rights": rights(true, false, false, false)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    ends(&mut events).await;
    assert_eq!(h.me(&own).await["rights"]["all_tickets"], true);
    let mut events = Events::open(&h, &own, None).await;
    h.reply(&agent, theirs, "All done.", false).await;
    let event = events.next(SOON).await.expect("an event");
    assert_eq!(event.data["ticket_id"], theirs, "{event:?}");
    let now_seen = ids(&h.tickets(&own).await);
    assert_eq!(now_seen, ids(&h.tickets(&admin).await));
    assert_eq!(h.detail(theirs, &own).await["ticket"]["id"], theirs);
    h.server.shutdown().await;
}

async fn billing_needs_the_right_and_stays_in_the_organisation(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let admin = h.login("admin@acme.example").await;
    let umberto = h.login("user@acme.example").await;
    let globex = h.login("admin@globex.example").await;
    let agent = h.login("agent@provider.example").await;
    let acme_id = h.me(&admin).await["organisation"]["id"].as_i64().unwrap();
    let globex_id = h.me(&globex).await["organisation"]["id"].as_i64().unwrap();

    // The demo's Umberto may see call records, not invoices.
    assert_eq!(
        h.me(&umberto).await["rights"],
        and_expedite(rights(true, false, true, false))
    );
    let r = h.get("/api/v1/invoices", &umberto).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let calls = h.json("/api/v1/call-records", &umberto).await;
    let calls = calls["call_records"].as_array().unwrap().clone();
    assert!(!calls.is_empty());
    assert!(calls.iter().all(|c| c["service"] == "+44 20 7946 0958"));

    // An admin has every right; invoices newest first, pages walk them once.
    let all = h.json("/api/v1/invoices?limit=500", &admin).await;
    assert!(all["next_cursor"].is_null());
    let invoices = all["invoices"].as_array().unwrap().clone();
    assert_eq!(invoices.len(), 12);
    let issued: Vec<&str> = invoices
        .iter()
        .map(|i| i["issued_on"].as_str().unwrap())
        .collect();
    let mut sorted = issued.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(issued, sorted);
    let mut walked = Vec::new();
    let mut path = "/api/v1/invoices?limit=5".to_owned();
    loop {
        let page = h.json(&path, &admin).await;
        let got = page["invoices"].as_array().unwrap();
        assert!(got.len() <= 5);
        walked.extend(got.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/invoices?limit=5&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(walked, invoices);

    // Another organisation's billing does not exist for a customer.
    let theirs = h.json("/api/v1/invoices", &globex).await;
    let theirs = theirs["invoices"].as_array().unwrap().clone();
    let acme_numbers: HashSet<&str> = invoices
        .iter()
        .map(|i| i["number"].as_str().unwrap())
        .collect();
    assert!(
        theirs
            .iter()
            .all(|i| !acme_numbers.contains(i["number"].as_str().unwrap()))
    );
    assert!(theirs.iter().any(|i| i["status"] == "overdue"));
    for path in [
        format!("/api/v1/invoices?organisation_id={globex_id}"),
        format!("/api/v1/call-records?organisation_id={globex_id}"),
    ] {
        let r = h.get(&path, &admin).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    }
    let own = h
        .json(
            &format!("/api/v1/invoices?organisation_id={acme_id}&limit=500"),
            &admin,
        )
        .await;
    assert_eq!(own["invoices"], json!(invoices));

    // Agents name the organisation.
    let r = h.get("/api/v1/invoices", &agent).await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = h
        .get("/api/v1/call-records?organisation_id=999999", &agent)
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let seen = h
        .json(
            &format!("/api/v1/invoices?organisation_id={globex_id}&limit=500"),
            &agent,
        )
        .await;
    assert_eq!(seen["invoices"], json!(theirs));

    // Call records within a period, newest first.
    let all_calls = h
        .json(
            &format!("/api/v1/call-records?organisation_id={globex_id}&limit=500"),
            &agent,
        )
        .await["call_records"]
        .as_array()
        .unwrap()
        .clone();
    assert!(all_calls.len() > 10);
    let middle = all_calls[all_calls.len() / 2]["started_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let from = urlencode(&middle);
    let period = |query: String| {
        let h = &h;
        let globex = &globex;
        async move {
            h.json(&format!("/api/v1/call-records?limit=500&{query}"), globex)
                .await["call_records"]
                .as_array()
                .unwrap()
                .clone()
        }
    };
    let started = |c: &Value| c["started_at"].as_str().unwrap().to_owned();
    let recent = period(format!("from={from}")).await;
    let expected: Vec<Value> = all_calls
        .iter()
        .filter(|c| started(c) >= middle)
        .cloned()
        .collect();
    assert_eq!(recent, expected);
    let older = period(format!("to={from}")).await;
    assert!(older.iter().all(|c| started(c) < middle));
    assert_eq!(older.len() + recent.len(), all_calls.len());

    // Bad parameters are typed refusals.
    for (path, status, code) in [
        ("/api/v1/call-records?from=yesterday", 422, "validation"),
        (
            "/api/v1/call-records?from=2026-11-02&to=2026-11-01",
            422,
            "validation",
        ),
        ("/api/v1/call-records?limit=0", 400, "bad_request"),
        ("/api/v1/invoices?cursor=abc", 400, "bad_request"),
        ("/api/v1/invoices?page=2", 400, "bad_request"),
        ("/api/v1/invoices?organisation_id=x", 400, "bad_request"),
    ] {
        let r = h.get(path, &admin).await;
        expect_error(r, StatusCode::from_u16(status).unwrap(), code).await;
    }
    // A whole day: from and to the same date.
    let day = &middle[..10];
    let r = h
        .get(
            &format!("/api/v1/call-records?from={day}&to={day}"),
            &globex,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // Given the right, Umberto sees the invoices; without, not the calls.
    let umberto_id = h.me(&umberto).await["id"].as_i64().unwrap();
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{umberto_id}"),
            &admin,
            json!({"rights": rights(true, true, false, false)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let now = h.json("/api/v1/invoices?limit=500", &umberto).await;
    assert_eq!(now["invoices"], json!(invoices));
    let r = h.get("/api/v1/call-records", &umberto).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    h.server.shutdown().await;
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}

async fn accounts_are_managed_by_those_with_the_right(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let admin = h.login("admin@acme.example").await;
    let umberto = h.login("user@acme.example").await;
    let globex = h.login("admin@globex.example").await;
    let agent = h.login("agent@provider.example").await;

    let users = h.json("/api/v1/users", &admin).await["users"].clone();
    let emails: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["admin@acme.example", "user@acme.example"]);
    assert_eq!(users[0]["role"], "customer_admin");
    assert_eq!(
        users[0]["rights"],
        and_expedite(rights(true, true, true, true))
    );

    // Who may not: a user without the right, an agent.
    for token in [&umberto, &agent] {
        let r = h.get("/api/v1/users", token).await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
        let body = json!({"email": "x@acme.example", "name": "X", "password": PASSWORD});
        let r = h.send(Method::POST, "/api/v1/users", token, body).await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
        let r = h
            .send(
                Method::PATCH,
                "/api/v1/users/1",
                token,
                json!({"name": "Y"}),
            )
            .await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    }

    // Adding: checked, once per Idempotency-Key, signs in at once.
    let new = |email: &str, password: &str| json!({"email": email, "name": "Nadia New", "password": password, "rights": none()});
    let r = h
        .send(
            Method::POST,
            "/api/v1/users",
            &admin,
            new("nadia@acme.example", "short"),
        )
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = h
        .send(
            Method::POST,
            "/api/v1/users",
            &admin,
            new("not-an-address", PASSWORD),
        )
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let mut extra = new("nadia@acme.example", PASSWORD);
    extra["role"] = json!("customer_admin");
    let r = h.send(Method::POST, "/api/v1/users", &admin, extra).await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let post = |body: Value| {
        h.http
            .post(format!("{}/api/v1/users", h.url))
            .bearer_auth(&admin)
            .header("idempotency-key", "add-nadia")
            .json(&body)
            .send()
    };
    let first = post(new("Nadia@Acme.example", PASSWORD)).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["email"], "nadia@acme.example");
    let again = post(new("Nadia@Acme.example", PASSWORD)).await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let r = h
        .send(
            Method::POST,
            "/api/v1/users",
            &admin,
            new("NADIA@acme.example", PASSWORD),
        )
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    let nadia_id = first["id"].as_i64().unwrap();
    let nadia = h.token_of("nadia@acme.example").await;
    assert_eq!(h.me(&nadia).await["rights"], none());
    let r = h.get("/api/v1/invoices", &nadia).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;

    // Changing rights takes effect on the next request.
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{nadia_id}"),
            &admin,
            json!({"rights": rights(false, true, false, false), "name": "Nadia Novak"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["name"], "Nadia Novak");
    assert_eq!(h.me(&nadia).await["rights"]["invoices"], true);
    assert_eq!(
        h.get("/api/v1/invoices", &nadia).await.status(),
        StatusCode::OK
    );

    // Another organisation's accounts do not exist for Globex's admin.
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{nadia_id}"),
            &globex,
            json!({"name": "Z"}),
        )
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = h
        .http
        .delete(format!("{}/api/v1/users/{nadia_id}", h.url))
        .bearer_auth(&globex)
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    for bad in ["0", "abc"] {
        let r = h
            .send(
                Method::PATCH,
                &format!("/api/v1/users/{bad}"),
                &admin,
                json!({}),
            )
            .await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    }

    // A manager who is not an admin: keeps their own right, gives only what
    // they have, leaves admins alone.
    let manager_id = h
        .add_user(&admin, "mo@acme.example", rights(true, false, false, true))
        .await;
    let mo = h.token_of("mo@acme.example").await;
    assert_eq!(
        h.json("/api/v1/users", &mo).await["users"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{manager_id}"),
            &mo,
            json!({"rights": rights(true, false, false, false)}),
        )
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{manager_id}"),
            &mo,
            json!({"rights": rights(true, true, false, true)}),
        )
        .await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    // Nadia's invoices right stays when Mo changes something else.
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{nadia_id}"),
            &mo,
            json!({"rights": rights(true, true, false, false)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let admin_id = h.me(&admin).await["id"].as_i64().unwrap();
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{admin_id}"),
            &mo,
            json!({"name": "A"}),
        )
        .await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{admin_id}"),
            &admin,
            json!({"rights": none()}),
        )
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    let delete = |token: &str, id: i64, key: Option<&str>| {
        let mut rb = h
            .http
            .delete(format!("{}/api/v1/users/{id}", h.url))
            .bearer_auth(token);
        if let Some(k) = key {
            rb = rb.header("idempotency-key", k);
        }
        rb.send()
    };
    let r = delete(&mo, manager_id, None).await.unwrap();
    expect_error(r, StatusCode::CONFLICT, "conflict").await;

    // Removing ends every session at once and frees the address; the
    // tickets stay.
    let nadias_ticket = h.file(&nadia, "Nadia's ticket").await;
    let mut nadias_events = Events::open(&h, &nadia, None).await;
    let r = delete(&mo, nadia_id, Some("remove-nadia")).await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    ends(&mut nadias_events).await;
    let r = h.get("/api/v1/me", &nadia).await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h.sign_in("nadia@acme.example", PASSWORD).await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = delete(&mo, nadia_id, Some("remove-nadia")).await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NO_CONTENT,
        "the repeat is answered alike"
    );
    let r = delete(&mo, nadia_id, None).await.unwrap();
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let listed = h.json("/api/v1/users", &admin).await;
    assert!(
        listed["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["id"] != nadia_id)
    );
    assert_eq!(
        h.detail(nadias_ticket, &admin).await["ticket"]["requester_name"],
        "Nadia Novak"
    );
    let again = h.add_user(&admin, "nadia@acme.example", none()).await;
    assert_ne!(again, nadia_id);
    h.token_of("nadia@acme.example").await;
    h.server.shutdown().await;
}

async fn the_list_filters_searches_and_pages(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login("agent@provider.example").await;
    let admin = h.login("admin@acme.example").await;
    let everything = h.walk(&agent, "limit=500").await;
    assert!(everything.len() >= 8);

    // Filters, repeated or as comma lists.
    let closed = h.walk(&agent, "status=closed").await;
    assert!(!closed.is_empty());
    assert!(closed.iter().all(|t| t["status"] == "closed"));
    let either = h.walk(&agent, "status=open,resolved").await;
    assert_eq!(either, h.walk(&agent, "status=open&status=resolved").await);
    assert!(
        either
            .iter()
            .all(|t| t["status"] == "open" || t["status"] == "resolved")
    );
    let expected = everything
        .iter()
        .filter(|t| t["status"] == "open" || t["status"] == "resolved")
        .count();
    assert_eq!(either.len(), expected);
    let billing = h
        .walk(&admin, "department=billing&status=waiting_for_customer")
        .await;
    assert_eq!(billing.len(), 1, "{billing:?}");
    assert_eq!(billing[0]["subject"], "Invoice 2026-1142 charged twice");

    // Search: subject and description in any case, a public message, an
    // internal note for agents only; % and _ are plain characters.
    let subjects = |tickets: &[Value]| -> Vec<String> {
        tickets
            .iter()
            .map(|t| t["subject"].as_str().unwrap().to_owned())
            .collect()
    };
    let found = h.walk(&admin, "q=bad+GATEWAY").await;
    assert_eq!(
        subjects(&found),
        ["Website returns 502 Bad Gateway after PHP upgrade"]
    );
    let found = h.walk(&admin, "q=25+gb").await;
    assert_eq!(
        subjects(&found),
        ["Mailbox info@acme.example does not receive external mail"],
        "a word of an agent's reply"
    );
    let note = "q=old+socket+path";
    assert_eq!(
        h.walk(&admin, note).await,
        Vec::<Value>::new(),
        "notes stay hidden"
    );
    assert_eq!(
        subjects(&h.walk(&agent, note).await),
        ["Website returns 502 Bad Gateway after PHP upgrade"]
    );
    let user = h.login("user@acme.example").await;
    let full = h.file(&user, "Disk 100% full on web01").await;
    h.file(&user, "Disk 1000 full on web02").await;
    h.file(&user, "Quota for user a_b").await;
    h.file(&user, "Quota for user axb").await;
    assert_eq!(ids(&h.walk(&user, "q=100%25").await), vec![full]);
    assert_eq!(
        subjects(&h.walk(&user, "q=a_b").await),
        ["Quota for user a_b"]
    );
    assert_eq!(h.walk(&user, "q=zzz+nothing").await, Vec::<Value>::new());
    let combined = h
        .walk(&agent, "q=disk&status=open&department=technical&limit=1")
        .await;
    assert_eq!(combined.len(), 2);

    // Pages of 2 walk every ticket exactly once, in the list's order.
    let everything = h.walk(&agent, "limit=500").await;
    let first = h.json("/api/v1/tickets?limit=2", &agent).await;
    assert_eq!(first["tickets"].as_array().unwrap().len(), 2);
    assert!(first["next_cursor"].is_string());
    let walked = h.walk(&agent, "limit=2").await;
    assert_eq!(ids(&walked), ids(&everything));
    let distinct: HashSet<i64> = ids(&walked).into_iter().collect();
    assert_eq!(distinct.len(), walked.len());
    let unpaged = h.json("/api/v1/tickets", &agent).await;
    assert!(unpaged["next_cursor"].is_null());

    // Bad values are typed refusals.
    for (query, status, code) in [
        ("status=lost", 422, "validation"),
        ("department=sales", 422, "validation"),
        ("limit=0", 400, "bad_request"),
        ("limit=501", 400, "bad_request"),
        ("limit=ten", 400, "bad_request"),
        ("cursor=not-a-cursor", 400, "bad_request"),
        ("sort=subject", 400, "bad_request"),
    ] {
        let r = h.get(&format!("/api/v1/tickets?{query}"), &agent).await;
        expect_error(r, StatusCode::from_u16(status).unwrap(), code).await;
    }
    let long = "x".repeat(201);
    let r = h.get(&format!("/api/v1/tickets?q={long}"), &agent).await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    h.server.shutdown().await;
}

on_both_engines!(
    a_user_without_all_tickets_sees_only_their_own,
    billing_needs_the_right_and_stays_in_the_organisation,
    accounts_are_managed_by_those_with_the_right,
    the_list_filters_searches_and_pages,
);
