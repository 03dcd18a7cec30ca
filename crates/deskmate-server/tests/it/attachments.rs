//! Attachments over real HTTP on both engines: multipart upload, the kind
//! sniffed from the bytes, pictures checked before and by decoding, the
//! limits, visibility, sync, events and byte-exact downloads.

use crate::support::*;
use deskmate_api::limits;
use reqwest::multipart::{Form, Part};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn part(name: &str, bytes: Vec<u8>, claimed: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str(claimed)
        .unwrap()
}

fn file_form(name: &str, bytes: Vec<u8>) -> Form {
    Form::new().part("file", part(name, bytes, "application/octet-stream"))
}

async fn post_form(
    h: &Helpdesk,
    token: Option<&str>,
    ticket: i64,
    form: Form,
    key: Option<&str>,
) -> Response {
    let mut rb = h
        .http
        .post(format!("{}/api/v1/tickets/{ticket}/attachments", h.url))
        .multipart(form);
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    if let Some(k) = key {
        rb = rb.header("idempotency-key", k);
    }
    rb.send().await.unwrap()
}

/// Uploads and expects 201; the attachment answered.
async fn attach(h: &Helpdesk, token: &str, ticket: i64, name: &str, bytes: Vec<u8>) -> Value {
    let r = post_form(h, Some(token), ticket, file_form(name, bytes), None).await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    r.json().await.unwrap()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 13) as u8, ((x ^ y) * 3) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A small, valid-looking PNG whose header declares `width` x `height`:
/// decoding it would allocate gigabytes.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(1, 1);
    // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), ..., CRC.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Every attachment `/sync` hands out after `cursor`, in small pages.
async fn synced_attachments(h: &Helpdesk, token: &str, mut cursor: i64) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let r = h
            .get(&format!("/api/v1/sync?cursor={cursor}&limit=2"), token)
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page: Value = r.json().await.unwrap();
        let rows = ["tickets", "messages", "attachments"]
            .iter()
            .map(|k| page[k].as_array().unwrap().len())
            .sum::<usize>();
        assert!(rows <= 2, "a page holds at most `limit` rows: {page}");
        seen.extend(page["attachments"].as_array().unwrap().iter().cloned());
        cursor = page["cursor"].as_i64().unwrap();
        if !page["more"].as_bool().unwrap() {
            return seen;
        }
    }
}

async fn sync_cursor(h: &Helpdesk, token: &str) -> i64 {
    let (_, _, cursor) = sync_all(h, token, 0, 1000).await;
    cursor
}

fn ids(list: &[Value]) -> Vec<i64> {
    list.iter().map(|a| a["id"].as_i64().unwrap()).collect()
}

