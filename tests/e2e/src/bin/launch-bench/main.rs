//! `scripts/bench-launch.sh`: launch time and idle memory of the release
//! deskmate-app against a bare Tauri 2 app (`benches/bare-tauri`), on the same
//! machine in the same run, through the same tauri-driver path.
//!
//! Once per run: a demo deskmate-server, a data directory signed in as
//! user@acme.example with the real core (token in the session's keyring), and
//! 10,000 generated tickets written into its cache (sync cursor set past
//! anything the server has, so the app's pull on start finds nothing new).
//!
//! Then N launches of each app, alternating A, B, A, B, ... after one
//! unmeasured warm-up of each. One launch:
//!
//! * a fresh tauri-driver is started, and both it and the WebKitWebDriver it
//!   starts are listening (not on the clock);
//! * clock zero: just before the WebDriver new-session request, which makes
//!   tauri-driver start WebKitWebDriver, which starts the app;
//! * the page is polled with a script every 25 ms (a poll waits while the
//!   page's main thread is busy);
//! * `launch_ms` stops when the list is interactive: its first page of
//!   [`LIST_PAGE_ROWS`] `[data-testid=ticket-row]` rows (or every ticket, if
//!   fewer) is drawn — the list draws that many and offers "Show more";
//!   `bare_tauri_launch_ms` when the bare page's `body` is present
//!   (and its title says it is that page, not the blank one before it);
//! * 10 s later, idle PSS: the `Pss:` of `/proc/<pid>/smaps_rollup` summed over
//!   the app process and all its descendants (WebKitWebProcess,
//!   WebKitNetworkProcess, ...), found by walking `/proc/*/stat` ppid;
//! * the session is closed (the app exits) and tauri-driver stopped.
//!
//! The app runs as on a user's desktop: its tray icon registered with a real
//! StatusNotifierWatcher started for the run, its notifier following the
//! helpdesk (`DESKMATE_NO_TRAY=1` in the environment: without the tray).
//!
//! Writes target/bench/launch.json with launch_ms, bare_tauri_launch_ms,
//! idle_pss_mib, bare_tauri_idle_pss_mib (medians) and prints them with their
//! goals.

#![allow(clippy::print_stderr)]

mod cache;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use deskmate_e2e::launch::{
    Driver, clock_ticks_per_sec, find_app, median, processes, pss_kib, tree, uptime_secs,
};
use deskmate_e2e::tray_host::TrayHost;
use deskmate_e2e::{ServerProcess, target_dir};

use crate::cache::prepare;
use fantoccini::Client;

const USAGE: &str = "usage: launch-bench [--app PATH] [--bare PATH] [--runs N] [--tickets N] \
[--idle-secs S] [--out FILE]";

/// Launch goal: Deskmate at most this many times the bare app.
const LAUNCH_GOAL: f64 = 1.3;
/// Idle memory goal: Deskmate at most this many times the bare app.
const PSS_GOAL: f64 = 1.15;
/// How often the page is asked whether it is ready.
const POLL: Duration = Duration::from_millis(25);
/// Give up on one launch after this long.
const LAUNCH_LIMIT: Duration = Duration::from_secs(180);

struct Options {
    app: PathBuf,
    bare: PathBuf,
    runs: usize,
    tickets: usize,
    idle: Duration,
    out: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Deskmate,
    Bare,
}

impl Which {
    fn label(self) -> &'static str {
        match self {
            Which::Deskmate => "deskmate-app",
            Which::Bare => "bare-tauri",
        }
    }
}

