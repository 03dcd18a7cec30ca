//! What a back-end offers, against a real deskmate-server: its own client
//! offers everything; a back-end that offers only tickets and conversations
//! answers `not_offered` for the rest, before anything is queued. Real OS
//! keyring (run inside scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support;

use std::sync::Arc;

use crate::support::TestServer;
use crate::support::backends::{self, Calls};
use deskmate_api::{Capabilities, ErrorCode, Price};
use deskmate_core::backend::{Backend as _, ServerClient};
use deskmate_core::{Core, Sensitive};

#[tokio::test]
async fn deskmate_server_offers_everything_and_signed_out_there_is_nobody_to_ask() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let signed_out = Core::open(dir.path()).await.unwrap();
    assert_eq!(
        signed_out.capabilities().await.unwrap_err().code(),
        ErrorCode::SignedOut
    );
    drop(signed_out);
    let core = support::customer(&server, dir.path(), None).await;
    assert_eq!(core.capabilities().await.unwrap(), Capabilities::ALL);
    assert_eq!(
        ServerClient::new(&server.url).unwrap().capabilities(),
        Capabilities::ALL
    );
    server.stop().await;
}

#[tokio::test]
async fn a_back_end_without_a_capability_answers_not_offered_and_queues_nothing() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let calls = Arc::new(Calls::default());
    let core = support::customer(&server, dir.path(), Some(backends::plain(&calls))).await;
    assert_eq!(core.capabilities().await.unwrap(), Capabilities::NONE);
    // What every back-end has still works.
    assert!(core.refresh().await.unwrap());
    let ticket = core.cached_tickets().await.unwrap()[0].id;

    let refused = [
        core.expedite_quote(ticket).await.map(drop),
        core.expedite(ticket, Price::new(4900, "EUR"))
            .await
            .map(drop),
        core.set_availability(ticket, None).await.map(drop),
    ];
    for result in refused {
        let e = result.unwrap_err();
        assert_eq!(e.code(), ErrorCode::NotOffered, "{e}");
    }
    assert!(core.outbox().await.unwrap().is_empty(), "nothing queued");

    // The back-end itself answers the typed error, it does not fake one.
    let client = (backends::plain(&calls))(&server.url).unwrap();
    let token = Sensitive::new("unused".to_owned());
    let e = client.expedite_quote(&token, ticket).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotOffered);
    let e = client.events(&token, None).await.err().unwrap();
    assert_eq!(e.code(), ErrorCode::NotOffered);
    server.stop().await;
}
