//! The paid expedited response in the real core against a real
//! deskmate-server on 127.0.0.1 port 0: the quote online only, the consent
//! through the outbox (offline too), a changed price refused with the
//! helpdesk's message. The real OS keyring (scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support::{Account, TestServer};
use deskmate_api::{ErrorCode, OutboxKind, OutboxState, Price};
use deskmate_core::{Core, Sensitive};
use deskmate_server::db::ExpediteOffer;

const USER: &str = "user@acme.example";

fn offering(amount_minor: i64) -> deskmate_server::Config {
    deskmate_server::Config {
        expedite: Some(ExpediteOffer {
            price: Price::new(amount_minor, "EUR"),
            terms: "Paid; skips the queue.".to_owned(),
        }),
        ..deskmate_server::Config::default()
    }
}

/// A core signed in as the demo user, with a new ticket of theirs pulled.
async fn user_with_ticket(server: &TestServer) -> (tempfile::TempDir, Core, i64) {
    let user = Account::sign_in(&server.url, USER).await;
    let (status, ticket) = user
        .send(
            reqwest::Method::POST,
            "/api/v1/tickets",
            Some(serde_json::json!({
                "department": "technical", "priority": "regular",
                "subject": "Mail down", "body": "Since 09:10."
            })),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED);
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(
        &server.url,
        USER,
        Sensitive::new("demo-password".to_owned()),
    )
    .await
    .unwrap();
    core.refresh_tickets().await.unwrap();
    (dir, core, ticket["id"].as_i64().unwrap())
}

async fn first_in_queue(server: &TestServer) -> i64 {
    let agent = Account::agent(&server.url).await;
    let (_, queue) = agent
        .send(reqwest::Method::GET, "/api/v1/queue", None)
        .await;
    queue["tickets"][0]["ticket"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_quote_then_the_consent_expedites_the_ticket() {
    let server = TestServer::start_with(offering(4900)).await;
    let (_dir, core, id) = user_with_ticket(&server).await;
    assert_ne!(first_in_queue(&server).await, id);

    let quote = core.expedite_quote(id).await.unwrap();
    assert_eq!(quote.price, Price::new(4900, "EUR"));
    assert!(quote.can_expedite, "{quote:?}");
    let left = core.expedite(id, quote.price.clone()).await.unwrap();
    assert!(left.is_none(), "delivered at once: {left:?}");

    let view = core.ticket_view(id, false).await.unwrap();
    assert!(view.ticket.expedited, "the cache knows before any pull");
    assert!(view.ticket.expedited_at.is_some());
    assert!(view.pending.is_empty());
    assert_eq!(first_in_queue(&server).await, id);
    // A pull keeps it (the helpdesk's ticket row carries it).
    core.refresh_tickets().await.unwrap();
    let view = core.ticket_view(id, true).await.unwrap();
    assert!(view.ticket.expedited);
    // Again: refused here, before any network.
    let err = core.expedite(id, quote.price).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation, "{err}");
    let quote = core.expedite_quote(id).await.unwrap();
    assert!(!quote.can_expedite);
    assert_eq!(quote.expedited.unwrap().requested_by_name, "Umberto User");
}

#[tokio::test]
async fn offline_there_is_no_quote_but_the_consent_waits_in_the_outbox() {
    let server = TestServer::start_with(offering(4900)).await;
    let (_dir, core, id) = user_with_ticket(&server).await;
    let stopped = server.stop_for_a_while().await;

    let err = core.expedite_quote(id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Network);
    assert!(err.to_string().contains("needs a connection"), "{err}");

    let item = core
        .expedite(id, Price::new(4900, "EUR"))
        .await
        .unwrap()
        .expect("kept while offline");
    assert_eq!(
        (item.kind, item.state, item.ticket_id),
        (OutboxKind::Expedite, OutboxState::Pending, Some(id))
    );
    assert!(item.summary.contains("49.00 EUR"), "{}", item.summary);
    let view = core.ticket_view(id, false).await.unwrap();
    assert_eq!(view.pending.len(), 1, "shown as pending on the ticket");
    assert!(!view.ticket.expedited);
    let err = core
        .expedite(id, Price::new(4900, "EUR"))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::Validation,
        "one consent at a time: {err}"
    );

    let server = stopped.start_again().await;
    assert_eq!(core.drain_outbox(true).await.unwrap().sent, 1);
    assert!(core.outbox().await.unwrap().is_empty());
    assert!(core.ticket_view(id, false).await.unwrap().ticket.expedited);
    assert_eq!(first_in_queue(&server).await, id);
}

#[tokio::test]
async fn a_changed_price_fails_with_the_helpdesks_word_and_a_new_consent_replaces_it() {
    let server = TestServer::start_with(offering(5900)).await;
    let (_dir, core, id) = user_with_ticket(&server).await;

    let item = core
        .expedite(id, Price::new(4900, "EUR"))
        .await
        .unwrap()
        .expect("refused, kept");
    assert_eq!(item.state, OutboxState::Failed);
    let error = item.error.unwrap();
    assert_eq!(error.code, ErrorCode::Conflict);
    assert!(error.message.contains("59.00 EUR"), "{}", error.message);
    assert!(!core.ticket_view(id, false).await.unwrap().ticket.expedited);
    assert_ne!(first_in_queue(&server).await, id);

    // Quoted again and accepted: the failed consent gives way.
    let quote = core.expedite_quote(id).await.unwrap();
    assert!(core.expedite(id, quote.price).await.unwrap().is_none());
    assert!(core.outbox().await.unwrap().is_empty());
    assert_eq!(first_in_queue(&server).await, id);

    // Bad input and unknown tickets never reach the outbox.
    let err = core.expedite(id, Price::new(0, "EUR")).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    let err = core
        .expedite(987_654, Price::new(5900, "EUR"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(core.outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_helpdesk_without_a_price_says_so() {
    let server = TestServer::start().await;
    let (_dir, core, id) = user_with_ticket(&server).await;
    let err = core.expedite_quote(id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotOffered, "{err}");
}
