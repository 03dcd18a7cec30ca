//! `deskmate-bench`: the performance figures `make bench` prints.
//!
//! Measures ticket creation through HTTP against an in-process deskmate-server
//! (SQLite, and PostgreSQL when `DESKMATE_TEST_PG` is set) and, as their
//! reference, against a Request Tracker 5 started for the run, the drain of a
//! core's outbox after an outage, delta-sync ingest into the cache against
//! plain SQLite inserts, local search over that cache, live-event (SSE)
//! fan-out to many clients of a deskmate-server child process, and the size
//! of the Debian package when its path is given. Prints a table (figure, goal, pass/miss) and writes a flat
//! JSON object of the measured figures; a figure not measured is absent.

mod corpus;
mod create;
mod helpdesk;
mod ingest;
mod outbox;
mod rt5;
mod search;
mod sse;
mod stats;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;

use crate::helpdesk::Engine;

#[derive(Debug, Parser)]
#[command(about = "Deskmate performance figures")]
struct Args {
    /// Concurrent HTTP connections (each its own signed-in session).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Tickets posted before measuring.
    #[arg(long, default_value_t = 320)]
    warmup: usize,
    /// Tickets posted while measuring.
    #[arg(long, default_value_t = 5000)]
    requests: usize,
    /// Stop a creation run after this many seconds even if not all were posted.
    #[arg(long, default_value_t = 60)]
    max_secs: u64,
    /// Request Tracker 5's run (`rt5_create_per_s`): seconds of filing tickets.
    #[arg(long, default_value_t = 30)]
    rt5_secs: u64,
    /// Tickets posted to RT5 before measuring.
    #[arg(long, default_value_t = 64)]
    rt5_warmup: usize,
    /// rt-server's worker processes.
    #[arg(long, default_value_t = 8)]
    rt5_workers: usize,
    /// Skip the Request Tracker 5 run.
    #[arg(long)]
    skip_rt5: bool,
    /// Writes queued in the outbox while the helpdesk is down.
    #[arg(long, default_value_t = 5000)]
    outbox_items: usize,
    /// The Debian package to weigh (`deb_size_mb`); absent when not given.
    #[arg(long)]
    deb: Option<PathBuf>,
    /// Skip the HTTP ticket creation runs.
    #[arg(long)]
    skip_server: bool,
    /// Skip the outbox drain run.
    #[arg(long)]
    skip_outbox: bool,
    /// Tickets delta sync brings into the cache (ingest and search).
    #[arg(long, default_value_t = 100_000)]
    ingest_tickets: usize,
    /// Messages delta sync brings into the cache (ingest and search).
    #[arg(long, default_value_t = 800_000)]
    ingest_messages: usize,
    /// Rows per sync page.
    #[arg(long, default_value_t = 1000)]
    page_rows: usize,
    /// Measured passes over the search query mix (after one warm-up pass).
    #[arg(long, default_value_t = 5)]
    search_repeats: usize,
    /// Skip the ingest run and so the search run.
    #[arg(long)]
    skip_ingest: bool,
    /// Concurrent live-event streams.
    #[arg(long, default_value_t = 10_000)]
    sse_clients: usize,
    /// Agent replies posted while the streams are open.
    #[arg(long, default_value_t = 20)]
    sse_posts: usize,
    /// The deskmate-server binary (default: next to this one).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Skip the live-event run.
    #[arg(long)]
    skip_sse: bool,
    /// Where to write the JSON summary.
    #[arg(long, default_value = "target/bench/summary.json")]
    out: PathBuf,
}

/// What a figure should be.
#[derive(Debug, Clone, Copy)]
enum Goal {
    AtLeast(f64),
    AtMost(f64),
    /// At least `factor` times another figure, named and measured in the same run.
    AtLeastTimes(f64, &'static str, f64),
    /// A reference for another figure's goal.
    Reference,
    /// The goal depends on something not measured yet.
    Pending(&'static str, &'static str),
}

impl Goal {
    fn text(self) -> String {
        match self {
            Goal::AtLeast(v) => format!(">= {v}"),
            Goal::AtMost(v) => format!("<= {v}"),
            Goal::AtLeastTimes(f, name, base) => format!(">= {f} x {name} (= {:.0})", f * base),
            Goal::Reference => "(reference)".to_owned(),
            Goal::Pending(text, _) => text.to_owned(),
        }
    }

