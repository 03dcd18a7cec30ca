//! The smallest Tauri 2 app: one window showing an empty page. It is the
//! baseline deskmate-app's launch time and idle memory are compared with
//! (`scripts/bench-launch.sh`). Command-line arguments are ignored, so the
//! benchmark can start both apps with the same ones.

// Hide the console window on Windows release builds, as deskmate-app does.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]
// A benchmark fixture: it says why it failed on the terminal.
#![allow(clippy::print_stderr)]

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("bare-tauri could not start: {e}");
        std::process::exit(1);
    }
}
