//! The Tauri 2 shell of Deskmate: a window and thin commands over
//! `deskmate_core`. No logic lives here that a test without a display could not
//! reach through the core.

mod commands;
mod options;
mod pickers;

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
    init_tracing();
    options::apply_linux_webkit_workarounds();
    let options = StartOptions::from_env_and_args(std::env::args().skip(1));

    let result = tauri::Builder::default()
        // The native file pickers (attach files, save an attachment).
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let data_dir = match &options.data_dir {
                Some(dir) => dir.clone(),
                None => app.path().app_data_dir()?,
            };
            tracing::info!(data_dir = %data_dir.display(), "opening the local cache");
            let core = tauri::async_runtime::block_on(Core::open(&data_dir)).map_err(|e| {
                tracing::error!(error = %e, "the local cache cannot be used");
                e.to_response()
            });
            if let Ok(core) = &core {
                follow_helpdesk(core.clone(), &options, app.handle().clone());
            }
            app.manage(AppState {
                core,
                options: options.clone(),
            });
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

/// Follows the helpdesk's live events for as long as the app runs and tells
/// the window (`deskmate://live`) what changed in the cache, and when the
/// helpdesk came or went or the session ended.
fn follow_helpdesk(core: Core, options: &StartOptions, app: tauri::AppHandle) {
    use deskmate_api::LIVE_EVENT;
    use deskmate_core::FollowOptions;
    use tauri::Emitter;

    let follow = FollowOptions {
        live_only: options.live_only,
    };
    tauri::async_runtime::spawn(async move {
        core.follow(follow, move |event| {
            if let Err(e) = app.emit(LIVE_EVENT, event) {
                tracing::warn!(error = %e, "cannot tell the window about a change");
            }
        })
        .await;
    });
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DESKMATE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