    fn verdict(self, value: f64) -> String {
        match self {
            Goal::AtLeast(v) if value >= v => "pass".into(),
            Goal::AtMost(v) if value <= v => "pass".into(),
            Goal::AtLeastTimes(f, _, base) if value >= f * base => "pass".into(),
            Goal::AtLeast(_) | Goal::AtMost(_) | Goal::AtLeastTimes(..) => "MISS".into(),
            Goal::Reference => "-".into(),
            Goal::Pending(_, why) => why.to_owned(),
        }
    }
}

/// One line of the table.
struct Row {
    key: &'static str,
    unit: &'static str,
    goal: Goal,
    /// The figure, or why there is none.
    value: Result<f64, String>,
    note: String,
}

/// deskmate-server's creation rate should be at least this many times RT5's.
const RT5_FACTOR: f64 = 200.0;
const RT5: Goal = Goal::Pending(">= 200 x RT5", "RT5 not measured");

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            report_error(&format!("deskmate-bench: {e:#}"));
            ExitCode::FAILURE
        }
    }
}

#[allow(clippy::print_stderr)]
fn report_error(message: &str) {
    eprintln!("{message}");
}

pub(crate) fn progress(message: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "bench: {message}");
    let _ = out.flush();
}

/// Measures, prints, writes the summary; `false` when a measurement failed.
async fn run(args: &Args) -> Result<bool> {
    let mut rows = Vec::new();
    let plan = create::Plan {
        concurrency: args.concurrency.max(1),
        warmup: args.warmup,
        requests: args.requests.max(1),
        max_time: Duration::from_secs(args.max_secs),
    };

    if args.skip_server {
        rows.extend(creation_rows(Engine::Sqlite, Err("skipped".into()), None));
        rows.insert(1, rt5_row(Err("skipped".into()), None, args.rt5_workers));
        rows.extend(creation_rows(Engine::Postgres, Err("skipped".into()), None));
    } else {
        progress(&format!(
            "HTTP ticket creation on SQLite: {} connections, {} warm-up + {} tickets",
            plan.concurrency, plan.warmup, plan.requests
        ));
        let sqlite = create::run(Engine::Sqlite, plan).await;
        let rt5 = if args.skip_rt5 {
            Err("skipped".to_owned())
        } else {
            progress(&format!(
                "the same on Request Tracker 5: {} connections, {} warm-up tickets, then {} s \
                 ({} rt-server workers)",
                plan.concurrency, args.rt5_warmup, args.rt5_secs, args.rt5_workers
            ));
            rt5::run(rt5::Plan {
                concurrency: plan.concurrency,
                warmup: args.rt5_warmup,
                duration: Duration::from_secs(args.rt5_secs.max(1)),
                workers: args.rt5_workers,
            })
            .await
            .map_err(|e| format!("{e:#}"))
        };
        let rt5_rate = rt5.as_ref().ok().map(create::Outcome::per_second);
        let sqlite_rows = creation_rows(
            Engine::Sqlite,
            sqlite.map_err(|e| format!("{e:#}")),
            rt5_rate,
        );
        let sqlite_rate = sqlite_rows.first().and_then(|r| r.value.clone().ok());
        let mut sqlite_rows = sqlite_rows.into_iter();
        rows.extend(sqlite_rows.next());
        rows.push(rt5_row(rt5, sqlite_rate, args.rt5_workers));
        rows.extend(sqlite_rows);
        if std::env::var_os("DESKMATE_TEST_PG").is_some() {
            progress("HTTP ticket creation on PostgreSQL");
            let pg = create::run(Engine::Postgres, plan).await;
            rows.extend(creation_rows(
                Engine::Postgres,
                pg.map_err(|e| format!("{e:#}")),
                rt5_rate,
            ));
        } else {
            rows.extend(creation_rows(
                Engine::Postgres,
                Err("DESKMATE_TEST_PG not set".into()),
                None,
            ));
        }
    }
    if args.skip_outbox {
        rows.push(outbox_row(Err("skipped".into())));
    } else {
        progress(&format!(
            "outbox drain: {} writes queued offline, then drained",
            args.outbox_items
        ));
        let drained = outbox::run(args.outbox_items.max(1)).await;
        rows.push(outbox_row(drained.map_err(|e| format!("{e:#}"))));
    }

    if args.skip_ingest {
        rows.extend(ingest_rows(Err("skipped".into())));
        rows.extend(search_rows(Err("skipped".into())));
    } else {
        progress(&format!(
            "cache ingest: {} tickets + {} messages in sync pages of {} rows, then plain inserts",
            args.ingest_tickets, args.ingest_messages, args.page_rows
        ));
        match ingest::run(args.ingest_tickets, args.ingest_messages, args.page_rows).await {
            Ok(ingested) => {
                progress(&format!(
                    "cache ingest took {:.1} s, plain inserts {:.1} s; searching",
                    ingested.ingest_time.as_secs_f64(),
                    ingested.raw_time.as_secs_f64()
                ));
                let searched = search::run(
                    &ingested.cache,
                    &ingested.vocabulary,
                    ingested.tickets,
                    args.search_repeats,
                )
                .await;
                rows.extend(ingest_rows(Ok(&ingested)));
                rows.extend(search_rows(
                    searched
                        .map(|s| (s, ingested.rows()))
                        .map_err(|e| format!("{e:#}")),
                ));
            }
            Err(e) => {
                let e = format!("{e:#}");
                rows.extend(ingest_rows(Err(e.clone())));
                rows.extend(search_rows(Err(format!("no cache: {e}"))));
            }
        }
    }

    if args.skip_sse {
        rows.extend(sse_rows(args.sse_clients, Err("skipped".into())));
    } else {
        let server_bin = match &args.server_bin {
            Some(bin) => bin.clone(),
            None => std::env::current_exe()
                .context("own path")?
                .with_file_name("deskmate-server"),
        };
        progress(&format!(
            "live events: {} streams to {}, {} agent replies",
            args.sse_clients,
            server_bin.display(),
            args.sse_posts
        ));
        let plan = sse::Plan {
            clients: args.sse_clients.max(1),
            posts: args.sse_posts.max(1),
            server_bin,
            open_parallel: 256,
            post_timeout: Duration::from_secs(10),
        };
        let outcome = sse::run(&plan).await;
        rows.extend(sse_rows(
            args.sse_clients,
            outcome.map_err(|e| format!("{e:#}")),
        ));
    }

    rows.push(deb_row(args.deb.as_deref()));

    print_table(&rows)?;
    let summary = write_summary(&rows, &args.out)?;
    println!("summary: {}", summary.display());
    let failed: Vec<&Row> = rows
        .iter()
        .filter(|r| r.value.as_ref().is_err_and(|e| e.starts_with("error")))
        .collect();
    for row in &failed {
        if let Err(e) = &row.value {
            report_error(&format!("deskmate-bench: {}: {e}", row.key));
        }
    }
    Ok(failed.is_empty())
}

