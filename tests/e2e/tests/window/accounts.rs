//! The customer admin's account screen in the real window against a real
//! server: an account added with chosen rights has exactly those on the
//! server; the last customer admin cannot demote themselves (the message
//! shows, the server keeps them admin); a notification address in a foreign
//! domain shows the helpdesk's "invalid e-mail domain" and is not added;
//! a wrong current password is said without signing out.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use serde_json::{Value, json};

const ADMIN: &str = "admin@acme.example";

/// The account with `email` as `GET /api/v1/users` lists it.
fn listed<'a>(users: &'a Value, email: &str) -> Option<&'a Value> {
    users["users"]
        .as_array()?
        .iter()
        .find(|u| u["email"] == email)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_admin_runs_the_organisations_accounts() {
    let server = ServerProcess::start_demo().unwrap();
    let admin = server.api_as(ADMIN, DEMO_PASSWORD).await.unwrap();
    let me = admin.get("/api/v1/me").await.unwrap();
    let organisation = me["organisation"]["id"].as_i64().unwrap();
    server
        .set_email_domains(organisation, &["acme.example"])
        .unwrap();

    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(ADMIN, DEMO_PASSWORD).await.unwrap();
    app.click("#nav-account").await.unwrap();
    app.wait_for_texts(
        "[data-testid=user-row] [data-testid=user-email]",
        "the accounts",
        |t| t.iter().any(|e| e == ADMIN),
    )
    .await
    .unwrap();

    // Add an account with invoices and expedited responses, own tickets only.
    app.click("#user-add-start").await.unwrap();
    app.type_into("#user-add-name", "Nina Novak").await.unwrap();
    app.type_into("#user-add-email", "nina@acme.example")
        .await
        .unwrap();
    app.type_into("#user-add-password", "first-password-1")
        .await
        .unwrap();
    app.click("#user-add-r-invoices").await.unwrap();
    app.click("#user-add-r-expedite").await.unwrap();
    app.click("#user-add-save").await.unwrap();
    app.wait_for_texts("[data-testid=user-added]", "the confirmation", |t| {
        t.iter().any(|s| s.contains("nina@acme.example"))
    })
    .await
    .unwrap();
    let users = admin.get("/api/v1/users").await.unwrap();
    let nina = listed(&users, "nina@acme.example").expect("Nina on the server");
    assert_eq!(nina["name"], "Nina Novak");
    assert_eq!(nina["role"], "customer_user");
    assert_eq!(
        nina["rights"],
        json!({"all_tickets": false, "invoices": true, "call_records": false,
               "manage_users": false, "expedite": true}),
    );
    server
        .api_as("nina@acme.example", "first-password-1")
        .await
        .expect("Nina signs in with her first password");

    // The last customer admin cannot demote themselves.
    let own_row = format!("[data-testid=user-row][data-email='{ADMIN}']");
    app.click(&format!("{own_row} [data-testid=user-demote]"))
        .await
        .unwrap();
    let refused = app
        .wait_for_texts(
            &format!("{own_row} [data-testid=user-error]"),
            "the refusal",
            |t| !t.is_empty(),
        )
        .await
        .unwrap();
    assert!(refused[0].contains("last customer admin"), "{refused:?}");
    let role = app
        .find(&format!("{own_row} [data-testid=user-role]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(role, "Customer admin");
    let users = admin.get("/api/v1/users").await.unwrap();
    assert_eq!(listed(&users, ADMIN).unwrap()["role"], "customer_admin");

    // An abuse address in a foreign domain is refused with the message.
    app.type_into("#address-new-abuse", "abuse@elsewhere.example")
        .await
        .unwrap();
    app.click("#address-add-abuse").await.unwrap();
    let error = app
        .wait_for_texts(
            "[data-testid=addresses-abuse-error]",
            "the domain refusal",
            |t| !t.is_empty(),
        )
        .await
        .unwrap();
    assert!(error[0].contains("invalid e-mail domain"), "{error:?}");
    let addresses = admin.get("/api/v1/notification-addresses").await.unwrap();
    assert_eq!(addresses["addresses"], json!([]), "{addresses}");

    // One in the organisation's domain is added.
    app.type_into("#address-new-abuse", "abuse@acme.example")
        .await
        .unwrap();
    app.click("#address-add-abuse").await.unwrap();
    app.wait_for_texts(
        "[data-testid=addresses-abuse] [data-testid=address]",
        "the new address",
        |t| t.iter().any(|s| s.contains("abuse@acme.example")),
    )
    .await
    .unwrap();
    let addresses = admin.get("/api/v1/notification-addresses").await.unwrap();
    assert_eq!(addresses["addresses"][0]["email"], "abuse@acme.example");
    assert_eq!(addresses["addresses"][0]["kind"], "abuse");
    assert_eq!(addresses["addresses"][0]["mail"], true);

    // The password: a wrong current one is said and keeps the session; the
    // right one changes it (and ends the admin's other sessions).
    app.type_into("#password-current", "not-the-password")
        .await
        .unwrap();
    app.type_into("#password-new", "a-new-password-1")
        .await
        .unwrap();
    app.type_into("#password-repeat", "a-new-password-1")
        .await
        .unwrap();
    app.click("#password-save").await.unwrap();
    app.wait_for_texts("[data-testid=password-error]", "the wrong password", |t| {
        t.iter().any(|s| s == "The current password is wrong.")
    })
    .await
    .unwrap();
    assert!(app.find_all("form#sign-in").await.unwrap().is_empty());
    app.type_into("#password-current", DEMO_PASSWORD)
        .await
        .unwrap();
    app.click("#password-save").await.unwrap();
    app.find("[data-testid=password-done]").await.unwrap();
    assert!(app.find_all("form#sign-in").await.unwrap().is_empty());
    server
        .api_as(ADMIN, "a-new-password-1")
        .await
        .expect("the new password signs in");
    assert!(server.api_as(ADMIN, DEMO_PASSWORD).await.is_err());
    app.close().await.unwrap();
}
