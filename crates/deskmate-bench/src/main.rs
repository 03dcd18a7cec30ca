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
mod figures;
mod floor;
mod floor_figures;
mod helpdesk;
mod ingest;
mod outbox;
mod report;
mod rt5;
mod screenshot;
mod search;
mod sse;
mod sse_wire;
mod stats;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;

use crate::figures::{
    Row, creation_rows, deb_row, ingest_rows, outbox_row, rt5_row, screenshot_row, search_rows,
    sse_rows, times,
};
use crate::floor_figures::{floor_create_rows, floor_post_row, rt5_ratio_row, sse_floor_row};
use crate::helpdesk::Engine;
use crate::report::{print_table, write_summary};

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
    /// Tickets filed one at a time for `floor_post_per_s`.
    #[arg(long, default_value_t = 2000)]
    post_floor_requests: usize,
    /// Run as the SSE floor's server (started by the live-event run).
    #[arg(long, hide = true)]
    serve_sse_floor: bool,
    /// Screenshots processed per format (`screenshot_pipeline_ms`).
    #[arg(long, default_value_t = 25)]
    screenshot_rounds: usize,
    /// Skip the screenshot pipeline.
    #[arg(long)]
    skip_screenshot: bool,
    /// Where to write the JSON summary.
    #[arg(long, default_value = "target/bench/summary.json")]
    out: PathBuf,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.serve_sse_floor {
        return match sse::serve_floor().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                report_error(&format!("deskmate-bench: SSE floor: {e:#}"));
                ExitCode::FAILURE
            }
        };
    }
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
    say(&format!("bench: {message}"));
}

/// One line on stdout, flushed.
pub(crate) fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
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

    let fmt = |e: anyhow::Error| format!("{e:#}");
    if args.skip_server {
        let skipped = || Err::<create::Outcome, String>("skipped".into());
        rows.extend(floor_create_rows(&skipped()));
        rows.extend(creation_rows(
            Engine::Sqlite,
            skipped(),
            (
                times(true, 0.25, "floor", None),
                times(false, 2.0, "floor p99", None),
            ),
        ));
        rows.push(rt5_row(skipped(), None, args.rt5_workers));
        rows.push(rt5_ratio_row(None, None));
        rows.extend(creation_rows(
            Engine::Postgres,
            skipped(),
            (
                times(true, 0.5, "SQLite", None),
                times(false, 3.0, "floor p99", None),
            ),
        ));
    } else {
        progress(&format!(
            "floor: bare axum, one SQLite insert per request: {} connections",
            plan.concurrency
        ));
        let floor = floor::create(plan).await.map_err(fmt);
        let floor_rate = floor.as_ref().ok().map(create::Outcome::per_second);
        let floor_p99 = floor.as_ref().ok().map(|o| o.latencies.percentile_ms(99.0));
        rows.extend(floor_create_rows(&floor));
        progress(&format!(
            "HTTP ticket creation on SQLite: {} connections, {} warm-up + {} tickets",
            plan.concurrency, plan.warmup, plan.requests
        ));
        let sqlite = create::run(Engine::Sqlite, plan).await.map_err(fmt);
        let sqlite_rate = sqlite.as_ref().ok().map(create::Outcome::per_second);
        rows.extend(creation_rows(
            Engine::Sqlite,
            sqlite,
            (
                times(true, 0.25, "floor", floor_rate),
                times(false, 2.0, "floor p99", floor_p99),
            ),
        ));
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
            .map_err(fmt)
        };
        let rt5_rate = rt5.as_ref().ok().map(create::Outcome::per_second);
        rows.push(rt5_row(rt5, sqlite_rate, args.rt5_workers));
        rows.push(rt5_ratio_row(sqlite_rate, rt5_rate));
        let pg = if std::env::var_os("DESKMATE_TEST_PG").is_some() {
            progress("HTTP ticket creation on PostgreSQL");
            create::run(Engine::Postgres, plan).await.map_err(fmt)
        } else {
            Err("DESKMATE_TEST_PG not set".into())
        };
        rows.extend(creation_rows(
            Engine::Postgres,
            pg,
            (
                times(true, 0.5, "SQLite", sqlite_rate),
                times(false, 3.0, "floor p99", floor_p99),
            ),
        ));
    }
    if args.skip_outbox {
        rows.push(floor_post_row(&Err("skipped".into())));
        rows.push(outbox_row(
            Err("skipped".into()),
            times(true, 0.5, "post floor", None),
        ));
    } else {
        progress(&format!(
            "floor: {} tickets filed one at a time over one connection",
            args.post_floor_requests
        ));
        let post = floor::post(
            args.post_floor_requests.max(1),
            Duration::from_secs(args.max_secs),
        )
        .await
        .map_err(fmt);
        let post_rate = post.as_ref().ok().map(create::Outcome::per_second);
        rows.push(floor_post_row(&post));
        progress(&format!(
            "outbox drain: {} writes queued offline, then drained",
            args.outbox_items
        ));
        let drained = outbox::run(args.outbox_items.max(1)).await;
        rows.push(outbox_row(
            drained.map_err(fmt),
            times(true, 0.5, "post floor", post_rate),
        ));
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
        rows.push(sse_floor_row(&Err("skipped".into())));
        rows.extend(sse_rows(
            args.sse_clients,
            Err("skipped".into()),
            times(false, 2.0, "floor", None),
        ));
    } else {
        let server_bin = match &args.server_bin {
            Some(bin) => bin.clone(),
            None => std::env::current_exe()
                .context("own path")?
                .with_file_name("deskmate-server"),
        };
        let plan = sse::Plan {
            clients: args.sse_clients.max(1),
            posts: args.sse_posts.max(1),
            server_bin,
            open_parallel: 256,
            post_timeout: Duration::from_secs(10),
        };
        progress(&format!(
            "live events, floor: {} streams to a bare broadcast server, {} changes",
            plan.clients, plan.posts
        ));
        let floor = sse::run_floor(&plan).await.map_err(fmt);
        let floor_p99 = floor
            .as_ref()
            .ok()
            .map(|o| o.deliveries.percentile_ms(99.0));
        rows.push(sse_floor_row(&floor));
        progress(&format!(
            "live events: {} streams to {}, {} agent replies",
            plan.clients,
            plan.server_bin.display(),
            plan.posts
        ));
        let outcome = sse::run(&plan).await;
        rows.extend(sse_rows(
            args.sse_clients,
            outcome.map_err(fmt),
            times(false, 2.0, "floor", floor_p99),
        ));
    }

    if args.skip_screenshot {
        rows.push(screenshot_row(Err("skipped".into())));
    } else {
        progress("screenshot pipeline: 1920x1080, redact, annotate, encode (PNG and WebP), write");
        let shots = screenshot::run(args.screenshot_rounds.max(1)).await;
        rows.push(screenshot_row(shots.map_err(|e| format!("{e:#}"))));
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