/// The goal of the creation rates: 200 x RT5 when RT5 was measured.
fn rt5_goal(rt5: Option<f64>) -> Goal {
    rt5.map_or(RT5, |rate| Goal::AtLeastTimes(RT5_FACTOR, "RT5", rate))
}

fn rt5_row(outcome: Result<create::Outcome, String>, deskmate: Option<f64>, workers: usize) -> Row {
    let (value, note) = match outcome {
        Ok(o) => {
            let ratio = deskmate.map_or_else(
                || "server_create_per_s not measured".to_owned(),
                |d| format!("server_create_per_s / RT5 = {:.0}", d / o.per_second()),
            );
            (
                Ok(o.per_second()),
                format!(
                    "{ratio}; {} tickets in {:.2} s, p50 {:.0} ms, p99 {:.0} ms; REST2, SQLite, \
                     {workers} rt-server workers; all found by a TicketSQL search",
                    o.completed,
                    o.elapsed.as_secs_f64(),
                    o.latencies.percentile_ms(50.0),
                    o.latencies.percentile_ms(99.0)
                ),
            )
        }
        Err(e) if e == "skipped" || e.starts_with(rt5::NOT_INSTALLED) => {
            (Err(format!("not measured: {e}")), String::new())
        }
        Err(e) => (Err(format!("error: {e}")), String::new()),
    };
    Row {
        key: "rt5_create_per_s",
        unit: "tickets/s",
        goal: Goal::Reference,
        value,
        note,
    }
}

