//! The agent console in a real headless Chromium against a real
//! deskmate-server: a customer is refused, the agent signs in and sees the
//! queue in its documented order (expedited first), works it with the
//! keyboard alone (move, take, reply), the reply reaches the customer live,
//! and an internal note never reaches the customer's `/sync`.
//! One browser session for the whole file.

use std::time::{Duration, Instant};

use deskmate_e2e::{ApiClient, Browser, DEMO_PASSWORD, ServerProcess, WAIT};
use fantoccini::key::Key;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const AGENT: &str = "agent@provider.example";
const CUSTOMER: &str = "user@acme.example";

async fn file(customer: &ApiClient, subject: &str) -> i64 {
    let ticket = customer
        .send(
            Method::POST,
            "/api/v1/tickets",
            json!({"department": "technical", "priority": "regular", "subject": subject,
                   "body": "Filed for the console's test."}),
        )
        .await
        .unwrap();
    ticket["id"].as_i64().unwrap()
}

/// The customer buys an expedited response at the quoted price.
async fn expedite(customer: &ApiClient, id: i64) {
    let path = format!("/api/v1/tickets/{id}/expedite");
    let quote = customer.get(&path).await.unwrap();
    customer
        .send(
            Method::POST,
            &path,
            json!({"accepted_price": quote["price"]}),
        )
        .await
        .unwrap();
}

/// The ticket ids of the queue's rows, top first, as the console draws them.
async fn rows(browser: &Browser) -> Vec<i64> {
    let ids = browser
        .execute("return [...document.querySelectorAll('#queue tbody tr')].map(r => Number(r.dataset.ticket))")
        .await
        .unwrap();
    serde_json::from_value(ids).unwrap()
}

/// Waits until the queue's selected row is ticket `id`'s.
async fn selected_row_is(browser: &Browser, id: i64) {
    let script = format!(
        "return document.querySelector('#queue tr[aria-selected=\"true\"]')?.dataset.ticket === '{id}'"
    );
    browser
        .wait_until(&script, "the selected row")
        .await
        .unwrap();
}

