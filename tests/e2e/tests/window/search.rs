//! Local search in the real window: a word only an agent's answer holds finds
//! its ticket as you type; a hit opens the ticket; Escape brings the list back.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};

const USER: &str = "user@acme.example";
/// The demo ticket whose only mention of "quota" is the agent's answer.
const MAILBOX: &str = "Mailbox info@acme.example does not receive external mail";
/// WebDriver's Escape key.
const ESCAPE: &str = "\u{e00c}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_word_of_an_agents_answer_finds_its_ticket() {
    let server = ServerProcess::start_demo().unwrap();
    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let tickets = api.tickets().await.unwrap();
    let mailbox = tickets
        .iter()
        .find(|t| t["subject"] == MAILBOX)
        .expect("the demo data has the mailbox ticket");
    let id = mailbox["id"].as_i64().unwrap();
    assert!(
        !mailbox["body"].as_str().unwrap().contains("quota"),
        "the word is only in the conversation"
    );

    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.wait_for_texts("[data-testid=ticket-subject]", "the list", |t| {
        t.len() == tickets.len()
    })
    .await
    .unwrap();

    app.type_into("#ticket-search", "quota").await.unwrap();
    app.wait_for_texts("[data-testid=search-hit-subject]", "the hit", |t| {
        t == [MAILBOX]
    })
    .await
    .unwrap();
    let hit = app.find("[data-testid=search-hit]").await.unwrap();
    assert_eq!(
        hit.attr("data-ticket-id").await.unwrap(),
        Some(id.to_string())
    );
    let snippet = app
        .find("[data-testid=search-hit-snippet] mark")
        .await
        .unwrap();
    assert_eq!(snippet.text().await.unwrap(), "quota");
    assert!(
        app.find_all("[data-testid=ticket-row]")
            .await
            .unwrap()
            .is_empty(),
        "the hits stand in for the list"
    );

    // Nothing matches: said so, not an error (the input is never FTS syntax).
    app.type_into("#ticket-search", "\"zebra AND (")
        .await
        .unwrap();
    app.find("[data-testid=search-empty]").await.unwrap();

    // A hit opens its ticket like a row does.
    app.type_into("#ticket-search", "quota").await.unwrap();
    // Wait for the answer to the whole word: "quo" (still typing) also
    // matches "Quote ...".
    app.wait_for_texts(
        "[data-testid=search-hit-subject]",
        "the hit for quota",
        |t| t == [MAILBOX],
    )
    .await
    .unwrap();
    app.click("[data-testid=search-hit] [data-testid=search-hit-subject]")
        .await
        .unwrap();
    app.wait_for_texts("[data-testid=detail-subject]", "the detail", |t| {
        t == [MAILBOX]
    })
    .await
    .unwrap();
    app.click("#back-to-list").await.unwrap();

    // Back with the search kept; Escape clears it and the list is back.
    app.wait_for_texts("[data-testid=search-hit-subject]", "the hit again", |t| {
        t == [MAILBOX]
    })
    .await
    .unwrap();
    app.find("#ticket-search")
        .await
        .unwrap()
        .send_keys(ESCAPE)
        .await
        .unwrap();
    app.wait_for_texts("[data-testid=ticket-subject]", "the list again", |t| {
        t.len() == tickets.len()
    })
    .await
    .unwrap();
    assert!(
        app.find_all("[data-testid=search-hit]")
            .await
            .unwrap()
            .is_empty()
    );
    app.close().await.unwrap();
}
