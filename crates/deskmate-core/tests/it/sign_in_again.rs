//! A session the helpdesk stops accepting (signed out elsewhere, the
//! password reset on another computer) asks to sign in again and loses
//! nothing: the outbox item written meanwhile is delivered after the new
//! sign-in, drafts and the cache stay. Also the password reset itself (real
//! SMTP server), account requests and billing, through the real core
//! against a real deskmate-server.

use crate::support::smtp::SmtpSink;
use crate::support::{TestServer, keyring_token_of, server_subjects};
use deskmate_api::{
    Department, DraftInput, DraftKind, ErrorCode, FileOutcome, NewAccountRequest, NewTicket,
    OutboxState, Priority,
};
use deskmate_core::{Core, Sensitive, WriteOptions};

const USER: &str = "user@acme.example";
const NEW_PASSWORD: &str = "a-brand-new-password";

fn password(p: &str) -> Sensitive<String> {
    Sensitive::new(p.to_owned())
}

fn new_ticket(subject: &str) -> NewTicket {
    NewTicket::new(
        Department::Technical,
        Priority::Regular,
        subject,
        "Written while the helpdesk no longer took my session.",
    )
}

fn draft(text: &str, ticket_id: i64) -> DraftInput {
    DraftInput {
        id: None,
        kind: DraftKind::Reply,
        ticket_id: Some(ticket_id),
        ticket: None,
        text: Some(text.to_owned()),
    }
}

/// A core on its own data directory signed in as `email` and synced.
async fn signed_in(server: &TestServer, email: &str) -> (tempfile::TempDir, Core) {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(&server.url, email, password("demo-password"))
        .await
        .unwrap();
    core.refresh_tickets().await.unwrap();
    (dir, core)
}

/// Files a ticket after the session died: it waits in the outbox, and the
/// core is signed out with the cache, the draft and the item kept.
async fn write_after_the_session_died(core: &Core, subject: &str, cached: usize) {
    let outcome = core
        .file_ticket(new_ticket(subject), WriteOptions::default())
        .await
        .unwrap();
    let FileOutcome::Queued { item } = outcome else {
        panic!("a dead session cannot have sent it: {outcome:?}")
    };
    assert_eq!(item.state, OutboxState::Pending, "{item:?}");
    assert!(
        core.session().await.unwrap().is_none(),
        "asks to sign in again"
    );
    let err = core.refresh_tickets().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignedOut);
    assert!(err.to_string().contains("expired"), "{err}");
    assert_eq!(
        core.cached_tickets().await.unwrap().len(),
        cached,
        "the cache stays"
    );
    assert_eq!(core.outbox().await.unwrap().len(), 1, "the item waits");
    assert_eq!(core.drafts().await.unwrap().len(), 1, "the draft stays");
}

/// After signing in again: the item delivered, the draft still there.
async fn delivered_after_signing_in_again(core: &Core, server: &TestServer, subject: &str) {
    core.refresh_tickets().await.unwrap();
    assert!(
        core.outbox().await.unwrap().is_empty(),
        "the outbox drained"
    );
    assert!(
        server_subjects(&server.url, "admin@acme.example")
            .await
            .contains(&subject.to_owned()),
        "the helpdesk has the ticket"
    );
    let cached = core.cached_tickets().await.unwrap();
    assert!(cached.iter().any(|t| t.subject == subject), "and the cache");
    let drafts = core.drafts().await.unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].text.as_deref(), Some("half a reply"));
}

#[tokio::test]
async fn a_session_ended_elsewhere_signs_in_again_keeping_outbox_drafts_and_cache() {
    let server = TestServer::start().await;
    let (dir, core) = signed_in(&server, USER).await;
    let cached = core.cached_tickets().await.unwrap();
    assert!(!cached.is_empty());
    core.save_draft(draft("half a reply", cached[0].id))
        .await
        .unwrap();

    // The session is ended on the helpdesk behind the app's back.
    let token = keyring_token_of(dir.path()).await;
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/logout", server.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());

    let subject = "Filed while signed out elsewhere";
    write_after_the_session_died(&core, subject, cached.len()).await;
    // The sign-in form offers the address again.
    assert_eq!(
        core.remembered_email(&format!("{}/", server.url))
            .await
            .unwrap()
            .as_deref(),
        Some(USER)
    );

    core.login(&server.url, USER, password("demo-password"))
        .await
        .unwrap();
    delivered_after_signing_in_again(&core, &server, subject).await;
}

