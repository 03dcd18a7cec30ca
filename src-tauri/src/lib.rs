//! The Tauri 2 shell of Deskmate: a window and thin commands over
//! `deskmate_core`. No logic lives here that a test without a display could not
//! reach through the core.

mod account_commands;
mod app_log;
mod capture;
mod capture_commands;
mod closing;
mod commands;
mod desktop;
mod desktop_commands;
mod diagnostics_commands;
mod notify_commands;
mod options;
mod pickers;
mod remote_commands;
mod self_service_commands;
mod shortcut;
mod tray;
mod tray_icon;

use deskmate_core::Core;
use tauri::Manager;

pub use options::StartOptions;

/// What every command reaches through `tauri::State`.
pub struct AppState {
    /// The core, or why it could not open (a corrupt cache, a newer schema):
    /// the window still opens and every command answers with that error,
    /// leaving the file untouched for the user or support to look at.
    core: Result<Core, deskmate_api::ErrorResponse>,
    pub options: StartOptions,
    /// The screen a `deskmate://` link at launch named, until the window takes it.
    pub pending_open: std::sync::Mutex<Option<deskmate_api::NotifyTarget>>,
    /// Told when the notification settings change (a pause or quiet hours ended early).
    pub notifier: Option<std::sync::Arc<tokio::sync::Notify>>,
    /// What each consent of this run handed over, until its session ends.
    pub remote: remote_commands::Handovers,
    /// What the window's close button does.
    pub closing: closing::Closing,
    /// The files the user chose to attach, by the ids the page got.
    pub chosen: pickers::Chosen,
    /// Screenshots waiting for the editor, in memory only.
    pub captures: std::sync::Arc<capture::Captures>,
    /// The global screenshot shortcut registered now.
    pub shortcut: shortcut::Registered,
}

impl AppState {
    pub fn core(&self) -> Result<&Core, deskmate_api::ErrorResponse> {
        self.core.as_ref().map_err(Clone::clone)
    }
}

/// `tauri::generate_handler!` over `commands::<name>` for the names given.
macro_rules! register_commands {
    ($($name:ident),*) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

/// Builds and runs the app until its last window closes.
pub fn run() {
    let app_log = init_tracing();
    options::apply_linux_webkit_workarounds();
    let options = StartOptions::from_env_and_args(std::env::args().skip(1));

    let result = tauri::Builder::default()
        // First: a second launch on the same data directory hands its
        // arguments (a deskmate:// link) to this one and exits.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id(options.data_dir.as_deref()))
                .callback(|app, args, _cwd| desktop::handle_args(app, &args))
                .build(),
        )
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init())
        // The native file pickers (attach files, save an attachment).
        .plugin(tauri_plugin_dialog::init())
        // Start at login (opt-in in Settings): the entry starts this data directory.
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .args(autostart_args(options.data_dir.as_deref()))
                .build(),
        )
        // The window's size and place, kept beside the cache.
        .plugin(window_state(options.data_dir.as_deref()))
        // The screenshot shortcut, registered once the settings are read.
        .plugin(tauri_plugin_global_shortcut::Builder::new().build())
        .on_window_event(|window, event| match event {
            tauri::WindowEvent::CloseRequested { api, .. } => {
                closing::close_requested(window, api);
            }
            tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
                capture_commands::dropped(window.app_handle(), paths.clone());
            }
            _ => {}
        })
        .setup(move |app| {
            let data_dir = match &options.data_dir {
                Some(dir) => dir.clone(),
                None => app.path().app_data_dir()?,
            };
            let log_file = app_log.open(&data_dir);
            app.manage(diagnostics_commands::Evidence::new(
                data_dir.clone(),
                log_file,
            ));
            tracing::info!(data_dir = %data_dir.display(), "opening the local cache");
            let core = tauri::async_runtime::block_on(Core::open(&data_dir)).map_err(|e| {
                tracing::error!(error = %e, "the local cache cannot be used");
                e.to_response()
            });
            if options.no_tray {
                tracing::info!("DESKMATE_NO_TRAY: no tray icon");
            } else if let Err(e) = tray::create(app.handle()) {
                tracing::warn!(error = %e, "no tray icon");
            }
            let closing = closing_choice(core.as_ref().ok());
            if let Ok(core) = &core {
                let (app, core) = (app.handle().clone(), core.clone());
                // The menu is there before the first live event.
                tauri::async_runtime::spawn(async move { tray::refresh(&app, &core, false).await });
            }
            let notifier = core.as_ref().ok().map(|core| {
                let wake = desktop::start_notifier(core.clone(), app.handle().clone());
                follow_helpdesk(core.clone(), &options, app.handle().clone(), wake.clone());
                wake
            });
            // A link this launch was started with is opened once the window asks.
            let link = std::env::args()
                .skip(1)
                .find_map(|a| desktop::link_target(&a));
            let keys = core.as_ref().ok().map(|core| {
                tauri::async_runtime::block_on(core.screenshot_shortcut()).unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "cannot read the screenshot shortcut");
                    deskmate_api::DEFAULT_SCREENSHOT_SHORTCUT.to_owned()
                })
            });
            app.manage(AppState {
                core,
                options: options.clone(),
                pending_open: std::sync::Mutex::new(link),
                notifier,
                remote: Default::default(),
                closing,
                chosen: Default::default(),
                captures: Default::default(),
                shortcut: Default::default(),
            });
            if let Some(keys) = keys
                && let Err(e) = shortcut::register(app.handle(), &keys)
            {
                tracing::warn!(error = %e.message, "no screenshot shortcut");
            }
            Ok(())
        })
        // Every command crates/deskmate-api/src/rpc.rs declares, each by its
        // handler in `commands`: a declared command without one fails to build.
        .invoke_handler(deskmate_api::for_each_command!(register_commands))
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "Deskmate could not start");
        std::process::exit(1);
    }
}

