//! The real `deskmate` binary: the paid expedited response and availability
//! windows (run inside scripts/with-session.sh).

use crate::support::{TestServer, deskmate, login, ok};

/// The ticket the agents' queue shows first.
async fn first_in_queue(server: &TestServer) -> i64 {
    let (status, queue) = server
        .call(
            "agent@provider.example",
            reqwest::Method::GET,
            "/api/v1/queue",
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, 200, "{queue}");
    queue["tickets"][0]["ticket"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_expedited_response_is_quoted_then_bought_at_exactly_that_price() {
    let server = TestServer::start_with(deskmate_server::Config {
        expedite: Some(deskmate_server::db::ExpediteOffer {
            price: deskmate_api::Price::new(4900, "EUR"),
            terms: "A paid service: the ticket skips the queue.".to_owned(),
        }),
        ..deskmate_server::Config::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    let mut filed = Vec::new();
    for subject in ["Mail down", "VPN flaps"] {
        let (status, body) = server
            .call(
                "user@acme.example",
                reqwest::Method::POST,
                "/api/v1/tickets",
                serde_json::json!({"department": "technical", "priority": "regular",
                    "subject": subject, "body": "Since 09:10."}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        filed.push(body["id"].as_i64().unwrap().to_string());
    }
    let (id, other) = (filed[0].as_str(), filed[1].as_str());
    ok(dir.path(), &["sync"]).await;

    // The quote alone changes nothing.
    let text = ok(dir.path(), &["ticket", "expedite", id]).await;
    assert!(
        text.starts_with(&format!("Expedited response for ticket #{id}: 49.00 EUR\n")),
        "{text}"
    );
    assert!(text.contains("skips the queue"), "{text}");
    assert!(
        text.contains(&format!(
            "deskmate ticket expedite {id} --accept-price 49.00EUR"
        )),
        "{text}"
    );
    assert!(
        !ok(dir.path(), &["ticket", "show", id])
            .await
            .contains("Expedited")
    );

    // Another price is refused here; a price that is not one is a usage error.
    let run = deskmate(
        dir.path(),
        &["ticket", "expedite", id, "--accept-price", "39.00EUR"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("the price is 49.00 EUR, not 39.00 EUR"),
        "{run:?}"
    );
    let run = deskmate(
        dir.path(),
        &["ticket", "expedite", id, "--accept-price", "cheap"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("49.00EUR"), "{run:?}");
    assert_ne!(first_in_queue(&server).await.to_string(), id);
    assert!(!ok(dir.path(), &["outbox"]).await.contains("Expedite"));

    // The price shown: sent, first in the queue, shown on the ticket.
    let text = ok(
        dir.path(),
        &["ticket", "expedite", id, "--accept-price", "49.00 EUR"],
    )
    .await;
    assert!(text.ends_with("sent\n"), "{text}");
    assert_eq!(first_in_queue(&server).await.to_string(), id);
    let show = ok(dir.path(), &["ticket", "show", id]).await;
    assert!(show.contains("Expedited:    yes since "), "{show}");
    let run = deskmate(
        dir.path(),
        &["ticket", "expedite", id, "--accept-price", "49.00EUR"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("expedited already"), "{run:?}");
    let text = ok(dir.path(), &["ticket", "expedite", id]).await;
    assert!(text.contains("Expedited by Umberto User on "), "{text}");

    // Offline: no quote, but a consent waits in the outbox.
    server.stop().await;
    let run = deskmate(dir.path(), &["ticket", "expedite", other], None, "").await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("needs a connection"), "{run:?}");
    let text = ok(
        dir.path(),
        &["ticket", "expedite", other, "--accept-price", "49.00EUR"],
    )
    .await;
    assert!(
        text.trim_end().ends_with(|c: char| c.is_ascii_digit()),
        "{text}"
    );
    assert!(text.contains("pending:"), "{text}");
    let outbox = ok(dir.path(), &["outbox"]).await;
    assert!(
        outbox.contains(&format!("Expedite ticket #{other} for 49.00 EUR")),
        "{outbox}"
    );
}

#[tokio::test]
async fn availability_is_said_shown_and_taken_back() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    let out = ok(
        dir.path(),
        &[
            "ticket",
            "new",
            "--department",
            "technical",
            "--priority",
            "regular",
            "--subject",
            "VPN drops",
            "--body",
            "Every ten minutes.",
        ],
    )
    .await;
    let id = out.trim().to_owned();
    let path = format!("/api/v1/tickets/{id}");

    let out = ok(
        dir.path(),
        &[
            "ticket",
            "availability",
            &id,
            "--time-zone",
            "Europe/Prague",
            "--weekly",
            "mon-sun 00:00-24:00",
            "--note",
            "Front desk",
        ],
    )
    .await;
    assert_eq!(out.trim(), "sent");
    let (_, body) = server
        .call(
            "admin@acme.example",
            reqwest::Method::GET,
            &path,
            serde_json::Value::Null,
        )
        .await;
    let availability = &body["ticket"]["availability"];
    assert_eq!(availability["time_zone"], "Europe/Prague");
    assert_eq!(availability["weekly"][0]["from"], "00:00");
    assert_eq!(availability["note"], "Front desk");
    let shown = ok(dir.path(), &["ticket", "show", &id]).await;
    assert!(
        shown.contains("Reachable at the computer (Europe/Prague):"),
        "{shown}"
    );
    assert!(shown.contains("every mon-sun 00:00-24:00"), "{shown}");
    assert!(shown.contains("Reachable now, until "), "{shown}");

    // A one-off window the day after tomorrow replaces it.
    let day = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let on = format!("{day} 10:00-11:30");
    let out = ok(
        dir.path(),
        &[
            "ticket",
            "availability",
            &id,
            "--time-zone",
            "UTC",
            "--on",
            &on,
        ],
    )
    .await;
    assert_eq!(out.trim(), "sent");
    let shown = ok(dir.path(), &["ticket", "show", &id]).await;
    assert!(shown.contains("Next reachable "), "{shown}");
    assert!(!shown.contains("every "), "{shown}");

    // Refused before anything is queued: the zone, or no zone at all.
    let run = deskmate(
        dir.path(),
        &[
            "ticket",
            "availability",
            &id,
            "--time-zone",
            "Mars/Olympus",
            "--weekly",
            "mon 09:00-10:00",
        ],
        None,
        "",
    )
    .await;
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("Mars/Olympus"), "{run:?}");
    let run = deskmate(
        dir.path(),
        &["ticket", "availability", &id, "--weekly", "mon 09:00-10:00"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "--time-zone is required: {run:?}");
    assert_eq!(ok(dir.path(), &["outbox"]).await, "", "nothing queued");

    let out = ok(dir.path(), &["ticket", "availability", &id, "--clear"]).await;
    assert_eq!(out.trim(), "sent");
    let (_, body) = server
        .call(
            "admin@acme.example",
            reqwest::Method::GET,
            &path,
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(body["ticket"]["availability"], serde_json::Value::Null);
    let shown = ok(dir.path(), &["ticket", "show", &id]).await;
    assert!(!shown.contains("Reachable"), "{shown}");
    server.stop().await;
}