fn creation_rows(
    engine: Engine,
    outcome: Result<create::Outcome, String>,
    rt5: Option<f64>,
) -> Vec<Row> {
    let (rate_key, p99_key) = match engine {
        Engine::Sqlite => ("server_create_per_s", "server_create_p99_ms"),
        Engine::Postgres => ("server_create_pg_per_s", "server_create_pg_p99_ms"),
    };
    let not_measured = |e: &String| {
        if e == "skipped" || e.contains("not set") {
            format!("not measured: {e}")
        } else {
            format!("error: {e}")
        }
    };
    match outcome {
        Ok(o) => vec![
            Row {
                key: rate_key,
                unit: "tickets/s",
                goal: rt5_goal(rt5),
                value: Ok(o.per_second()),
                note: format!(
                    "{} tickets in {:.2} s",
                    o.completed,
                    o.elapsed.as_secs_f64()
                ),
            },
            Row {
                key: p99_key,
                unit: "ms",
                goal: Goal::AtMost(20.0),
                value: Ok(o.latencies.percentile_ms(99.0)),
                note: format!(
                    "p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms",
                    o.latencies.percentile_ms(50.0),
                    o.latencies.percentile_ms(90.0),
                    o.latencies.percentile_ms(100.0)
                ),
            },
        ],
        Err(e) => vec![
            Row {
                key: rate_key,
                unit: "tickets/s",
                goal: rt5_goal(rt5),
                value: Err(not_measured(&e)),
                note: String::new(),
            },
            Row {
                key: p99_key,
                unit: "ms",
                goal: Goal::AtMost(20.0),
                value: Err(not_measured(&e)),
                note: String::new(),
            },
        ],
    }
}

fn outbox_row(outcome: Result<outbox::Outcome, String>) -> Row {
    let (value, note) = match outcome {
        Ok(o) => (
            Ok(o.per_second()),
            format!(
                "{} writes drained in {:.2} s ({} pass(es)); queued in {:.2} s",
                o.items,
                o.drain_time.as_secs_f64(),
                o.passes,
                o.queue_time.as_secs_f64()
            ),
        ),
        Err(e) if e == "skipped" => (Err(format!("not measured: {e}")), String::new()),
        Err(e) => (Err(format!("error: {e}")), String::new()),
    };
    Row {
        key: "outbox_drain_per_s",
        unit: "writes/s",
        goal: Goal::AtLeast(1000.0),
        value,
        note,
    }
}

/// "not measured: …" for a skipped run, "error: …" for a failed one.
fn absent(e: &str) -> String {
    if e == "skipped" {
        format!("not measured: {e}")
    } else {
        format!("error: {e}")
    }
}

