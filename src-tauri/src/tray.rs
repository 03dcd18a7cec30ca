//! The tray icon and its menu: Report a problem, the five most recent open
//! tickets, Pause notifications (1 h, until tomorrow, resume), Open
//! Deskmate, Quit. The icon's tooltip and title say what needs attention
//! (unread tickets, an incident or maintenance under way, offline). Each
//! menu entry is a [`TrayAction`]; [`perform`] is what a click runs.

use deskmate_api::{NotifyTarget, Pause};
use deskmate_core::{Core, TrayState, TrayWords};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

use crate::tray_icon::TrayIcon;
use crate::{AppState, desktop};

pub(crate) const TRAY_ID: &str = "main";

/// What an entry of the tray's menu does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    /// The new-ticket form.
    Report,
    /// The screen captured into the new-ticket form (see
    /// [`crate::shortcut::capture_into_new_ticket`]).
    ReportScreenshot,
    /// One of the open tickets.
    Ticket(i64),
    Pause(Pause),
    /// Ready for remote help now for an hour (see
    /// [`crate::remote_commands::ready_now_from_tray`]).
    ReadyNow,
    /// The window as it was.
    Open,
    Quit,
}

impl TrayAction {
    /// The menu entry's id.
    pub fn id(self) -> String {
        match self {
            Self::Report => "report".into(),
            Self::ReportScreenshot => "report-screenshot".into(),
            Self::Ticket(id) => format!("ticket:{id}"),
            Self::Pause(Pause::Hour) => "pause:hour".into(),
            Self::Pause(Pause::Tomorrow) => "pause:tomorrow".into(),
            Self::Pause(Pause::Resume) => "pause:resume".into(),
            Self::ReadyNow => "ready-now".into(),
            Self::Open => "open".into(),
            Self::Quit => "quit".into(),
        }
    }

    /// The action of the menu entry `id`.
    pub fn parse(id: &str) -> Option<Self> {
        Some(match id {
            "report" => Self::Report,
            "report-screenshot" => Self::ReportScreenshot,
            "pause:hour" => Self::Pause(Pause::Hour),
            "pause:tomorrow" => Self::Pause(Pause::Tomorrow),
            "pause:resume" => Self::Pause(Pause::Resume),
            "ready-now" => Self::ReadyNow,
            "open" => Self::Open,
            "quit" => Self::Quit,
            other => Self::Ticket(other.strip_prefix("ticket:")?.parse().ok()?),
        })
    }
}

/// Runs `action` as a click on its menu entry does.
pub fn perform(app: &AppHandle, action: TrayAction) {
    match action {
        TrayAction::Report => desktop::open(app, &NotifyTarget::NewTicket),
        TrayAction::ReportScreenshot => crate::shortcut::capture_into_new_ticket(app),
        TrayAction::Ticket(id) => desktop::open(app, &NotifyTarget::Ticket { id }),
        TrayAction::Open => desktop::show_window(app),
        TrayAction::Quit => app.exit(0),
        TrayAction::ReadyNow => crate::remote_commands::ready_now_from_tray(app),
        TrayAction::Pause(pause) => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let state = app.state::<AppState>();
                let Ok(core) = state.core() else {
                    return;
                };
                if let Err(e) = core.pause_notifications(pause).await {
                    tracing::warn!(error = %e, "cannot pause notifications");
                }
                if let Some(notifier) = &state.notifier {
                    notifier.notify_one();
                }
            });
        }
    }
}

/// The tooltip: what needs attention, if anything.
pub fn tooltip(words: &TrayWords, state: &TrayState, online: bool) -> String {
    let mut parts = vec!["Deskmate".to_owned()];
    if state.unread > 0 {
        parts.push(format!("{} {}", state.unread, words.unread));
    }
    if state.notice_active {
        parts.push(words.notice.to_owned());
    }
    if !online {
        parts.push(words.offline.to_owned());
    }
    parts.join(" · ")
}

