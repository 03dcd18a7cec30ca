//! The desktop around the window: native notifications of what the core
//! decided to tell (`deskmate_core::Core::notify`), and opening a screen
//! from outside the window (a click on a notification, a
//! `deskmate://ticket/<id>` link, a second launch).

use std::sync::Arc;

use deskmate_api::{Notification, NotifyTarget, OPEN_EVENT};
use deskmate_core::Core;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

/// The scheme of Deskmate's links.
const SCHEME: &str = "deskmate://";

/// The screen a `deskmate://` link names: `deskmate://ticket/<id>`,
/// `deskmate://announcements`, `deskmate://requests`, `deskmate://tickets`.
pub fn link_target(link: &str) -> Option<NotifyTarget> {
    let rest = link.trim().strip_prefix(SCHEME)?.trim_end_matches('/');
    match rest.split('/').collect::<Vec<_>>().as_slice() {
        ["ticket", id] => id
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(|id| NotifyTarget::Ticket { id }),
        ["tickets"] => Some(NotifyTarget::Tickets),
        ["announcements"] => Some(NotifyTarget::Announcements),
        ["requests"] => Some(NotifyTarget::Requests),
        _ => None,
    }
}

/// Brings the window to the front showing `target`.
pub fn open(app: &AppHandle, target: &NotifyTarget) {
    show_window(app);
    if let Err(e) = app.emit(OPEN_EVENT, target) {
        tracing::warn!(error = %e, "cannot tell the window what to open");
    }
}

/// Shows, restores and focuses the main window.
pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// What a second launch (or the first one) was started with: opens the
/// first `deskmate://` link among `args`, else just shows the window.
pub fn handle_args(app: &AppHandle, args: &[String]) {
    match args.iter().find_map(|arg| link_target(arg)) {
        Some(target) => open(app, &target),
        None => show_window(app),
    }
}

/// Shows every notification the core hands over, for as long as the app
/// runs; a click on one opens its screen. The returned [`tokio::sync::Notify`]
/// is told whenever the follower changed the cache.
pub fn start_notifier(core: Core, app: AppHandle) -> Arc<tokio::sync::Notify> {
    let wake = Arc::new(tokio::sync::Notify::new());
    let clicked = app.clone();
    let _ = app.notification().on_action(move |action| {
        let target = action
            .notification()
            .and_then(|n| n.extra().get("target").cloned())
            .and_then(|t| serde_json::from_value::<NotifyTarget>(t).ok());
        if let Some(target) = target {
            open(&clicked, &target);
        }
    });
    let woken = Arc::clone(&wake);
    tauri::async_runtime::spawn(async move {
        core.notify(&woken, |n| show(&app, n)).await;
    });
    wake
}

fn show(app: &AppHandle, n: Notification) {
    tracing::info!(title = %n.title, "desktop notification");
    let shown = app
        .notification()
        .builder()
        .title(&n.title)
        .body(&n.body)
        .extra("target", &n.target)
        .show();
    if let Err(e) = shown {
        tracing::warn!(error = %e, "cannot show a notification");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_screens() {
        assert_eq!(
            link_target("deskmate://ticket/42"),
            Some(NotifyTarget::Ticket { id: 42 })
        );
        assert_eq!(
            link_target("deskmate://ticket/42/"),
            Some(NotifyTarget::Ticket { id: 42 })
        );
        assert_eq!(
            link_target("deskmate://announcements"),
            Some(NotifyTarget::Announcements)
        );
        for bad in [
            "deskmate://ticket/",
            "deskmate://ticket/-1",
            "deskmate://ticket/x",
            "https://ticket/1",
            "deskmate://ticket/1/2",
            "--data-dir",
        ] {
            assert_eq!(link_target(bad), None, "{bad}");
        }
    }
}