fn ingest_rows(outcome: Result<&ingest::Outcome, String>) -> Vec<Row> {
    match outcome {
        Ok(o) => {
            let raw = o.raw_per_second();
            vec![
                Row {
                    key: "cache_ingest_rows_per_s",
                    unit: "rows/s",
                    goal: Goal::AtLeastTimes(0.5, "raw", raw),
                    value: Ok(o.ingest_per_second()),
                    note: format!(
                        "{} tickets + {} messages ({:.0} MB text) in {} pages of {} rows: {:.1} s \
                         (search index included); cache {:.0} MB; corpus built in {:.1} s",
                        o.tickets,
                        o.messages,
                        o.text_mb,
                        o.pages,
                        o.rows().div_ceil(o.pages.max(1)),
                        o.ingest_time.as_secs_f64(),
                        o.cache_mb,
                        o.generate_time.as_secs_f64()
                    ),
                },
                Row {
                    key: "raw_sqlite_rows_per_s",
                    unit: "rows/s",
                    goal: Goal::Reference,
                    value: Ok(raw),
                    note: format!(
                        "the same {} rows, bare tables (no index, no FTS), one transaction: {:.1} s; \
                         ingest/raw = {:.2}",
                        o.rows(),
                        o.raw_time.as_secs_f64(),
                        o.ingest_per_second() / raw
                    ),
                },
            ]
        }
        Err(e) => vec![
            Row {
                key: "cache_ingest_rows_per_s",
                unit: "rows/s",
                goal: Goal::AtLeast(0.0),
                value: Err(absent(&e)),
                note: String::new(),
            },
            Row {
                key: "raw_sqlite_rows_per_s",
                unit: "rows/s",
                goal: Goal::Reference,
                value: Err(absent(&e)),
                note: String::new(),
            },
        ],
    }
}