/// One measured launch.
struct Sample {
    /// Clock zero to ready (the figure).
    ready_ms: f64,
    /// Clock zero to the new-session answer.
    session_ms: f64,
    /// Clock zero to the app process's start (from /proc, 10 ms resolution).
    exec_ms: f64,
    /// Clock zero to the first poll that saw the app's own page loaded
    /// (`tauri:` URL, `readyState` complete).
    page_ms: Option<f64>,
    /// Clock zero to the ticket screen's buttons (Deskmate only).
    shell_ms: Option<f64>,
    /// Clock zero to the first ticket row (Deskmate only).
    first_row_ms: Option<f64>,
    /// `ticket_page` (the first page) over IPC from the idle page: round trip in ms and the
    /// size of its JSON (Deskmate only, after the memory was read).
    ipc: Option<(f64, f64)>,
    /// Ready to the next animation frame painted.
    frame_after_ms: f64,
    pss_kib: u64,
    processes: Vec<(String, u64)>,
}

#[tokio::main]
async fn main() -> Result<()> {
    let o = options()?;
    for (what, path) in [("app", &o.app), ("bare app", &o.bare)] {
        if !path.is_file() {
            bail!("{what} {} does not exist: build it first", path.display());
        }
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        bail!("no display: run through scripts/bench-launch.sh (scripts/with-session.sh)");
    }

    // A desktop with a tray, as users have: the app's tray icon registers
    // with a real StatusNotifierWatcher while it is measured (its
    // notifications run too). `DESKMATE_NO_TRAY=1` measures it without.
    let _tray = TrayHost::start().await?;
    let tray = if std::env::var_os("DESKMATE_NO_TRAY").is_some() {
        "off (DESKMATE_NO_TRAY)"
    } else {
        "on (a StatusNotifierWatcher runs for it to register with)"
    };
    println!("launch-bench: deskmate-app's tray icon: {tray}");
    let server = ServerProcess::start_demo()?;
    println!("launch-bench: demo helpdesk {}", server.url);
    let bench_dir = target_dir().join("bench");
    std::fs::create_dir_all(&bench_dir)?;
    let data_dir = std::fs::canonicalize(&bench_dir)?.join("launch-data");
    prepare(&data_dir, &server.url, o.tickets).await?;
    let args = vec![
        "--data-dir".to_owned(),
        data_dir.display().to_string(),
        "--server-url".to_owned(),
        server.url.clone(),
    ];

    println!(
        "launch-bench: clock = WebDriver new-session request (tauri-driver and its WebKitWebDriver already listening) \
         -> ready; ready = the list's first {} `[data-testid=ticket-row]` rows for deskmate-app, `body` of the \
         bare page for bare-tauri; polled every {} ms. Idle PSS {} s after ready, app process + \
         descendants.",
        o.tickets.min(LIST_PAGE_ROWS),
        POLL.as_millis(),
        o.idle.as_secs()
    );
    println!("launch-bench: load average before: {}", loadavg());
    println!("launch-bench: warm-up (not counted)");
    for which in [Which::Deskmate, Which::Bare] {
        let s = run_once(&o, which, &args, Duration::from_secs(1)).await?;
        println!(
            "  warm-up {:<13} ready {:>8.1} ms",
            which.label(),
            s.ready_ms
        );
    }

    let mut a = Vec::new();
    let mut b = Vec::new();
    for i in 1..=o.runs {
        for which in [Which::Deskmate, Which::Bare] {
            let s = run_once(&o, which, &args, o.idle).await?;
            print_sample(i, which, &s);
            if i == 1 {
                for (name, kib) in &s.processes {
                    println!("      {name:<20} {:>8.1} MiB PSS", *kib as f64 / 1024.0);
                }
            }
            match which {
                Which::Deskmate => a.push(s),
                Which::Bare => b.push(s),
            }
        }
    }
    drop(server);
    println!("launch-bench: load average after: {}", loadavg());

    let med = |v: &[Sample], f: fn(&Sample) -> f64| median(&v.iter().map(f).collect::<Vec<_>>());
    let launch_ms = med(&a, |s| s.ready_ms).context("no runs")?;
    let bare_launch_ms = med(&b, |s| s.ready_ms).context("no runs")?;
    let pss = med(&a, |s| s.pss_kib as f64 / 1024.0).context("no runs")?;
    let bare_pss = med(&b, |s| s.pss_kib as f64 / 1024.0).context("no runs")?;

    let round1 = |x: f64| (x * 10.0).round() / 10.0;
    let json = serde_json::json!({
        "launch_ms": round1(launch_ms),
        "bare_tauri_launch_ms": round1(bare_launch_ms),
        "idle_pss_mib": round1(pss),
        "bare_tauri_idle_pss_mib": round1(bare_pss),
    });
    if let Some(dir) = o.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&o.out, serde_json::to_string_pretty(&json)? + "\n")
        .with_context(|| format!("writing {}", o.out.display()))?;

    println!();
    let med_opt = |v: &[Sample], f: fn(&Sample) -> Option<f64>| {
        median(&v.iter().filter_map(f).collect::<Vec<_>>()).unwrap_or(f64::NAN)
    };
    println!(
        "medians of {} runs each, ms from clock zero (deskmate-app / bare-tauri): app exec {:.0} / {:.0}, \
         session {:.0} / {:.0}, page loaded {:.0} / {:.0}, ticket screen {:.0}, first row {:.0}, \
         ready {:.0} / {:.0}; next frame after ready +{:.0} / +{:.0}; ticket_page IPC {:.0} ms",
        o.runs,
        med(&a, |s| s.exec_ms).unwrap_or_default(),
        med(&b, |s| s.exec_ms).unwrap_or_default(),
        med(&a, |s| s.session_ms).unwrap_or_default(),
        med(&b, |s| s.session_ms).unwrap_or_default(),
        med_opt(&a, |s| s.page_ms),
        med_opt(&b, |s| s.page_ms),
        med_opt(&a, |s| s.shell_ms),
        med_opt(&a, |s| s.first_row_ms),
        launch_ms,
        bare_launch_ms,
        med(&a, |s| s.frame_after_ms).unwrap_or_default(),
        med(&b, |s| s.frame_after_ms).unwrap_or_default(),
        med_opt(&a, |s| s.ipc.map(|(ms, _)| ms)),
    );
    println!();
    println!(
        "{:<14} {:>12} {:>12} {:>7} {:>8}  result",
        "figure", "deskmate-app", "bare-tauri", "ratio", "goal"
    );
    let mut all_pass = true;
    for (name, unit, ours, bare, goal) in [
        ("launch_ms", "ms", launch_ms, bare_launch_ms, LAUNCH_GOAL),
        ("idle_pss_mib", "MiB", pss, bare_pss, PSS_GOAL),
    ] {
        let ratio = ours / bare;
        let pass = ratio <= goal;
        all_pass &= pass;
        println!(
            "{name:<14} {:>9.1} {unit:<3}{:>9.1} {unit:<3}{ratio:>6.2}x {:>7}  {}",
            ours,
            bare,
            format!("<={goal}x"),
            if pass { "pass" } else { "MISS" }
        );
    }
    println!();
    let out = std::fs::canonicalize(&o.out).unwrap_or_else(|_| o.out.clone());
    println!("launch-bench: wrote {}", out.display());
    if !all_pass {
        println!("launch-bench: at least one goal missed");
    }
    Ok(())
}

