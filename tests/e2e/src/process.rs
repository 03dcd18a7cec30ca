//! Child processes that are always stopped politely (SIGTERM, never SIGKILL:
//! a killed tauri-driver leaves WebKitWebDriver holding pipes and the run hangs).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The workspace's target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

/// A built binary of this workspace (`target/debug/<name>`), or an explicit
/// path from the environment variable `env`.
pub fn workspace_binary(name: &str, env: &str) -> Result<PathBuf> {
    let path = match std::env::var_os(env) {
        Some(p) => PathBuf::from(p),
        None => target_dir().join("debug").join(name),
    };
    if !path.is_file() {
        bail!(
            "{} does not exist: build it first (`make build`), or set {env}",
            path.display()
        );
    }
    Ok(path)
}

/// A free TCP port on 127.0.0.1 (for tools that cannot bind port 0 themselves).
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("binding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Waits until something accepts connections on 127.0.0.1:`port`.
/// A running tauri-driver and the two ports it was given.
pub struct TauriDriver {
    pub process: Guarded,
    /// Where it takes WebDriver requests.
    pub port: u16,
    /// Where the WebKitWebDriver it starts listens.
    pub native_port: u16,
}

/// Starts tauri-driver on two free ports (its stderr goes to `stderr`) and
/// waits until it listens on its own port.
pub fn start_tauri_driver(stderr: Stdio) -> Result<TauriDriver> {
    start_tauri_driver_with_env(stderr, &[])
}

/// Like [`start_tauri_driver`], with variables added to the environment that
/// tauri-driver, WebKitWebDriver and so the app inherit.
pub fn start_tauri_driver_with_env(stderr: Stdio, env: &[(&str, &str)]) -> Result<TauriDriver> {
    let port = free_port()?;
    let native_port = free_port()?;
    let child = Command::new("tauri-driver")
        .envs(env.iter().copied())
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .context("starting tauri-driver (installed by scripts/setup.sh)")?;
    let mut process = Guarded::new(child, "tauri-driver");
    wait_for_port(
        port,
        Duration::from_secs(20),
        process.child_mut(),
        "tauri-driver",
    )?;
    Ok(TauriDriver {
        process,
        port,
        native_port,
    })
}

pub fn wait_for_port(port: u16, within: Duration, child: &mut Child, what: &str) -> Result<()> {
    let deadline = Instant::now() + within;
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            bail!("{what} exited before listening on port {port}: {status}");
        }
        if Instant::now() > deadline {
            bail!("{what} did not listen on port {port} within {within:?}");
        }
        #[allow(
            clippy::disallowed_methods,
            reason = "synchronous test harness, no runtime"
        )]
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child process that receives SIGTERM when dropped, then is reaped.
#[derive(Debug)]
pub struct Guarded {
    child: Child,
    name: &'static str,
}

impl Guarded {
    pub fn new(child: Child, name: &'static str) -> Self {
        Self { child, name }
    }

    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then wait up to 10 s for the process to exit.
    pub fn terminate(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            #[allow(
                clippy::disallowed_methods,
                reason = "synchronous test harness, no runtime"
            )]
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("{} did not stop within 10 s of SIGTERM", self.name);
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        self.terminate();
    }
}
