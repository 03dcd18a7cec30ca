//! The app's desktop choices kept in the real cache file: close-to-tray on
//! until turned off, the one-time explanation remembered, both surviving a
//! restart (the cache opened again).

use deskmate_core::Core;

#[tokio::test]
async fn close_to_tray_and_its_explanation_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    assert!(core.close_to_tray().await.unwrap(), "on by default");
    assert!(!core.close_explained().await.unwrap(), "not told yet");
    core.set_close_to_tray(false).await.unwrap();
    core.set_close_explained().await.unwrap();
    drop(core);

    let core = Core::open(dir.path()).await.unwrap();
    assert!(
        !core.close_to_tray().await.unwrap(),
        "the user's choice is kept"
    );
    assert!(
        core.close_explained().await.unwrap(),
        "told once, remembered"
    );
    core.set_close_to_tray(true).await.unwrap();
    assert!(core.close_to_tray().await.unwrap());
}
