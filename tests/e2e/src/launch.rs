//! Launch measurements: any Tauri app started through its own tauri-driver
//! (the way [`crate::AppWindow`] starts Deskmate), with the moment the
//! WebDriver session was requested, and the memory of the process tree the
//! app leaves running. Used by `launch-bench`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::process::{Guarded, TauriDriver, start_tauri_driver, wait_for_port};

/// A tauri-driver of its own and its WebKitWebDriver, both listening and
/// idle: nothing of them is on the launch clock until [`Driver::launch`].
pub struct Driver {
    port: u16,
    process: Guarded,
}

/// An app started by [`Driver::launch`].
pub struct Launched {
    pub client: Client,
    /// Just before the WebDriver new-session request went out: the clock's zero.
    pub requested_at: Instant,
    /// When the new-session answer came back (the window exists and WebKit's
    /// automation is attached; the page may still be loading).
    pub session_at: Instant,
    /// New-session attempts refused before one was accepted (normally 0).
    pub retries: u32,
}

impl Driver {
    /// Starts tauri-driver and waits until it listens.
    pub fn start() -> Result<Self> {
        let TauriDriver {
            mut process,
            port,
            native_port,
        } = start_tauri_driver(Stdio::null())?;
        // tauri-driver starts WebKitWebDriver on the native port as it starts;
        // a session asked for before that one listens is refused.
        wait_for_port(
            native_port,
            Duration::from_secs(20),
            process.child_mut(),
            "WebKitWebDriver (started by tauri-driver)",
        )?;
        Ok(Self { port, process })
    }

    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    /// Asks for a WebDriver session of `app` started with `args`: tauri-driver
    /// starts WebKitWebDriver, which starts the app.
    pub async fn launch(&self, app: &Path, args: &[String]) -> Result<Launched> {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({ "application": app, "args": args }),
        );
        let url = format!("http://127.0.0.1:{}", self.port);
        let requested_at = Instant::now();
        let mut retries = 0;
        loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Ok(Launched {
                        client,
                        requested_at,
                        session_at: Instant::now(),
                        retries,
                    });
                }
                Err(e) if requested_at.elapsed() < Duration::from_secs(60) => {
                    eprintln!("WebDriver session not ready yet: {e}");
                    retries += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => return Err(e).context("starting the app over WebDriver"),
            }
        }
    }
}

/// What `/proc` says about one process.
#[derive(Debug, Clone)]
pub struct ProcInfo {
    pub pid: u32,
    pub ppid: u32,
    /// `comm` (at most 15 characters).
    pub name: String,
    /// Start time in clock ticks since boot.
    pub start_ticks: u64,
}

/// Every process visible in `/proc`.
pub fn processes() -> Result<Vec<ProcInfo>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        // A process may exit while we look: skip it.
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        if let Some(info) = parse_stat(pid, &stat) {
            out.push(info);
        }
    }
    Ok(out)
}

/// `/proc/<pid>/stat`: `pid (comm) state ppid ...`; comm may hold spaces and
/// parentheses, so split at the last `)`.
fn parse_stat(pid: u32, stat: &str) -> Option<ProcInfo> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?.to_owned();
    let rest: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
    // rest[0] is field 3 (state); ppid is field 4, starttime field 22.
    let ppid = rest.get(1)?.parse().ok()?;
    let start_ticks = rest.get(19)?.parse().ok()?;
    Some(ProcInfo {
        pid,
        ppid,
        name,
        start_ticks,
    })
}

/// `root` and all its descendants, `root` first.
pub fn tree(all: &[ProcInfo], root: u32) -> Vec<ProcInfo> {
    let mut children: HashMap<u32, Vec<&ProcInfo>> = HashMap::new();
    for p in all {
        children.entry(p.ppid).or_default().push(p);
    }
    let mut out: Vec<ProcInfo> = all.iter().filter(|p| p.pid == root).cloned().collect();
    let mut i = 0;
    while i < out.len() {
        let pid = out[i].pid;
        if let Some(kids) = children.get(&pid) {
            out.extend(kids.iter().map(|p| (*p).clone()));
        }
        i += 1;
    }
    out
}

/// The process running `binary` among the descendants of `ancestor`.
pub fn find_app(ancestor: u32, binary: &Path) -> Result<ProcInfo> {
    let want = std::fs::canonicalize(binary).unwrap_or_else(|_| binary.to_owned());
    let all = processes()?;
    tree(&all, ancestor)
        .into_iter()
        .find(|p| exe(p.pid).is_some_and(|e| e == want))
        .with_context(|| {
            format!(
                "no process running {} under pid {ancestor}",
                binary.display()
            )
        })
}

fn exe(pid: u32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/exe")).ok()
}

/// `Pss:` of `/proc/<pid>/smaps_rollup`, in kB (`None` if the process is gone).
pub fn pss_kib(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The seconds since boot now, from `/proc/uptime` (10 ms resolution).
pub fn uptime_secs() -> Result<f64> {
    let text = std::fs::read_to_string("/proc/uptime")?;
    let first = text.split_whitespace().next().unwrap_or_default();
    first.parse().context("reading /proc/uptime")
}

/// Clock ticks per second for `/proc/<pid>/stat` times (`getconf CLK_TCK`).
pub fn clock_ticks_per_sec() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_with_spaces_and_parentheses_in_comm() {
        let stat = "42 (Web (Content) x) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 0 0";
        let p = parse_stat(42, stat).unwrap();
        assert_eq!(
            (p.ppid, p.name.as_str(), p.start_ticks),
            (7, "Web (Content) x", 12345)
        );
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }
}
