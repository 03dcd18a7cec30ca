//! Billing and account requests in the real window, by right: the demo
//! user (call records, not invoices) sees Billing with the call records
//! alone and no account requests; the customer admin sees invoices, calls
//! and charges, and decides the account request a person sent from the
//! sign-in screen (approval says the helpdesk sends no mail; rejection
//! works). Signing out and in again offers the address last used.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};

const USER: &str = "user@acme.example";
const ADMIN: &str = "admin@acme.example";

/// The `data-{key}` of every element with `data-testid={testid}`, in order.
async fn data_of(app: &AppWindow, testid: &str, key: &str) -> Vec<String> {
    let values = app
        .execute(&format!(
            "return [...document.querySelectorAll('[data-testid={testid}]')]
                 .map((e) => e.dataset.{key})"
        ))
        .await
        .unwrap();
    serde_json::from_value(values).unwrap()
}

/// The routes the sidebar offers.
async fn routes(app: &AppWindow) -> Vec<String> {
    data_of(app, "nav-entry", "route").await
}

/// The billing tabs shown, by section.
async fn tabs(app: &AppWindow) -> Vec<String> {
    data_of(app, "billing-tab", "section").await
}

/// The address the sign-in form offers, once it fills it in (5 s at most).
pub async fn email_offered(app: &AppWindow) -> Option<String> {
    for _ in 0..50 {
        let value = app
            .execute("return document.getElementById('email')?.value ?? ''")
            .await
            .unwrap();
        match value.as_str() {
            Some("") | None => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            Some(email) => return Some(email.to_owned()),
        }
    }
    None
}

async fn rows(app: &AppWindow, css: &str, count: usize, what: &str) -> Vec<String> {
    app.wait_for_texts(css, what, |t| t.len() == count)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn billing_and_account_requests_follow_the_rights() {
    let server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();

    // Someone without an account asks for one from the sign-in screen; a
    // wrong contract number is refused with the helpdesk's words.
    app.click("[data-testid=request-account]").await.unwrap();
    app.type_into("#request-name", "Nadia Novak").await.unwrap();
    app.type_into("#request-email", "nadia@acme.example")
        .await
        .unwrap();
    app.type_into("#request-contract", "ACME-9999")
        .await
        .unwrap();
    app.click("#request-submit").await.unwrap();
    let refusal = app.find("[data-testid=request-error]").await.unwrap();
    assert!(
        refusal.text().await.unwrap().contains("contract number"),
        "the refusal names the contract number"
    );
    app.type_into("#request-contract", "ACME-2024-0017")
        .await
        .unwrap();
    app.click("#request-submit").await.unwrap();
    app.find("[data-testid=sign-in-notice]").await.unwrap();

    // The user: call records only.
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    let offered = routes(&app).await;
    assert!(offered.contains(&"billing".to_owned()), "{offered:?}");
    assert!(
        !offered.contains(&"account-requests".to_owned()),
        "{offered:?}"
    );
    app.click("#nav-billing").await.unwrap();
    rows(&app, "[data-testid=call-row]", 24, "the call records").await;
    assert_eq!(tabs(&app).await, ["calls"]);

    // Signing out and in again: the address last used here is offered.
    app.click("#nav-account").await.unwrap();
    app.click("#sign-out").await.unwrap();
    app.find("form#sign-in").await.unwrap();
    assert_eq!(
        email_offered(&app).await.as_deref(),
        Some(USER),
        "the address last signed in with"
    );

    // The customer admin: everything, and the account request.
    app.sign_in(ADMIN, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    let offered = routes(&app).await;
    assert!(
        offered.contains(&"account-requests".to_owned()),
        "{offered:?}"
    );
    app.click("#nav-billing").await.unwrap();
    let invoices = rows(&app, "[data-testid=invoice-amount]", 12, "the invoices").await;
    assert!(invoices.iter().all(|a| a.contains('€')), "{invoices:?}");
    assert_eq!(tabs(&app).await, ["invoices", "calls", "charges"]);
    app.click("#billing-tab-charges").await.unwrap();
    app.find("[data-testid=charges]").await.unwrap();

    app.click("#nav-account-requests").await.unwrap();
    let asked = rows(
        &app,
        "[data-testid=account-request-email]",
        1,
        "the request",
    )
    .await;
    assert_eq!(asked, ["nadia@acme.example"]);
    // This helpdesk sends no mail, so the set-password link cannot go out.
    app.click("[data-testid=approve-account-request]")
        .await
        .unwrap();
    let refusal = app
        .find("[data-testid=account-request-refusal]")
        .await
        .unwrap();
    assert!(
        refusal
            .text()
            .await
            .unwrap()
            .contains("does not send e-mail"),
        "mail_not_configured is said clearly"
    );
    app.click("[data-testid=reject-account-request]")
        .await
        .unwrap();
    app.find("[data-testid=account-requests-empty]")
        .await
        .unwrap();
    let pending = server
        .api_as(ADMIN, DEMO_PASSWORD)
        .await
        .unwrap()
        .get("/api/v1/account-requests")
        .await
        .unwrap();
    assert_eq!(pending["requests"].as_array().map(Vec::len), Some(0));
    app.close().await.unwrap();
}
