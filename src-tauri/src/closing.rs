//! What closing the window does: with close-to-tray on (the default) and a
//! tray on the desktop, the window hides and the app goes on in the tray
//! (told once, in a notification); otherwise the window closes and, being
//! the last one, the app quits. Quit in the tray's menu always quits.

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{CloseRequestApi, Manager, Window};
use tauri_plugin_notification::NotificationExt;

use crate::AppState;

/// What a click on the window's close button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnClose {
    /// The window closes (and with it the app).
    Close,
    /// The window hides; the app goes on in the tray. `explain`: the user is
    /// told so, this once.
    ToTray { explain: bool },
}

/// The decision: to the tray only when the user wants it and the desktop
/// shows tray icons (else the app would run with no way back to it).
pub fn on_close(close_to_tray: bool, tray_shown: bool, explained: bool) -> OnClose {
    if close_to_tray && tray_shown {
        OnClose::ToTray {
            explain: !explained,
        }
    } else {
        OnClose::Close
    }
}

/// The bus names a StatusNotifier host (the tray of KDE, of GNOME with the
/// AppIndicator extension, of XFCE, LXQt, waybar...) registers its watcher as.
const WATCHERS: [&str; 2] = [
    "org.kde.StatusNotifierWatcher",
    "org.freedesktop.StatusNotifierWatcher",
];

/// Whether the desktop shows tray icons: on Linux, whether a
/// StatusNotifierWatcher is on the session bus (the AppIndicator the tray
/// icon is made of registers with it; without one nothing shows it).
pub fn tray_shown() -> bool {
    #[cfg(target_os = "linux")]
    {
        let asked = zbus::blocking::Connection::session().and_then(|bus| {
            let dbus = zbus::blocking::fdo::DBusProxy::new(&bus)?;
            Ok(WATCHERS.iter().any(|name| {
                zbus::names::BusName::try_from(*name)
                    .ok()
                    .and_then(|name| dbus.name_has_owner(name).ok())
                    .unwrap_or(false)
            }))
        });
        asked.unwrap_or_else(|e| {
            tracing::info!(error = %e, "no session bus: no tray");
            false
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = WATCHERS;
        true
    }
}

/// Whether this app shows a tray icon the desktop displays (none when it
/// could not be made, or `DESKMATE_NO_TRAY` asked for none).
pub fn tray_available(app: &tauri::AppHandle) -> bool {
    app.tray_by_id(crate::tray::TRAY_ID).is_some() && tray_shown()
}

/// Close-to-tray as the window's close button needs it: at once, without
/// waiting for the cache.
pub struct Closing {
    close_to_tray: AtomicBool,
    explained: AtomicBool,
}

impl Closing {
    pub fn new(close_to_tray: bool, explained: bool) -> Self {
        Self {
            close_to_tray: AtomicBool::new(close_to_tray),
            explained: AtomicBool::new(explained),
        }
    }

    pub fn close_to_tray(&self) -> bool {
        self.close_to_tray.load(Ordering::Relaxed)
    }

    pub fn set_close_to_tray(&self, on: bool) {
        self.close_to_tray.store(on, Ordering::Relaxed);
    }
}

/// The window's close button: closes, or hides to the tray.
pub fn close_requested(window: &Window, api: &CloseRequestApi) {
    let Some(state) = window.try_state::<AppState>() else {
        return;
    };
    let closing = &state.closing;
    let explained = closing.explained.load(Ordering::Relaxed);
    match on_close(
        closing.close_to_tray(),
        tray_available(window.app_handle()),
        explained,
    ) {
        OnClose::Close => {}
        OnClose::ToTray { explain } => {
            api.prevent_close();
            if let Err(e) = window.hide() {
                tracing::warn!(error = %e, "cannot hide the window");
            }
            if explain {
                closing.explained.store(true, Ordering::Relaxed);
                explain_once(window.app_handle().clone());
            }
        }
    }
}

/// Tells the user, in their language, that the app is still there and how
/// to quit it; remembers it was told.
fn explain_once(app: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let Ok(core) = state.core() else {
            return;
        };
        let words = core.tray_words().await;
        let shown = app
            .notification()
            .builder()
            .title(words.kept_title)
            .body(words.kept_body)
            .show();
        if let Err(e) = shown {
            tracing::warn!(error = %e, "cannot explain close-to-tray");
        }
        if let Err(e) = core.set_close_explained().await {
            tracing::warn!(error = %e, "cannot remember close-to-tray was explained");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_goes_to_the_tray_only_where_there_is_one() {
        assert_eq!(
            on_close(true, true, false),
            OnClose::ToTray { explain: true }
        );
        assert_eq!(
            on_close(true, true, true),
            OnClose::ToTray { explain: false }
        );
        // No tray on this desktop (GNOME without the extension): the app
        // must not run on invisibly.
        assert_eq!(on_close(true, false, false), OnClose::Close);
        // The user turned it off.
        assert_eq!(on_close(false, true, false), OnClose::Close);
        assert_eq!(on_close(false, false, true), OnClose::Close);
    }
}