async fn files_are_stored_listed_synced_and_served_byte_exact(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let admin = h.login("admin@acme.example").await;
    let agent = h.login("agent@provider.example").await;
    let ticket = h.file(&user, "Screenshot of the error").await;
    let cursor = sync_cursor(&h, &admin).await;
    let mut events = Events::open(&h, &admin, None).await;

    // The sender's claims (content type, directories) count for nothing.
    let picture = png(32, 24);
    let form = Form::new().part(
        "file",
        part(
            "C:\\Users\\umberto\\screen shot.png",
            picture.clone(),
            "text/plain",
        ),
    );
    let r = post_form(&h, Some(&user), ticket, form, None).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let shot: Value = r.json().await.unwrap();
    assert_eq!(shot["ticket_id"], ticket);
    assert_eq!(shot["file_name"], "screen shot.png");
    assert_eq!(shot["content_type"], "image/png");
    assert_eq!(shot["size_bytes"], picture.len());
    assert_eq!(shot["sha256"], sha256_hex(&picture));
    assert_eq!(
        (shot["width"].clone(), shot["height"].clone()),
        (json!(32), json!(24))
    );
    assert_eq!(shot["author_kind"], "customer");
    assert_eq!(shot["author_name"], "Umberto User");
    assert_eq!(shot["message_id"], Value::Null);

    let log = "09:10 nginx: upstream prematurely closed connection\n\u{e9}\n"
        .as_bytes()
        .to_vec();
    let form = Form::new().part(
        "file",
        part("r\u{e9}sum\u{e9} log.txt", log.clone(), "image/png"),
    );
    let r = post_form(&h, Some(&user), ticket, form, None).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let text: Value = r.json().await.unwrap();
    assert_eq!(text["content_type"], "text/plain; charset=utf-8");
    assert_eq!(text["width"], Value::Null);
    assert_eq!(text["height"], Value::Null);

    // Announced live, like a message: the ticket's activity and the file.
    let mut announced = Vec::new();
    while let Some(e) = events.next(QUIET).await {
        assert_eq!(e.event, "change");
        assert_eq!(e.data["ticket_id"], ticket);
        announced.push(e);
    }
    assert_eq!(announced.len(), 4, "two per upload: {announced:?}");

    // The detail and every viewer of the ticket's organisation see them.
    for token in [&user, &admin, &agent] {
        let detail = h.detail(ticket, token).await;
        let listed = detail["attachments"].as_array().unwrap();
        assert_eq!(listed, &vec![shot.clone(), text.clone()]);
    }
    // Sync hands out the metadata once, within the page limit.
    let synced = synced_attachments(&h, &admin, cursor).await;
    assert_eq!(synced, vec![shot.clone(), text.clone()]);

    // The bytes, exactly, with headers that keep a browser from running them.
    let id = shot["id"].as_i64().unwrap();
    let path = format!("/api/v1/tickets/{ticket}/attachments/{id}");
    let r = h.get(&path, &agent).await;
    assert_eq!(r.status(), StatusCode::OK);
    let headers = r.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"screen shot.png\"; filename*=UTF-8''screen%20shot.png"
    );
    let etag = format!("\"{}\"", sha256_hex(&picture));
    assert_eq!(headers["etag"], etag.as_str());
    assert_eq!(r.bytes().await.unwrap().to_vec(), picture);

    let r = h
        .http
        .get(format!("{}{path}", h.url))
        .bearer_auth(&user)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert!(r.bytes().await.unwrap().is_empty());

    let text_id = text["id"].as_i64().unwrap();
    let r = h
        .get(
            &format!("/api/v1/tickets/{ticket}/attachments/{text_id}"),
            &user,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"r_sum_ log.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20log.txt"
    );
    assert_eq!(r.bytes().await.unwrap().to_vec(), log);
    h.server.shutdown().await;
}