fn options() -> Result<Options> {
    let release = target_dir().join("release");
    let mut o = Options {
        app: release.join("deskmate-app"),
        bare: release.join("bare-tauri"),
        runs: 5,
        tickets: 10_000,
        idle: Duration::from_secs(10),
        out: target_dir().join("bench").join("launch.json"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .with_context(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--app" => o.app = PathBuf::from(value()?),
            "--bare" => o.bare = PathBuf::from(value()?),
            "--runs" => o.runs = value()?.parse().context("--runs")?,
            "--tickets" => o.tickets = value()?.parse().context("--tickets")?,
            "--idle-secs" => o.idle = Duration::from_secs(value()?.parse().context("--idle-secs")?),
            "--out" => o.out = PathBuf::from(value()?),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other}\n{USAGE}"),
        }
    }
    if o.runs == 0 {
        bail!("--runs must be at least 1");
    }
    Ok(o)
}

async fn run_once(o: &Options, which: Which, args: &[String], idle: Duration) -> Result<Sample> {
    let binary = match which {
        Which::Deskmate => &o.app,
        Which::Bare => &o.bare,
    };
    let driver = Driver::start()?;
    let ticks = clock_ticks_per_sec() as f64;
    let uptime_at_zero = uptime_secs()?;
    let launched = driver.launch(binary, args).await?;
    if launched.retries > 0 {
        eprintln!(
            "launch-bench: {} new-session retried {} times",
            which.label(),
            launched.retries
        );
    }
    let zero = launched.requested_at;
    let client = launched.client.clone();
    let ms = |t: Instant| t.duration_since(zero).as_secs_f64() * 1000.0;
    let session_ms = ms(launched.session_at);

    let marks = match which {
        Which::Deskmate => wait_for_rows(&client, o.tickets.min(LIST_PAGE_ROWS), zero).await?,
        Which::Bare => wait_for_bare_body(&client, zero).await?,
    };
    let ready_at = marks.ready;
    let ready_ms = ms(ready_at);
    let frame_after_ms = next_frame_ms(&client).await?;

    let app = find_app(driver.pid(), binary)?;
    let exec_ms = (app.start_ticks as f64 / ticks - uptime_at_zero) * 1000.0;

    tokio::time::sleep(idle).await;
    let all = processes()?;
    let mut total = 0;
    let mut per_process = Vec::new();
    for p in tree(&all, app.pid) {
        if let Some(kib) = pss_kib(p.pid) {
            total += kib;
            per_process.push((format!("{} ({})", p.name, p.pid), kib));
        }
    }
    if per_process.is_empty() {
        bail!("{} exited before its memory was read", which.label());
    }

    let ipc = match which {
        Which::Deskmate => ticket_page_ipc(&client).await?,
        Which::Bare => None,
    };
    client
        .close()
        .await
        .context("closing the WebDriver session")?;
    drop(driver);
    wait_gone(app.pid).await;
    Ok(Sample {
        ready_ms,
        session_ms,
        exec_ms,
        page_ms: marks.page_ms,
        shell_ms: marks.shell_ms,
        first_row_ms: marks.first_row_ms,
        ipc,
        frame_after_ms,
        pss_kib: total,
        processes: per_process,
    })
}

