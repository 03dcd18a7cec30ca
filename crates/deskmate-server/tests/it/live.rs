//! Changes reaching clients over real HTTP, on both engines: delta sync
//! hands out every visible change once, the event stream announces what
//! each viewer may see, and PostgreSQL instances share both.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::json;

async fn sync_hands_out_every_visible_change_once(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let agent = h.login("agent@provider.example").await;
    let globex = h.login("admin@globex.example").await;

    let (tickets, messages, cursor) = sync_all(&h, &user, 0, 3).await;
    let mut synced: Vec<i64> = tickets.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    let mut listed: Vec<i64> = h
        .tickets(&user)
        .await
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    synced.sort_unstable();
    listed.sort_unstable();
    assert_eq!(synced, listed, "every visible ticket exactly once");
    assert!(!messages.is_empty());
    assert!(
        messages.iter().all(|m| m["internal"] == false),
        "no internal notes for customers"
    );
    assert!(
        messages
            .iter()
            .all(|m| synced.contains(&m["ticket_id"].as_i64().unwrap()))
    );
    let (_, agent_messages, _) = sync_all(&h, &agent, 0, 500).await;
    assert!(
        agent_messages.iter().any(|m| m["internal"] == true),
        "agents get their notes"
    );

    // Nothing new: an empty page, same cursor.
    let (t, m, again) = sync_all(&h, &user, cursor, 3).await;
    assert!(t.is_empty() && m.is_empty());
    assert_eq!(again, cursor);

    // A reply shows up as the message and the ticket it moved, for Acme only.
    let (_, _, globex_cursor) = sync_all(&h, &globex, 0, 500).await;
    let id = synced[0];
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            &agent,
            json!({"body": "Fixed?"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (t, m, _) = sync_all(&h, &user, cursor, 3).await;
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["id"], id);
    assert_eq!(t[0]["status"], "waiting_for_customer");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0]["body"], "Fixed?");
    let (t, m, _) = sync_all(&h, &globex, globex_cursor, 3).await;
    assert!(
        t.is_empty() && m.is_empty(),
        "nothing of Acme's reaches Globex"
    );

    for query in ["cursor=abc", "cursor=-1", "limit=0", "limit=5000", "page=2"] {
        let r = h.get(&format!("/api/v1/sync?{query}"), &user).await;
        expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    let r = h
        .http
        .get(format!("{}/api/v1/sync", h.url))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    h.server.shutdown().await;
}

async fn events_announce_what_each_viewer_may_see(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let globex = h.login("admin@globex.example").await;
    let agent = h.login("agent@provider.example").await;
    let acme_ticket = h.tickets(&user).await[0]["id"].as_i64().unwrap();
    let globex_ticket = h.tickets(&globex).await[0]["id"].as_i64().unwrap();
    let mut user_events = Events::open(&h, &user, None).await;
    let mut globex_events = Events::open(&h, &globex, None).await;

    // An internal note is for agents only; a reply moves the ticket and adds a message.
    let note = json!({"body": "Check the SBC logs", "internal": true});
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{acme_ticket}/messages"),
            &agent,
            note,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{acme_ticket}/messages"),
            &agent,
            json!({"body": "On it."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let mut seqs = Vec::new();
    for _ in 0..2 {
        let e = user_events.next(SOON).await.expect("the reply's changes");
        assert_eq!(e.event, "change");
        assert_eq!(e.data["ticket_id"], acme_ticket);
        assert_eq!(e.id, e.data["seq"].as_i64());
        seqs.push(e.id.unwrap());
    }
    assert!(seqs[0] < seqs[1]);
    assert!(
        user_events.next(QUIET).await.is_none(),
        "nothing for the internal note"
    );

    // Globex hears only about Globex.
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{globex_ticket}/messages"),
            &agent,
            json!({"body": "Fixed."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let e = globex_events.next(SOON).await.expect("Globex's own change");
    assert_eq!(e.data["ticket_id"], globex_ticket);

    // Reconnecting with Last-Event-ID: told at once when something was missed.
    let mut again = Events::open(&h, &user, Some(seqs[0] - 1)).await;
    let e = again
        .next(SOON)
        .await
        .expect("a resync for what was missed");
    assert_eq!(e.event, "resync");
    let (_, _, cursor) = sync_all(&h, &user, 0, 500).await;
    let mut current = Events::open(&h, &user, Some(cursor)).await;
    assert!(
        current.next(QUIET).await.is_none(),
        "nothing missed, nothing said"
    );

    let r = h
        .http
        .get(format!("{}/api/v1/events", h.url))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // A Last-Event-ID this server cannot have given is refused, not ignored.
    for bad in ["9223372036854775808", "-1", "seven", ""] {
        let r = h
            .http
            .get(format!("{}/api/v1/events", h.url))
            .bearer_auth(&user)
            .header("Last-Event-ID", bad)
            .send()
            .await
            .unwrap();
        expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    // Open streams do not keep the server from stopping.
    tokio::time::timeout(std::time::Duration::from_secs(10), h.server.shutdown())
        .await
        .expect("shutdown with open event streams");
    drop((user_events, globex_events, again, current));
}

on_both_engines!(
    sync_hands_out_every_visible_change_once,
    events_announce_what_each_viewer_may_see,
);

/// Two instances on one PostgreSQL: a write on one reaches a client
/// listening on the other (LISTEN/NOTIFY), and nothing lives only in one
/// process (sign in on one, use the token on the other).
#[tokio::test]
async fn postgres_instances_share_sessions_and_events() {
    use reqwest::Method;
    let a = Helpdesk::start(Engine::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let b = Helpdesk::launch(a.db_url.clone(), dir).await;
    let user = a.login("user@acme.example").await;
    let agent = b.login("agent@provider.example").await;
    let ticket = a.tickets(&user).await[0]["id"].as_i64().unwrap();
    assert_eq!(b.tickets(&user).await.len(), a.tickets(&user).await.len());

    let mut on_b = Events::open(&b, &user, None).await;
    let r = a
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{ticket}/messages"),
            &agent,
            json!({"body": "From instance A"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let e = on_b.next(SOON).await.expect("the change crossed instances");
    assert_eq!(e.event, "change");
    assert_eq!(e.data["ticket_id"], ticket);
    drop(on_b);
    b.server.shutdown().await;
    a.server.shutdown().await;
}