async fn other_organisations_and_unknown_ids_are_not_found(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let globex = h.login("admin@globex.example").await;
    let ticket = h.file(&user, "Acme only").await;
    let other = h.file(&user, "Another Acme ticket").await;
    let a = attach(&h, &user, ticket, "a.txt", b"acme secret".to_vec()).await;
    let id = a["id"].as_i64().unwrap();
    let globex_ticket = h.tickets(&globex).await[0]["id"].as_i64().unwrap();

    let unknown = h.get("/api/v1/tickets/999999/attachments/1", &globex).await;
    let unknown = expect_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let foreign = h
        .get(
            &format!("/api/v1/tickets/{ticket}/attachments/{id}"),
            &globex,
        )
        .await;
    let foreign = expect_error(foreign, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        foreign.replace(&ticket.to_string(), "N"),
        unknown.replace("999999", "N"),
        "the same answer as for an unknown ticket"
    );
    // Another organisation's attachment through one's own ticket.
    let r = h
        .get(
            &format!("/api/v1/tickets/{globex_ticket}/attachments/{id}"),
            &globex,
        )
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    // Uploading to it.
    let r = post_form(
        &h,
        Some(&globex),
        ticket,
        file_form("x.txt", b"x".to_vec()),
        None,
    )
    .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    // An attachment asked for under another ticket, unknown ids, and junk.
    for path in [
        format!("/api/v1/tickets/{other}/attachments/{id}"),
        format!("/api/v1/tickets/{ticket}/attachments/999999"),
        format!("/api/v1/tickets/{ticket}/attachments/abc"),
        format!("/api/v1/tickets/{ticket}/attachments/0"),
        format!("/api/v1/tickets/abc/attachments/{id}"),
    ] {
        expect_error(
            h.get(&path, &user).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let r = post_form(
        &h,
        Some(&user),
        999_999,
        file_form("x.txt", b"x".to_vec()),
        None,
    )
    .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;

    // No token: 401 for both.
    let r = post_form(&h, None, ticket, file_form("x.txt", b"x".to_vec()), None).await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h
        .http
        .get(format!(
            "{}/api/v1/tickets/{ticket}/attachments/{id}",
            h.url
        ))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;

    assert_eq!(
        h.detail(ticket, &user).await["attachments"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "nothing was added"
    );
    assert!(
        h.detail(globex_ticket, &globex).await["attachments"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    h.server.shutdown().await;
}

async fn a_closed_ticket_takes_no_files(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let agent = h.login("agent@provider.example").await;
    let ticket = h.file(&user, "Soon closed").await;
    let upload = || file_form("before.txt", b"before closing".to_vec());
    let r = post_form(&h, Some(&user), ticket, upload(), Some("before-1")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let a: Value = r.json().await.unwrap();
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{ticket}"),
            &agent,
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    for token in [&user, &agent] {
        let r = post_form(
            &h,
            Some(token),
            ticket,
            file_form("after.txt", b"x".to_vec()),
            None,
        )
        .await;
        expect_error(r, StatusCode::CONFLICT, "conflict").await;
    }
    // A retry of the upload made before closing is answered as the first time.
    let r = post_form(&h, Some(&user), ticket, upload(), Some("before-1")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.json::<Value>().await.unwrap(), a);
    // What was attached before stays readable.
    let r = h
        .get(
            &format!("/api/v1/tickets/{ticket}/attachments/{}", a["id"]),
            &user,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"before closing");
    let detail = h.detail(ticket, &user).await;
    assert_eq!(
        ids(detail["attachments"].as_array().unwrap()),
        vec![a["id"].as_i64().unwrap()]
    );
    h.server.shutdown().await;
}

async fn bad_files_are_refused_and_nothing_is_stored(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let ticket = h.file(&user, "Bad files").await;
    let cursor = sync_cursor(&h, &user).await;

    let mut corrupt = png(64, 64);
    corrupt.truncate(corrupt.len() / 2);
    let mut elf = b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3E\0".to_vec();
    elf.extend(std::iter::repeat_n(0x90, 200));
    let long_name = format!("{}.txt", "n".repeat(limits::FILE_NAME_MAX_CHARS));
    let cases: Vec<(&str, String, Vec<u8>)> = vec![
        (
            "decompression bomb",
            "bomb.png".into(),
            png_claiming(50_000, 50_000),
        ),
        (
            "too many pixels",
            "wide.png".into(),
            png_claiming(10_000, 10_000),
        ),
        (
            "a side too long",
            "strip.png".into(),
            png_claiming(20_000, 10),
        ),
        ("corrupt picture", "broken.png".into(), corrupt),
        ("executable", "setup.png".into(), elf),
        (
            "windows executable",
            "tool.txt".into(),
            b"MZ\x90\0\x03\0\0\0\x04\0".to_vec(),
        ),
        ("empty file", "empty.txt".into(), Vec::new()),
        ("name too long", long_name, b"text".to_vec()),
        ("only a directory", "C:\\logs\\".into(), b"text".to_vec()),
    ];
    for (what, name, bytes) in cases {
        let started = std::time::Instant::now();
        let r = post_form(&h, Some(&user), ticket, file_form(&name, bytes), None).await;
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
        assert_eq!(body["code"], "validation", "{what}: {body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{what} was refused without decoding: {message}"
        );
    }
    // Names with control characters: most cannot even be sent in a part's
    // header (malformed: 400); a tab can, and is refused. RFC 7578 forbids
    // `filename*`, so a part named only that way has no name.
    for (disposition, status, says) in [
        (
            "filename=\"a\x1b[31m.txt\"",
            StatusCode::BAD_REQUEST,
            "could not be read",
        ),
        (
            "filename=\"a\tb.txt\"",
            StatusCode::UNPROCESSABLE_ENTITY,
            "control characters",
        ),
        (
            "filename*=UTF-8''a%C3%A9.txt",
            StatusCode::UNPROCESSABLE_ENTITY,
            "needs a name",
        ),
    ] {
        let body = format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; {disposition}\r\n\
             Content-Type: text/plain\r\n\r\ntext\r\n--XyZ--\r\n"
        );
        let r = h
            .http
            .post(format!("{}/api/v1/tickets/{ticket}/attachments", h.url))
            .bearer_auth(&user)
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{disposition}");
        let body: Value = r.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
    assert!(
        h.detail(ticket, &user).await["attachments"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing stored"
    );
    assert!(synced_attachments(&h, &user, cursor).await.is_empty());
    h.server.shutdown().await;
}

async fn malformed_forms_are_bad_requests(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let ticket = h.file(&user, "Malformed forms").await;
    let path = format!("/api/v1/tickets/{ticket}/attachments");

    // JSON, or no body at all, is not a form.
    let r = h
        .send(Method::POST, &path, &user, json!({"file": "x"}))
        .await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = h
        .http
        .post(format!("{}{path}", h.url))
        .bearer_auth(&user)
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;

    let forms = [
        ("no file part", Form::new().text("message_id", "1")),
        (
            "two files",
            file_form("a.txt", b"a".to_vec())
                .part("file", part("b.txt", b"b".to_vec(), "text/plain")),
        ),
        (
            "an unknown part",
            file_form("a.txt", b"a".to_vec()).text("comment", "hello"),
        ),
        (
            "a message id that is not one",
            file_form("a.txt", b"a".to_vec()).text("message_id", "first"),
        ),
    ];
    for (what, form) in forms {
        let r = post_form(&h, Some(&user), ticket, form, None).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{what}");
        expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    assert!(
        h.detail(ticket, &user).await["attachments"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    h.server.shutdown().await;
}

/// A ZIP-kind file of exactly `len` bytes.
fn zip_of(len: usize) -> Vec<u8> {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.resize(len, 0x5A);
    bytes
}

async fn the_size_limits_hold(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let ticket = h.file(&user, "Big diagnostic bundles").await;

    // One byte over the file limit: 413, though the route takes more than
    // the 1 MiB of the JSON routes.
    let r = post_form(
        &h,
        Some(&user),
        ticket,
        file_form("big.zip", zip_of(limits::ATTACHMENT_MAX_BYTES + 1)),
        None,
    )
    .await;
    expect_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // The JSON routes still refuse more than 1 MiB.
    let big = json!({"department": "technical", "priority": "regular", "subject": "big",
        "body": "x".repeat(1024 * 1024 + 1)});
    let r = h
        .post_raw(
            "/api/v1/tickets",
            Some(&user),
            serde_json::to_vec(&big).unwrap(),
        )
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    // Files at the limit fill the ticket's 50 MiB; one more byte is refused.
    let per_ticket = limits::TICKET_ATTACHMENTS_MAX_BYTES / limits::ATTACHMENT_MAX_BYTES;
    for i in 0..per_ticket {
        let a = attach(
            &h,
            &user,
            ticket,
            &format!("bundle-{i}.zip"),
            zip_of(limits::ATTACHMENT_MAX_BYTES),
        )
        .await;
        assert_eq!(a["content_type"], "application/zip");
        assert_eq!(a["size_bytes"], limits::ATTACHMENT_MAX_BYTES);
    }
    let r = post_form(
        &h,
        Some(&user),
        ticket,
        file_form("one-more.txt", b"x".to_vec()),
        None,
    )
    .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let detail = h.detail(ticket, &user).await;
    assert_eq!(detail["attachments"].as_array().unwrap().len(), per_ticket);

    // And at most 50 files, however small.
    let small = h.file(&user, "Many small logs").await;
    for i in 0..limits::TICKET_ATTACHMENTS_MAX_COUNT {
        attach(
            &h,
            &user,
            small,
            &format!("log-{i}.txt"),
            format!("line {i}\n").into_bytes(),
        )
        .await;
    }
    let r = post_form(
        &h,
        Some(&user),
        small,
        file_form("log-51.txt", b"x".to_vec()),
        None,
    )
    .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let detail = h.detail(small, &user).await;
    assert_eq!(
        detail["attachments"].as_array().unwrap().len(),
        limits::TICKET_ATTACHMENTS_MAX_COUNT
    );
    h.server.shutdown().await;
}

async fn a_repeated_idempotency_key_stores_once(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let ticket = h.file(&user, "Flaky network").await;
    let bytes = png(16, 16);
    let mut answers = Vec::new();
    for _ in 0..2 {
        let r = post_form(
            &h,
            Some(&user),
            ticket,
            file_form("shot.png", bytes.clone()),
            Some("upload-1"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        answers.push(r.json::<Value>().await.unwrap());
    }
    assert_eq!(answers[0], answers[1], "the first answer, replayed");
    // The same key for other bytes is a conflict.
    let r = post_form(
        &h,
        Some(&user),
        ticket,
        file_form("shot.png", png(8, 8)),
        Some("upload-1"),
    )
    .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    let detail = h.detail(ticket, &user).await;
    assert_eq!(
        ids(detail["attachments"].as_array().unwrap()),
        vec![answers[0]["id"].as_i64().unwrap()]
    );
    h.server.shutdown().await;
}

async fn files_of_internal_notes_are_for_agents_only(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let admin = h.login("admin@acme.example").await;
    let agent = h.login("agent@provider.example").await;
    let ticket = h.file(&user, "Needs an internal look").await;
    let cursor = sync_cursor(&h, &user).await;
    let mut user_events = Events::open(&h, &user, None).await;
    let message = |token: &str, body: Value| {
        let path = format!("/api/v1/tickets/{ticket}/messages");
        let token = token.to_owned();
        let h = &h;
        async move {
            let r = h.send(Method::POST, &path, &token, body).await;
            assert_eq!(r.status(), StatusCode::CREATED);
            r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
        }
    };
    let note = message(
        &agent,
        json!({"body": "SBC trace attached", "internal": true}),
    )
    .await;
    let form =
        file_form("trace.txt", b"INVITE sip:...".to_vec()).text("message_id", note.to_string());
    let r = post_form(&h, Some(&agent), ticket, form, None).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let internal: Value = r.json().await.unwrap();
    assert_eq!(internal["message_id"], note);
    assert_eq!(internal["author_kind"], "agent");

    assert!(
        user_events.next(QUIET).await.is_none(),
        "nothing announced to the customer"
    );
    for token in [&user, &admin] {
        let detail = h.detail(ticket, token).await;
        assert!(detail["attachments"].as_array().unwrap().is_empty());
        let r = h
            .get(
                &format!("/api/v1/tickets/{ticket}/attachments/{}", internal["id"]),
                token,
            )
            .await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
        assert!(synced_attachments(&h, token, cursor).await.is_empty());
    }
    let detail = h.detail(ticket, &agent).await;
    assert_eq!(
        detail["attachments"].as_array().unwrap(),
        &vec![internal.clone()]
    );

    // Customers attach to their own messages only, and never to a note.
    let reply = message(&agent, json!({"body": "Please send the PBX log"})).await;
    let mine = message(&user, json!({"body": "Here it is"})).await;
    for (linked, status) in [
        (note, StatusCode::NOT_FOUND),
        (reply, StatusCode::FORBIDDEN),
        (999_999, StatusCode::NOT_FOUND),
        (mine, StatusCode::CREATED),
    ] {
        let form =
            file_form("pbx.log", b"BYE received".to_vec()).text("message_id", linked.to_string());
        let r = post_form(&h, Some(&user), ticket, form, None).await;
        assert_eq!(r.status(), status, "message {linked}");
        if status == StatusCode::CREATED {
            assert_eq!(r.json::<Value>().await.unwrap()["message_id"], mine);
        }
    }
    let seen = synced_attachments(&h, &admin, cursor).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["message_id"], mine);
    assert_eq!(
        h.detail(ticket, &agent).await["attachments"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    h.server.shutdown().await;
}

async fn the_demo_has_a_screenshot_and_a_log(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let mut found = Vec::new();
    for t in h.tickets(&user).await {
        let id = t["id"].as_i64().unwrap();
        for a in h.detail(id, &user).await["attachments"].as_array().unwrap() {
            let r = h
                .get(
                    &format!("/api/v1/tickets/{id}/attachments/{}", a["id"]),
                    &user,
                )
                .await;
            assert_eq!(r.status(), StatusCode::OK);
            let bytes = r.bytes().await.unwrap();
            assert_eq!(sha256_hex(&bytes), a["sha256"].as_str().unwrap());
            found.push((
                a["content_type"].clone(),
                a["width"].clone(),
                a["height"].clone(),
            ));
        }
    }
    found.sort_by_key(|f| f.0.to_string());
    assert_eq!(
        found,
        vec![
            (json!("image/png"), json!(640), json!(400)),
            (json!("text/plain; charset=utf-8"), Value::Null, Value::Null),
        ]
    );
    h.server.shutdown().await;
}

on_both_engines!(
    files_are_stored_listed_synced_and_served_byte_exact,
    other_organisations_and_unknown_ids_are_not_found,
    a_closed_ticket_takes_no_files,
    bad_files_are_refused_and_nothing_is_stored,
    malformed_forms_are_bad_requests,
    the_size_limits_hold,
    a_repeated_idempotency_key_stores_once,
    files_of_internal_notes_are_for_agents_only,
    the_demo_has_a_screenshot_and_a_log,
);
