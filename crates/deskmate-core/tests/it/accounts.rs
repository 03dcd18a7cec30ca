//! The account screen's calls in the real core against a real
//! deskmate-server on 127.0.0.1 port 0: online only, refusals keep the
//! helpdesk's code and message, a wrong current password does not sign
//! out, a change of one's own account is adopted, and offline each says it
//! needs a connection. The real OS keyring (scripts/with-session.sh).

use crate::support::TestServer;
use deskmate_api::{
    ErrorCode, NewNotificationAddress, NewUser, NotificationKind, Rights, Role, UserUpdate,
};
use deskmate_core::{Core, Sensitive};

const ADMIN: &str = "admin@acme.example";

fn secret(text: &str) -> Sensitive<String> {
    Sensitive::new(text.to_owned())
}

async fn signed_in(server: &TestServer, email: &str, password: &str) -> (tempfile::TempDir, Core) {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(&server.url, email, secret(password))
        .await
        .unwrap();
    (dir, core)
}

#[tokio::test]
async fn an_admin_runs_accounts_and_addresses_straight_on_the_helpdesk() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server, ADMIN, "demo-password").await;

    let before = core.users().await.unwrap().users;
    assert!(
        before
            .iter()
            .any(|u| u.email == ADMIN && u.role == Role::CustomerAdmin)
    );
    let rights = Rights {
        invoices: true,
        expedite: true,
        ..Rights::default()
    };
    let added = core
        .add_user(NewUser {
            email: "nina@acme.example".into(),
            name: "Nina".into(),
            password: "first-password-1".into(),
            rights: Some(rights),
        })
        .await
        .unwrap();
    assert_eq!(added.rights, rights);
    let again = core
        .add_user(NewUser {
            email: "NINA@acme.example".into(),
            name: "Nina again".into(),
            password: "first-password-1".into(),
            rights: None,
        })
        .await
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::Conflict, "{again}");
    let short = core
        .add_user(NewUser {
            email: "x@acme.example".into(),
            name: "X".into(),
            password: "short".into(),
            rights: None,
        })
        .await
        .unwrap_err();
    assert_eq!(short.code(), ErrorCode::Validation);

    // The last admin's demotion: the helpdesk's words, nothing changed.
    let me = core.session().await.unwrap().unwrap().user;
    let demote = UserUpdate {
        name: None,
        rights: None,
        role: Some(Role::CustomerUser),
    };
    let refused = core.update_user(me.id, demote).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Conflict);
    assert!(
        refused.to_string().contains("last customer admin"),
        "{refused}"
    );

    // A rename of one's own account is the session's at once.
    let rename = UserUpdate {
        name: Some("Ada Renamed".into()),
        rights: None,
        role: None,
    };
    core.update_user(me.id, rename).await.unwrap();
    assert_eq!(
        core.session().await.unwrap().unwrap().user.name,
        "Ada Renamed"
    );

    core.remove_user(added.id).await.unwrap();
    assert!(
        core.users()
            .await
            .unwrap()
            .users
            .iter()
            .all(|u| u.id != added.id)
    );

    let address = core
        .add_notification_address(NewNotificationAddress {
            kind: NotificationKind::Abuse,
            email: "abuse@acme.example".into(),
            mail: false,
        })
        .await
        .unwrap();
    let on = core.set_notification_mail(address.id, true).await.unwrap();
    assert!(on.mail);
    assert_eq!(core.notification_addresses().await.unwrap().addresses, [on]);
    core.remove_notification_address(address.id).await.unwrap();
    assert!(
        core.notification_addresses()
            .await
            .unwrap()
            .addresses
            .is_empty()
    );

    // Offline: each says it needs a connection, and the session stays.
    let _stopped = server.stop_for_a_while().await;
    let offline = core.users().await.unwrap_err();
    assert_eq!(offline.code(), ErrorCode::Network);
    assert!(
        offline.to_string().contains("needs a connection"),
        "{offline}"
    );
    assert!(core.session().await.unwrap().is_some());
}

#[tokio::test]
async fn a_wrong_current_password_is_said_and_keeps_the_session() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server, "user@acme.example", "demo-password").await;
    let wrong = core
        .change_password(secret("not-my-password"), secret("a-new-password-1"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::Unauthorized);
    assert!(
        wrong.to_string().contains("current password is wrong"),
        "{wrong}"
    );
    assert!(core.session().await.unwrap().is_some(), "still signed in");
    // Without the right, no accounts: the helpdesk's refusal.
    assert_eq!(core.users().await.unwrap_err().code(), ErrorCode::Forbidden);

    core.change_password(secret("demo-password"), secret("a-new-password-1"))
        .await
        .unwrap();
    assert!(core.session().await.unwrap().is_some());
    core.refresh_tickets().await.unwrap();
    let (_other, _) = signed_in(&server, "user@acme.example", "a-new-password-1").await;
}
