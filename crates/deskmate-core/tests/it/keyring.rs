//! The real OS keyring (Secret Service in the test session bus; see
//! scripts/with-session.sh). Fails, never skips, when there is none.

use deskmate_core::{KeyringStore, SecretStore, Sensitive};

#[test]
fn a_token_round_trips_through_the_os_keyring() {
    let store = KeyringStore::new("com.deskmate.app.test");
    let account = format!("test:{}", uuid::Uuid::new_v4());
    assert!(
        store.get(&account).unwrap().is_none(),
        "missing entry means signed out"
    );
    store
        .set(&account, &Sensitive::new("tok-123".into()))
        .unwrap();
    assert_eq!(store.get(&account).unwrap().unwrap().expose(), "tok-123");
    store.delete(&account).unwrap();
    assert!(store.get(&account).unwrap().is_none());
    // Deleting what is not there is fine.
    store.delete(&account).unwrap();
}