#[tokio::test]
async fn someone_else_signing_in_after_the_session_died_sees_nothing_of_it() {
    let server = TestServer::start().await;
    let (dir, core) = signed_in(&server, USER).await;
    let token = keyring_token_of(dir.path()).await;
    reqwest::Client::new()
        .post(format!("{}/api/v1/auth/logout", server.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let err = core.refresh_tickets().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignedOut);

    let me = core
        .login(
            &server.url,
            "admin@globex.example",
            password("demo-password"),
        )
        .await
        .unwrap();
    let globex = me.organisation.unwrap().id;
    assert!(
        core.cached_tickets()
            .await
            .unwrap()
            .iter()
            .all(|t| t.organisation_id == globex),
        "the previous account's cache is gone"
    );
}

/// The token a reset mail carries: the line of the code itself.
fn code_in(body: &str) -> String {
    let link = body
        .lines()
        .find(|l| l.contains("/reset-password?token="))
        .unwrap_or_else(|| panic!("no link in {body}"));
    link.rsplit('=').next().unwrap().trim().to_owned()
}

fn with_mail(sink: &SmtpSink) -> deskmate_server::Config {
    let mail = deskmate_server::mail::MailSettings {
        smtp_url: sink.url(),
        from: SmtpSink::FROM.to_owned(),
        public_url: SmtpSink::PUBLIC_URL.to_owned(),
    };
    deskmate_server::Config {
        mail: Some(mail),
        ..deskmate_server::Config::default()
    }
}

#[tokio::test]
async fn a_password_reset_on_another_computer_ends_the_session_and_loses_nothing() {
    let sink = SmtpSink::start().await;
    let server = TestServer::start_with(with_mail(&sink)).await;
    let (_dir, core) = signed_in(&server, USER).await;
    let cached = core.cached_tickets().await.unwrap();
    core.save_draft(draft("half a reply", cached[0].id))
        .await
        .unwrap();

    // Another computer: "Forgot password?" without a session.
    let other_dir = tempfile::tempdir().unwrap();
    let other = Core::open(other_dir.path()).await.unwrap();
    let err = other
        .request_password_reset(&server.url, "not an address")
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    other
        .request_password_reset(&server.url, USER)
        .await
        .unwrap();
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, USER);
    let code = code_in(&mails[0].body);
    let err = other
        .confirm_password_reset(&server.url, password(&code), password("short"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation, "refused before sending");
    let email = other
        .confirm_password_reset(&server.url, password(&code), password(NEW_PASSWORD))
        .await
        .unwrap();
    assert_eq!(email, USER);
    assert_eq!(
        other
            .remembered_email(&server.url)
            .await
            .unwrap()
            .as_deref(),
        Some(USER),
        "the sign-in form offers the address the password was set for"
    );
    let err = other
        .confirm_password_reset(&server.url, password(&code), password(NEW_PASSWORD))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "the code works once");
    assert!(err.to_string().contains("used already"), "{err}");

    // This computer's session ended with it.
    let subject = "Filed after the password changed";
    write_after_the_session_died(&core, subject, cached.len()).await;
    let err = core
        .login(&server.url, USER, password("demo-password"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    core.login(&server.url, USER, password(NEW_PASSWORD))
        .await
        .unwrap();
    delivered_after_signing_in_again(&core, &server, subject).await;
}

#[tokio::test]
async fn without_mail_the_reset_and_approvals_say_mail_not_configured() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    let err = core
        .request_password_reset(&server.url, USER)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::MailNotConfigured, "{err}");

    core.request_account(
        &server.url,
        nadia(deskmate_server::demo::DEMO_CONTRACT_ACME),
    )
    .await
    .unwrap();
    core.login(&server.url, "admin@acme.example", password("demo-password"))
        .await
        .unwrap();
    let pending = core.account_requests().await.unwrap();
    assert_eq!(pending.len(), 1);
    let err = core
        .approve_account_request(pending[0].id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::MailNotConfigured, "{err}");
    assert_eq!(
        core.account_requests().await.unwrap().len(),
        1,
        "still pending"
    );
}

