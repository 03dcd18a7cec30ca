//! What the agent console reads besides the queue: claims announced live to
//! agents (and to nobody else), and the list of organisations with their
//! services that announcements are aimed with; on both engines.

use crate::queue::{claim, release, second_agent};
use crate::services::{organisation_id, put_service};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;

const AGENT: &str = "agent@provider.example";
const ACME_USER: &str = "user@acme.example";
const GLOBEX: &str = "admin@globex.example";

async fn claims_reach_agents_live(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let (second, _) = second_agent(&h).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Router blinks red").await;
    let mut colleague = Events::open(&h, &second, None).await;
    let mut customer = Events::open(&h, &user, None).await;

    let r = claim(&h, &agent, id, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let e = colleague.next(SOON).await.expect("the claim, live");
    assert_eq!(e.event, "queue");
    assert_eq!(e.data["ticket_id"], id);
    assert_eq!(e.id, None, "a claim is no change a sync cursor counts");

    let r = release(&h, &agent, id, None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let e = colleague.next(SOON).await.expect("the release, live");
    assert_eq!(
        (e.event.as_str(), &e.data["ticket_id"]),
        ("queue", &id.into())
    );

    // A refused claim announces nothing; the customer never hears of claims.
    let r = claim(&h, &user, id, None).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(colleague.next(QUIET).await.is_none());
    assert!(
        customer.next(QUIET).await.is_none(),
        "claims are agents' business"
    );
}

async fn agents_list_organisations_with_services(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX).await;
    let acme_id = organisation_id(&h, &user).await;
    let globex_id = organisation_id(&h, &globex).await;
    put_service(&h, &agent, acme_id, "VPS-8", "Managed VPS").await;
    put_service(&h, &agent, acme_id, "SIP-1", "SIP trunk").await;

    let r = h.get("/api/v1/organisations", &agent).await;
    assert_eq!(r.status(), StatusCode::OK);
    let list: Value = r.json().await.unwrap();
    let orgs = list["organisations"].as_array().unwrap();
    let names: Vec<&str> = orgs.iter().map(|o| o["name"].as_str().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "by name");
    let find = |id: i64| orgs.iter().find(|o| o["id"] == id).unwrap();
    let refs: Vec<&str> = find(acme_id)["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reference"].as_str().unwrap())
        .collect();
    assert!(
        refs.contains(&"SIP-1") && refs.contains(&"VPS-8"),
        "{refs:?}"
    );
    assert!(refs.is_sorted(), "services by reference: {refs:?}");
    assert!(
        find(globex_id)["services"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["organisation_id"] == globex_id)
    );

    // Customers, even admins, have no list of other organisations.
    for token in [&user, &globex] {
        let r = h.get("/api/v1/organisations", token).await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let r = h
        .http
        .get(format!("{}/api/v1/organisations", h.url))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

on_both_engines!(
    claims_reach_agents_live,
    agents_list_organisations_with_services
);
