//! How the app lives on the desktop outside its window: staying in the tray
//! when the window closes, starting at login.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The user's choices about the app's life on the desktop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DesktopSettings {
    /// Closing the window keeps the app running in the tray (on by default);
    /// without a tray on the desktop the window closes the app all the same.
    pub close_to_tray: bool,
    /// The app starts when the user logs in (off until the user opts in).
    pub start_at_login: bool,
    /// The global shortcut that captures the screen into a new ticket, even
    /// while the app sits in the tray ("Ctrl+Alt+S" by default; empty: none).
    pub screenshot_shortcut: String,
}

impl Default for DesktopSettings {
    fn default() -> Self {
        Self {
            close_to_tray: true,
            start_at_login: false,
            screenshot_shortcut: crate::DEFAULT_SCREENSHOT_SHORTCUT.to_owned(),
        }
    }
}

/// The [`DesktopSettings`] and what the desktop itself allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DesktopStatus {
    pub settings: DesktopSettings,
    /// The desktop shows tray icons (a StatusNotifier host is on the session
    /// bus); without one, closing the window quits.
    pub tray_shown: bool,
    /// The screenshot shortcut is in force (false: none chosen, or another
    /// app holds those keys).
    pub shortcut_active: bool,
}