/// Waits until the customer's event stream announces a message on `ticket`.
async fn hear_message(stream: &mut reqwest::Response, ticket: i64) {
    let deadline = Instant::now() + WAIT;
    let mut seen = String::new();
    let wanted = format!("\"ticket_id\":{ticket}");
    while Instant::now() < deadline {
        let chunk = tokio::time::timeout(Duration::from_secs(1), stream.chunk()).await;
        if let Ok(Ok(Some(bytes))) = chunk {
            seen.push_str(&String::from_utf8_lossy(&bytes));
            if seen
                .split("\n\n")
                .any(|event| event.contains("\"kind\":\"message\"") && event.contains(&wanted))
            {
                return;
            }
        }
    }
    panic!("no message event for ticket #{ticket} within {WAIT:?}: {seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_work_the_queue_in_the_console_and_customers_cannot() {
    let server = ServerProcess::start_demo().unwrap();
    let customer = server.api_as(CUSTOMER, DEMO_PASSWORD).await.unwrap();
    let agent = server.api_as(AGENT, DEMO_PASSWORD).await.unwrap();
    let regular = file(&customer, "Console: regular, filed first").await;
    let expedited = file(&customer, "Console: expedited, filed last").await;
    expedite(&customer, expedited).await;

    // A customer's account cannot open the console's data.
    assert_eq!(
        customer.status_of("/api/v1/queue").await.unwrap(),
        StatusCode::FORBIDDEN
    );
    let browser = Browser::launch().await.unwrap();
    browser
        .goto(&format!("{}/agent/", server.url))
        .await
        .unwrap();
    browser.type_into("#email", CUSTOMER).await.unwrap();
    browser.type_into("#password", DEMO_PASSWORD).await.unwrap();
    browser.click("button[type=submit]").await.unwrap();
    browser
        .wait_for_texts(".sign-in .problem", "customer refused", |t| {
            t.iter().any(|t| t.contains("for the provider's agents"))
        })
        .await
        .unwrap();
    let kept = browser
        .execute("return sessionStorage.length + document.querySelectorAll('#queue').length")
        .await
        .unwrap();
    assert_eq!(
        kept, 0,
        "a refused customer keeps no session and sees no queue"
    );

    // The agent signs in and sees the queue in the server's order, the
    // expedited ticket first although it was filed last.
    browser
        .sign_in_to_console(&server.url, AGENT)
        .await
        .unwrap();
    let drawn = rows(&browser).await;
    let queue = agent.get("/api/v1/queue").await.unwrap();
    let order: Vec<i64> = queue["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["ticket"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(drawn, order);
    assert_eq!(drawn[0], expedited, "{drawn:?}");
    assert!(drawn.contains(&regular));
    let first_row = browser
        .find("#queue tbody tr")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        first_row.contains("Expedited") && first_row.contains("Acme Hosting Ltd"),
        "{first_row}"
    );

    // A claim made elsewhere (a colleague, another tab: here the API)
    // shows in the queue live, and so does letting go.
    let claim = format!("/api/v1/queue/{regular}/claim");
    assert_eq!(
        agent.call_status(Method::POST, &claim).await.unwrap(),
        StatusCode::OK
    );
    let holder = format!("#row-{regular} .holder");
    browser
        .wait_for_texts(&holder, "a claim made elsewhere, live", |t| {
            t.iter().any(|t| !t.is_empty())
        })
        .await
        .unwrap();
    assert_eq!(
        agent.call_status(Method::DELETE, &claim).await.unwrap(),
        StatusCode::NO_CONTENT
    );
    browser
        .wait_until(
            &format!("return document.querySelector('{holder}') === null"),
            "let go elsewhere, live",
        )
        .await
        .unwrap();

    // Keyboard only: move down and back, take the ticket, reply.
    selected_row_is(&browser, expedited).await;
    browser.press('j').await.unwrap();
    selected_row_is(&browser, drawn[1]).await;
    browser.press(Key::Up).await.unwrap();
    selected_row_is(&browser, expedited).await;
    browser.press('c').await.unwrap();
    browser
        .wait_for_texts(&format!("#row-{expedited} .holder"), "claimed", |t| {
            t.iter().any(|t| !t.is_empty())
        })
        .await
        .unwrap();
    let held = agent.get("/api/v1/queue").await.unwrap();
    let holder = held["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["ticket"]["id"] == expedited)
        .map(|q| q["claimed_by_name"].clone())
        .unwrap();
    let me = agent.get("/api/v1/me").await.unwrap();
    assert_eq!(holder, me["name"]);

    let mut stream = customer.events().await.unwrap();
    browser.press('r').await.unwrap();
    browser
        .wait_until(
            "return document.activeElement?.id === 'composer'",
            "r opens the ticket with its reply box focused",
        )
        .await
        .unwrap();
    let reply = "We are looking at it now.";
    for c in reply.chars() {
        browser.press(c).await.unwrap();
    }
    browser.chord(Key::Control, Key::Enter).await.unwrap();
    // The reply reaches the customer live: their stream says so, and the
    // ticket they read has it.
    hear_message(&mut stream, expedited).await;
    let seen = customer.ticket_detail(expedited).await.unwrap();
    let bodies: Vec<&str> = seen["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert!(bodies.contains(&reply), "{bodies:?}");

    // An internal note, visibly marked, never in the customer's /sync.
    let note = "Customer's VPS is on the old kernel: check before rebooting.";
    browser.type_into("#composer", note).await.unwrap();
    browser.click("#send-note").await.unwrap();
    browser
        .wait_for_texts(".message.internal", "the note, marked", |t| {
            t.iter()
                .any(|t| t.contains(note) && t.contains("Internal note"))
        })
        .await
        .unwrap();
    let agent_view = agent.ticket_detail(expedited).await.unwrap();
    assert!(
        agent_view["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["body"] == note && m["internal"] == true)
    );
    let sync = sync_all(&customer).await;
    assert!(
        !sync.contains(note),
        "the note reached the customer's /sync"
    );
    assert!(sync.contains(reply), "the customer's /sync lacks the reply");

    // The customer answers; the console shows it without a reload.
    let answer = "Thanks, the VPS is back.";
    customer
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{expedited}/messages"),
            json!({"body": answer}),
        )
        .await
        .unwrap();
    browser
        .wait_for_texts(".message.customer", "the customer's answer, live", |t| {
            t.iter().any(|t| t.contains(answer))
        })
        .await
        .unwrap();
    // Remote assistance: once the customer consents (through the API, as
    // their app does), the requesting agent's panel shows the tool's ID and
    // the one-time password, live.
    let session = agent
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{expedited}/remote-sessions"),
            json!({"reason": "Let us check the VPS console together.", "tool": "anydesk"}),
        )
        .await
        .unwrap();
    customer
        .send(
            Method::POST,
            &format!("/api/v1/remote-sessions/{}/answer", session["id"]),
            json!({"accept": true, "connection":
                {"tool": "anydesk", "tool_id": "987654321", "password": "Kq7-once-only"}}),
        )
        .await
        .unwrap();
    browser
        .wait_for_texts(
            "[data-testid=remote-connection]",
            "the customer's ID, live",
            |t| {
                t.iter()
                    .any(|t| t.contains("987654321") && t.contains("Kq7-once-only"))
            },
        )
        .await
        .unwrap();

    // Escape goes back to the queue, where the answered ticket is gone.
    browser.press(Key::Escape).await.unwrap();
    browser.find("#queue").await.unwrap();
    let deadline = Instant::now() + WAIT;
    while rows(&browser).await.contains(&expedited) {
        assert!(
            Instant::now() < deadline,
            "the answered ticket stayed in the queue"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Announcements: post one for every customer, change it, withdraw it;
    // the customer's list follows each step.
    browser.click("a[href='#/announcements']").await.unwrap();
    browser
        .type_into("#a-title", "Console: mail relay upgraded")
        .await
        .unwrap();
    browser
        .type_into("#a-body", "Outgoing mail now uses TLS 1.3.")
        .await
        .unwrap();
    // Only where the web hosting service is: Acme has it, Globex does not.
    browser
        .click("#a-services input[value='HST-WEB-01']")
        .await
        .unwrap();
    browser.click("#a-save").await.unwrap();
    let titles = |list: &Value| -> Vec<String> {
        list["announcements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_owned())
            .collect()
    };
    browser
        .wait_for_texts("#current-announcements li", "posted", |t| {
            t.iter().any(|t| t.contains("Console: mail relay upgraded"))
        })
        .await
        .unwrap();
    let seen = customer.get("/api/v1/announcements").await.unwrap();
    assert!(titles(&seen).contains(&"Console: mail relay upgraded".to_owned()));
    let posted_for = seen["announcements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Console: mail relay upgraded")
        .map(|a| a["services"].clone())
        .unwrap();
    assert_eq!(posted_for[0]["reference"], "HST-WEB-01", "{posted_for}");
    let globex = server
        .api_as("admin@globex.example", DEMO_PASSWORD)
        .await
        .unwrap();
    let elsewhere = globex.get("/api/v1/announcements").await.unwrap();
    assert!(
        !titles(&elsewhere).iter().any(|t| t.starts_with("Console:")),
        "an organisation without the service sees it"
    );
    let posted = browser
        .execute(
            "return [...document.querySelectorAll('#current-announcements li')]
                .find(li => li.textContent.includes('Console:')).dataset.announcement",
        )
        .await
        .unwrap();
    let posted = format!(
        "#current-announcements li[data-announcement='{}']",
        posted.as_str().unwrap()
    );
    browser
        .click(&format!("{posted} button:first-of-type"))
        .await
        .unwrap();
    browser
        .type_into("#a-title", "Console: mail relay upgraded (done)")
        .await
        .unwrap();
    browser.click("#a-save").await.unwrap();
    browser
        .wait_for_texts("#current-announcements li", "changed", |t| {
            t.iter().any(|t| t.contains("(done)"))
        })
        .await
        .unwrap();
    let seen = customer.get("/api/v1/announcements").await.unwrap();
    assert!(titles(&seen).contains(&"Console: mail relay upgraded (done)".to_owned()));
    browser
        .click(&format!("{posted} button:last-of-type"))
        .await
        .unwrap();
    browser
        .wait_for_texts("#current-announcements li", "withdrawn", |t| {
            !t.iter().any(|t| t.contains("(done)"))
        })
        .await
        .unwrap();
    let seen = customer.get("/api/v1/announcements").await.unwrap();
    assert!(!titles(&seen).iter().any(|t| t.starts_with("Console:")));
    browser.close().await.unwrap();
}

/// Every page of the customer's `/sync` from the start, as one text.
async fn sync_all(customer: &ApiClient) -> String {
    let mut cursor = 0;
    let mut all = String::new();
    loop {
        let page: Value = customer
            .get(&format!("/api/v1/sync?cursor={cursor}"))
            .await
            .unwrap();
        all.push_str(&page.to_string());
        cursor = page["cursor"].as_i64().unwrap();
        if page["more"] != true {
            return all;
        }
    }
}
