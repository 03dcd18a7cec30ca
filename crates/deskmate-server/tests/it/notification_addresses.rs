//! Notification addresses per type on both engines: the operator sets an
//! organisation's allowed e-mail domains with the real `deskmate-server
//! admin set-email-domains`; a customer admin adds addresses (one outside
//! the domains is refused with `invalid_email_domain`), opts them in to
//! mail; an agent's reply then arrives at the opted-in support address
//! of a real SMTP server, and nowhere else.

use crate::support::smtp::SmtpSink;
use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PATH: &str = "/api/v1/notification-addresses";

/// `deskmate-server admin set-email-domains`: its stdout, or its stderr.
pub(crate) fn set_domains(
    db_url: &str,
    organisation: i64,
    domains: &[&str],
) -> Result<String, String> {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_deskmate-server"));
    command
        .args(["admin", "set-email-domains", "--database", db_url])
        .arg("--organisation")
        .arg(organisation.to_string())
        .env_remove("DESKMATE_DATABASE_URL");
    for d in domains {
        command.args(["--domain", d]);
    }
    let out = command.output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if out.status.success() {
        Ok(text(&out.stdout))
    } else {
        Err(text(&out.stderr))
    }
}

pub(crate) async fn add(
    h: &Helpdesk,
    token: &str,
    kind: &str,
    email: &str,
    mail: bool,
) -> reqwest::Response {
    h.send(
        Method::POST,
        PATH,
        token,
        json!({"kind": kind, "email": email, "mail": mail}),
    )
    .await
}

/// An agent's message on ticket `id`.
async fn reply(h: &Helpdesk, agent: &str, id: i64, body: Value) {
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            agent,
            body,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

async fn addresses_per_type_and_support_mail(engine: Engine) {
    let (sink, h) = SmtpSink::with_helpdesk(engine).await;
    let admin = h.login("admin@acme.example").await;
    let user = h.login("user@acme.example").await;
    let agent = h.login("agent@provider.example").await;
    let me: Value = h.get("/api/v1/me", &admin).await.json().await.unwrap();
    let acme = me["organisation"]["id"].as_i64().unwrap();

    // The operator's command: checked domains, printed as stored.
    let err = set_domains(&h.db_url, acme, &["not a domain"]).unwrap_err();
    assert!(err.contains("not an e-mail domain"), "{err}");
    let err = set_domains(&h.db_url, 999_999, &["acme.example"]).unwrap_err();
    assert!(err.contains("no organisation"), "{err}");
    let out = set_domains(&h.db_url, acme, &["Acme.example", "ops.acme.example"]).unwrap();
    assert_eq!(out, "acme.example\nops.acme.example\n");

    // Only customer admins keep them.
    let r = h.get(PATH, &user).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = add(&h, &agent, "support", "x@acme.example", true).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;

    // A foreign domain: refused with the seed's words, nothing stored.
    let r = add(&h, &admin, "support", "helpdesk@gmail.example", true).await;
    let message = expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_email_domain").await;
    assert!(message.contains("invalid e-mail domain"), "{message}");
    let r = add(&h, &admin, "nonsense", "a@acme.example", true).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let r = add(&h, &admin, "support", "Support@Acme.example", true).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let support: Value = r.json().await.unwrap();
    assert_eq!(support["email"], "support@acme.example");
    assert_eq!(support["mail"], true);
    let r = add(&h, &admin, "support", "support@acme.example", false).await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    // Same address, another kind: fine; not opted in.
    let r = add(&h, &admin, "abuse", "noc@ops.acme.example", false).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let quiet: Value = r.json().await.unwrap();
    let r = add(&h, &admin, "invoices_orders", "billing@acme.example", true).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = add(&h, &admin, "support", "muted@acme.example", false).await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let list: Value = h.get(PATH, &admin).await.json().await.unwrap();
    assert_eq!(
        list["allowed_domains"],
        json!(["acme.example", "ops.acme.example"])
    );
    let listed: Vec<(&str, &str)> = list["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["kind"].as_str().unwrap(), a["email"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [
            ("abuse", "noc@ops.acme.example"),
            ("invoices_orders", "billing@acme.example"),
            ("support", "support@acme.example"),
            ("support", "muted@acme.example"),
        ]
    );
    // Another organisation sees none of them and cannot touch them.
    let globex = h.login("admin@globex.example").await;
    let theirs: Value = h.get(PATH, &globex).await.json().await.unwrap();
    assert_eq!(theirs["addresses"], json!([]));
    let r = h
        .send(
            Method::PATCH,
            &format!("{PATH}/{}", quiet["id"]),
            &globex,
            json!({"mail": true}),
        )
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;

    // An agent replies on an Acme ticket: the opted-in support address
    // gets it; the muted one, billing and abuse do not.
    let id = h.file(&user, "Mail server down").await;
    reply(
        &h,
        &agent,
        id,
        json!({"body": "We restarted the mail server; please check."}),
    )
    .await;
    // An internal note goes to nobody.
    reply(
        &h,
        &agent,
        id,
        json!({"body": "Internal: disk was full", "internal": true}),
    )
    .await;
    // The support address removed and the abuse one opted in: the second
    // reply reaches nobody (abuse is not support); a third, after a new
    // support address, arrives second, which shows the second sent none.
    let r = h
        .send(
            Method::DELETE,
            &format!("{PATH}/{}", support["id"]),
            &admin,
            Value::Null,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = h
        .send(
            Method::PATCH,
            &format!("{PATH}/{}", quiet["id"]),
            &admin,
            json!({"mail": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["mail"], true);
    reply(
        &h,
        &agent,
        id,
        json!({"body": "Second reply: nobody opted in for support now."}),
    )
    .await;
    let r = add(&h, &admin, "support", "desk@acme.example", true).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    reply(&h, &agent, id, json!({"body": "Third reply."})).await;

    let mails = sink.wait_for(2).await;
    let got: Vec<(&str, bool)> = mails
        .iter()
        .map(|m| (m.to.as_str(), m.subject.contains(&format!("#{id}"))))
        .collect();
    assert_eq!(
        got,
        [("support@acme.example", true), ("desk@acme.example", true)],
        "{mails:?}"
    );
    assert!(
        mails[0].body.contains("We restarted the mail server"),
        "{mails:?}"
    );
    assert!(mails[0].body.contains("Paolo Provider"), "{mails:?}");
    assert!(mails[1].body.contains("Third reply."), "{mails:?}");
    assert!(!mails.iter().any(|m| m.body.contains("disk was full")));
}

on_both_engines!(addresses_per_type_and_support_mail);
