//! Attachments in the real window: a ticket filed with a screenshot reaches
//! the helpdesk byte for byte and shows its thumbnail; the demo ticket's
//! screenshot shows one too.
//!
//! The native file dialog cannot be driven over WebDriver: the app is started
//! with `DESKMATE_E2E_PICK`, which answers the "Attach files" dialog with the
//! given path (see src-tauri/src/pickers.rs); the rest is the real path.

use std::io::Cursor;

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};

const USER: &str = "user@acme.example";

/// A small PNG screenshot (not a single colour, so a broken decode shows).
fn screenshot() -> Vec<u8> {
    let img = image::RgbImage::from_fn(120, 80, |x, y| {
        image::Rgb([(x * 2) as u8, (y * 3) as u8, ((x + y) % 256) as u8])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Scrolls to the detail's files (thumbnails load as they come into view),
/// waits for the first thumbnail and for it to decode.
async fn thumbnail_decoded(app: &AppWindow, what: &str) -> serde_json::Value {
    app.find("[data-testid=attachments]").await.unwrap();
    app.execute(
        "document.querySelector('[data-testid=attachments]').scrollIntoView(); return null;",
    )
    .await
    .unwrap();
    app.find("[data-testid=attachment-thumbnail]")
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + deskmate_e2e::WAIT;
    loop {
        let facts = app
            .execute(
                "const img = document.querySelector('[data-testid=attachment-thumbnail]');
                 return { src: img.src.slice(0, 22), complete: img.complete, width: img.naturalWidth };",
            )
            .await
            .unwrap();
        if facts["complete"] == true && facts["width"].as_u64().unwrap_or(0) > 0 {
            return facts;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: the thumbnail did not decode: {facts}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn open_ticket(app: &AppWindow, id: i64, subject: &str) {
    app.click(&format!(
        "[data-testid=ticket-row][data-ticket-id='{id}'] [data-testid=ticket-subject]"
    ))
    .await
    .unwrap();
    app.wait_for_texts("[data-testid=detail-subject]", "the detail", |t| {
        t.first().map(String::as_str) == Some(subject)
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_filed_with_a_screenshot_and_the_demo_screenshot() {
    let server = ServerProcess::start_demo().unwrap();
    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let files = tempfile::tempdir().unwrap();
    let png = screenshot();
    let path = files.path().join("vpn-error.png");
    std::fs::write(&path, &png).unwrap();

    let app = AppWindow::launch_with_env(
        &server.url,
        &[("DESKMATE_E2E_PICK", path.to_str().unwrap())],
    )
    .await
    .unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();

    let subject = "VPN client shows 'certificate expired' since this morning";
    let body = "The screenshot shows the error the VPN client gives on connect.";
    app.start_ticket("technical", "regular", subject, body)
        .await
        .unwrap();
    app.click("#new-ticket-attach").await.unwrap();
    let chosen = app
        .wait_for_texts("[data-testid=chosen-file]", "the chosen file", |t| {
            t.len() == 1
        })
        .await
        .unwrap();
    assert!(chosen[0].contains("vpn-error.png"), "{chosen:?}");
    assert!(chosen[0].contains("PNG image"), "{chosen:?}");
    app.click("#new-ticket-submit").await.unwrap();
    app.wait_for_texts("[data-testid=ticket-subject]", "the new ticket", |t| {
        t.first().map(String::as_str) == Some(subject)
    })
    .await
    .unwrap();

    // On the helpdesk: one ticket, one attachment, the very bytes.
    let filed: Vec<_> = api
        .tickets()
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t["subject"] == subject)
        .collect();
    assert_eq!(filed.len(), 1);
    let id = filed[0]["id"].as_i64().unwrap();
    let detail = api.ticket_detail(id).await.unwrap();
    let attachments = detail["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1, "{detail}");
    assert_eq!(attachments[0]["file_name"], "vpn-error.png");
    assert_eq!(attachments[0]["content_type"], "image/png");
    assert_eq!(attachments[0]["size_bytes"], png.len());
    let attachment_id = attachments[0]["id"].as_i64().unwrap();
    let bytes = api
        .download(&format!("/api/v1/tickets/{id}/attachments/{attachment_id}"))
        .await
        .unwrap();
    assert!(bytes == png, "the download differs from the file sent");

    // In the detail: its thumbnail, decoded.
    open_ticket(&app, id, subject).await;
    let facts = thumbnail_decoded(&app, "the filed screenshot").await;
    assert_eq!(facts["src"], "data:image/png;base64,", "{facts}");
    let names = app
        .wait_for_texts("[data-testid=attachment-name]", "the file's name", |t| {
            !t.is_empty()
        })
        .await
        .unwrap();
    assert_eq!(names, ["vpn-error.png"]);

    // The demo's 502 ticket carries a screenshot: it shows a thumbnail too.
    app.click("#back-to-list").await.unwrap();
    let demo = api
        .tickets()
        .await
        .unwrap()
        .into_iter()
        .find(|t| {
            t["subject"]
                .as_str()
                .unwrap()
                .starts_with("Website returns 502")
        })
        .expect("the demo data has the 502 ticket");
    open_ticket(
        &app,
        demo["id"].as_i64().unwrap(),
        demo["subject"].as_str().unwrap(),
    )
    .await;
    let names = app
        .wait_for_texts("[data-testid=attachment-name]", "the demo's file", |t| {
            !t.is_empty()
        })
        .await
        .unwrap();
    assert_eq!(names, ["Screenshot 502 Bad Gateway.png"]);
    thumbnail_decoded(&app, "the demo screenshot").await;

    // A script in the page cannot send a file the user did not choose: the
    // commands take the picker's ids only, never a path.
    let before = api.ticket_detail(id).await.unwrap();
    let secret = files.path().join("id_rsa");
    std::fs::write(&secret, "-----BEGIN OPENSSH PRIVATE KEY-----").unwrap();
    for (command, extra) in [
        ("attach_files", format!("ticketId: {id}")),
        (
            "reply_to_ticket",
            format!("ticketId: {id}, body: 'x', draftId: null"),
        ),
    ] {
        let answer = app
            .execute(&format!(
                "return window.__TAURI_INTERNALS__
                   .invoke('{command}', {{ args: {{ {extra}, files: [{secret:?}] }} }})
                   .then(() => 'accepted', (e) => e);"
            ))
            .await
            .unwrap();
        assert_eq!(answer["code"], "validation", "{command}: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.contains("only files chosen"), "{command}: {answer}");
    }
    let outbox = app
        .execute("return window.__TAURI_INTERNALS__.invoke('list_outbox', { args: {} });")
        .await
        .unwrap();
    assert_eq!(outbox, serde_json::json!([]), "nothing was queued");
    let after = api.ticket_detail(id).await.unwrap();
    assert_eq!(after["attachments"].as_array().unwrap().len(), 1, "{after}");
    assert_eq!(after["messages"], before["messages"], "no reply was sent");
    app.close().await.unwrap();
}