fn nadia(contract: &str) -> NewAccountRequest {
    NewAccountRequest {
        name: " Nadia Novak ".to_owned(),
        email: "nadia@acme.example".to_owned(),
        contract_number: contract.to_owned(),
    }
}

#[tokio::test]
async fn account_requests_are_asked_for_and_decided_through_the_core() {
    let sink = SmtpSink::start().await;
    let server = TestServer::start_with(with_mail(&sink)).await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();

    let err = core
        .request_account(&server.url, nadia("ACME-9999"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(err.to_string().contains("contract number"), "{err}");
    let contract = deskmate_server::demo::DEMO_CONTRACT_ACME;
    core.request_account(&server.url, nadia(contract))
        .await
        .unwrap();
    let mut peter = nadia(contract);
    peter.name = "Peter Pan".to_owned();
    peter.email = "peter@acme.example".to_owned();
    core.request_account(&server.url, peter).await.unwrap();

    // A user without the say is refused; the customer admin decides.
    let (_user_dir, user) = signed_in(&server, USER).await;
    let err = user.account_requests().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
    let (_admin_dir, admin) = signed_in(&server, "admin@acme.example").await;
    let pending = admin.account_requests().await.unwrap();
    let names: Vec<&str> = pending.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Nadia Novak", "Peter Pan"]);

    let account = admin.approve_account_request(pending[0].id).await.unwrap();
    assert_eq!(account.email, "nadia@acme.example");
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, "nadia@acme.example");
    admin.reject_account_request(pending[1].id).await.unwrap();
    assert!(admin.account_requests().await.unwrap().is_empty());
    let err = admin
        .reject_account_request(pending[1].id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "decided already");

    // The approved person sets the password with the mailed code and signs in.
    let code = code_in(&mails[0].body);
    core.confirm_password_reset(&server.url, password(&code), password(NEW_PASSWORD))
        .await
        .unwrap();
    let me = core
        .login(&server.url, "nadia@acme.example", password(NEW_PASSWORD))
        .await
        .unwrap();
    assert_eq!(me.name, "Nadia Novak");
}

#[tokio::test]
async fn billing_is_read_with_its_rights() {
    let server = TestServer::start().await;
    // The demo user may see the call records, not the invoices nor the charges.
    let (_user_dir, user) = signed_in(&server, USER).await;
    assert_eq!(
        user.call_records(None).await.unwrap().call_records.len(),
        24
    );
    for err in [
        user.invoices(None).await.unwrap_err(),
        user.expedite_charges(None).await.unwrap_err(),
    ] {
        assert_eq!(err.code(), ErrorCode::Forbidden, "{err}");
    }

    let (_admin_dir, admin) = signed_in(&server, "admin@acme.example").await;
    let invoices = admin.invoices(None).await.unwrap();
    assert_eq!(invoices.invoices.len(), 12, "a year of monthly invoices");
    assert!(
        invoices
            .invoices
            .windows(2)
            .all(|w| w[0].issued_on >= w[1].issued_on),
        "newest first"
    );
    assert!(invoices.next_cursor.is_none());
    let calls = admin.call_records(None).await.unwrap();
    assert_eq!(calls.call_records.len(), 24);
    let charges = admin.expedite_charges(None).await.unwrap();
    assert!(charges.next_cursor.is_none());
    let err = admin
        .invoices(Some("not-a-cursor".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadRequest, "{err}");
}
