//! How the app was started: command-line flags and environment.

use std::path::PathBuf;

/// Start-up options. Flags win over environment variables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartOptions {
    /// `--data-dir DIR` / `DESKMATE_DATA_DIR`: where the cache lives
    /// (default: the platform's app data directory).
    pub data_dir: Option<PathBuf>,
    /// `--server-url URL` / `DESKMATE_SERVER_URL`: the helpdesk to offer on the sign-in screen.
    pub server_url: Option<String>,
    /// `DESKMATE_DEMO_ACCOUNTS=a@x,b@y`: demo accounts to list on the sign-in screen.
    pub demo_accounts: Vec<String>,
    /// `DESKMATE_E2E_PICK=/a.png:/b.log`: end-to-end tests only (WebDriver
    /// cannot drive a native dialog): the files "chosen" in the file picker.
    /// Read by debug builds only.
    pub e2e_pick: Option<Vec<PathBuf>>,
    /// `DESKMATE_E2E_SAVE_DIR=DIR`: end-to-end tests only: "Save…" writes to
    /// DIR under the attachment's name instead of asking. Read by debug builds only.
    pub e2e_save_dir: Option<PathBuf>,
    /// `DESKMATE_LIVE_ONLY=1`: tests of the live path only: the core never
    /// pulls on its own clock (no pull when the event stream cannot be
    /// opened), so a broken stream shows.
    pub live_only: bool,
    /// `DESKMATE_NO_TRAY=1`: no tray icon (desktops where it misbehaves;
    /// `make bench` measures what the tray costs): closing the window quits.
    pub no_tray: bool,
}

impl StartOptions {
    pub fn from_env_and_args(args: impl IntoIterator<Item = String>) -> Self {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut options = Self {
            data_dir: env("DESKMATE_DATA_DIR").map(PathBuf::from),
            server_url: env("DESKMATE_SERVER_URL"),
            demo_accounts: env("DESKMATE_DEMO_ACCOUNTS")
                .map(|v| split_list(&v))
                .unwrap_or_default(),
            e2e_pick: e2e_seam("DESKMATE_E2E_PICK").map(|v| std::env::split_paths(&v).collect()),
            e2e_save_dir: e2e_seam("DESKMATE_E2E_SAVE_DIR").map(PathBuf::from),
            live_only: env("DESKMATE_LIVE_ONLY").is_some_and(|v| is_on(&v)),
            no_tray: env("DESKMATE_NO_TRAY").is_some_and(|v| is_on(&v)),
        };
        options.apply_args(args);
        options
    }

    fn apply_args(&mut self, args: impl IntoIterator<Item = String>) {
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
                None => (arg, None),
            };
            match flag.as_str() {
                "--data-dir" => {
                    if let Some(v) = inline.or_else(|| args.next()) {
                        self.data_dir = Some(PathBuf::from(v));
                    }
                }
                "--server-url" => {
                    if let Some(v) = inline.or_else(|| args.next()) {
                        self.server_url = Some(v);
                    }
                }
                other => tracing::debug!(arg = other, "ignoring unknown argument"),
            }
        }
    }
}

/// An end-to-end test seam's variable. Only debug builds (the ones the
/// end-to-end tests drive) read them: a release build has no way to answer
/// its file pickers without the user, whatever its environment says.
#[cfg(debug_assertions)]
fn e2e_seam(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(not(debug_assertions))]
fn e2e_seam(_name: &str) -> Option<String> {
    None
}

/// `1`, `true`, `yes` or `on`, in any case.
fn is_on(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// WebKitGTK paints a blank window on machines without a DRM render node
/// (VMs, Xvfb, some NVIDIA setups) unless its DMA-BUF renderer is off. Set it
/// only where it is needed and the user has not chosen otherwise.
pub fn apply_linux_webkit_workarounds() {
    #[cfg(target_os = "linux")]
    {
        let has_render_node = std::fs::read_dir("/dev/dri")
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
            })
            .unwrap_or(false);
        if !has_render_node && std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
            set_env("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
        }
    }
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
#[allow(
    clippy::disallowed_methods,
    reason = "WebKit reads these variables itself; set before any thread starts"
)]
fn set_env(key: &str, value: &str) {
    // SAFETY: called from `run()` before Tauri, tokio or tracing start any thread.
    unsafe { std::env::set_var(key, value) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_read_in_both_spellings() {
        let mut o = StartOptions::default();
        o.apply_args(
            [
                "--data-dir",
                "/tmp/d",
                "--server-url=http://127.0.0.1:9",
                "--unknown",
            ]
            .map(String::from),
        );
        assert_eq!(o.data_dir, Some(PathBuf::from("/tmp/d")));
        assert_eq!(o.server_url.as_deref(), Some("http://127.0.0.1:9"));
    }

    #[test]
    fn live_only_is_a_switch() {
        assert!(is_on("1") && is_on(" TRUE ") && is_on("on"));
        assert!(!is_on("0") && !is_on("no") && !is_on(""));
    }

    #[test]
    fn demo_accounts_are_a_comma_list() {
        assert_eq!(split_list(" a@x , ,b@y"), vec!["a@x", "b@y"]);
    }
}