/// Close-to-tray as the user left it (off when the cache cannot open: the
/// app would run on with nothing to tell).
fn closing_choice(core: Option<&Core>) -> closing::Closing {
    let Some(core) = core else {
        return closing::Closing::new(false, true);
    };
    tauri::async_runtime::block_on(async {
        let on = core.close_to_tray().await.unwrap_or(true);
        let explained = core.close_explained().await.unwrap_or(false);
        closing::Closing::new(on, explained)
    })
}

/// What the start-at-login entry starts: this app on this data directory
/// (quoted for the desktop entry's `Exec` line when it holds a space).
fn autostart_args(data_dir: Option<&std::path::Path>) -> Vec<String> {
    let Some(dir) = data_dir else {
        return Vec::new();
    };
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let dir = dir.to_string_lossy();
    let dir = if dir.contains(char::is_whitespace) {
        format!("\"{}\"", dir.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        dir.into_owned()
    };
    vec!["--data-dir".to_owned(), dir]
}

/// Remembers the window's size, place and maximised state (not whether it
/// was shown: a window hidden in the tray opens the next time). With a data
/// directory of its own, the file lives there, so apps on different
/// directories (the tests) never share it.
fn window_state(data_dir: Option<&std::path::Path>) -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_window_state::StateFlags;
    let mut builder = tauri_plugin_window_state::Builder::new()
        .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED);
    if let Some(dir) = data_dir {
        // The plugin joins the name to the config directory: an absolute path replaces it.
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        builder = builder.with_filename(dir.join(WINDOW_STATE_FILE).to_string_lossy());
    }
    builder.build()
}

/// The window-state file's name in a data directory of its own.
const WINDOW_STATE_FILE: &str = "window-state.json";

/// Follows the helpdesk's live events for as long as the app runs and tells
/// the window (`deskmate://live`) what changed in the cache, and when the
/// helpdesk came or went or the session ended; `wake` tells the notifier.
fn follow_helpdesk(
    core: Core,
    options: &StartOptions,
    app: tauri::AppHandle,
    wake: std::sync::Arc<tokio::sync::Notify>,
) {
    use deskmate_api::LIVE_EVENT;
    use deskmate_core::FollowOptions;
    use tauri::Emitter;

    let follow = FollowOptions {
        live_only: options.live_only,
    };
    let online = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let follower = core.clone();
    tauri::async_runtime::spawn(async move {
        follower
            .follow(follow, move |event| {
                use deskmate_api::LiveUpdate;
                if matches!(
                    event,
                    LiveUpdate::Tickets { .. } | LiveUpdate::Notices | LiveUpdate::Resync
                ) {
                    wake.notify_one();
                }
                if let LiveUpdate::Online { online: now } = event {
                    online.store(now, std::sync::atomic::Ordering::Relaxed);
                }
                if !matches!(event, LiveUpdate::Outbox) {
                    let (app, core) = (app.clone(), core.clone());
                    let online = online.load(std::sync::atomic::Ordering::Relaxed);
                    tauri::async_runtime::spawn(
                        async move { tray::refresh(&app, &core, online).await },
                    );
                }
                if let Err(e) = app.emit(LIVE_EVENT, event) {
                    tracing::warn!(error = %e, "cannot tell the window about a change");
                }
            })
            .await;
    });
}

/// The D-Bus name one instance holds: one per data directory, so two
/// directories (two accounts, the tests) run side by side, and a second
/// launch on the same one reaches the first.
fn instance_id(data_dir: Option<&std::path::Path>) -> String {
    const APP: &str = "com.deskmate.app";
    let Some(dir) = data_dir else {
        return APP.to_owned();
    };
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    // FNV-1a: stable across builds, unlike std's hasher.
    let hash = dir
        .to_string_lossy()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{APP}.d{hash:016x}")
}

/// Logs to stderr and (once opened in the data directory) to the app's
/// own bounded log file.
fn init_tracing() -> app_log::AppLog {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let filter = tracing_subscriber::EnvFilter::try_from_env("DESKMATE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let file = app_log::AppLog::default();
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())),
        )
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(file.clone())
                .with_ansi(false),
        )
        .try_init();
    file
}