fn search_rows(outcome: Result<(search::Outcome, usize), String>) -> Vec<Row> {
    let (p95, worst) = match outcome {
        Ok((o, rows)) => (
            (
                Ok(o.latencies.percentile_ms(95.0)),
                format!(
                    "{} queries x {} passes over {rows} rows (1 warm-up pass not counted); \
                     p50 {:.2} ms, p99 {:.2} ms; {} hits per pass",
                    o.queries,
                    o.repeats,
                    o.latencies.percentile_ms(50.0),
                    o.latencies.percentile_ms(99.0),
                    o.hits_per_pass
                ),
            ),
            (
                Ok(o.worst.0.as_secs_f64() * 1000.0),
                format!(
                    "slowest: {}",
                    o.slowest
                        .iter()
                        .map(|(t, q)| format!("{q:?} {:.0} ms", t.as_secs_f64() * 1000.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        ),
        Err(e) => (
            (Err(absent(&e)), String::new()),
            (Err(absent(&e)), String::new()),
        ),
    };
    vec![
        Row {
            key: "search_p95_ms",
            unit: "ms",
            goal: Goal::AtMost(5.0),
            value: p95.0,
            note: p95.1,
        },
        Row {
            key: "search_worst_ms",
            unit: "ms",
            goal: Goal::AtMost(50.0),
            value: worst.0,
            note: worst.1,
        },
    ]
}

fn sse_rows(asked: usize, outcome: Result<sse::Outcome, String>) -> Vec<Row> {
    let (clients, p99) = match outcome {
        Ok(o) => {
            let refused = match &o.open_error {
                Some(e) => format!("; {} refused: {e}", o.asked - o.connected),
                None => String::new(),
            };
            (
                (
                    Ok(o.connected as f64),
                    format!(
                        "of {} asked, open in {:.1} s{refused}; server: {}; clients: {}",
                        o.asked,
                        o.open_time.as_secs_f64(),
                        o.server,
                        o.clients
                    ),
                ),
                (
                    Ok(o.deliveries.percentile_ms(99.0)),
                    format!(
                        "{} replies x {} streams: p50 {:.0} ms, max {:.0} ms; last client per \
                         reply p50 {:.0} ms, max {:.0} ms; {} not delivered within 10 s",
                        o.posts,
                        o.connected,
                        o.deliveries.percentile_ms(50.0),
                        o.deliveries.percentile_ms(100.0),
                        o.last_client.percentile_ms(50.0),
                        o.last_client.percentile_ms(100.0),
                        o.missing
                    ),
                ),
            )
        }
        Err(e) => (
            (Err(absent(&e)), format!("{asked} asked")),
            (Err(absent(&e)), String::new()),
        ),
    };
    vec![
        Row {
            key: "sse_clients",
            unit: "streams",
            goal: Goal::AtLeast(10_000.0),
            value: clients.0,
            note: clients.1,
        },
        Row {
            key: "sse_p99_ms",
            unit: "ms",
            goal: Goal::AtMost(1000.0),
            value: p99.0,
            note: p99.1,
        },
    ]
}

fn deb_row(deb: Option<&Path>) -> Row {
    let (value, note) = match deb {
        None => (
            Err("not measured: no .deb built in this run".to_owned()),
            String::new(),
        ),
        Some(path) => match std::fs::metadata(path) {
            Ok(m) => (
                Ok(m.len() as f64 / 1e6),
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ),
            ),
            Err(e) => (
                Err(format!("error: {}: {e}", path.display())),
                String::new(),
            ),
        },
    };
    Row {
        key: "deb_size_mb",
        unit: "MB",
        goal: Goal::AtMost(6.0),
        value,
        note,
    }
}

/// `nproc` and the CPU model, from /proc/cpuinfo.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == "model name").then(|| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let nproc = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    format!("nproc {nproc}, {model}")
}

fn print_table(rows: &[Row]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let header = ["figure", "value", "unit", "goal", "result", "detail"];
    let lines: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            let (value, verdict) = match &r.value {
                Ok(v) => (format!("{v:.2}"), r.goal.verdict(*v)),
                Err(e) => ("-".to_owned(), e.clone()),
            };
            [
                r.key.to_owned(),
                value,
                r.unit.to_owned(),
                r.goal.text(),
                verdict,
                r.note.clone(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    // The last column is not padded.
    widths[5] = 0;
    writeln!(out)?;
    writeln!(out, "Deskmate bench — {}", machine())?;
    let rule: usize = widths.iter().sum::<usize>() + 2 * 5 + header[5].len();
    writeln!(out, "{}", "-".repeat(rule))?;
    let print = |out: &mut std::io::StdoutLock<'_>, cells: &[String]| -> std::io::Result<()> {
        let mut line = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            // Numbers right-aligned, text left-aligned.
            if i == 1 {
                line.push_str(&format!("{cell:>w$}"));
            } else {
                line.push_str(&format!("{cell:<w$}"));
            }
        }
        writeln!(out, "{}", line.trim_end())
    };
    print(&mut out, &header.map(str::to_owned))?;
    writeln!(out, "{}", "-".repeat(rule))?;
    for line in &lines {
        print(&mut out, line)?;
    }
    writeln!(out, "{}", "-".repeat(rule))?;
    Ok(())
}

/// The keys `target/bench/summary.json` may hold (the list, exactly);
/// other figures, like the PostgreSQL ones, are in the printed table only.
const SUMMARY_KEYS: &[&str] = &[
    "launch_ms",
    "bare_tauri_launch_ms",
    "idle_pss_mib",
    "bare_tauri_idle_pss_mib",
    "deb_size_mb",
    "screenshot_pipeline_ms",
    "cache_ingest_rows_per_s",
    "raw_sqlite_rows_per_s",
    "search_p95_ms",
    "search_worst_ms",
    "server_create_per_s",
    "server_create_p99_ms",
    "rt5_create_per_s",
    "outbox_drain_per_s",
    "sse_clients",
    "sse_p99_ms",
];

/// Writes the measured figures as one flat JSON object; returns its path.
fn write_summary(rows: &[Row], path: &Path) -> Result<PathBuf> {
    let mut summary = serde_json::Map::new();
    for row in rows.iter().filter(|r| SUMMARY_KEYS.contains(&r.key)) {
        if let Ok(v) = row.value {
            let rounded = (v * 1000.0).round() / 1000.0;
            if let Some(n) = serde_json::Number::from_f64(rounded) {
                summary.insert(row.key.to_owned(), serde_json::Value::Number(n));
            }
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(summary))?;
    std::fs::write(path, format!("{text}\n"))
        .with_context(|| format!("write {}", path.display()))?;
    Ok(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()))
}
