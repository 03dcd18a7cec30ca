//! The real `deskmate` binary: files attached on the command line, and the
//! provider's notices listed and answered (run inside scripts/with-session.sh).

use std::path::Path;

use crate::support::{TestServer, deskmate, login, ok};

/// A real PNG of `width` x `height` pixels.
fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The ids of the sent files `ticket show` lists, by name.
fn sent_attachments(show: &str) -> Vec<(i64, String)> {
    show.lines()
        .skip_while(|l| *l != "Attachments:")
        .filter(|l| l.contains("  sent  "))
        .map(|l| {
            let mut words = l.split_whitespace();
            let id = words.next().unwrap().parse().unwrap();
            (id, l.rsplit("  ").next().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn files_attached_on_the_command_line_arrive_and_download() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "user@acme.example").await.code,
        0
    );
    let shot = png(300, 200);
    let shot_path = files.path().join("panel 502.png");
    std::fs::write(&shot_path, &shot).unwrap();
    let log_path = files.path().join("error.log");
    std::fs::write(&log_path, "09:10 nginx: 502 Bad Gateway\n").unwrap();
    let new_ticket = |subject: &'static str, attach: Vec<String>| {
        let mut args = vec![
            "ticket",
            "new",
            "--department",
            "technical",
            "--priority",
            "regular",
            "--subject",
            subject,
            "--body",
            "See the files.",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
        for file in attach {
            args.push("--attach".to_owned());
            args.push(file);
        }
        args
    };
    let shown = |p: &Path| p.display().to_string();

    let args = new_ticket("With files", vec![shown(&shot_path), shown(&log_path)]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let id = ok(dir.path(), &args).await.trim().to_owned();
    assert!(id.parse::<i64>().is_ok(), "prints the ticket number: {id}");

    let show = ok(dir.path(), &["ticket", "show", &id]).await;
    let sent = sent_attachments(&show);
    let names: Vec<&str> = sent.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["panel 502.png", "error.log"], "{show}");
    assert!(show.contains("image/png"), "{show}");

    let out = files.path().join("downloaded.png");
    let printed = ok(
        dir.path(),
        &[
            "attachment",
            "get",
            &id,
            &sent[0].0.to_string(),
            "--output",
            &shown(&out),
        ],
    )
    .await;
    assert_eq!(printed.trim(), shown(&out));
    assert_eq!(std::fs::read(&out).unwrap(), shot, "byte-exact");

    // A reply with a file; then files refused before anything is queued.
    let reply = ok(
        dir.path(),
        &[
            "reply",
            &id,
            "--body",
            "One more.",
            "--attach",
            &shown(&log_path),
        ],
    )
    .await;
    assert_eq!(reply.trim(), "sent");
    let exe = files.path().join("tool.exe");
    std::fs::write(&exe, b"MZ\x90\0\x03\0\0\0").unwrap();
    let args = new_ticket("Refused", vec![shown(&exe)]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = deskmate(dir.path(), &args, None, "").await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("tool.exe: this kind of file is not accepted"),
        "{run:?}"
    );
    assert_eq!(ok(dir.path(), &["outbox"]).await, "");

    // Offline: a ticket with a file waits in the outbox, and what was
    // downloaded is still there.
    server.stop().await;
    let args = new_ticket("Offline with a file", vec![shown(&log_path)]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let pending = ok(dir.path(), &args).await;
    assert!(pending.trim().starts_with("pending:"), "{pending}");
    let outbox = ok(dir.path(), &["outbox"]).await;
    assert!(outbox.contains("Offline with a file"), "{outbox}");
    let again = files.path().join("again.png");
    ok(
        dir.path(),
        &[
            "attachment",
            "get",
            &id,
            &sent[0].0.to_string(),
            "--output",
            &shown(&again),
        ],
    )
    .await;
    assert_eq!(std::fs::read(&again).unwrap(), shot);
}

#[tokio::test]
async fn notices_are_listed_and_answered_online_and_offline() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        login(dir.path(), &server, "admin@acme.example").await.code,
        0
    );

    // The sign-in's pull brought the news and Acme's maintenance.
    let text = ok(dir.path(), &["announcements"]).await;
    assert!(text.contains("New in the control panel"), "{text}");
    assert!(text.contains("maintenance  Planned maintenance"), "{text}");
    assert!(
        text.contains("Services: Managed web hosting, E-mail hosting"),
        "{text}"
    );
    let list: Vec<deskmate_api::Announcement> =
        serde_json::from_str(&ok(dir.path(), &["announcements", "--json"]).await).unwrap();
    // The works on Acme's mail service too, named as Acme names it.
    assert_eq!(list.len(), 3, "{list:?}");
    assert!(
        text.contains("Your services affected: E-mail hosting"),
        "{text}"
    );

    let delays: Vec<deskmate_api::OrderDelayView> =
        serde_json::from_str(&ok(dir.path(), &["order-delays", "--json"]).await).unwrap();
    assert_eq!(delays.len(), 3);
    let delay = delays[0].order_delay.id.to_string();
    let charge = delays
        .iter()
        .find(|d| d.order_delay.kind == deskmate_api::OrderDelayKind::ExtraCharge)
        .unwrap()
        .order_delay
        .id
        .to_string();
    let text = ok(dir.path(), &["order-delays"]).await;
    assert!(
        text.starts_with(&format!("#{delay}  open  order HST-21093  due ")),
        "{text}"
    );

    // A typed request takes its own answer: words are refused, the
    // charge is rejected and recorded so.
    let run = deskmate(
        dir.path(),
        &["order-delay", "answer", &charge, "--answer", "OK"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("charge_accepted"), "{run:?}");
    let out = ok(
        dir.path(),
        &["order-delay", "answer", &charge, "--reject-charge"],
    )
    .await;
    assert_eq!(out.trim(), "sent");
    let text = ok(dir.path(), &["order-delays"]).await;
    assert!(text.contains("Asks for: extra_charge of"), "{text}");
    assert!(text.contains("Charge rejected"), "{text}");

    // An agent asks for a remote session; after a sync it can be declined.
    let ticket = server.tickets_of("admin@acme.example").await[0].id;
    let (status, body) = server
        .call(
            "agent@provider.example",
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{ticket}/remote-sessions"),
            serde_json::json!({"reason": "Look at the mail queue.", "tool": "rustdesk"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let session = body["id"].as_i64().unwrap().to_string();
    ok(dir.path(), &["sync"]).await;
    let run = deskmate(
        dir.path(),
        &["remote-session", "answer", &session],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "--accept or --decline is required: {run:?}");
    let run = deskmate(
        dir.path(),
        &[
            "remote-session",
            "answer",
            &session,
            "--accept",
            "--decline",
        ],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 2, "not both: {run:?}");
    let out = ok(
        dir.path(),
        &["remote-session", "answer", &session, "--decline"],
    )
    .await;
    assert_eq!(out.trim(), "sent");
    let (_, body) = server
        .call(
            "agent@provider.example",
            reqwest::Method::GET,
            &format!("/api/v1/tickets/{ticket}/remote-sessions"),
            serde_json::Value::Null,
        )
        .await;
    let on_server = body["remote_sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(session.as_str()))
        .unwrap()
        .clone();
    assert_eq!(on_server["status"], "declined");
    let run = deskmate(
        dir.path(),
        &["remote-session", "answer", &session, "--accept"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "answered already: {run:?}");

    // Offline: the answer is queued and shown as not sent yet.
    let url = server.url.clone();
    server.stop().await;
    let out = ok(
        dir.path(),
        &[
            "order-delay",
            "answer",
            &delay,
            "--answer",
            "EPP code: 4TR-91",
        ],
    )
    .await;
    let local = out
        .trim()
        .strip_prefix("pending:")
        .unwrap_or_else(|| panic!("{out}"));
    let text = ok(dir.path(), &["order-delays"]).await;
    assert!(text.contains(&format!("#{delay}  answered")), "{text}");
    assert!(
        text.contains(&format!("not sent yet (pending:{local})")),
        "{text}"
    );
    assert!(text.contains("EPP code: 4TR-91"), "{text}");
    let outbox = ok(dir.path(), &["outbox"]).await;
    assert!(
        outbox.contains(&format!("pending:{local}  pending")),
        "{outbox}"
    );
    assert!(outbox.contains("EPP code: 4TR-91"), "{outbox}");
    let run = deskmate(
        dir.path(),
        &["order-delay", "answer", "999999", "--answer", "x"],
        None,
        "",
    )
    .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("no order-delay request"),
        "{run:?} ({url})"
    );
}