/// When a launch reached each point, from the polls.
struct Marks {
    ready: Instant,
    page_ms: Option<f64>,
    shell_ms: Option<f64>,
    first_row_ms: Option<f64>,
}

/// Rows the ticket list draws at first (ui/src/features/tickets/TicketsScreen.svelte).
const LIST_PAGE_ROWS: usize = 100;

/// One poll: `[rows, sign-in form shown, own page loaded, ticket screen shown]`.
const ROWS_PROBE: &str = "return [document.querySelectorAll('[data-testid=ticket-row]').length, \
    document.querySelector('form#sign-in') !== null, \
    location.protocol === 'tauri:' && document.readyState === 'complete', \
    document.querySelector('#new-ticket-button') !== null]";

/// Polls until `count` ticket rows are in the page.
async fn wait_for_rows(client: &Client, count: usize, zero: Instant) -> Result<Marks> {
    let since = |t: Instant| Some(t.duration_since(zero).as_secs_f64() * 1000.0);
    let (mut page_ms, mut shell_ms, mut first_row_ms) = (None, None, None);
    loop {
        let v = client.execute(ROWS_PROBE, vec![]).await?;
        let now = Instant::now();
        let rows = v[0].as_u64().unwrap_or(0) as usize;
        if page_ms.is_none() && v[2].as_bool() == Some(true) {
            page_ms = since(now);
        }
        if shell_ms.is_none() && v[3].as_bool() == Some(true) {
            shell_ms = since(now);
        }
        if rows > 0 && first_row_ms.is_none() {
            first_row_ms = since(now);
        }
        if rows >= count {
            return Ok(Marks {
                ready: now,
                page_ms,
                shell_ms,
                first_row_ms,
            });
        }
        if v[1].as_bool() == Some(true) {
            bail!("the app shows the sign-in form: the prepared session was not accepted");
        }
        if now.duration_since(zero) > LAUNCH_LIMIT {
            bail!("{rows} of {count} ticket rows after {LAUNCH_LIMIT:?}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Polls until the bare app's own page (not the blank one before it) has a body.
async fn wait_for_bare_body(client: &Client, zero: Instant) -> Result<Marks> {
    let mut page_ms = None;
    loop {
        let v = client
            .execute(
                "return [document.title === 'bare-tauri' && document.body !== null, \
                 location.protocol === 'tauri:' && document.readyState === 'complete']",
                vec![],
            )
            .await?;
        let now = Instant::now();
        if page_ms.is_none() && v[1].as_bool() == Some(true) {
            page_ms = Some(now.duration_since(zero).as_secs_f64() * 1000.0);
        }
        if v[0].as_bool() == Some(true) {
            return Ok(Marks {
                ready: now,
                page_ms,
                shell_ms: None,
                first_row_ms: None,
            });
        }
        if now.duration_since(zero) > LAUNCH_LIMIT {
            bail!("the bare page had no body after {LAUNCH_LIMIT:?}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// `ticket_page` called from the page over Tauri's IPC for the first page, as
/// the ticket screen does on start: the round trip in ms and the JSON size in MiB.
async fn ticket_page_ipc(client: &Client) -> Result<Option<(f64, f64)>> {
    let v = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const t = performance.now(); \
             window.__TAURI_INTERNALS__.invoke('ticket_page', {args: {query: {limit: arguments[0]}}}).then( \
               (r) => done([performance.now() - t, JSON.stringify(r).length]), \
               (e) => done([-1, String(e)]));",
            vec![serde_json::json!(LIST_PAGE_ROWS)],
        )
        .await?;
    let ms = v[0].as_f64().unwrap_or(-1.0);
    if ms < 0.0 {
        // A diagnostic only (an older build has no such command): no figure.
        eprintln!("launch-bench: ticket_page over IPC failed: {}", v[1]);
        return Ok(None);
    }
    Ok(Some((ms, v[1].as_f64().unwrap_or(0.0) / (1024.0 * 1024.0))))
}

/// How long until the page paints its next frame (two animation frames).
async fn next_frame_ms(client: &Client) -> Result<f64> {
    let started = Instant::now();
    client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await?;
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// `/proc/loadavg` (the machine is shared: a busy one slows both apps).
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

/// Waits up to 10 s for `pid` to exit (the session close ends the app).
async fn wait_gone(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Path::new(&format!("/proc/{pid}")).exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn print_sample(run: usize, which: Which, s: &Sample) {
    let opt =
        |label: &str, v: Option<f64>| v.map(|v| format!(", {label} {v:.0}")).unwrap_or_default();
    println!(
        "  run {run} {:<13} ready {:>7.1} ms (app exec {:.0}, session {:.0}{}{}{}; next frame +{:.0}) \
         idle PSS {:>6.1} MiB over {} processes{}",
        which.label(),
        s.ready_ms,
        s.exec_ms,
        s.session_ms,
        opt("page", s.page_ms),
        opt("shell", s.shell_ms),
        opt("first row", s.first_row_ms),
        s.frame_after_ms,
        s.pss_kib as f64 / 1024.0,
        s.processes.len(),
        s.ipc
            .map(|(ms, mib)| format!("; ticket_page IPC {ms:.0} ms for {mib:.3} MiB JSON"))
            .unwrap_or_default()
    );
}