/// Creates the tray icon (a desktop without a tray host simply shows none).
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Deskmate")
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| {
            if let Some(action) = TrayAction::parse(event.id().as_ref()) {
                perform(app, action);
            }
        });
    if let Some(icon) = TrayIcon::Normal.image() {
        builder = builder.icon(icon);
    } else if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}

/// Rebuilds the menu and the tooltip from the cache.
pub async fn refresh(app: &AppHandle, core: &Core, online: bool) {
    let words = core.tray_words().await;
    let state = match core.tray_state().await {
        Ok(state) => state,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the tray's state");
            TrayState::default()
        }
    };
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    match menu(app, &words, &state) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
        }
        Err(e) => tracing::warn!(error = %e, "cannot build the tray's menu"),
    }
    let _ = tray.set_tooltip(Some(tooltip(&words, &state, online)));
    if let Some(icon) = TrayIcon::of(&state, online).image() {
        let _ = tray.set_icon(Some(icon));
    }
    let title = (state.unread > 0).then(|| state.unread.to_string());
    let _ = tray.set_title(title);
}

fn menu(app: &AppHandle, words: &TrayWords, state: &TrayState) -> tauri::Result<Menu<tauri::Wry>> {
    let item = |action: TrayAction, text: &str| {
        MenuItem::with_id(app, action.id(), text, true, None::<&str>)
    };
    let menu = Menu::new(app)?;
    menu.append(&item(TrayAction::Report, words.report)?)?;
    menu.append(&item(
        TrayAction::ReportScreenshot,
        words.report_screenshot,
    )?)?;
    if !state.open_tickets.is_empty() {
        menu.append(&PredefinedMenuItem::separator(app)?)?;
        for t in &state.open_tickets {
            let mut text = format!("#{} {}", t.id, t.subject);
            if text.chars().count() > 60 {
                text = format!("{}…", text.chars().take(59).collect::<String>());
            }
            menu.append(&item(TrayAction::Ticket(t.id), &text)?)?;
        }
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    let pause = Submenu::with_items(
        app,
        words.pause,
        true,
        &[
            &item(TrayAction::Pause(Pause::Hour), words.pause_hour)?,
            &item(TrayAction::Pause(Pause::Tomorrow), words.pause_tomorrow)?,
            &item(TrayAction::Pause(Pause::Resume), words.resume)?,
        ],
    )?;
    menu.append(&pause)?;
    if !state.open_tickets.is_empty() {
        menu.append(&item(TrayAction::ReadyNow, words.ready_now)?)?;
    }
    menu.append(&item(TrayAction::Open, words.open)?)?;
    menu.append(&item(TrayAction::Quit, words.quit)?)?;
    Ok(menu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_found_by_its_id() {
        for action in [
            TrayAction::Report,
            TrayAction::ReportScreenshot,
            TrayAction::Ticket(12),
            TrayAction::Pause(Pause::Hour),
            TrayAction::Pause(Pause::Tomorrow),
            TrayAction::Pause(Pause::Resume),
            TrayAction::ReadyNow,
            TrayAction::Open,
            TrayAction::Quit,
        ] {
            assert_eq!(TrayAction::parse(&action.id()), Some(action));
        }
        assert_eq!(TrayAction::parse("ticket:x"), None);
        assert_eq!(TrayAction::parse("other"), None);
    }

    #[test]
    fn the_tooltip_says_what_needs_attention() {
        let words = TrayWords {
            report: "",
            report_screenshot: "",
            pause: "",
            pause_hour: "",
            pause_tomorrow: "",
            resume: "",
            open: "",
            quit: "",
            ready_now: "",
            unread: "unread",
            offline: "offline",
            notice: "maintenance",
            kept_title: "",
            kept_body: "",
        };
        let state = TrayState {
            unread: 2,
            notice_active: true,
            ..TrayState::default()
        };
        assert_eq!(
            tooltip(&words, &state, false),
            "Deskmate · 2 unread · maintenance · offline"
        );
        assert_eq!(tooltip(&words, &TrayState::default(), true), "Deskmate");
    }
}
